import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { expect } from 'chai';
import { type Db, MongoClient } from 'mongodb';

import {
  accountsHarness,
  loadServerGlue,
  meteorHarness,
  rateLimiterHarness,
  webAppHarness,
} from '../meteor-harness';
import { Accounts } from '../meteor-harness/modules/accounts-base';
import { Meteor } from '../meteor-harness/modules/meteor';
import { newMeteorUserDocument } from '../../packages/hydra-oauth/lib/accounts/meteorUsers';
import type { AccountsPort } from '../../packages/hydra-oauth/lib';
import { startFerretDb, type RunningFerretDb } from '../../scripts/stack';

const PASSWORD = 'glue test password';
const CSRF_SECRET = 'a-csrf-secret-that-is-long-enough-for-tests';

function meteorSettings(block: Record<string, unknown>) {
  return { public: {}, packages: { 'demand:hydra-oauth': block } };
}

const GOOD_BLOCK = {
  hydra: { adminUrl: 'http://127.0.0.1:9' },
  csrf: { secret: CSRF_SECRET },
};

function resetHarness(): void {
  meteorHarness.reset();
  webAppHarness.reset();
  rateLimiterHarness.reset();
  accountsHarness.reset();
}

describe('the Meteor server glue, loaded through the test harness', function () {
  this.timeout(60_000);
  let dataDir: string;

  async function useSettings(settings: unknown): Promise<void> {
    const file = join(dataDir, 'settings.json');
    await writeFile(file, JSON.stringify(settings));
    await meteorHarness.useSettingsFile(file);
  }

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'hydra-oauth-glue-'));
  });

  after(async () => {
    resetHarness();
    await rm(dataDir, { recursive: true, force: true });
  });

  describe('start-up with a bad setting', () => {
    beforeEach(resetHarness);

    it('stops on a string where seconds are expected, naming the setting', async () => {
      await useSettings(meteorSettings({ ...GOOD_BLOCK, session: { rememberFor: '3600' } }));

      const loading = loadServerGlue('string-seconds');
      await expectRejection(
        loading,
        'Invalid setting packages.demand:hydra-oauth.session.rememberFor: ' +
          'Remember for must be of type Integer (got "3600")',
      );
      expect(meteorHarness.hasMethod('hydraOAuth.acceptLogin')).to.equal(false);
      expect(webAppHarness.mountedCount()).to.equal(0);
    });

    it('stops when the admin URL is missing, naming the setting', async () => {
      await useSettings(meteorSettings({ hydra: {}, csrf: { secret: CSRF_SECRET } }));

      await expectRejection(
        loadServerGlue('missing-admin-url'),
        'Invalid setting packages.demand:hydra-oauth.hydra.adminUrl: Admin url is required',
      );
      expect(meteorHarness.hasMethod('hydraOAuth.acceptLogin')).to.equal(false);
    });
  });

  describe('the accounts adapter on Meteor Accounts backed by FerretDB users', () => {
    let ferret: RunningFerretDb;
    let client: MongoClient;
    let db: Db;
    let port: AccountsPort;
    const ids: Record<string, string> = {};

    before(async () => {
      resetHarness();
      ferret = await startFerretDb({ dataDir: join(dataDir, 'ferretdb') });
      client = await MongoClient.connect(`${ferret.url.replace(/\/$/, '')}/glue`);
      db = client.db();
      meteorHarness.useDatabase(db);
      ids.withPassword = await insertUser(db, {
        username: 'ada',
        email: 'ada@example.com',
        password: PASSWORD,
      });
      ids.passwordless = await insertUser(db, { email: 'oauth-only@example.com' });

      await useSettings(meteorSettings(GOOD_BLOCK));
      const glue = await loadServerGlue('accounts');
      await meteorHarness.runStartup();
      const create = glue.createMeteorAccountsPort as (
        accounts: typeof Accounts,
        users: typeof Meteor.users,
      ) => AccountsPort;
      port = create(Accounts, Meteor.users);
    });

    after(async () => {
      await client?.close();
      await ferret?.stop();
    });

    beforeEach(() => accountsHarness.reset());

    it('mounted the core routes on WebApp.handlers at start-up', () => {
      expect(webAppHarness.mountedCount()).to.be.greaterThan(0);
      expect(meteorHarness.hasMethod('hydraOAuth.acceptLogin')).to.equal(true);
    });

    it('signs in by e-mail in any letter case and by username', async () => {
      const byEmail = await port.verifyPassword('ADA@example.com', PASSWORD);
      const byName = await port.verifyPassword('ada', PASSWORD);

      expect(byEmail).to.deep.equal({
        id: ids.withPassword,
        username: 'ada',
        emails: [{ address: 'ada@example.com', verified: false }],
      });
      expect(byName?.id).to.equal(ids.withPassword);
    });

    it('answers null alike for a wrong password, an unknown and a passwordless user', async () => {
      expect(await port.verifyPassword('ada', 'not the password')).to.equal(null);
      expect(await port.verifyPassword('nobody@example.com', PASSWORD)).to.equal(null);
      expect(await port.verifyPassword('oauth-only@example.com', PASSWORD)).to.equal(null);
    });

    it('never hands a user without a password hash to _checkPasswordAsync', async () => {
      await port.verifyPassword('oauth-only@example.com', PASSWORD);
      await port.verifyPassword('nobody@example.com', PASSWORD);
      await port.verifyPassword('ada', 'not the password');

      expect(accountsHarness.passwordChecks()).to.deep.equal([ids.withPassword]);
    });

    it('does comparable hashing work for unknown, passwordless and wrong passwords', async () => {
      const wrong = await medianMs(() => port.verifyPassword('ada', 'not the password'));
      const unknown = await medianMs(() => port.verifyPassword('nobody@example.com', PASSWORD));
      const noHash = await medianMs(() => port.verifyPassword('oauth-only@example.com', PASSWORD));

      // A bcrypt cost-10 comparison dominates each; without the dummy check the unknown and
      // passwordless cases would answer in a few milliseconds.
      expect(unknown).to.be.greaterThan(wrong * 0.5);
      expect(noHash).to.be.greaterThan(wrong * 0.5);
    });

    it('finds a user by id without their services', async () => {
      const user = await port.findById(ids.passwordless!);
      expect(user).to.deep.equal({
        id: ids.passwordless,
        emails: [{ address: 'oauth-only@example.com', verified: false }],
      });
      expect(await port.findById('no-such-id')).to.equal(null);
    });
  });
});

async function insertUser(
  db: Db,
  input: { username?: string; email: string; password?: string },
): Promise<string> {
  const doc = await newMeteorUserDocument(input);
  await db.collection('users').insertOne(doc as never);
  return doc._id;
}

async function expectRejection(promise: Promise<unknown>, message: string): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error, 'start-up should have failed').to.be.instanceOf(Error);
  expect((error as Error).name).to.equal('SettingsError');
  expect((error as Error).message).to.equal(message);
}

async function medianMs(run: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let round = 0; round < 3; round += 1) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b)[1]!;
}
