import type { Filter, FindOptions } from 'mongodb';

import { randomBytes } from 'node:crypto';

import {
  hashMeteorPassword,
  verifyMeteorPassword,
} from '../../../packages/hydra-oauth/lib/accounts/meteorPassword';
import {
  newMeteorUserDocument,
  type MeteorUserDocument,
} from '../../../packages/hydra-oauth/lib/accounts/meteorUsers';
import {
  caseInsensitiveSelector,
  createMongoAccounts,
  DuplicateUserError,
  type IdentifierField,
} from '../../../packages/hydra-oauth/lib/accounts/mongoAccounts';
import { shared } from '../shared';
import { Meteor, meteorHarness } from './meteor';

type Fields = Record<string, 0 | 1>;

/** Ids `_checkPasswordAsync` was called with, so tests can see who was (not) checked. */
const passwordChecks = shared('passwordChecks', (): string[] => []);

/**
 * Meteor's `_findUserByQuery`: the exact value, else a case-insensitive match that only one
 * user has.
 */
async function findUser(field: IdentifierField, value: string, fields?: Fields) {
  const users = meteorHarness.usersCollection();
  const options: FindOptions = { projection: fields };
  const exact = await users.findOne({ [field]: value } as Filter<MeteorUserDocument>, options);
  if (exact) return exact;

  const candidates = await users
    .find(caseInsensitiveSelector(field, value), { ...options, limit: 2 })
    .toArray();
  return candidates.length === 1 ? candidates[0] : undefined;
}

/**
 * Meteor Accounts over the harness's `users` collection, checking passwords with the core's
 * implementation of accounts-password's scheme (SHA-256 digest, then bcrypt or argon2).
 */
export const Accounts = {
  findUserByEmail: (email: string, options?: { fields?: Fields }) =>
    findUser('emails.address', email, options?.fields),

  findUserByUsername: (username: string, options?: { fields?: Fields }) =>
    findUser('username', username, options?.fields),

  /** Like Meteor's: reading the hash of a user without `services.password` throws. */
  async _checkPasswordAsync(user: MeteorUserDocument, password: string) {
    passwordChecks.push(user._id);
    const service = user.services!.password!;
    if (service.bcrypt === undefined && service.argon2 === undefined) {
      throw new TypeError('no password hash to check against');
    }
    const matches = await verifyMeteorPassword(service, password);
    return matches
      ? { userId: user._id }
      : { userId: user._id, error: new Meteor.Error(403, 'Incorrect password') };
  },

  _argon2Enabled: () => false,
  _bcryptRounds: () => 10,

  /** With Meteor's case-insensitive duplicate check and its 403 "… already exists." error. */
  async createUserAsync(options: { username?: string; email?: string; password?: string }) {
    const doc = await newMeteorUserDocument({ ...options, bcryptRounds: 4 });
    const accounts = createMongoAccounts(meteorHarness.database());
    try {
      await accounts.insertUser(doc);
    } catch (error) {
      if (error instanceof DuplicateUserError) throw new Meteor.Error(403, error.message);
      throw error;
    }
    return doc._id;
  },

  async generateResetToken(
    userId: string,
    email: string,
    reason: string,
    extraTokenData: Record<string, unknown> = {},
  ) {
    const token = randomBytes(32).toString('base64url');
    const record = { token, email, when: new Date(), reason, ...extraTokenData };
    await meteorHarness.usersCollection().updateOne(
      { _id: userId },
      { $set: { 'services.password.reset': record } },
    );
    return { email, token, user: await Meteor.users.findOneAsync({ _id: userId }) };
  },

  async generateVerificationToken(userId: string, address: string) {
    const token = randomBytes(32).toString('base64url');
    await meteorHarness.usersCollection().updateOne(
      { _id: userId },
      {
        $push: { 'services.email.verificationTokens': { token, address, when: new Date() } },
      } as never,
    );
    return { email: address, token, user: await Meteor.users.findOneAsync({ _id: userId }) };
  },

  /** Replaces the hash and drops any reset record; `logout` drops Meteor's login tokens. */
  async setPasswordAsync(userId: string, password: string, options: { logout?: boolean } = {}) {
    const unset: Record<string, ''> = { 'services.password.reset': '' };
    if (options.logout !== false) unset['services.resume.loginTokens'] = '';
    await meteorHarness.usersCollection().updateOne(
      { _id: userId },
      {
        $set: { 'services.password': await hashMeteorPassword(password, { bcryptRounds: 4 }) },
        $unset: unset,
      },
    );
  },
};

export const accountsHarness = {
  passwordChecks: (): readonly string[] => [...passwordChecks],
  reset(): void {
    passwordChecks.length = 0;
  },
};
