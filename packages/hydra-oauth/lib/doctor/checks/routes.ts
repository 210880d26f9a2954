import { randomBytes } from 'node:crypto';
import type { OAuth2Client } from '@ory/hydra-client';

import { finding, type Finding } from '../finding';
import { trimSlash } from '../facts';
import { type Answer, ask, NoAnswerError, parseJson, ProbeCookies } from '../http';
import type { DoctorContext } from '../inputs';

/** The subject of the probe's login; no such user exists, and its consent is always refused. */
const PROBE_SUBJECT = 'hydra-oauth-doctor-probe';

interface Probe {
  context: DoctorContext;
  client: OAuth2Client;
  redirectUri: string;
  cookies: ProbeCookies;
  timeoutMs: number;
}

/**
 * Hydra's login and consent URLs are in Hydra's own configuration, which its API does not
 * show, so the doctor finds out where they lead the way a browser does: it starts a sign-in
 * for a registered client and follows Hydra's redirect to the login page, which must be this
 * provider's and answer 200. It then accepts that login for a made-up subject through the
 * admin API, checks that Hydra's next redirect is this provider's consent route, and refuses
 * the consent, so the probe never yields a code or a session.
 *
 * TODO(Hydra sends only a browser with a session to the logout URL): the logout URL is not
 * probed; creating a session would need a real user's password.
 */
export async function checkRoutesReachProvider(context: DoctorContext): Promise<Finding[]> {
  const probe = probeFor(context);
  if (!probe) return [notChecked('no registered client with a redirect URI to sign in with')];

  const start = await startSignIn(probe);
  if ('findings' in start) return start.findings;
  const login = await visitLogin(probe, start.loginUrl);
  if (login.length > 0) return login;
  return checkConsentRoute(probe, start.loginUrl);
}

function probeFor(context: DoctorContext): Probe | undefined {
  const storefront = context.input.storefront;
  const candidates = [...context.facts.clients.values()];
  const preferred = storefront ? context.facts.clients.get(storefront.clientId) : undefined;
  const client = [preferred, ...candidates].find((c) => (c?.redirect_uris ?? []).length > 0);
  if (!client || !context.input.settings.hydra.publicUrl) return undefined;

  const uris = client.redirect_uris ?? [];
  const sent = storefront && storefront.clientId === client.client_id
    ? storefront.redirectUri
    : undefined;
  return {
    context,
    client,
    redirectUri: sent && uris.includes(sent) ? sent : (uris[0] ?? ''),
    cookies: new ProbeCookies(),
    timeoutMs: context.input.settings.hydra.requestTimeout * 1000,
  };
}

async function startSignIn(probe: Probe): Promise<{ loginUrl: URL } | { findings: Finding[] }> {
  const publicUrl = trimSlash(probe.context.input.settings.hydra.publicUrl ?? '');
  const authUrl = new URL(`${publicUrl}/oauth2/auth`);
  authUrl.search = new URLSearchParams({
    client_id: probe.client.client_id ?? '',
    redirect_uri: probe.redirectUri,
    response_type: 'code',
    scope: 'openid',
    state: randomBytes(12).toString('base64url'),
    nonce: randomBytes(12).toString('base64url'),
  }).toString();

  const answer = await follow(probe, authUrl);
  if (!answer.location) {
    return { findings: [notChecked(`Hydra answered ${answer.status} without a redirect`)] };
  }
  const next = new URL(answer.location, authUrl);
  const refusal = next.searchParams.get('error');
  if (refusal) return { findings: [hydraRefused(probe, refusal, next)] };
  if (!next.searchParams.has('login_challenge')) {
    return { findings: [notChecked(`Hydra redirected to ${next.origin}${next.pathname}`)] };
  }
  return { loginUrl: next };
}

async function visitLogin(probe: Probe, loginUrl: URL): Promise<Finding[]> {
  const { settings, providerUrl } = probe.context.input;
  const expected = expectedUrl(providerUrl, loginUrl, settings.routes.login);
  if (expected !== `${loginUrl.origin}${loginUrl.pathname}`) {
    return [routeElsewhere('login', `${loginUrl.origin}${loginUrl.pathname}`, expected)];
  }

  let answer: Answer;
  try {
    answer = await ask(loginUrl.href, { timeoutMs: probe.timeoutMs });
  } catch (error) {
    if (!(error instanceof NoAnswerError)) throw error;
    return [providerUnreachable(loginUrl, error.reason)];
  }
  if (answer.status === 200) return [];
  return [
    finding('routes.login.not-ok', 'error', {
      what: `Hydra sends browsers to ${loginUrl.origin}${loginUrl.pathname}, which answers ` +
        `${answer.status} instead of the login page.`,
      why: 'Users never see a login form, so nobody can sign in.',
      fix: answer.status === 404
        ? `Mount the provider's routes there (routes.login is ${settings.routes.login}), or ` +
          "correct urls.login in Hydra's configuration."
        : 'Read the provider\'s log (DEBUG=hydra-oauth:*): a 503 means it cannot reach ' +
          "Hydra's admin API at hydra.adminUrl.",
    }),
  ];
}

async function checkConsentRoute(probe: Probe, loginUrl: URL): Promise<Finding[]> {
  const challenge = loginUrl.searchParams.get('login_challenge') ?? '';
  const accepted = await adminPut(probe, 'login/accept', 'login_challenge', challenge, {
    subject: PROBE_SUBJECT,
    remember: false,
  });
  if (!accepted) return [notChecked('Hydra did not accept the probe login')];

  const answer = await follow(probe, new URL(accepted));
  const next = answer.location ? new URL(answer.location, accepted) : undefined;
  const consentChallenge = next?.searchParams.get('consent_challenge');
  if (!next || !consentChallenge) return [notChecked('Hydra did not redirect to a consent URL')];

  // Refused before anything visits it, so no code is ever issued for the made-up subject.
  await adminPut(probe, 'consent/reject', 'consent_challenge', consentChallenge, {
    error: 'access_denied',
    error_description: 'hydra-oauth doctor probe',
  });

  const found = `${next.origin}${next.pathname}`;
  const expected = `${loginUrl.origin}${probe.context.input.settings.routes.consent}`;
  return found === expected ? [] : [routeElsewhere('consent', found, expected)];
}

/** The login page must be on the provider's public address when one is given. */
function expectedUrl(providerUrl: string | undefined, found: URL, route: string): string {
  const origin = providerUrl ? new URL(providerUrl).origin : found.origin;
  return `${origin}${route}`;
}

async function follow(probe: Probe, url: URL): Promise<Answer> {
  const answer = await ask(url.href, {
    headers: probe.cookies.headerFor(url.href),
    timeoutMs: probe.timeoutMs,
  });
  probe.cookies.remember(url.href, answer.setCookies);
  return answer;
}

/** Returns Hydra's `redirect_to`, or undefined when Hydra refuses. */
async function adminPut(
  probe: Probe,
  action: string,
  parameter: string,
  challenge: string,
  body: Record<string, unknown>,
): Promise<string | undefined> {
  const adminUrl = trimSlash(probe.context.input.settings.hydra.adminUrl);
  const query = `${parameter}=${encodeURIComponent(challenge)}`;
  const url = `${adminUrl}/admin/oauth2/auth/requests/${action}?${query}`;
  const answer = await ask(url, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    timeoutMs: probe.timeoutMs,
  });
  const redirect = (parseJson(answer.body) as { redirect_to?: unknown } | undefined)?.redirect_to;
  return answer.status === 200 && typeof redirect === 'string' ? redirect : undefined;
}

function routeElsewhere(route: 'login' | 'consent', found: string, expected: string): Finding {
  return finding(`routes.${route}-url.elsewhere`, 'error', {
    what: `Hydra sends browsers to ${found} to ${route === 'login' ? 'sign in' : 'consent'}; ` +
      `this provider serves that at ${expected}.`,
    why: `The browser lands on a page that does not know Hydra's ${route} challenge, so ` +
      'sign-in stops there.',
    fix: `Set urls.${route} in Hydra's configuration (URLS_${route.toUpperCase()}) to ` +
      `${expected} and restart Hydra, or correct routes.${route} in the settings.`,
  });
}

function providerUnreachable(loginUrl: URL, reason: string): Finding {
  return finding('routes.provider.unreachable', 'error', {
    what: `Hydra sends browsers to ${loginUrl.origin}${loginUrl.pathname}, which does not ` +
      `answer (${reason}).`,
    why: 'Users are sent to a login page that does not load, so nobody can sign in.',
    fix: 'Start the identity provider there, or set urls.login in Hydra\'s configuration to ' +
      'where it runs.',
  });
}

function hydraRefused(probe: Probe, error: string, location: URL): Finding {
  const description = location.searchParams.get('error_description') ?? '';
  return finding('routes.hydra-refused', 'error', {
    what: `Hydra refused a sign-in for client "${probe.client.client_id}" with ${error}: ` +
      `${description}`,
    why: 'The browser is sent to an error page before it reaches the login page.',
    fix: 'Correct the client registration as the description says, then apply the client file.',
  });
}

function notChecked(reason: string): Finding {
  return finding('routes.not-checked', 'warning', {
    what: `Could not follow a sign-in to the login page: ${reason}.`,
    why: 'Whether Hydra sends browsers to this provider stays unknown.',
    fix: 'Register a client (clients apply) and pass --clients or --storefront, then run again.',
  });
}
