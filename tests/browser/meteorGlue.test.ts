import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { expect } from 'chai';
import { MongoClient } from 'mongodb';
import type { RequestHandler } from 'express';
import type { Browser } from 'playwright-core';

import {
  accountsHarness,
  loadServerGlue,
  meteorHarness,
  rateLimiterHarness,
  webAppHarness,
} from '../meteor-harness';
import {
  DEMO_USER,
  registerStorefront,
  startDemoStack,
  type DemoStack,
} from '../../scripts/devstack';
import { freePort, startHydra, type RunningHydra } from '../../scripts/stack';
import { startStorefront, type RunningStorefront } from '../../imports/storefront/server';
import {
  freshContext,
  launchChromium,
  readClaims,
  screenshot,
  submitLogin,
} from '../support/browser';
import { obtainTokens, refreshTokens } from '../support/tokens';
import { WebApp } from '../meteor-harness/modules/webapp';

const STOREFRONT_SECRET = 'meteor-glue-storefront-secret-0123456789';
const METHOD = 'hydraOAuth.acceptLogin';
const SIGN_OUT = 'hydraOAuth.signOutEverywhere';

/**
 * The demo stack gives FerretDB with the demo shopper; a second Hydra sends its logins to the
 * package's server glue, served by the Meteor harness, and a second storefront trusts it.
 */
describe('signing in through the Meteor glue in Chromium', function () {
  this.timeout(180_000);
  let dataDir: string;
  let stack: DemoStack;
  let hydra: RunningHydra;
  let idp: { url: string; close(): Promise<void> };
  let storefront: RunningStorefront;
  let mongo: MongoClient;
  let browser: Browser;
  let glue: Record<string, unknown>;

  before(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'hydra-oauth-meteor-'));
    stack = await startDemoStack({ dataDir: path.join(dataDir, 'demo') });
    const idpUrl = `http://127.0.0.1:${await freePort()}`;
    const storefrontPort = await freePort();
    const storefrontUrl = `http://127.0.0.1:${storefrontPort}`;

    hydra = await startHydra({
      dataDir: path.join(dataDir, 'hydra'),
      loginUrl: `${idpUrl}/account/login`,
      consentUrl: `${idpUrl}/account/consent`,
      logoutUrl: `${idpUrl}/account/logout`,
      postLogoutRedirectUrl: storefrontUrl,
    });
    await registerStorefront(hydra.adminUrl, storefrontUrl, STOREFRONT_SECRET);

    mongo = await MongoClient.connect(stack.mongoUrl);
    ({ idp, glue } = await startGlue(dataDir, mongo, hydra, storefrontUrl, Number(new URL(idpUrl).port)));
    storefront = await startStorefront({
      port: storefrontPort,
      issuer: hydra.issuer,
      clientId: 'storefront',
      clientSecret: STOREFRONT_SECRET,
      baseUrl: storefrontUrl,
      sessionSecret: 'meteor-glue-storefront-session-secret',
    });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await storefront?.close();
    await idp?.close();
    await mongo?.close();
    await hydra?.stop();
    await stack?.stop();
    meteorHarness.reset();
    webAppHarness.reset();
    rateLimiterHarness.reset();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('signs the Meteor user in at the storefront through the glue mounted on WebApp', async () => {
    accountsHarness.reset();
    const context = await freshContext(browser);
    const page = await context.newPage();
    await page.goto(`${storefront.url}/login`);
    await page.locator('#identifier').waitFor();
    expect(new URL(page.url()).origin).to.equal(idp.url);
    await screenshot(page, 'meteor-glue-login');
    await submitLogin(page, DEMO_USER.email, DEMO_USER.password);

    const claims = await readClaims(page);
    expect(claims.sub).to.equal(stack.demoUserId);
    expect(claims.email).to.equal(DEMO_USER.email);
    expect(claims.name).to.equal(DEMO_USER.name);
    expect(accountsHarness.passwordChecks()).to.deep.equal([stack.demoUserId]);
    await context.close();
  });

  it('accepts a login challenge through the method for the caller only', async () => {
    const challenge = await freshLoginChallenge(hydra, storefront.url);
    const anonymous = { userId: null, connectionId: 'anonymous' };
    const signedIn = { userId: stack.demoUserId, connectionId: 'shopper' };

    expect(await errorCode(meteorHarness.call(METHOD, anonymous, challenge))).to.equal(
      'not-signed-in',
    );
    expect(await errorCode(meteorHarness.call(METHOD, signedIn, { $ne: '' }))).to.equal(
      'Match.Error',
    );
    const result = (await meteorHarness.call(METHOD, signedIn, challenge, false)) as {
      redirectTo: string;
    };
    expect(result.redirectTo.startsWith(`${hydra.publicUrl}/oauth2/auth?`)).to.equal(true);
  });

  it("checks bearer tokens on the app's own routes through the glue's middleware", async () => {
    const bearer = glue.hydraOAuthBearer as () => RequestHandler;
    WebApp.handlers.get('/api/me', bearer(), (req, res) => {
      const user = (req as { auth?: { user?: { id: string } } }).auth?.user;
      res.json({ id: user?.id ?? null });
    });
    const target = {
      hydraPublicUrl: hydra.publicUrl,
      idpUrl: idp.url,
      storefrontUrl: storefront.url,
      storefrontClientSecret: STOREFRONT_SECRET,
    };
    const tokens = await obtainTokens(target);

    const valid = await fetch(`${idp.url}/api/me`, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    expect(await valid.json()).to.deep.equal({ id: stack.demoUserId });
    const anonymous = await fetch(`${idp.url}/api/me`);
    expect(await anonymous.json()).to.deep.equal({ id: null });
    const refused = await fetch(`${idp.url}/api/me`, { headers: { authorization: 'Bearer nope' } });
    expect(refused.status).to.equal(401);
    expect(refused.headers.get('www-authenticate')).to.contain('error="invalid_token"');
  });

  it("ends the caller's Hydra sessions through the sign-out-everywhere method", async () => {
    const target = {
      hydraPublicUrl: hydra.publicUrl,
      idpUrl: idp.url,
      storefrontUrl: storefront.url,
      storefrontClientSecret: STOREFRONT_SECRET,
    };
    const tokens = await obtainTokens(target);
    const consents = `${hydra.adminUrl}/admin/oauth2/auth/sessions/consent?subject=${stack.demoUserId}`;
    expect(await (await fetch(consents)).json()).to.have.length.greaterThan(0);

    const anonymous = { userId: null, connectionId: 'anonymous-2' };
    expect(await errorCode(meteorHarness.call(SIGN_OUT, anonymous))).to.equal('not-signed-in');
    await meteorHarness.call(SIGN_OUT, { userId: stack.demoUserId, connectionId: 'shopper-2' });

    expect(await (await fetch(consents)).json()).to.deep.equal([]);
    const refresh = await refreshTokens(target, tokens.refresh_token ?? '').catch((e: Error) => e);
    expect(refresh).to.be.instanceOf(Error);
  });

  it('limits the method to five calls per connection in ten seconds', async () => {
    const caller = { userId: stack.demoUserId, connectionId: 'hammering' };
    const codes: unknown[] = [];
    for (let call = 0; call < 6; call += 1) {
      codes.push(await errorCode(meteorHarness.call(METHOD, caller, 'not-a-real-challenge')));
    }
    expect(codes).to.deep.equal([
      'challengeUnknown',
      'challengeUnknown',
      'challengeUnknown',
      'challengeUnknown',
      'challengeUnknown',
      'too-many-requests',
    ]);
  });
});

/** The harness as a Meteor server would be: settings file, users' database, start-up, port. */
async function startGlue(
  dataDir: string,
  mongo: MongoClient,
  hydra: RunningHydra,
  storefrontUrl: string,
  port: number,
) {
  const settingsFile = path.join(dataDir, 'meteor-settings.json');
  const block = {
    hydra: { adminUrl: hydra.adminUrl, publicUrl: hydra.publicUrl },
    trustedClients: ['storefront'],
    csrf: { secret: 'meteor-glue-csrf-secret-0123456789abcdef' },
    storefrontUrl,
  };
  await writeFile(settingsFile, JSON.stringify({ packages: { 'demand:hydra-oauth': block } }));

  meteorHarness.reset();
  webAppHarness.reset();
  rateLimiterHarness.reset();
  await meteorHarness.useSettingsFile(settingsFile);
  meteorHarness.useDatabase(mongo.db());
  const glue = await loadServerGlue('browser');
  await meteorHarness.runStartup();
  return { idp: await webAppHarness.listen(port), glue };
}

/** Starts an authorization request at Hydra and reads the login challenge it redirects with. */
async function freshLoginChallenge(hydra: RunningHydra, storefrontUrl: string): Promise<string> {
  const authorize = new URL(`${hydra.publicUrl}/oauth2/auth`);
  authorize.search = new URLSearchParams({
    client_id: 'storefront',
    response_type: 'code',
    scope: 'openid',
    redirect_uri: `${storefrontUrl}/callback`,
    state: 'state-for-the-method-test',
  }).toString();
  const response = await fetch(authorize, { redirect: 'manual' });
  const location = new URL(response.headers.get('location') ?? '', hydra.publicUrl);
  const challenge = location.searchParams.get('login_challenge');
  if (!challenge) throw new Error(`Hydra answered ${response.status} without a login challenge`);
  return challenge;
}

async function errorCode(call: Promise<unknown>): Promise<unknown> {
  return call.then(
    () => 'no error',
    (error: { error?: unknown; name?: unknown }) => error.error ?? error.name,
  );
}
