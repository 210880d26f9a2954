import { expect } from 'chai';
import { MongoClient } from 'mongodb';
import type { Browser } from 'playwright-core';
import { DEMO_USER, type DemoStack } from '../../scripts/devstack';
import { useBrowserStack } from '../support/browserStack';
import type { RunningStorefront } from '../../imports/storefront/server';
import { newMeteorUserDocument } from '../../packages/hydra-oauth/lib/accounts/meteorUsers';
import { freshContext, readClaims, screenshot, submitLogin } from '../support/browser';

describe('signing in at the storefront in Chromium', function () {
  this.timeout(120_000);
  const parts = useBrowserStack('hydra-oauth-browser-');
  let stack: DemoStack;
  let browser: Browser;
  let partner: RunningStorefront;

  before(async () => {
    ({ stack, browser, partner } = parts);
    await seedPasswordlessUser(stack.mongoUrl);
  });

  it('signs in and comes back with ID-token claims from the Meteor user', async () => {
    const context = await freshContext(browser);
    const page = await context.newPage();
    await page.goto(stack.storefrontUrl);
    await page.getByTestId('sign-in').click();
    await page.locator('#identifier').waitFor();
    await screenshot(page, 'login');
    await submitLogin(page, DEMO_USER.email, DEMO_USER.password);

    const claims = await readClaims(page);
    expect(claims.sub).to.equal(stack.demoUserId);
    expect(claims.email).to.equal(DEMO_USER.email);
    expect(claims.email_verified).to.equal(true);
    expect(claims.name).to.equal(DEMO_USER.name);
    expect(await page.getByTestId('status').innerText()).to.equal('signed-in');
    await screenshot(page, 'storefront-signed-in');
    await context.close();
  });

  it('skips the form on the next sign-in after "remember me", with the same subject', async () => {
    const context = await freshContext(browser);
    const page = await context.newPage();
    await page.goto(`${stack.storefrontUrl}/login`);
    await submitLogin(page, DEMO_USER.username, DEMO_USER.password, { remember: true });
    const first = await readClaims(page);

    await context.clearCookies({ name: 'storefront.sid' });
    await page.goto(`${stack.storefrontUrl}/login`);
    const second = await readClaims(page);
    expect(second.sub).to.equal(first.sub);
    expect(second.sub).to.equal(stack.demoUserId);
    await context.close();
  });

  it('shows the form again when "remember me" was not ticked', async () => {
    const context = await freshContext(browser);
    const page = await context.newPage();
    await page.goto(`${stack.storefrontUrl}/login`);
    await submitLogin(page, DEMO_USER.email, DEMO_USER.password);
    await readClaims(page);

    await context.clearCookies({ name: 'storefront.sid' });
    await page.goto(`${stack.storefrontUrl}/login`);
    await page.locator('#identifier').waitFor({ timeout: 10_000 });
    expect(page.url()).to.contain('/account/login?login_challenge=');
    await context.close();
  });

  it('ends the session at Hydra on sign-out, so the next sign-in asks again', async () => {
    const context = await freshContext(browser);
    const page = await context.newPage();
    await page.goto(`${stack.storefrontUrl}/login`);
    await submitLogin(page, DEMO_USER.email, DEMO_USER.password, { remember: true });
    await readClaims(page);

    await page.getByTestId('sign-out').click();
    await page.waitForURL(`${stack.storefrontUrl}/signed-out**`);
    expect(await page.getByTestId('status').innerText()).to.equal('signed-out');
    await screenshot(page, 'storefront-signed-out');

    await page.goto(`${stack.storefrontUrl}/login`);
    await page.locator('#identifier').waitFor({ timeout: 10_000 });
    expect(page.url()).to.contain('/account/login?login_challenge=');
    await context.close();
  });

  it('shows a client that is not trusted the consent page; Deny returns access_denied', async () => {
    const context = await freshContext(browser);
    const page = await context.newPage();
    await page.goto(`${partner.url}/login`);
    await submitLogin(page, DEMO_USER.email, DEMO_USER.password);

    await page.getByTestId('consent-form').waitFor();
    expect(page.url()).to.contain('/account/consent?consent_challenge=');
    expect(await page.locator('h1').innerText()).to.contain('Partner app');
    await screenshot(page, 'consent');
    await page.getByRole('button', { name: 'Deny' }).click();

    await page.getByTestId('oauth-error').waitFor();
    expect(await page.getByTestId('oauth-error-code').innerText()).to.equal('access_denied');
    expect(new URL(page.url()).origin).to.equal(partner.url);
    await context.close();
  });

  it('gives a wrong password, an unknown e-mail and a passwordless user one message', async () => {
    const context = await freshContext(browser);
    const page = await context.newPage();
    const attempts = [
      [DEMO_USER.email, 'wrong password'],
      ['nobody@example.com', DEMO_USER.password],
      ['nopassword@example.com', DEMO_USER.password],
    ] as const;
    const messages: string[] = [];
    for (const [identifier, password] of attempts) {
      await page.goto(`${stack.storefrontUrl}/login`);
      await submitLogin(page, identifier, password);
      const error = page.getByTestId('login-error');
      await error.waitFor();
      messages.push(await error.innerText());
    }
    await screenshot(page, 'login-error');
    expect(messages[0]).to.equal('That e-mail or username and password do not match.');
    expect(messages).to.deep.equal([messages[0], messages[0], messages[0]]);
    await context.close();
  });
});

/** A user created by an OAuth sign-up, say: Meteor stores no `services.password` for them. */
async function seedPasswordlessUser(mongoUrl: string): Promise<void> {
  const client = new MongoClient(mongoUrl);
  try {
    const doc = await newMeteorUserDocument({ email: 'nopassword@example.com' });
    await client.db().collection('users').insertOne(doc as never);
  } finally {
    await client.close();
  }
}
