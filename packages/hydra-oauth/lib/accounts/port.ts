/**
 * The accounts port: everything the identity provider needs to know about users, and nothing
 * more. Each host supplies an adapter: the standalone host reads a MongoDB `users` collection in
 * Meteor's format, the Meteor glue calls Meteor Accounts.
 */

export interface UserEmail {
  address: string;
  verified: boolean;
}

/** A user as the identity provider sees it; `id` is the Meteor user `_id` and becomes `sub`. */
export interface AccountUser {
  id: string;
  username?: string;
  emails: UserEmail[];
  /** Meteor's conventional free-form profile; only the name fields are read. */
  profile?: {
    name?: string;
    givenName?: string;
    familyName?: string;
  };
}

export interface AccountsPort {
  /**
   * Finds the user by e-mail address or username and checks the password. Resolves the user
   * on success and `null` on any failure (unknown user, no password set, wrong password), after
   * the same amount of hashing work in each case, so neither the answer nor its timing tells
   * whether the account exists.
   */
  verifyPassword(identifier: string, password: string): Promise<AccountUser | null>;

  /** The user with this `_id`, or `null` when there is none (deleted since sign-in). */
  findById(id: string): Promise<AccountUser | null>;

  /** Present when the adapter can create users and handle reset and verification tokens. */
  selfService?: SelfServiceAccounts;
}

/**
 * Self-service on top of the port: what sign-up, password reset and e-mail verification need.
 * Optional, so an adapter that cannot write users still serves sign-in; both adapters here
 * store users and tokens exactly as Meteor's accounts-password does.
 */
export interface SelfServiceAccounts {
  /** Creates a user with one unverified address; throws {@link AccountExistsError}. */
  createUser(input: { email: string; password: string }): Promise<AccountUser>;

  /** The user holding this address (exact, else a unique case-insensitive match), or `null`. */
  findByEmail(email: string): Promise<AccountUser | null>;

  /**
   * Stores a reset token in `services.password.reset` ({token, email, when, reason}) plus the
   * URL the shopper should return to, replacing any earlier one. Resolves the token.
   */
  issueResetToken(userId: string, email: string, returnTo?: string): Promise<string>;

  /** What a reset token is worth right now, without using it up. */
  inspectResetToken(token: string, maxAgeSeconds: number): Promise<TokenCheck>;

  /**
   * Uses a reset token once: sets the new password (as Meteor hashes it), marks the token's
   * address verified, forgets the token and the user's Meteor login tokens.
   */
  resetPassword(token: string, password: string, maxAgeSeconds: number): Promise<ResetOutcome>;

  /** Pushes {token, address, when} onto `services.email.verificationTokens`. */
  issueVerificationToken(userId: string, address: string): Promise<string>;

  /** Marks the token's address verified and drops the address's tokens; works once. */
  verifyEmail(token: string, maxAgeSeconds: number): Promise<VerifyOutcome>;
}

/** Why a token was not accepted; `unknown` covers used tokens, which Meteor deletes. */
export type TokenRefusal = 'unknown' | 'expired';

export type TokenCheck = { ok: true; userId: string } | { ok: false; reason: TokenRefusal };

export type ResetOutcome =
  | { ok: true; user: AccountUser; returnTo?: string }
  | { ok: false; reason: TokenRefusal };

export type VerifyOutcome = { ok: true; user: AccountUser } | { ok: false; reason: TokenRefusal };

/** Sign-up of an address (or username) another user already holds, in any letter case. */
export class AccountExistsError extends Error {
  override name = 'AccountExistsError';

  constructor() {
    super('an account with this e-mail address already exists');
  }
}
