import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { expect } from 'chai';
import { type Collection, type Db, MongoClient } from 'mongodb';

import {
  createMeteorPasswordChecker,
  type MeteorPasswordChecker,
} from '../../packages/hydra-oauth/lib/accounts/meteorPassword';
import {
  newMeteorUserDocument,
  type MeteorUserDocument,
  type NewMeteorUserInput,
} from '../../packages/hydra-oauth/lib/accounts/meteorUsers';
import {
  createMongoAccounts,
  DuplicateUserError,
  type MongoAccounts,
  type UserIndexReport,
} from '../../packages/hydra-oauth/lib/accounts/mongoAccounts';
import { startFerretDb } from '../../scripts/stack/ferretdb';

type RunningFerretDb = Awaited<ReturnType<typeof startFerretDb>>;

/** Cost 4 keeps the suite fast; the cost a hash was made with does not change the lookup. */
function userInput(input: NewMeteorUserInput): NewMeteorUserInput {
  return { bcryptRounds: 4, ...input };
}

describe('Mongo accounts adapter on a real FerretDB', function () {
  this.timeout(120_000);

  let dataDir: string;
  let ferret: RunningFerretDb;
  let client: MongoClient;
  let db: Db;
  let users: Collection<MeteorUserDocument>;
  let accounts: MongoAccounts;
  const ids: Record<string, string> = {};
  let indexReport: UserIndexReport;

  /** Through the adapter, with Meteor's case-insensitive duplicate check. */
  async function createUser(key: string, input: NewMeteorUserInput): Promise<void> {
    ids[key] = await accounts.insertUser(await newMeteorUserDocument(userInput(input)));
  }

  /**
   * Straight into the collection, skipping the duplicate check: databases that predate
   * Meteor's check (or were written by other tools) can hold names differing only in case.
   */
  async function insertRaw(key: string, input: NewMeteorUserInput): Promise<void> {
    const doc = await newMeteorUserDocument(userInput(input));
    await users.insertOne(doc);
    ids[key] = doc._id;
  }

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'hydra-oauth-accounts-'));
    ferret = await startFerretDb({ dataDir, logFile: join(dataDir, 'ferretdb.log') });
    client = new MongoClient(ferret.url, { serverSelectionTimeoutMS: 10_000 });
    await client.connect();
    db = client.db('accounts_test');
    users = db.collection<MeteorUserDocument>('users');
    accounts = createMongoAccounts(db);

    indexReport = await accounts.ensureIndexes();
    await createUser('ada', {
      email: 'Ada@Example.com', username: 'ada', password: 'analytical engine',
      name: 'Ada Lovelace', verified: true,
    });
    await createUser('dotted', { username: 'dot.user', password: 'dots are literal' });
    await createUser('passwordless', { email: 'nopass@example.com', username: 'nopass' });
    await insertRaw('caseyUpper', { username: 'Casey', password: 'upper casey' });
    await insertRaw('caseyLower', { username: 'casey', password: 'lower casey' });
    await insertRaw('twinUpper', { email: 'Twin@example.com', password: 'upper twin' });
    await insertRaw('twinLower', { email: 'twin@example.com', password: 'lower twin' });
  });

  after(async () => {
    await client?.close();
    await ferret?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  describe('verifyPassword', () => {
    it('finds a user by the exact e-mail address and returns the port\'s view of it', async () => {
      expect(await accounts.verifyPassword('Ada@Example.com', 'analytical engine'))
        .to.deep.equal({
          id: ids.ada,
          username: 'ada',
          emails: [{ address: 'Ada@Example.com', verified: true }],
          profile: { name: 'Ada Lovelace' },
        });
    });

    it('finds a user by e-mail address typed in another case', async () => {
      const user = await accounts.verifyPassword('ada@EXAMPLE.COM', 'analytical engine');
      expect(user?.id).to.equal(ids.ada);
    });

    it('finds a user by username, exactly or in another case', async () => {
      expect((await accounts.verifyPassword('ada', 'analytical engine'))?.id).to.equal(ids.ada);
      expect((await accounts.verifyPassword('ADA', 'analytical engine'))?.id).to.equal(ids.ada);
    });

    it('treats regex characters in the identifier literally', async () => {
      expect((await accounts.verifyPassword('DOT.USER', 'dots are literal'))?.id)
        .to.equal(ids.dotted);
      expect(await accounts.verifyPassword('dotXuser', 'dots are literal')).to.equal(null);
      expect(await accounts.verifyPassword('dot.*', 'dots are literal')).to.equal(null);
    });

    it('prefers the exact spelling when two usernames differ only in case', async () => {
      expect((await accounts.verifyPassword('Casey', 'upper casey'))?.id)
        .to.equal(ids.caseyUpper);
      expect((await accounts.verifyPassword('casey', 'lower casey'))?.id)
        .to.equal(ids.caseyLower);
      expect(await accounts.verifyPassword('casey', 'upper casey')).to.equal(null);
    });

    it('signs nobody in when a case-insensitive username matches two users', async () => {
      expect(await accounts.verifyPassword('CASEY', 'upper casey')).to.equal(null);
      expect(await accounts.verifyPassword('CASEY', 'lower casey')).to.equal(null);
    });

    it('applies the same rule to e-mail addresses differing only in case', async () => {
      expect((await accounts.verifyPassword('Twin@example.com', 'upper twin'))?.id)
        .to.equal(ids.twinUpper);
      expect((await accounts.verifyPassword('twin@example.com', 'lower twin'))?.id)
        .to.equal(ids.twinLower);
      expect(await accounts.verifyPassword('TWIN@EXAMPLE.COM', 'upper twin')).to.equal(null);
    });

    it('answers null for an unknown username or e-mail address', async () => {
      expect(await accounts.verifyPassword('nobody', 'analytical engine')).to.equal(null);
      expect(await accounts.verifyPassword('nobody@example.com', 'x')).to.equal(null);
    });

    it('answers null for a user without a password', async () => {
      expect(await accounts.verifyPassword('nopass', '')).to.equal(null);
      expect(await accounts.verifyPassword('nopass@example.com', 'anything')).to.equal(null);
    });

    it('answers null for a wrong password', async () => {
      expect(await accounts.verifyPassword('ada', 'Analytical engine')).to.equal(null);
      expect(await accounts.verifyPassword('Ada@Example.com', '')).to.equal(null);
    });

    it('answers null for an identifier that is not a non-empty string', async () => {
      const operator = { $ne: null } as unknown as string;
      expect(await accounts.verifyPassword(operator, 'analytical engine')).to.equal(null);
      expect(await accounts.verifyPassword('', 'analytical engine')).to.equal(null);
    });

    it('hands an unknown user to the password checker, which does the dummy work', async () => {
      const seen: unknown[] = [];
      const real = createMeteorPasswordChecker();
      const checker: MeteorPasswordChecker = {
        verify: (service, plaintext) => {
          seen.push(service);
          return real.verify(service, plaintext);
        },
        checkAgainstDummyHash: real.checkAgainstDummyHash,
      };
      const watched = createMongoAccounts(db, { passwordChecker: checker });

      expect(await watched.verifyPassword('nobody', 'pw')).to.equal(null);
      expect(await watched.verifyPassword('nopass', 'pw')).to.equal(null);
      expect(seen).to.deep.equal([undefined, undefined]);
    });
  });

  describe('findUserDocument', () => {
    it('reads the password hash but never login tokens', async () => {
      await users.updateOne(
        { _id: ids.ada },
        { $set: { 'services.resume': { loginTokens: [{ hashedToken: 'h', when: new Date() }] } } },
      );
      const doc = await accounts.findUserDocument('ada');

      expect(Object.keys(doc?.services ?? {})).to.deep.equal(['password']);
      expect(doc?.services?.password?.bcrypt).to.match(/^\$2b\$04\$/);
    });
  });

  describe('findById', () => {
    it('finds a user by _id, then null once the user is deleted', async () => {
      await createUser('leaving', { email: 'leaving@example.com', password: 'bye for now' });
      const leavingId = ids.leaving ?? '';

      expect(await accounts.findById(leavingId)).to.deep.equal({
        id: leavingId,
        emails: [{ address: 'leaving@example.com', verified: false }],
      });
      await users.deleteOne({ _id: leavingId });
      expect(await accounts.findById(leavingId)).to.equal(null);
      expect(await accounts.verifyPassword('leaving@example.com', 'bye for now')).to.equal(null);
    });

    it('answers null for an unknown or malformed _id', async () => {
      expect(await accounts.findById('nosuchid234567890')).to.equal(null);
      expect(await accounts.findById({ $gt: '' } as unknown as string)).to.equal(null);
    });
  });

  describe('ensureIndexes', () => {
    it('reports the unique indexes FerretDB keeps (it drops the sparse flag)', () => {
      expect(indexReport).to.deep.equal({
        username: { unique: true, sparse: false },
        'emails.address': { unique: true, sparse: false },
      });
    });

    it('still lets many users lack a username, as a sparse index would', async () => {
      const twins = { _id: { $in: [ids.twinUpper ?? '', ids.twinLower ?? ''] } };
      expect(await users.countDocuments({ ...twins, username: { $exists: false } })).to.equal(2);
    });
  });

  describe('insertUser', () => {
    it('stores the document exactly as Accounts.createUser builds it', async () => {
      const stored = await users.findOne({ _id: ids.ada });
      expect(Object.keys(stored ?? {})).to.deep.equal(
        ['_id', 'createdAt', 'services', 'username', 'emails', 'profile']);
      expect(stored?.createdAt).to.be.instanceOf(Date);
    });

    it('refuses a username another user holds in another case', async () => {
      const doc = await newMeteorUserDocument(userInput({ username: 'ADA', password: 'x' }));
      const error = await accounts.insertUser(doc).then(() => undefined, (caught) => caught);

      expect(error).to.be.instanceOf(DuplicateUserError);
      expect((error as DuplicateUserError).field).to.equal('username');
      expect(await users.findOne({ _id: doc._id })).to.equal(null);
    });

    it('refuses an e-mail address another user already holds exactly', async () => {
      // FerretDB 1.24 does not enforce the unique index across array elements: only the
      // adapter's own check stands between two users and one address here.
      const doc = await newMeteorUserDocument(userInput({ email: 'Ada@Example.com' }));
      const error = await accounts.insertUser(doc).then(() => undefined, (caught) => caught);

      expect(error).to.be.instanceOf(DuplicateUserError);
      expect(await users.countDocuments({ 'emails.address': 'Ada@Example.com' })).to.equal(1);
    });

    it('refuses an e-mail address another user holds in another case', async () => {
      const doc = await newMeteorUserDocument(userInput({ email: 'ADA@example.COM' }));
      const error = await accounts.insertUser(doc).then(() => undefined, (caught) => caught);

      expect(error).to.be.instanceOf(DuplicateUserError);
      expect((error as DuplicateUserError).field).to.equal('emails.address');
    });
  });
});
