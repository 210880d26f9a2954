/**
 * Self-service writes on a Meteor `users` collection: sign-up as `Accounts.createUser` stores
 * users, reset and verification tokens where accounts-password keeps them. Every token is used
 * by an update whose filter names the token, so two racing uses cannot both succeed.
 */
import type { Collection, Filter } from 'mongodb';

import {
  judgeResetToken,
  judgeVerificationToken,
  newToken,
  RESET_REASON,
  type ResetTokenRecord,
  type TokenHolderDocument,
  tokensWithoutAddress,
  type VerificationTokenRecord,
  withAddressVerified,
} from './accountTokens';
import { hashMeteorPassword } from './meteorPassword';
import { newMeteorUserDocument, toAccountUser, type MeteorUserDocument } from './meteorUsers';
import {
  AccountExistsError,
  type AccountUser,
  type ResetOutcome,
  type SelfServiceAccounts,
  type TokenCheck,
  type VerifyOutcome,
} from './port';

type TokenHolder = TokenHolderDocument & Omit<MeteorUserDocument, 'services' | 'emails'>;

export interface MongoSelfServiceDeps {
  users: Collection<MeteorUserDocument>;
  findUserDocument(identifier: string): Promise<MeteorUserDocument | null>;
  insertUser(doc: MeteorUserDocument): Promise<string>;
  isDuplicate(error: unknown): boolean;
}

const RESET_TOKEN_FIELD = 'services.password.reset.token';
const VERIFY_TOKEN_FIELD = 'services.email.verificationTokens.token';

export function createMongoSelfService(deps: MongoSelfServiceDeps): SelfServiceAccounts {
  const users = deps.users as unknown as Collection<TokenHolder>;

  async function createUser(input: { email: string; password: string }): Promise<AccountUser> {
    const doc = await newMeteorUserDocument({ email: input.email, password: input.password });
    try {
      await deps.insertUser(doc);
    } catch (error) {
      if (deps.isDuplicate(error)) throw new AccountExistsError();
      throw error;
    }
    return toAccountUser(doc);
  }

  async function findByEmail(email: string): Promise<AccountUser | null> {
    if (!email.includes('@')) return null;
    const doc = await deps.findUserDocument(email);
    return doc === null ? null : toAccountUser(doc);
  }

  async function issueResetToken(userId: string, email: string, returnTo?: string) {
    const record: ResetTokenRecord = {
      token: newToken(),
      email,
      when: new Date(),
      reason: RESET_REASON,
    };
    if (returnTo !== undefined) record.returnTo = returnTo;
    await users.updateOne({ _id: userId }, { $set: { 'services.password.reset': record } });
    return record.token;
  }

  async function findByResetToken(token: string) {
    return users.findOne({ [RESET_TOKEN_FIELD]: token } as Filter<TokenHolder>);
  }

  async function inspectResetToken(token: string, maxAgeSeconds: number): Promise<TokenCheck> {
    const doc = await findByResetToken(token);
    const judged = judgeResetToken(doc, token, maxAgeSeconds);
    return judged.ok ? { ok: true, userId: doc!._id } : judged;
  }

  async function resetPassword(
    token: string,
    password: string,
    maxAgeSeconds: number,
  ): Promise<ResetOutcome> {
    const doc = await findByResetToken(token);
    const judged = judgeResetToken(doc, token, maxAgeSeconds);
    if (!judged.ok || !doc) return judged.ok ? { ok: false, reason: 'unknown' } : judged;
    const { record } = judged;

    // Replacing `services.password` whole drops the reset record and any older hash at once;
    // the login tokens go too, as Meteor signs every other session out after a reset.
    const emails = withAddressVerified(doc.emails, record.email);
    const result = await users.updateOne(
      { _id: doc._id, [RESET_TOKEN_FIELD]: token } as Filter<TokenHolder>,
      {
        $set: { 'services.password': await hashMeteorPassword(password), emails },
        $unset: { 'services.resume.loginTokens': '' },
      },
    );
    if (result.modifiedCount !== 1) return { ok: false, reason: 'unknown' };

    const user = toAccountUser({ ...(doc as MeteorUserDocument), emails });
    if (record.returnTo === undefined) return { ok: true, user };
    return { ok: true, user, returnTo: record.returnTo };
  }

  async function issueVerificationToken(userId: string, address: string): Promise<string> {
    const record: VerificationTokenRecord = { token: newToken(), address, when: new Date() };
    await users.updateOne(
      { _id: userId },
      { $push: { 'services.email.verificationTokens': record } } as never,
    );
    return record.token;
  }

  async function verifyEmail(token: string, maxAgeSeconds: number): Promise<VerifyOutcome> {
    const doc = await users.findOne({ [VERIFY_TOKEN_FIELD]: token } as Filter<TokenHolder>);
    const judged = judgeVerificationToken(doc, token, maxAgeSeconds);
    if (!judged.ok || !doc) return judged.ok ? { ok: false, reason: 'unknown' } : judged;
    const { record } = judged;
    const tokens = doc.services?.email?.verificationTokens;

    // Whole arrays, not `emails.$` and `$pull`: FerretDB 1.24 implements neither as MongoDB does.
    const emails = withAddressVerified(doc.emails, record.address);
    const result = await users.updateOne(
      { _id: doc._id, [VERIFY_TOKEN_FIELD]: token } as Filter<TokenHolder>,
      {
        $set: {
          emails,
          'services.email.verificationTokens': tokensWithoutAddress(tokens, record.address),
        },
      },
    );
    if (result.modifiedCount !== 1) return { ok: false, reason: 'unknown' };
    return { ok: true, user: toAccountUser({ ...(doc as MeteorUserDocument), emails }) };
  }

  return {
    createUser,
    findByEmail,
    issueResetToken,
    inspectResetToken,
    resetPassword,
    issueVerificationToken,
    verifyEmail,
  };
}
