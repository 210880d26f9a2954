/**
 * The accounts port over a Meteor app's `users` collection, read with the official MongoDB
 * driver: the standalone host's adapter. Users are found the way Meteor's `loginWithPassword`
 * finds them and passwords are checked the way accounts-password checks them.
 */
import type { Collection, Db, Filter, FindOptions } from 'mongodb';

import {
  createMeteorPasswordChecker,
  type MeteorPasswordChecker,
} from './meteorPassword';
import { toAccountUser, type MeteorUserDocument } from './meteorUsers';
import { createMongoSelfService } from './mongoSelfService';
import type { AccountsPort, AccountUser } from './port';

export interface MongoAccountsOptions {
  /** Meteor's is `users`. */
  collectionName?: string;
  /** Defaults to Meteor's scheme with a bcrypt cost-10 dummy hash. */
  passwordChecker?: MeteorPasswordChecker;
}

export interface MongoAccounts extends AccountsPort {
  /** The document `loginWithPassword(identifier, …)` would check, or `null`. */
  findUserDocument(identifier: string): Promise<MeteorUserDocument | null>;

  /**
   * Inserts a document built by `newMeteorUserDocument`, refusing a username or e-mail address
   * that another user already has in any letter case, as `Accounts.createUser` does.
   */
  insertUser(doc: MeteorUserDocument): Promise<string>;

  /** Creates Meteor's indexes on `username` and `emails.address`; see `ensureUserIndexes`. */
  ensureIndexes(): Promise<UserIndexReport>;
}

/** The field a login identifier names: Meteor treats any string containing '@' as an e-mail. */
export type IdentifierField = 'username' | 'emails.address';

/** A username or e-mail address that another user already holds (in some letter case). */
export class DuplicateUserError extends Error {
  override name = 'DuplicateUserError';

  constructor(readonly field: IdentifierField) {
    super(`${field === 'username' ? 'Username' : 'Email'} already exists.`);
  }
}

export function identifierField(identifier: string): IdentifierField {
  return identifier.includes('@') ? 'emails.address' : 'username';
}

/** Escapes the characters that have a meaning in a regular expression, as Meteor does. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Every upper/lower-case spelling of `text`; characters without case stay as they are. */
export function casePermutations(text: string): string[] {
  let spellings = [''];
  for (const character of text) {
    const lower = character.toLowerCase();
    const upper = character.toUpperCase();
    const variants = lower === upper ? [character] : [lower, upper];
    spellings = spellings.flatMap((prefix) => variants.map((variant) => prefix + variant));
  }
  return spellings;
}

/** How many leading characters Meteor spells out in every case (16 prefixes at most). */
const CASE_PREFIX_LENGTH = 4;

/**
 * Meteor's selector for a case-insensitive match: the anchored, escaped value with the `i`
 * flag does the matching; the `$or` of case-sensitive prefix regexes in front of it lets
 * MongoDB narrow the search with the field's index, since an `i` regex cannot use one.
 * FerretDB 1.24 evaluates the same selector itself (flag `i` included), so it serves there too.
 */
export function caseInsensitiveSelector(
  field: IdentifierField,
  value: string,
): Filter<MeteorUserDocument> {
  const prefix = [...value].slice(0, CASE_PREFIX_LENGTH).join('');
  const prefixClauses = casePermutations(prefix).map((spelling) => ({
    [field]: new RegExp(`^${escapeRegExp(spelling)}`),
  }));
  return {
    $and: [{ $or: prefixClauses }, { [field]: new RegExp(`^${escapeRegExp(value)}$`, 'i') }],
  } as Filter<MeteorUserDocument>;
}

/** Only what the password check and the port need: never login tokens or reset tokens. */
const LOGIN_PROJECTION = {
  _id: 1,
  username: 1,
  emails: 1,
  profile: 1,
  'services.password.bcrypt': 1,
  'services.password.argon2': 1,
} as const;

const PROFILE_PROJECTION = { _id: 1, username: 1, emails: 1, profile: 1 } as const;

export function createMongoAccounts(db: Db, options: MongoAccountsOptions = {}): MongoAccounts {
  const users = db.collection<MeteorUserDocument>(options.collectionName ?? 'users');
  const checker = options.passwordChecker ?? createMeteorPasswordChecker();

  async function findUserDocument(identifier: string): Promise<MeteorUserDocument | null> {
    // Meteor's check accepts only a non-empty string; anything else could carry an operator.
    if (typeof identifier !== 'string' || identifier.length === 0) return null;
    return findByIdentifier(users, identifierField(identifier), identifier);
  }

  async function verifyPassword(identifier: string, password: string): Promise<AccountUser | null> {
    const doc = await findUserDocument(identifier);

    // No user means no `services`: the checker then compares against its dummy hash, so an
    // unknown user, a user without a password and a wrong password cost the same hashing.
    const matches = await checker.verify(doc?.services?.password, password);
    return matches && doc !== null ? toAccountUser(doc) : null;
  }

  async function findById(id: string): Promise<AccountUser | null> {
    if (typeof id !== 'string' || id.length === 0) return null;
    const doc = await users.findOne({ _id: id }, { projection: PROFILE_PROJECTION });
    return doc === null ? null : toAccountUser(doc);
  }

  const insertUser = (doc: MeteorUserDocument) => insertCheckingDuplicates(users, doc);
  return {
    verifyPassword,
    findById,
    findUserDocument,
    insertUser,
    ensureIndexes: () => ensureUserIndexes(users),
    selfService: createMongoSelfService({
      users,
      findUserDocument,
      insertUser,
      isDuplicate: (error) => error instanceof DuplicateUserError,
    }),
  };
}

/**
 * Meteor's `_findUserByQuery`: the exact value first; failing that, a case-insensitive match,
 * accepted only when exactly one user has it (two users spelled `Ada` and `ada` make `ADA`
 * ambiguous, and an ambiguous identifier signs nobody in).
 *
 * Both queries run together, so a user found exactly answers no sooner than an unknown one.
 */
async function findByIdentifier(
  users: Collection<MeteorUserDocument>,
  field: IdentifierField,
  value: string,
): Promise<MeteorUserDocument | null> {
  const options: FindOptions = { projection: LOGIN_PROJECTION };
  const [exact, candidates] = await Promise.all([
    users.findOne({ [field]: value } as Filter<MeteorUserDocument>, options),
    users.find(caseInsensitiveSelector(field, value), { ...options, limit: 2 }).toArray(),
  ]);

  if (exact !== null) return exact;
  return candidates.length === 1 ? (candidates[0] ?? null) : null;
}

/**
 * `Accounts.createUser`'s duplicate rule: no other user may hold the username or an address in
 * any letter case. Checked before the insert and again after it, because another instance may
 * have inserted the same name in between; an insert that then collides is removed again
 * (two racing inserts may both be, as in Meteor: neither user exists twice).
 */
async function insertCheckingDuplicates(
  users: Collection<MeteorUserDocument>,
  doc: MeteorUserDocument,
): Promise<string> {
  await assertNoCaseInsensitiveDuplicates(users, doc);

  try {
    await users.insertOne(doc);
  } catch (error) {
    // A unique index refused it: a racing insert won. FerretDB's E11000 does not name the
    // index, so ask the duplicate check which field it was; rethrow if it finds none.
    if (isDuplicateKeyError(error)) await assertNoCaseInsensitiveDuplicates(users, doc);
    throw error;
  }

  try {
    await assertNoCaseInsensitiveDuplicates(users, doc);
  } catch (error) {
    await users.deleteOne({ _id: doc._id });
    throw error;
  }
  return doc._id;
}

async function assertNoCaseInsensitiveDuplicates(
  users: Collection<MeteorUserDocument>,
  doc: MeteorUserDocument,
): Promise<void> {
  const claims: [IdentifierField, string][] = [];
  if (typeof doc.username === 'string') claims.push(['username', doc.username]);
  for (const email of doc.emails ?? []) claims.push(['emails.address', email.address]);

  for (const [field, value] of claims) {
    const holders = await users
      .find(caseInsensitiveSelector(field, value), { projection: { _id: 1 }, limit: 2 })
      .toArray();
    if (holders.some((holder) => holder._id !== doc._id)) throw new DuplicateUserError(field);
  }
}

function isDuplicateKeyError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  return (error as { code?: unknown }).code === 11000;
}

export interface IndexFlags {
  unique: boolean;
  sparse: boolean;
}

/** The flags the server reports for each identifier index after `ensureUserIndexes`. */
export type UserIndexReport = Record<IdentifierField, IndexFlags | undefined>;

/**
 * Meteor's indexes: `username` and `emails.address`, unique and sparse (many users may lack a
 * username or an address). Returns what the server says it built, which is not always what
 * was asked: FerretDB 1.24 accepts `sparse` but does not keep the flag (it lets many documents
 * lack the field all the same), and does not enforce uniqueness across the elements of an
 * array such as `emails`; there `insertUser`'s own check is what keeps addresses unique.
 */
export async function ensureUserIndexes(
  users: Collection<MeteorUserDocument>,
): Promise<UserIndexReport> {
  await users.createIndex({ username: 1 }, { unique: true, sparse: true });
  await users.createIndex({ 'emails.address': 1 }, { unique: true, sparse: true });

  const indexes = await users.listIndexes().toArray();
  const flagsOf = (field: IdentifierField): IndexFlags | undefined => {
    const index = indexes.find((candidate) => {
      const keys = Object.keys(candidate.key ?? {});
      return keys.length === 1 && keys[0] === field;
    });
    return index && { unique: index.unique === true, sparse: index.sparse === true };
  };
  return { username: flagsOf('username'), 'emails.address': flagsOf('emails.address') };
}
