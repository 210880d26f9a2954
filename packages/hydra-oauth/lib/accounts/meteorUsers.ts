/**
 * The shape of a document in a Meteor app's `users` collection, and the two ways across the
 * boundary: reading one into the port's `AccountUser`, and building one as
 * `Accounts.createUser` would (for seeding and sign-up).
 */
import { randomBytes } from 'node:crypto';

import {
  hashMeteorPassword,
  type MeteorPasswordService,
  type PasswordAlgorithm,
} from './meteorPassword';
import type { AccountUser, UserEmail } from './port';

export interface MeteorUserEmail {
  address: string;
  verified: boolean;
}

/** Meteor's free-form profile; by convention `name` holds the display name. */
export interface MeteorUserProfile {
  name?: string;
  [field: string]: unknown;
}

export interface MeteorUserDocument {
  _id: string;
  createdAt: Date;
  username?: string;
  emails?: MeteorUserEmail[];
  services?: {
    password?: MeteorPasswordService;
    [service: string]: unknown;
  };
  profile?: MeteorUserProfile;
}

/** The alphabet of Meteor's `Random.id()`: no 0/1/O/I/l/V/U, so ids read back unambiguously. */
export const METEOR_ID_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTWXYZabcdefghijkmnopqrstuvwxyz';
export const METEOR_ID_LENGTH = 17;

/**
 * A new `_id` shaped like Meteor's, from the CSPRNG. Bytes at or above the largest multiple of
 * the alphabet's size are skipped, so every character is equally likely (no modulo bias).
 */
export function generateMeteorId(length: number = METEOR_ID_LENGTH): string {
  const alphabetSize = METEOR_ID_ALPHABET.length;
  const unbiasedLimit = 256 - (256 % alphabetSize);

  let id = '';
  while (id.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < unbiasedLimit && id.length < length) id += METEOR_ID_ALPHABET[byte % alphabetSize];
    }
  }
  return id;
}

/**
 * The user as the identity provider sees it. Documents come from a database other code also
 * writes, so every field's type is checked; `services` (hashes, login tokens) never crosses.
 */
export function toAccountUser(doc: MeteorUserDocument): AccountUser {
  const user: AccountUser = { id: doc._id, emails: readEmails(doc.emails) };
  if (typeof doc.username === 'string') user.username = doc.username;

  const profile = readNameFields(doc.profile);
  if (profile !== undefined) user.profile = profile;
  return user;
}

function readEmails(emails: unknown): UserEmail[] {
  if (!Array.isArray(emails)) return [];
  return emails
    .filter((entry): entry is { address: string; verified?: unknown } =>
      typeof entry === 'object' && entry !== null && typeof entry.address === 'string')
    .map((entry) => ({ address: entry.address, verified: entry.verified === true }));
}

function readNameFields(profile: unknown): AccountUser['profile'] {
  if (typeof profile !== 'object' || profile === null) return undefined;

  const source = profile as Record<string, unknown>;
  const names: NonNullable<AccountUser['profile']> = {};
  for (const field of ['name', 'givenName', 'familyName'] as const) {
    const value = source[field];
    if (typeof value === 'string') names[field] = value;
  }
  return Object.keys(names).length > 0 ? names : undefined;
}

export interface NewMeteorUserInput {
  email?: string;
  username?: string;
  /** Empty or absent: the user gets no password, as with Meteor's `createUser`. */
  password?: string;
  /** Stored as `profile.name`, where Meteor's default `onCreateUser` keeps `options.profile`. */
  name?: string;
  /** Meteor always writes `false`; seeding may want a verified address. */
  verified?: boolean;
  algorithm?: PasswordAlgorithm;
  bcryptRounds?: number;
}

/** `newMeteorUserDocument` was called with neither an e-mail address nor a username. */
export class MissingIdentifierError extends Error {
  override name = 'MissingIdentifierError';

  constructor() {
    super('a new user needs a username or an e-mail address');
  }
}

/**
 * The document `Accounts.createUser` inserts: `createdAt`, `_id`, `services` (with
 * `password` when one was given), then `username` and `emails` when given, then `profile`.
 * Meteor's case-insensitive duplicate checks happen on insert (see the Mongo adapter).
 */
export async function newMeteorUserDocument(
  input: NewMeteorUserInput,
): Promise<MeteorUserDocument> {
  const { email, username, password, name } = input;
  if (!email && !username) throw new MissingIdentifierError();

  const services: NonNullable<MeteorUserDocument['services']> = {};
  if (password) {
    services.password = await hashMeteorPassword(password, {
      algorithm: input.algorithm ?? 'bcrypt',
      bcryptRounds: input.bcryptRounds,
    });
  }

  const doc: MeteorUserDocument = { createdAt: new Date(), _id: generateMeteorId(), services };
  if (username) doc.username = username;
  if (email) doc.emails = [{ address: email, verified: input.verified ?? false }];
  if (name) doc.profile = { name };
  return doc;
}
