import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';

/**
 * Hydra never returns a client's secret, so a plain comparison cannot tell whether the file's
 * secret is the one Hydra holds. `apply` therefore stores a salted scrypt digest of the secret
 * in the client's metadata (key `hydra_oauth_secret_digest`) and compares against that. A
 * client without the digest (registered by other means) counts as changed once, which sets the
 * secret and the digest. The digest is salted and slow so it is no shortcut to the secret for
 * someone who can read client metadata.
 */
const KEY_LENGTH = 32;
const PREFIX = 'scrypt';

export function secretDigest(secret: string, salt = randomBytes(16)): string {
  const hash = scryptSync(secret, salt, KEY_LENGTH);
  return `${PREFIX}$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

/** True only when `digest` was made from `secret`; a malformed digest never matches. */
export function secretMatches(secret: string, digest: unknown): boolean {
  if (typeof digest !== 'string') return false;
  const [prefix, salt, hash] = digest.split('$');
  if (prefix !== PREFIX || !salt || !hash) return false;

  const expected = Buffer.from(hash, 'base64url');
  if (expected.length !== KEY_LENGTH) return false;
  const actual = scryptSync(secret, Buffer.from(salt, 'base64url'), KEY_LENGTH);
  return timingSafeEqual(actual, expected);
}
