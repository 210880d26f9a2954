import type { OAuth2Client } from '@ory/hydra-client';

import { changedFields } from '../../clients/plan';
import { DEFAULT_AUTH_METHOD, type DeclaredClient } from '../../clients/fields';
import { finding, type Finding } from '../finding';
import { clientIdsOfInterest } from '../facts';
import type { DoctorContext, StorefrontView } from '../inputs';

const APPLY_FIX = 'Declare it in the client file and run `npx hydra-oauth clients apply FILE`.';

/**
 * Per client: that Hydra knows it, that its own fields agree with each other, that it matches
 * the client file, and, for the storefront's client, that it accepts exactly what the
 * storefront sends. Hydra compares redirect URIs as exact strings, so near misses are named.
 */
export function checkClients(context: DoctorContext): Finding[] {
  const findings: Finding[] = [];
  for (const id of clientIdsOfInterest(context.input)) {
    const registered = context.facts.clients.get(id);
    const declared = context.input.declared?.find((client) => client.client_id === id);
    const storefront =
      context.input.storefront?.clientId === id ? context.input.storefront : undefined;

    // Hydra refuses such a file at apply, so the declared version is checked on its own.
    const logoutSource = declared ?? registered;
    if (logoutSource) findings.push(...postLogoutHosts(logoutSource));
    if (!registered) {
      findings.push(unknownClient(id, storefront !== undefined));
      continue;
    }
    findings.push(...checkCoherence(registered));
    if (declared) findings.push(...checkDrift(declared, registered));
    if (storefront) findings.push(...checkAgainstStorefront(registered, storefront));
  }
  return findings;
}

function unknownClient(id: string, usedByStorefront: boolean): Finding {
  return finding('client.unknown', 'error', {
    what: usedByStorefront
      ? `Hydra has no client "${id}", the client id the storefront signs in with.`
      : `Hydra has no client "${id}", although the client file declares it.`,
    why: 'Hydra answers /oauth2/auth with invalid_client ("The requested OAuth 2.0 Client does ' +
      'not exist"), so the browser never reaches the login page.',
    fix: usedByStorefront
      ? `${APPLY_FIX} Or correct the storefront's client id if it has a typo.`
      : 'Run `npx hydra-oauth clients apply FILE`.',
  });
}

/** Rules Hydra itself does not enforce at registration, but that fail at the first sign-in. */
export function checkCoherence(client: OAuth2Client): Finding[] {
  const id = client.client_id ?? '';
  const grants = listOr(client.grant_types, ['authorization_code']);
  const responses = listOr(client.response_types, ['code']);
  const scopes = (client.scope ?? '').split(/\s+/).filter(Boolean);
  const findings: Finding[] = [];

  const asksForCode = responses.some((type) => type.split(' ').includes('code'));
  if (asksForCode && !grants.includes('authorization_code')) {
    findings.push(
      finding('client.grant.code-missing', 'error', {
        what: `Client "${id}" allows response type "code" but not the authorization_code grant.`,
        why: 'The storefront receives a code and Hydra then refuses to exchange it for tokens.',
        fix: `Add "authorization_code" to grant_types of "${id}" and apply the client file.`,
      }),
    );
  }
  const offline = scopes.some((scope) => scope === 'offline_access' || scope === 'offline');
  if (grants.includes('refresh_token') && !offline) {
    findings.push(
      finding('client.scope.offline-missing', 'error', {
        what: `Client "${id}" may use refresh tokens but its scope lacks offline_access.`,
        why: 'Hydra issues a refresh token only for the offline_access scope; the session ends ' +
          'when the access token expires.',
        fix: `Add "offline_access" to the scope of "${id}" and apply the client file.`,
      }),
    );
  }
  if (!scopes.includes('openid')) {
    findings.push(
      finding('client.scope.openid-missing', 'error', {
        what: `Client "${id}" does not allow the openid scope.`,
        why: 'Without openid Hydra issues no ID token, and an OpenID Connect storefront cannot ' +
          'learn who signed in; Hydra rejects the request with invalid_scope.',
        fix: `Add "openid" to the scope of "${id}" and apply the client file.`,
      }),
    );
  }
  return findings;
}

/**
 * A post-logout URI on a host that none of the redirect URIs use is almost always a leftover
 * (an old domain, localhost vs 127.0.0.1). Hydra refuses to register one, and the storefront
 * asks for a URI on its own host, so sign-out cannot end where the file says.
 */
function postLogoutHosts(client: OAuth2Client | DeclaredClient): Finding[] {
  return otherHostUris(
    `Client "${client.client_id ?? ''}"`,
    listOr(client.redirect_uris, []),
    listOr(client.post_logout_redirect_uris, []),
  );
}

function otherHostUris(owner: string, redirectUris: string[], postLogout: string[]): Finding[] {
  const redirectHosts = new Set(redirectUris.map(hostOf));
  if (redirectHosts.size === 0) return [];
  const hosts = [...redirectHosts].join(', ');
  return postLogout
    .filter((uri) => !redirectHosts.has(hostOf(uri)))
    .map((uri) =>
      finding('client.post-logout-uri.other-host', 'error', {
        what: `${owner} has post-logout URI ${uri} on host ${hostOf(uri)}, but its ` +
          `redirect URIs are on ${hosts}.`,
        why: 'Hydra accepts a post-logout URI only on the host of a redirect URI (it refuses ' +
          "to register this one), and a sign-out that lands off the storefront's host cannot " +
          "clear the storefront's session, so sign-out ends on Hydra's error page.",
        fix: `Use a post-logout URI on ${hosts} (the storefront's host) in the client file ` +
          'and in the storefront, then apply the file.',
      }),
    );
}

function checkDrift(declared: DeclaredClient, registered: OAuth2Client): Finding[] {
  const fields = changedFields(declared, registered).map((change) => change.field);
  if (fields.length === 0) return [];
  return [
    finding('client.drift', 'warning', {
      what: `Client "${declared.client_id}" in Hydra differs from the client file in: ` +
        `${fields.join(', ')}.`,
      why: 'Hydra acts on its registration, not on the file; the file no longer says what runs.',
      fix: 'Run `npx hydra-oauth clients apply FILE --dry-run` to see the difference, then apply.',
    }),
  ];
}

export function checkAgainstStorefront(
  client: OAuth2Client,
  storefront: StorefrontView,
): Finding[] {
  return [
    ...redirectUri(client, storefront),
    ...authMethod(client, storefront),
    ...postLogoutUri(client, storefront),
    ...storefrontScopes(client, storefront),
  ];
}

function redirectUri(client: OAuth2Client, storefront: StorefrontView): Finding[] {
  const registered = listOr(client.redirect_uris, []);
  const sent = storefront.redirectUri;
  if (registered.includes(sent)) return [];

  const trimmed = withoutTrailingSlash(sent);
  const nearMiss = registered.find((uri) => withoutTrailingSlash(uri) === trimmed);
  const why = 'Hydra compares redirect URIs character by character and refuses the sign-in ' +
    'with invalid_request ("redirect_uri does not match") before the login page.';
  if (nearMiss) {
    return [
      finding('client.redirect-uri.trailing-slash', 'error', {
        what: `The storefront sends redirect_uri ${sent}; client "${client.client_id}" has ` +
          `${nearMiss} registered, which differs only by a trailing slash.`,
        why,
        fix: `Register exactly ${sent} in redirect_uris of "${client.client_id}" (or make the ` +
          'storefront send the registered one) and apply the client file.',
      }),
    ];
  }
  return [
    finding('client.redirect-uri.unregistered', 'error', {
      what: `The storefront sends redirect_uri ${sent}, which client "${client.client_id}" ` +
        `does not list (registered: ${registered.join(', ') || 'none'}).`,
      why,
      fix: `Add ${sent} to redirect_uris of "${client.client_id}" and apply the client file.`,
    }),
  ];
}

function authMethod(client: OAuth2Client, storefront: StorefrontView): Finding[] {
  const registered = client.token_endpoint_auth_method || DEFAULT_AUTH_METHOD;
  if (registered === storefront.tokenEndpointAuthMethod) return [];
  return [
    finding('client.auth-method.mismatch', 'error', {
      what: `Client "${client.client_id}" is registered with token_endpoint_auth_method ` +
        `${registered}, but the storefront authenticates with ` +
        `${storefront.tokenEndpointAuthMethod}.`,
      why: 'The user signs in, then Hydra refuses the code exchange with invalid_client, so ' +
        'the storefront shows an error instead of the signed-in page.',
      fix: `Set token_endpoint_auth_method to ${storefront.tokenEndpointAuthMethod} for ` +
        `"${client.client_id}" in the client file and apply it, or change the storefront.`,
    }),
  ];
}

function postLogoutUri(client: OAuth2Client, storefront: StorefrontView): Finding[] {
  const sent = storefront.postLogoutRedirectUri;
  const registered = listOr(client.post_logout_redirect_uris, []);
  if (sent === undefined || registered.includes(sent)) return [];
  return [
    ...otherHostUris('The storefront', [storefront.redirectUri], [sent]),
    finding('client.post-logout-uri.unregistered', 'error', {
      what: `The storefront asks to return to ${sent} after sign-out; client ` +
        `"${client.client_id}" does not list it (registered: ${registered.join(', ') || 'none'}).`,
      why: 'Hydra refuses the logout request, so the user stays signed in at Hydra and sees ' +
        "Hydra's error page.",
      fix: `Add ${sent} to post_logout_redirect_uris of "${client.client_id}" and apply the file.`,
    }),
  ];
}

function storefrontScopes(client: OAuth2Client, storefront: StorefrontView): Finding[] {
  const allowed = new Set((client.scope ?? '').split(/\s+/).filter(Boolean));
  const missing = storefront.scopes.filter((scope) => !allowed.has(scope));
  if (missing.length === 0) return [];
  return [
    finding('client.scope.not-allowed', 'error', {
      what: `The storefront asks for scope ${missing.join(' ')}, which client ` +
        `"${client.client_id}" may not request.`,
      why: 'Hydra rejects the whole authorization request with invalid_scope.',
      fix: `Add ${missing.join(' ')} to the scope of "${client.client_id}" and apply the file.`,
    }),
  ];
}

function listOr(value: string[] | null | undefined, fallback: string[]): string[] {
  return value && value.length > 0 ? value : fallback;
}

function hostOf(uri: string): string {
  return URL.canParse(uri) ? new URL(uri).host : uri;
}

function withoutTrailingSlash(uri: string): string {
  return uri.replace(/\/+$/, '');
}
