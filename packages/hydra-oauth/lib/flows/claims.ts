import type { AccountUser } from '../accounts/port';

/**
 * ID-token claims for a user, limited to what the granted scopes allow (OpenID Connect Core
 * §5.4). Absent data is left out rather than sent empty.
 */
export function claimsForScopes(user: AccountUser, grantedScopes: readonly string[]) {
  const claims: Record<string, string | boolean> = {};
  if (grantedScopes.includes('email')) Object.assign(claims, emailClaims(user));
  if (grantedScopes.includes('profile')) Object.assign(claims, profileClaims(user));
  return claims;
}

/** Meteor treats the first address as the primary one. */
function emailClaims(user: AccountUser) {
  const primary = user.emails[0];
  if (!primary) return {};
  return { email: primary.address, email_verified: primary.verified };
}

function profileClaims(user: AccountUser) {
  const claims: Record<string, string> = {};
  const profile = user.profile ?? {};
  if (profile.name) claims.name = profile.name;
  if (profile.givenName) claims.given_name = profile.givenName;
  if (profile.familyName) claims.family_name = profile.familyName;
  if (user.username) claims.preferred_username = user.username;
  return claims;
}
