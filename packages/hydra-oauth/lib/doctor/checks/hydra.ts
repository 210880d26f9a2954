import { finding, info, type Finding } from '../finding';
import type { DoctorContext } from '../inputs';

/** Both APIs must answer: the admin API for every accept, the public one for browsers. */
export function checkHydraAnswers({ input, facts }: DoctorContext): Finding[] {
  const findings: Finding[] = [];
  const { adminUrl, publicUrl } = input.settings.hydra;

  if (!facts.adminAnswers) {
    findings.push(
      finding('hydra.admin.unreachable', 'error', {
        what: `Hydra's admin API at ${adminUrl} does not answer GET /version.`,
        why: 'The identity provider accepts every login, consent and logout through the admin ' +
          'API; without it every sign-in ends on a "service unavailable" page.',
        fix: 'Start Hydra, or correct hydra.adminUrl (or HYDRA_ADMIN_URL) to the admin ' +
          'listener (serve.admin.port, 4445 by default), reachable from the provider.',
      }),
    );
  }

  if (!publicUrl) {
    findings.push(
      finding('hydra.public.not-set', 'warning', {
        what: 'hydra.publicUrl is not set, so the public API and the sign-in route cannot be ' +
          'checked.',
        why: 'Without it the provider cannot send a user back to start a sign-in again.',
        fix: "Set hydra.publicUrl (or HYDRA_PUBLIC_URL) to Hydra's issuer, e.g. " +
          'https://auth.shop.example.',
      }),
    );
  } else if (!facts.publicAnswers) {
    findings.push(
      finding('hydra.public.unreachable', 'error', {
        what: `Hydra's public API at ${publicUrl} does not serve ` +
          '/.well-known/openid-configuration.',
        why: 'Browsers start every sign-in there and the storefront discovers its endpoints there.',
        fix: 'Start Hydra, or correct hydra.publicUrl (or HYDRA_PUBLIC_URL) to the public ' +
          'listener (serve.public.port, 4444 by default).',
      }),
    );
  }

  if (facts.version) {
    findings.push(info('hydra.version', `Hydra reports version ${facts.version}.`));
  }
  return findings;
}

/** The doctor's other checks need the admin API; without it they would only repeat this. */
export function hydraUnreachable({ facts, input }: DoctorContext): boolean {
  const publicExpected = input.settings.hydra.publicUrl !== undefined;
  return !facts.adminAnswers || (publicExpected && !facts.publicAnswers);
}
