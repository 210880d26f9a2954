/**
 * Reset and verification tokens as Meteor's accounts-password keeps them on the user document,
 * and the decisions about them that both adapters share: how a token is made, whether a stored
 * one is still good, and how an address becomes verified.
 */
import { randomBytes } from 'node:crypto';

import type { MeteorUserEmail } from './meteorUsers';
import type { TokenRefusal } from './port';

/** Meteor's `reason` for a reset started by "forgot password". */
export const RESET_REASON = 'resetPassword';

/** `services.password.reset`: one at a time, replaced by the next request. */
export interface ResetTokenRecord {
  token: string;
  email: string;
  when: Date;
  reason: string;
  /** Extra token data, as `Accounts.generateResetToken` allows: the client's sign-in URL. */
  returnTo?: string;
}

/** An entry of `services.email.verificationTokens`. */
export interface VerificationTokenRecord {
  token: string;
  address: string;
  when: Date;
}

/**
 * A new token: 43 characters of base64url from 32 random bytes, as unguessable as Meteor's
 * `Random.secret()` and safe in a URL without escaping.
 */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Tokens are opaque to users; anything that could not be one is refused before a lookup. */
export function isPlausibleToken(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Za-z0-9_-]{16,128}$/.test(value);
}

/**
 * Whether a stored token may still be used. A token without a readable issue time is treated
 * as expired: it cannot be proven fresh.
 */
export function tokenRefusal(
  when: unknown,
  maxAgeSeconds: number,
  now: number = Date.now(),
): TokenRefusal | undefined {
  const issuedAt = when instanceof Date ? when.getTime() : Number.NaN;
  if (Number.isNaN(issuedAt)) return 'expired';
  return now - issuedAt > maxAgeSeconds * 1000 ? 'expired' : undefined;
}

/**
 * The reset record's address must still be one of the user's: Meteor refuses a token whose
 * address was removed since, because the mail went to someone who no longer owns the account.
 */
export function holdsAddress(emails: readonly MeteorUserEmail[] | undefined, address: string) {
  return (emails ?? []).some((email) => email.address === address);
}

/**
 * The `emails` array with `address` verified. Written back whole because FerretDB 1.24 has no
 * positional `emails.$` update; the write is guarded by the token, so it happens once.
 */
export function withAddressVerified(
  emails: readonly MeteorUserEmail[] | undefined,
  address: string,
): MeteorUserEmail[] {
  return (emails ?? []).map((email) =>
    email.address === address ? { ...email, verified: true } : email);
}

/** The verification tokens left once `address` is verified (Meteor drops them all). */
export function tokensWithoutAddress(
  tokens: readonly VerificationTokenRecord[] | undefined,
  address: string,
): VerificationTokenRecord[] {
  return (tokens ?? []).filter((record) => record.address !== address);
}

/** The parts of a user document the token decisions read. */
export interface TokenHolderDocument {
  _id: string;
  emails?: MeteorUserEmail[];
  services?: {
    password?: { reset?: ResetTokenRecord; [field: string]: unknown };
    email?: { verificationTokens?: VerificationTokenRecord[] };
    [service: string]: unknown;
  };
}

export type Judged<R> = { ok: true; record: R } | { ok: false; reason: TokenRefusal };

/** Whether the document found by a reset token may be reset now, and with which record. */
export function judgeResetToken(
  doc: TokenHolderDocument | null | undefined,
  token: string,
  maxAgeSeconds: number,
  now: number = Date.now(),
): Judged<ResetTokenRecord> {
  const record = doc?.services?.password?.reset;
  if (!doc || !record || record.token !== token || !holdsAddress(doc.emails, record.email)) {
    return { ok: false, reason: 'unknown' };
  }
  const refusal = tokenRefusal(record.when, maxAgeSeconds, now);
  return refusal ? { ok: false, reason: refusal } : { ok: true, record };
}

/** The same for a verification token, which is one entry among the user's tokens. */
export function judgeVerificationToken(
  doc: TokenHolderDocument | null | undefined,
  token: string,
  maxAgeSeconds: number,
  now: number = Date.now(),
): Judged<VerificationTokenRecord> {
  const record = doc?.services?.email?.verificationTokens?.find((entry) => entry.token === token);
  if (!doc || !record || !holdsAddress(doc.emails, record.address)) {
    return { ok: false, reason: 'unknown' };
  }
  const refusal = tokenRefusal(record.when, maxAgeSeconds, now);
  return refusal ? { ok: false, reason: refusal } : { ok: true, record };
}
