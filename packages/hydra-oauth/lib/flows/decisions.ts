import type { OAuth2Client } from '@ory/hydra-client';

/**
 * The consent screen is skipped for the shop's own clients: those listed in settings, and
 * those an operator marked `skip_consent` in Hydra. Everyone else asks the user.
 */
export function isTrustedClient(
  client: OAuth2Client | undefined,
  trustedClientIds: readonly string[],
): boolean {
  if (!client) return false;
  if (client.skip_consent === true) return true;
  return typeof client.client_id === 'string' && trustedClientIds.includes(client.client_id);
}

/** Logout asks for confirmation unless the client is trusted or marked to skip it. */
export function mayLogoutWithoutAsking(
  client: OAuth2Client | undefined,
  trustedClientIds: readonly string[],
): boolean {
  if (!client) return false;
  if (client.skip_logout_consent === true) return true;
  return typeof client.client_id === 'string' && trustedClientIds.includes(client.client_id);
}

/**
 * What the user grants: the scopes they ticked, but never one the client did not ask for. A
 * form can carry anything, so the request re-fetched from Hydra bounds the grant. `openid` is
 * not the user's to untick: it only says the sign-in is OpenID Connect, and without it the
 * client gets no ID token and cannot sign anyone in.
 */
export function grantedScopes(requested: readonly string[], ticked: readonly string[]): string[] {
  const tickedSet = new Set([...ticked, 'openid']);
  return requested.filter((scope) => tickedSet.has(scope));
}

/** Challenges are opaque to us, but not unbounded: a huge value is not worth a call to Hydra. */
export const MAX_CHALLENGE_LENGTH = 8192;

export function isPlausibleChallenge(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_CHALLENGE_LENGTH;
}
