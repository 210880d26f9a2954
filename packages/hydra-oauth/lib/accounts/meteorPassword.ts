/**
 * Meteor accounts-password's storage scheme, so the identity provider can check the passwords a
 * Meteor app stored and store new ones that the app accepts.
 *
 * A password never reaches the hash function as typed: Meteor first takes the lower-case hex
 * SHA-256 of it (the client does this before sending), and stores
 * `services.password.bcrypt` = bcrypt(digest), or since Meteor 3.2, when `argon2Enabled` is set,
 * `services.password.argon2` = argon2(digest).
 */
import { createHash, randomBytes } from 'node:crypto';

import * as argon2 from 'argon2';
import bcrypt from 'bcrypt';
import createDebug from 'debug';

const log = createDebug('hydra-oauth:accounts');

/** Meteor's default for `Meteor.settings.packages.accounts.passwordMaxLength`. */
export const METEOR_PASSWORD_MAX_LENGTH = 256;

/** Meteor's default for `Accounts.config({ bcryptRounds })`. */
export const METEOR_BCRYPT_ROUNDS = 10;

/**
 * Meteor's argon2 defaults (accounts-password `password_server.js`, Meteor 3.2+): argon2id,
 * 2 passes, 19456 KiB (19 MiB), one lane — the OWASP minimum for argon2id.
 */
export const METEOR_ARGON2_PARAMETERS: Readonly<Argon2Parameters> = Object.freeze({
  type: 'argon2id',
  timeCost: 2,
  memoryCost: 19456,
  parallelism: 1,
});

export interface Argon2Parameters {
  type: 'argon2id' | 'argon2i' | 'argon2d';
  timeCost: number;
  memoryCost: number;
  parallelism: number;
}

/** `services.password` of a Meteor user document (other keys, e.g. `reset`, are kept as is). */
export interface MeteorPasswordService {
  bcrypt?: string;
  argon2?: string;
  [other: string]: unknown;
}

export type PasswordAlgorithm = 'bcrypt' | 'argon2';

export interface HashPasswordOptions {
  algorithm?: PasswordAlgorithm;
  /** bcrypt cost; Meteor's default is 10. */
  bcryptRounds?: number;
  /** argon2 parameters; Meteor's defaults where omitted. */
  argon2?: Partial<Argon2Parameters>;
  maxLength?: number;
}

export type HashedMeteorPassword = { bcrypt: string } | { argon2: string };

/** A stored hash whose scheme we recognised. */
export interface StoredHash {
  scheme: PasswordAlgorithm;
  hash: string;
}

/** Compares one digest against one stored hash; injectable so tests can watch the work done. */
export type HashVerifier = (stored: StoredHash, digest: string) => Promise<boolean>;

/** A password that may not be hashed for storage. */
export class PasswordInputError extends Error {
  override name = 'PasswordInputError';
}

export class EmptyPasswordError extends PasswordInputError {
  override name = 'EmptyPasswordError';

  constructor() {
    super('password is empty');
  }
}

export class PasswordTooLongError extends PasswordInputError {
  override name = 'PasswordTooLongError';

  constructor(readonly maxLength: number) {
    super(`password is longer than ${maxLength} characters`);
  }
}

/** The hashing library failed on a hash that looked well-formed: an operator problem. */
export class PasswordVerificationError extends Error {
  override name = 'PasswordVerificationError';
}

/**
 * Meteor's own SHA-256 of a password, as every released Meteor computes it on client and
 * server. Its hand-written UTF-8 encoder works on UTF-16 code units, so a character outside the
 * Basic Multilingual Plane (an emoji) becomes two 3-byte sequences (CESU-8) instead of one
 * 4-byte sequence. For every other string this equals the SHA-256 of the UTF-8 bytes.
 */
export function meteorPasswordDigest(plaintext: string): string {
  return sha256Hex(encodeCodeUnitsAsUtf8(plaintext));
}

/** SHA-256 of the standard UTF-8 bytes, as Meteor's native-crypto `sha` package computes it. */
export function utf8PasswordDigest(plaintext: string): string {
  return sha256Hex(Buffer.from(plaintext, 'utf8'));
}

/**
 * The digests a stored hash may have been made from. Only passwords with astral characters
 * have two; the count depends on the password alone, so a real check and the dummy check of
 * the same password do the same work.
 */
export function candidateDigests(plaintext: string): string[] {
  const meteorDigest = meteorPasswordDigest(plaintext);
  const utf8Digest = utf8PasswordDigest(plaintext);
  return meteorDigest === utf8Digest ? [meteorDigest] : [meteorDigest, utf8Digest];
}

function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function encodeCodeUnitsAsUtf8(text: string): Buffer {
  const bytes: number[] = [];
  for (let index = 0; index < text.length; index += 1) {
    const unit = text.charCodeAt(index);
    if (unit < 0x80) {
      bytes.push(unit);
    } else if (unit < 0x800) {
      bytes.push(0xc0 | (unit >> 6), 0x80 | (unit & 0x3f));
    } else {
      bytes.push(0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f));
    }
  }
  return Buffer.from(bytes);
}

const BCRYPT_HASH = /^\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53}$/;
const ARGON2_HASH =
  /^\$argon2(?:id|i|d)\$(?:v=\d+\$)?[a-z]+=\d+(?:,[a-z]+=\d+)*\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/;

/** Which scheme made this hash, or `undefined` when it is neither a bcrypt nor an argon2 hash. */
export function recogniseStoredHash(hash: string): StoredHash | undefined {
  if (BCRYPT_HASH.test(hash)) return { scheme: 'bcrypt', hash };
  if (ARGON2_HASH.test(hash)) return { scheme: 'argon2', hash };
  return undefined;
}

/**
 * The hash Meteor would check: `argon2` wins over `bcrypt` when both are set, exactly as
 * accounts-password picks it. `undefined` when the user has no password or an unreadable one.
 */
export function storedHashOf(service: unknown): StoredHash | undefined {
  if (typeof service !== 'object' || service === null) return undefined;

  const { argon2: argon2Hash, bcrypt: bcryptHash } = service as MeteorPasswordService;
  const chosen = nonEmptyString(argon2Hash) ?? nonEmptyString(bcryptHash);
  return chosen === undefined ? undefined : recogniseStoredHash(chosen);
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/**
 * Runs the native bcrypt or argon2 comparison; both run on libuv's thread pool, not the event
 * loop. `$2y$` (PHP's name for the same algorithm) is read as `$2b$`, which the bcrypt package
 * does not accept under its own name.
 */
export const verifyWithNativeHasher: HashVerifier = async (stored, digest) => {
  try {
    if (stored.scheme === 'argon2') return await argon2.verify(stored.hash, digest);
    return await bcrypt.compare(digest, stored.hash.replace(/^\$2y\$/, '$2b$'));
  } catch (cause) {
    throw new PasswordVerificationError(`${stored.scheme} could not read a stored hash`, {
      cause,
    });
  }
};

/**
 * A bcrypt hash (cost 10, Meteor's default) of a digest whose password was thrown away: the
 * target of the dummy check. Nothing can match it, and its result is ignored anyway.
 */
export const DUMMY_BCRYPT_HASH = '$2b$10$gg6NihEMu7W0oSSN8MsWHe0xfsgzEkF3YiBZmbLwNKUQn5ZZ3T5Ji';

/** The same with Meteor's default argon2 parameters, for apps that set `argon2Enabled`. */
export const DUMMY_ARGON2_HASH =
  '$argon2id$v=19$m=19456,t=2,p=1$Pye9ChFsE9jfCjbdl+Fpxg$' +
  'QtQclwNkhPOmYaYCwO8ZF4FYXq5B2WENYh7qStUzxNU';

export interface PasswordCheckerOptions {
  /**
   * The hash the dummy check compares against. Pick the scheme and cost most users' hashes
   * have (see `createDummyHash`), or an unknown user answers faster than a known one.
   */
  dummyHash?: string;
  verifyHash?: HashVerifier;
  maxLength?: number;
}

export interface MeteorPasswordChecker {
  /**
   * Whether `plaintext` is the password stored in `service` (a user's `services.password`).
   * No service, no usable hash or an empty password: the dummy check runs and the answer is
   * `false`. A password over the length cap is refused before any hashing, as Meteor does.
   */
  verify(service: unknown, plaintext: string): Promise<boolean>;

  /** Does the hashing work of a failed check against the dummy hash; always `false`. */
  checkAgainstDummyHash(plaintext: string): Promise<false>;
}

export function createMeteorPasswordChecker(
  options: PasswordCheckerOptions = {},
): MeteorPasswordChecker {
  const verifyHash = options.verifyHash ?? verifyWithNativeHasher;
  const maxLength = options.maxLength ?? METEOR_PASSWORD_MAX_LENGTH;
  const dummy = recogniseDummyHash(options.dummyHash ?? DUMMY_BCRYPT_HASH);

  // Every candidate digest is compared even after a failure, so that the work done depends on
  // the password typed and never on what is stored.
  async function checkAgainstDummyHash(plaintext: string): Promise<false> {
    for (const digest of candidateDigests(plaintext)) await verifyHash(dummy, digest);
    return false;
  }

  async function matchesStoredHash(stored: StoredHash, plaintext: string): Promise<boolean> {
    let matched = false;
    for (const digest of candidateDigests(plaintext)) {
      if (await verifyHash(stored, digest)) matched = true;
    }
    return matched;
  }

  async function verify(service: unknown, plaintext: string): Promise<boolean> {
    if (!isWithinLengthCap(plaintext, maxLength)) return false;

    const stored = storedHashOf(service);
    if (stored === undefined) {
      if (hasPasswordField(service)) log('event=password_hash_unreadable');
      return checkAgainstDummyHash(plaintext);
    }

    // Meteor never logs anyone in with an empty password (its handler ignores the attempt).
    if (plaintext.length === 0) return checkAgainstDummyHash(plaintext);

    return matchesStoredHash(stored, plaintext);
  }

  return { verify, checkAgainstDummyHash };
}

function recogniseDummyHash(hash: string): StoredHash {
  const dummy = recogniseStoredHash(hash);
  if (dummy === undefined) throw new TypeError('dummyHash is neither a bcrypt nor an argon2 hash');
  return dummy;
}

/** Typed input only; the cap counts UTF-16 code units, as Meteor's `str.length` does. */
function isWithinLengthCap(plaintext: unknown, maxLength: number): plaintext is string {
  return typeof plaintext === 'string' && plaintext.length <= maxLength;
}

function hasPasswordField(service: unknown): boolean {
  if (typeof service !== 'object' || service === null) return false;
  const { argon2: argon2Hash, bcrypt: bcryptHash } = service as MeteorPasswordService;
  return argon2Hash !== undefined || bcryptHash !== undefined;
}

const defaultChecker = createMeteorPasswordChecker();

/** `createMeteorPasswordChecker().verify` with Meteor's defaults (bcrypt cost-10 dummy hash). */
export function verifyMeteorPassword(service: unknown, plaintext: string): Promise<boolean> {
  return defaultChecker.verify(service, plaintext);
}

/** The work of a failed check when there is no user or no hash to check against. */
export function checkAgainstDummyHash(plaintext: string): Promise<false> {
  return defaultChecker.checkAgainstDummyHash(plaintext);
}

/**
 * Hashes a password for `services.password` as Meteor's `Accounts.createUser` and
 * `Accounts.setPasswordAsync` do: bcrypt (default, cost 10) or argon2 of Meteor's digest.
 */
export async function hashMeteorPassword(
  plaintext: string,
  options: HashPasswordOptions = {},
): Promise<HashedMeteorPassword> {
  assertHashablePassword(plaintext, options.maxLength ?? METEOR_PASSWORD_MAX_LENGTH);
  const digest = meteorPasswordDigest(plaintext);

  if (options.algorithm === 'argon2') {
    const parameters = { ...METEOR_ARGON2_PARAMETERS, ...options.argon2 };
    return { argon2: await hashWithArgon2(digest, parameters) };
  }
  return { bcrypt: await bcrypt.hash(digest, bcryptRoundsOrDefault(options.bcryptRounds)) };
}

/** A dummy hash for `createMeteorPasswordChecker` matching a non-default cost. */
export async function createDummyHash(options: HashPasswordOptions = {}): Promise<string> {
  const hashed = await hashMeteorPassword(randomThrowawayPassword(), options);
  return 'bcrypt' in hashed ? hashed.bcrypt : hashed.argon2;
}

function randomThrowawayPassword(): string {
  return randomBytes(32).toString('hex');
}

function assertHashablePassword(plaintext: unknown, maxLength: number): void {
  if (typeof plaintext !== 'string' || plaintext.length === 0) throw new EmptyPasswordError();
  if (plaintext.length > maxLength) throw new PasswordTooLongError(maxLength);
}

function bcryptRoundsOrDefault(rounds: number | undefined): number {
  if (rounds === undefined) return METEOR_BCRYPT_ROUNDS;
  if (!Number.isInteger(rounds) || rounds < 4 || rounds > 31) {
    throw new RangeError('bcryptRounds must be an integer from 4 to 31');
  }
  return rounds;
}

const ARGON2_TYPES = {
  argon2d: argon2.argon2d,
  argon2i: argon2.argon2i,
  argon2id: argon2.argon2id,
} as const;

async function hashWithArgon2(digest: string, parameters: Argon2Parameters): Promise<string> {
  const hash = await argon2.hash(digest, {
    type: ARGON2_TYPES[parameters.type],
    timeCost: parameters.timeCost,
    memoryCost: parameters.memoryCost,
    parallelism: parameters.parallelism,
  });
  return withCanonicalParameterOrder(hash);
}

/**
 * Recent `argon2` releases write `m=…,p=…,t=…`, but the PHC format (and Meteor's own parser,
 * which reads the parameters before verifying and throws on any other order) wants `m,t,p`.
 */
export function withCanonicalParameterOrder(hash: string): string {
  return hash.replace(/\$m=(\d+),p=(\d+),t=(\d+)\$/, '$m=$1,t=$3,p=$2$');
}
