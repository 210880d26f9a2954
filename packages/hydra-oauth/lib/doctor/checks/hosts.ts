import { isIP } from 'node:net';

import { finding, type Finding } from '../finding';
import { trimSlash } from '../facts';
import { ask, NoAnswerError } from '../http';
import type { DoctorContext } from '../inputs';

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

interface NamedUrl {
  label: string;
  url: string;
}

/**
 * Cookies belong to one host name. Hydra sets its CSRF cookie on the host the browser started
 * at and expects it back on its issuer; the storefront keeps the pending sign-in in a cookie
 * on its own host. When two of these URLs name one machine differently (localhost vs
 * 127.0.0.1), the browser treats them as strangers and the cookie is lost half-way.
 */
export function checkOneHost({ input, facts }: DoctorContext): Finding[] {
  const pairs: Array<[NamedUrl | undefined, NamedUrl | undefined]> = [];
  const issuer = facts.issuer ? { label: "Hydra's issuer", url: facts.issuer } : undefined;
  const publicUrl = named('hydra.publicUrl in the settings', input.settings.hydra.publicUrl);
  const storefront = input.storefront;

  pairs.push([issuer, publicUrl]);
  if (storefront) {
    const base = { label: "the storefront's base URL", url: storefront.baseUrl };
    pairs.push([issuer, named("the storefront's issuer", storefront.issuer)]);
    pairs.push([base, { label: "the storefront's redirect URI", url: storefront.redirectUri }]);
    pairs.push([base, named('storefrontUrl in the settings', input.settings.storefrontUrl)]);
  }
  return pairs.flatMap(([a, b]) => (a && b ? compareHosts(a, b) : []));
}

function compareHosts(a: NamedUrl, b: NamedUrl): Finding[] {
  const hostA = new URL(a.url).host;
  const hostB = new URL(b.url).host;
  if (hostA === hostB) return [];

  const sameMachine =
    LOOPBACK_NAMES.has(new URL(a.url).hostname) && LOOPBACK_NAMES.has(new URL(b.url).hostname);
  return [
    finding(sameMachine ? 'hosts.loopback-alias' : 'hosts.differ', 'error', {
      what: `${capitalise(a.label)} is on ${hostA} but ${b.label} is on ${hostB}.`,
      why: sameMachine
        ? 'Both name this machine, but browsers keep cookies per host name: a cookie set on ' +
          'one is not sent to the other, so the CSRF or session cookie is missing half-way and ' +
          'the sign-in fails (Hydra: "No CSRF value available in the session cookie").'
        : 'Cookies set on one host are not sent to the other, and tokens name the issuer, ' +
          'so sign-in or token checks fail.',
      fix: `Use one host name everywhere: change ${b.label} to ${hostA} (or the other way ` +
        'round), then restart what reads it and re-apply the client file.',
    }),
  ];
}

/**
 * With a public address, the admin API must not be reachable from outside: it accepts any
 * login challenge for any subject, so whoever reaches it can sign in as anyone.
 */
export async function checkAdminNotPublic({ input, facts }: DoctorContext): Promise<Finding[]> {
  const adminHost = new URL(input.settings.hydra.adminUrl).hostname;
  const publicHosts = [input.providerUrl, input.settings.hydra.publicUrl, facts.issuer]
    .filter((url): url is string => url !== undefined)
    .map((url) => new URL(url).hostname)
    .filter((host) => !LOOPBACK_NAMES.has(host));
  const findings: Finding[] = [];

  if (input.providerUrl && publicHosts.includes(adminHost)) {
    findings.push(adminExposed(`the admin URL uses the public host ${adminHost}`));
  } else if (input.providerUrl && !isPrivateHost(adminHost)) {
    findings.push(
      finding('admin.public-host', 'warning', {
        what: `hydra.adminUrl points at ${adminHost}, which is neither loopback nor a ` +
          'private address.',
        why: "If that host is reachable from the internet, anyone can accept login challenges " +
          'and sign in as any user.',
        fix: 'Serve the admin API on loopback or a private network only, and firewall its port.',
      }),
    );
  }

  for (const base of [facts.issuer, input.providerUrl]) {
    if (base && (await servesAdminApi(base, input.settings.hydra.requestTimeout))) {
      findings.push(adminExposed(`${trimSlash(base)}/admin/clients answers with client data`));
    }
  }
  return findings;
}

function adminExposed(detail: string): Finding {
  return finding('admin.exposed', 'error', {
    what: `Hydra's admin API is reachable at a public address: ${detail}.`,
    why: 'The admin API has no authentication of its own; anyone who reaches it can accept ' +
      'a login for any user, read client secrets or register clients.',
    fix: 'Do not route /admin/ through the public proxy; serve the admin listener on ' +
      'loopback or a private network and point hydra.adminUrl there.',
  });
}

async function servesAdminApi(base: string, timeoutSeconds: number): Promise<boolean> {
  try {
    const answer = await ask(`${trimSlash(base)}/admin/clients?page_size=1`, {
      timeoutMs: timeoutSeconds * 1000,
    });
    return answer.status === 200 && answer.body.trimStart().startsWith('[');
  } catch (error) {
    if (error instanceof NoAnswerError) return false;
    throw error;
  }
}

/** Loopback, RFC 1918, link-local, unique-local IPv6, or a single-label name inside a network. */
export function isPrivateHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  if (LOOPBACK_NAMES.has(host)) return true;
  if (isIP(host) === 4) {
    const [a = 0, b = 0] = host.split('.').map(Number);
    return a === 10 || a === 127 || (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) || (a === 169 && b === 254);
  }
  if (isIP(host) === 6) return /^(::1$|f[cd]|fe80)/i.test(host);
  // A name without dots (`hydra` in Docker or Kubernetes) only resolves inside its network.
  return !host.includes('.') || host.endsWith('.internal') || host.endsWith('.local');
}

function named(label: string, url: string | undefined): NamedUrl | undefined {
  return url && URL.canParse(url) ? { label, url } : undefined;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
