import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { expect } from 'chai';
import { type Db, MongoClient } from 'mongodb';

import { createMongoAccounts } from '../../packages/hydra-oauth/lib/accounts/mongoAccounts';
import { AccountExistsError, type SelfServiceAccounts } from '../../packages/hydra-oauth/lib';
import { verifyMeteorPassword } from '../../packages/hydra-oauth/lib/accounts/meteorPassword';
import { createRateLimits } from '../../packages/hydra-oauth/lib/limits/rateLimits';
import { loadSettings } from '../../packages/hydra-oauth/lib/settings';
import { startFerretDb, type RunningFerretDb } from '../../scripts/stack';

const HOUR = 3600;

describe('self-service storage on a real FerretDB', function () {
  this.timeout(120_000);
  let dataDir: string;
  let ferret: RunningFerretDb;
  let client: MongoClient;
  let db: Db;
  let selfService: SelfServiceAccounts;

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'hydra-oauth-self-service-store-'));
    ferret = await startFerretDb({ dataDir, logFile: join(dataDir, 'ferretdb.log') });
    client = await MongoClient.connect(ferret.url);
    db = client.db('self_service_test');
    selfService = createMongoAccounts(db).selfService!;
  });

  after(async () => {
    await client?.close();
    await ferret?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('counts attempts in one shared collection, so two instances see one limit', async () => {
    const settings = loadSettings({
      hydra: { adminUrl: 'http://127.0.0.1:4445' },
      csrf: { secret: 'x'.repeat(32) },
      rateLimits: { signUp: { points: 3, seconds: 60 } },
    });
    const first = await createRateLimits(settings.rateLimits, { kind: 'mongo', db });
    const second = await createRateLimits(settings.rateLimits, { kind: 'mongo', db });
    const answers = [];
    for (const instance of [first, second, first, second]) {
      answers.push((await instance.consume('signUp', '10.0.0.1')).allowed);
    }
    expect(answers).to.deep.equal([true, true, true, false]);
    expect((await second.consume('signUp', '10.0.0.2')).allowed).to.equal(true);
  });

  it('creates a user as Meteor does and refuses the address in another letter case', async () => {
    const user = await selfService.createUser({ email: 'Grace@Example.com', password: 'cobol 1959' });
    const doc = await db.collection('users').findOne({ _id: user.id as never });
    expect(doc?.emails).to.deep.equal([{ address: 'Grace@Example.com', verified: false }]);
    expect(await verifyMeteorPassword(doc?.services.password, 'cobol 1959')).to.equal(true);
    let refused: unknown;
    try {
      await selfService.createUser({ email: 'grace@example.COM', password: 'other' });
    } catch (error) {
      refused = error;
    }
    expect(refused).to.be.instanceOf(AccountExistsError);
  });

  it('stores the reset token where Meteor does and lets it work exactly once', async () => {
    const user = (await selfService.findByEmail('grace@example.com'))!;
    const token = await selfService.issueResetToken(user.id, 'Grace@Example.com', 'http://c/x');
    const stored = await db.collection('users').findOne({ _id: user.id as never });
    expect(Object.keys(stored?.services.password.reset).sort())
      .to.deep.equal(['email', 'reason', 'returnTo', 'token', 'when']);
    expect(stored?.services.password.reset.reason).to.equal('resetPassword');

    const results = await Promise.all([
      selfService.resetPassword(token, 'new password 1', HOUR),
      selfService.resetPassword(token, 'new password 2', HOUR),
    ]);
    expect(results.filter((result) => result.ok)).to.have.length(1);
    const winner = results.find((result) => result.ok);
    expect(winner?.ok && winner.returnTo).to.equal('http://c/x');
    expect(await selfService.inspectResetToken(token, HOUR))
      .to.deep.equal({ ok: false, reason: 'unknown' });
    const after = await db.collection('users').findOne({ _id: user.id as never });
    expect(after?.services.password.reset).to.equal(undefined);
    expect(after?.emails[0].verified).to.equal(true);
  });

  it('verifies an address by its token once, leaving other addresses alone', async () => {
    const user = await selfService.createUser({ email: 'linus@example.com', password: 'kernel 1991' });
    const token = await selfService.issueVerificationToken(user.id, 'linus@example.com');
    const first = await selfService.verifyEmail(token, HOUR);
    expect(first.ok && first.user.emails).to.deep.equal([
      { address: 'linus@example.com', verified: true },
    ]);
    expect(await selfService.verifyEmail(token, HOUR)).to.deep.equal({ ok: false, reason: 'unknown' });
  });
});
