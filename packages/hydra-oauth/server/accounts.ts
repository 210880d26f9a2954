import type { Accounts as AccountsApi } from 'meteor/accounts-base';
import type { Meteor } from 'meteor/meteor';

import {
  DUMMY_ARGON2_HASH,
  DUMMY_BCRYPT_HASH,
  METEOR_BCRYPT_ROUNDS,
  METEOR_PASSWORD_MAX_LENGTH,
  createDummyHash,
  meteorPasswordDigest,
  recogniseStoredHash,
  storedHashOf,
  verifyWithNativeHasher,
  type StoredHash,
} from '../lib/accounts/meteorPassword';
import { toAccountUser } from '../lib/accounts/meteorUsers';
import { identifierField } from '../lib/accounts/mongoAccounts';
import type { AccountsPort, AccountUser } from '../lib';
import { createMeteorSelfService } from './selfService';

type MeteorAccounts = typeof AccountsApi;
type MeteorUsers = Pick<typeof Meteor.users, 'findOneAsync'>;

/** `_checkPasswordAsync` reads `_id` and `services`; the port's user needs the rest. */
const LOGIN_FIELDS = {
  _id: 1,
  username: 1,
  emails: 1,
  profile: 1,
  'services.password': 1,
} as const;

const PROFILE_FIELDS = { _id: 1, username: 1, emails: 1, profile: 1 } as const;

/**
 * The accounts port on Meteor Accounts. Users are found as `Meteor.loginWithPassword` finds
 * them and passwords are checked by accounts-password itself, so hashing rules (argon2,
 * re-hashing at a new cost) stay Meteor's.
 */
export function createMeteorAccountsPort(accounts: MeteorAccounts, users: MeteorUsers) {
  const dummyHash = memoise(() => dummyHashLike(accounts));

  // A failed check costs what `_checkPasswordAsync` costs: one SHA-256 and one comparison
  // against a hash of the scheme and cost Meteor itself writes.
  async function doFailedCheckWork(password: string): Promise<null> {
    await verifyWithNativeHasher(await dummyHash(), meteorPasswordDigest(password));
    return null;
  }

  async function verifyPassword(identifier: string, password: string) {
    if (!isCheckableInput(identifier, password)) return null;

    const user = await findUserByIdentifier(accounts, identifier);
    // `_checkPasswordAsync` throws on a user without a hash; an empty password never signs
    // anyone in on Meteor. Both take the dummy path, as an unknown user does.
    if (!user || !hasPasswordHash(user) || password === '') return doFailedCheckWork(password);

    const result = await accounts._checkPasswordAsync(user, password);
    return result.error === undefined ? asAccountUser(user) : null;
  }

  async function findById(id: string): Promise<AccountUser | null> {
    if (typeof id !== 'string' || id === '') return null;
    const user = await users.findOneAsync({ _id: id }, { fields: PROFILE_FIELDS });
    return user ? asAccountUser(user) : null;
  }

  const selfService = createMeteorSelfService();
  return { verifyPassword, findById, selfService } satisfies AccountsPort;
}

/** Meteor treats an identifier with '@' as an e-mail address, anything else as a username. */
function findUserByIdentifier(accounts: MeteorAccounts, identifier: string) {
  return identifierField(identifier) === 'emails.address'
    ? accounts.findUserByEmail(identifier, { fields: LOGIN_FIELDS })
    : accounts.findUserByUsername(identifier, { fields: LOGIN_FIELDS });
}

/** Refused before any lookup or hashing, whoever the user is: timing tells nothing here. */
function isCheckableInput(identifier: unknown, password: unknown): password is string {
  if (typeof identifier !== 'string' || identifier === '') return false;
  return typeof password === 'string' && password.length <= METEOR_PASSWORD_MAX_LENGTH;
}

function hasPasswordHash(user: Meteor.User): boolean {
  return storedHashOf(user.services?.password) !== undefined;
}

function asAccountUser(user: Meteor.User): AccountUser {
  // `createdAt` is outside the projection and not read by the conversion.
  return toAccountUser({ ...user, createdAt: user.createdAt ?? new Date(0) });
}

/**
 * A hash of the scheme new Meteor hashes use: argon2 when the app enabled it, else bcrypt at
 * the app's cost. A dummy of another cost would let timing tell unknown users apart.
 */
async function dummyHashLike(accounts: MeteorAccounts): Promise<StoredHash> {
  if (accounts._argon2Enabled?.() === true) return recognised(DUMMY_ARGON2_HASH);

  const rounds = accounts._bcryptRounds?.() ?? METEOR_BCRYPT_ROUNDS;
  if (rounds === METEOR_BCRYPT_ROUNDS) return recognised(DUMMY_BCRYPT_HASH);
  return recognised(await createDummyHash({ bcryptRounds: rounds }));
}

function recognised(hash: string): StoredHash {
  const stored = recogniseStoredHash(hash);
  if (!stored) throw new TypeError('the dummy hash is neither bcrypt nor argon2');
  return stored;
}

function memoise<T>(make: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => (pending ??= make());
}
