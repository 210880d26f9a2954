import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { MongoClient } from 'mongodb';
import type { Browser, Page } from 'playwright-core';
import { DEMO_USER, startDemoStack, type DemoStack } from '../../scripts/devstack';
import { newMeteorUserDocument } from '../../packages/hydra-oauth/lib/accounts/meteorUsers';
import { freshContext, launchChromium, readClaims, screenshot, submitLogin } from '../support/browser';
import { linkIn, startMailbox, type Mailbox } from '../support/mailbox';

const RESET_USER = { email: 'forgetful@example.com', password: 'the old password 1' };
const NEW_PASSWORD = 'a brand new password 2';

describe('sign-up, password reset and e-mail verification in Chromium', function () {
  this.timeout(120_000);
  let stack: DemoStack;
  let dataDir: string;
  let browser: Browser;
  let mailbox: Mailbox;
  let mongo: MongoClient;
  let resetUserId: string;

  before(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'hydra-oauth-self-service-'));
    mailbox = await startMailbox();
    stack = await startDemoStack({ dataDir, mailUrl: mailbox.url });
    browser = await launchChromium();
    mongo = await MongoClient.connect(stack.mongoUrl);
    const doc = await newMeteorUserDocument({ ...RESET_USER, bcryptRounds: 4 });
    await mongo.db().collection('users').insertOne(doc as never);
    resetUserId = doc._id;
  });

  after(async () => {
    await mongo?.close();
    await browser?.close();
    await stack?.stop();
    await mailbox?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  async function fillNewPassword(page: Page, password: string) {
    await page.locator('#password').fill(password);
    await page.locator('#confirmation').fill(password);
  }

  it('signs up from the storefront, lands signed in, and verifies the address by mail', async () => {
    const email = 'newcomer@example.com';
    const context = await freshContext(browser);
    const page = await context.newPage();
    await page.goto(stack.storefrontUrl);
    await page.getByTestId('sign-up').click();
    await page.getByTestId('sign-up-form').waitFor();
    expect(page.url()).to.contain('/account/signup?login_challenge=');
    expect(await page.getByTestId('shop-brand').count()).to.equal(1);
    await screenshot(page, 'screen-sign-up');

    await page.locator('#email').fill(email);
    await fillNewPassword(page, 'newcomer password 1');
    await page.getByRole('button', { name: 'Create account' }).click();

    const before = await readClaims(page);
    expect(before.email).to.equal(email);
    expect(before.email_verified).to.equal(false);
    const stored = await mongo.db().collection('users').findOne({ 'emails.address': email });
    expect(before.sub).to.equal(stored?._id);
    expect(stored?.services.password.bcrypt).to.match(/^\$2[ab]\$10\$/);

    const mail = await mailbox.waitFor(email);
    expect(mail.subject).to.equal('Confirm your e-mail address for Demand');
    await page.goto(linkIn(mail, `${stack.idpUrl}/account/verify-email?token=`));
    expect(await page.getByTestId('notice').getAttribute('data-kind')).to.equal('verify-done');
    await screenshot(page, 'screen-verify-done');

    await context.clearCookies({ name: 'storefront.sid' });
    await page.goto(`${stack.storefrontUrl}/login`);
    await submitLogin(page, email, 'newcomer password 1');
    const after = await readClaims(page);
    expect(after.sub).to.equal(before.sub);
    expect(after.email_verified).to.equal(true);
    await context.close();
  });

  it('refuses a sign-up with a taken address without signing anyone in', async () => {
    const context = await freshContext(browser);
    const page = await context.newPage();
    await page.goto(`${stack.storefrontUrl}/signup`);
    await page.locator('#email').fill(DEMO_USER.email.toUpperCase());
    await fillNewPassword(page, 'some other password');
    const answer = page.waitForResponse((r) => r.url().includes('/account/signup'));
    await page.getByRole('button', { name: 'Create account' }).click();
    expect((await answer).status()).to.equal(409);
    expect(await page.getByTestId('form-error').innerText()).to.contain('could not create');
    await context.close();
  });

  it('resets a forgotten password from the mailed link and lands signed in', async () => {
    const context = await freshContext(browser);
    const page = await context.newPage();
    await page.goto(`${stack.storefrontUrl}/login`);
    await page.getByTestId('forgot-link').click();
    await page.getByTestId('forgot-form').waitFor();
    await screenshot(page, 'screen-forgot-password');

    const since = mailbox.received.length;
    await page.locator('#email').fill(RESET_USER.email);
    await page.getByRole('button', { name: 'Send the link' }).click();
    await page.getByTestId('notice').waitFor();
    await screenshot(page, 'screen-forgot-sent');

    const mail = await mailbox.waitFor(RESET_USER.email, { since });
    const link = linkIn(mail, `${stack.idpUrl}/account/reset-password?token=`);
    await page.goto(link);
    await page.getByTestId('reset-form').waitFor();
    await screenshot(page, 'screen-reset-password');
    await fillNewPassword(page, NEW_PASSWORD);
    await page.getByRole('button', { name: 'Save and sign in' }).click();

    const claims = await readClaims(page);
    expect(claims.sub).to.equal(resetUserId);
    expect(claims.email_verified).to.equal(true);

    const used = await page.goto(link);
    expect(used?.status()).to.equal(410);
    expect(await page.getByTestId('error-message').innerText()).to.contain('already used');
    expect(await page.getByTestId('restart').getAttribute('href')).to.equal(
      '/account/forgot-password',
    );
    await screenshot(page, 'screen-reset-link-used');

    await context.clearCookies({ name: 'storefront.sid' });
    await page.goto(`${stack.storefrontUrl}/login`);
    await submitLogin(page, RESET_USER.email, NEW_PASSWORD);
    expect((await readClaims(page)).sub).to.equal(resetUserId);
    await context.close();
  });

  it('gives an expired reset link a clear page with a way to ask again', async () => {
    const context = await freshContext(browser);
    const page = await context.newPage();
    const since = mailbox.received.length;
    await page.goto(`${stack.idpUrl}/account/forgot-password`);
    await page.locator('#email').fill(RESET_USER.email);
    await page.getByRole('button', { name: 'Send the link' }).click();
    const link = linkIn(await mailbox.waitFor(RESET_USER.email, { since }), stack.idpUrl);

    await mongo.db().collection('users').updateOne(
      { _id: resetUserId as never },
      { $set: { 'services.password.reset.when': new Date(Date.now() - 2 * 3600 * 1000) } },
    );
    const response = await page.goto(link);
    expect(response?.status()).to.equal(410);
    expect(await page.getByTestId('error-message').innerText()).to.equal(
      'This password reset link has expired.',
    );
    await screenshot(page, 'screen-reset-link-expired');
    await page.getByTestId('restart').click();
    await page.getByTestId('forgot-form').waitFor();
    await context.close();
  });

  it('answers "forgot password" alike for known and unknown addresses', async () => {
    const context = await freshContext(browser);
    const page = await context.newPage();
    const leads: string[] = [];
    const since = mailbox.received.length;
    for (const email of [RESET_USER.email, 'stranger@example.com']) {
      await page.goto(`${stack.idpUrl}/account/forgot-password`);
      await page.locator('#email').fill(email);
      const answer = page.waitForResponse((r) => r.request().method() === 'POST');
      await page.getByRole('button', { name: 'Send the link' }).click();
      expect((await answer).status()).to.equal(200);
      leads.push((await page.getByTestId('notice').innerText()).replace(email, '<address>'));
    }
    expect(leads[0]).to.equal(leads[1]);
    await mailbox.waitFor(RESET_USER.email, { since });
    await new Promise((resolve) => setTimeout(resolve, 500));
    const strangers = mailbox.received.slice(since).filter((m) => m.to.includes('stranger@example.com'));
    expect(strangers).to.have.length(0);
    await context.close();
  });
});
