/**
 * A test harness, not a Meteor: it provides just enough of `meteor/*` for the package's server
 * glue to load and serve in Node. See README.md in this folder for what each module stands for.
 */
import { register } from 'node:module';

register('./hooks.mjs', import.meta.url);

export { meteorHarness } from './modules/meteor';
export { webAppHarness } from './modules/webapp';
export { accountsHarness } from './modules/accounts-base';
export { rateLimiterHarness } from './modules/ddp-rate-limiter';
export { emailHarness } from './modules/email';

/** The glue's entry module; import it only after this module, so `meteor/*` resolves here. */
export const SERVER_GLUE = new URL('../../packages/hydra-oauth/server/main.ts', import.meta.url);

/**
 * Loads the glue's entry as Meteor loads a package: its top level runs now. Each `label` gives
 * a fresh module instance, so one process can start the glue once per scenario.
 */
export function loadServerGlue(label: string): Promise<Record<string, unknown>> {
  return import(`${SERVER_GLUE.href}?scenario=${encodeURIComponent(label)}`);
}
