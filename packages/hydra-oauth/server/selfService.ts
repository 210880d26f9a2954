import { Accounts } from 'meteor/accounts-base';
import { Meteor } from 'meteor/meteor';

import {
  judgeResetToken,
  judgeVerificationToken,
  RESET_REASON,
  type TokenHolderDocument,
  tokensWithoutAddress,
  withAddressVerified,
} from '../lib/accounts/accountTokens';
import { toAccountUser } from '../lib/accounts/meteorUsers';
import { AccountExistsError, type AccountUser, type SelfServiceAccounts } from '../lib';

const RESET_TOKEN_FIELD = 'services.password.reset.token';
const VERIFY_TOKEN_FIELD = 'services.email.verificationTokens.token';
const TOKEN_FIELDS = {
  _id: 1,
  username: 1,
  emails: 1,
  profile: 1,
  'services.password.reset': 1,
  'services.email': 1,
} as const;

/**
 * Self-service on Meteor Accounts: users are created by `Accounts.createUserAsync` (so the
 * app's `onCreateUser` and validation hooks run) and tokens are issued by accounts-password
 * itself. Tokens are used up here rather than by Meteor's `resetPassword`/`verifyEmail`
 * methods, which log a DDP connection in and cannot run from an HTTP request; each use is an
 * update filtered by the token, so it succeeds once.
 */
export function createMeteorSelfService(): SelfServiceAccounts {
  const findByToken = (field: string, token: string) =>
    Meteor.users.findOneAsync({ [field]: token }, { fields: TOKEN_FIELDS }) as Promise<
      TokenHolderDocument | undefined
    >;

  return {
    async createUser({ email, password }) {
      const id = await createOrRefuse(email, password);
      const user = await Meteor.users.findOneAsync({ _id: id }, { fields: TOKEN_FIELDS });
      if (!user) throw new Error('the new user vanished before it could be read');
      return asAccountUser(user as TokenHolderDocument);
    },

    async findByEmail(email) {
      const user = await Accounts.findUserByEmail(email, { fields: TOKEN_FIELDS });
      return user ? asAccountUser(user as TokenHolderDocument) : null;
    },

    async issueResetToken(userId, email, returnTo) {
      const extra = returnTo === undefined ? undefined : { returnTo };
      return (await Accounts.generateResetToken(userId, email, RESET_REASON, extra)).token;
    },

    async inspectResetToken(token, maxAgeSeconds) {
      const doc = await findByToken(RESET_TOKEN_FIELD, token);
      const judged = judgeResetToken(doc, token, maxAgeSeconds);
      return judged.ok ? { ok: true, userId: doc!._id } : judged;
    },

    async resetPassword(token, password, maxAgeSeconds) {
      const doc = await findByToken(RESET_TOKEN_FIELD, token);
      const judged = judgeResetToken(doc, token, maxAgeSeconds);
      if (!judged.ok || !doc) return judged.ok ? { ok: false, reason: 'unknown' } : judged;

      // Claim the token first: of two racing submits only one finds it still there.
      const emails = withAddressVerified(doc.emails, judged.record.email);
      const claimed = await Meteor.users.updateAsync(
        { _id: doc._id, [RESET_TOKEN_FIELD]: token },
        { $unset: { 'services.password.reset': 1 }, $set: { emails } },
      );
      if (claimed !== 1) return { ok: false, reason: 'unknown' };
      await Accounts.setPasswordAsync(doc._id, password, { logout: true });

      const user = asAccountUser({ ...doc, emails });
      const { returnTo } = judged.record;
      return returnTo === undefined ? { ok: true, user } : { ok: true, user, returnTo };
    },

    async issueVerificationToken(userId, address) {
      return (await Accounts.generateVerificationToken(userId, address)).token;
    },

    async verifyEmail(token, maxAgeSeconds) {
      const doc = await findByToken(VERIFY_TOKEN_FIELD, token);
      const judged = judgeVerificationToken(doc, token, maxAgeSeconds);
      if (!judged.ok || !doc) return judged.ok ? { ok: false, reason: 'unknown' } : judged;

      const { address } = judged.record;
      const emails = withAddressVerified(doc.emails, address);
      const tokens = tokensWithoutAddress(doc.services?.email?.verificationTokens, address);
      const updated = await Meteor.users.updateAsync(
        { _id: doc._id, [VERIFY_TOKEN_FIELD]: token },
        { $set: { emails, 'services.email.verificationTokens': tokens } },
      );
      if (updated !== 1) return { ok: false, reason: 'unknown' };
      return { ok: true, user: asAccountUser({ ...doc, emails }) };
    },
  };
}

/** Meteor refuses a taken address with a 403 "Email already exists."; that one becomes ours. */
async function createOrRefuse(email: string, password: string): Promise<string> {
  try {
    return await Accounts.createUserAsync({ email, password });
  } catch (error) {
    if (error instanceof Meteor.Error && /already exists/i.test(String(error.reason))) {
      throw new AccountExistsError();
    }
    throw error;
  }
}

function asAccountUser(doc: TokenHolderDocument): AccountUser {
  return toAccountUser({ ...doc, createdAt: new Date(0) } as never);
}
