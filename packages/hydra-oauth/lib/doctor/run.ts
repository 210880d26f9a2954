import { checkClients } from './checks/clients';
import { checkHydraAnswers, hydraUnreachable } from './checks/hydra';
import { checkAdminNotPublic, checkOneHost } from './checks/hosts';
import { checkRoutesReachProvider } from './checks/routes';
import { gatherFacts } from './facts';
import type { Finding } from './finding';
import type { DoctorContext, DoctorInput } from './inputs';

type Check = (context: DoctorContext) => Finding[] | Promise<Finding[]>;

/**
 * The checks, in the order a sign-in meets them. Those after the first need Hydra to answer;
 * when it does not, they would only repeat that, so the run stops there.
 */
const CHECKS_AFTER_HYDRA: Check[] = [
  checkClients,
  checkOneHost,
  checkRoutesReachProvider,
  checkAdminNotPublic,
];

export interface DoctorReport {
  findings: Finding[];
  hydraUnreachable: boolean;
}

export async function runDoctor(input: DoctorInput): Promise<DoctorReport> {
  const context: DoctorContext = { input, facts: await gatherFacts(input) };
  const findings = checkHydraAnswers(context);
  if (hydraUnreachable(context)) return { findings, hydraUnreachable: true };

  for (const check of CHECKS_AFTER_HYDRA) findings.push(...(await check(context)));
  return { findings, hydraUnreachable: false };
}

/** True when the report should fail a script: any error, or any warning in strict mode. */
export function reportFails(report: DoctorReport, strict: boolean): boolean {
  return report.findings.some(
    (item) => item.severity === 'error' || (strict && item.severity === 'warning'),
  );
}
