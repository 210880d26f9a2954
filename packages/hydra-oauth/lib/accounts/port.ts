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
}
