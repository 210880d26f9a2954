export { runDoctor, reportFails, type DoctorReport } from './run';
export { renderReport } from './render';
export type { Finding, Severity } from './finding';
export {
  storefrontView,
  StorefrontViewError,
  type DoctorInput,
  type StorefrontView,
} from './inputs';
export { isPrivateHost } from './checks/hosts';
export { checkCoherence, checkAgainstStorefront } from './checks/clients';
