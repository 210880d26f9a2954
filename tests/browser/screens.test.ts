import { expect } from 'chai';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEMO_USER, type DemoStack } from '../../scripts/devstack';
import { useBrowserStack } from '../support/browserStack';
import type { RunningStorefront } from '../../imports/storefront/server';
import { readClaims, screenshot, submitLogin } from '../support/browser';
import { seriousAccessibilityViolations } from '../support/axe';
import { PARTNER_SESSION_COOKIE } from '../support/partner';

type Mode = 'js-on' | 'js-off';

describe('the sign-in screens in Chromium', function () {
  this.timeout(120_000);
  const parts = useBrowserStack('hydra-oauth-screens-');
  let stack: DemoStack;
  let browser: Browser;
  let partner: RunningStorefront;

  before(() => {
    ({ stack, browser, partner } = parts);
  });

  const contextFor = (mode: Mode): Promise<BrowserContext> =>
    browser.newContext({ javaScriptEnabled: mode === 'js-on', viewport: { width: 900, height: 800 } });

  /** Signs in at the partner app; "remember me" so that Hydra has a session to end later. */
  async function reachConsent(page: Page) {
    await page.goto(`${partner.url}/login`);
    await submitLogin(page, DEMO_USER.email, DEMO_USER.password, { remember: true });
    await page.getByTestId('consent-form').waitFor();
  }

  for (const mode of ['js-on', 'js-off'] as const) {
    it(`signs in through the login screen with JavaScript ${mode === 'js-on' ? 'on' : 'off'}`, async () => {
      const context = await contextFor(mode);
      const page = await context.newPage();
      await page.goto(`${stack.storefrontUrl}/login`);
      await page.locator('#identifier').waitFor();
      const toggles = await page.getByTestId('password-toggle').count();
      expect(toggles).to.equal(mode === 'js-on' ? 1 : 0);
      await screenshot(page, `screen-login-${mode}`);
      await submitLogin(page, DEMO_USER.email, DEMO_USER.password);
      expect((await readClaims(page)).sub).to.equal(stack.demoUserId);
      await context.close();
    });

    it(`grants only the ticked scopes on the consent screen (${mode})`, async () => {
      const context = await contextFor(mode);
      const page = await context.newPage();
      await reachConsent(page);
      await screenshot(page, `screen-consent-${mode}`);
      await page.getByRole('checkbox', { name: /See your name and username/ }).uncheck();
      await page.getByRole('button', { name: 'Allow' }).click();

      const claims = await readClaims(page);
      const granted = (await page.getByTestId('granted-scope').innerText()).split(' ').sort();
      expect(granted).to.deep.equal(['email', 'offline_access', 'openid']);
      expect(claims.email).to.equal(DEMO_USER.email);
      expect(claims).to.not.have.property('name');
      await context.close();
    });

    it(`asks before a client that is not trusted signs the user out (${mode})`, async () => {
      const context = await contextFor(mode);
      const page = await context.newPage();
      await reachConsent(page);
      await page.getByRole('button', { name: 'Allow' }).click();
      await readClaims(page);

      await page.getByTestId('sign-out').click();
      await page.getByTestId('logout-form').waitFor();
      await screenshot(page, `screen-logout-${mode}`);
      await page.getByRole('button', { name: 'No, stay signed in' }).click();
      // Back to the asking client's own home page, not to another site.
      await page.waitForURL(`${partner.url}/`);

      // "No" keeps the session at Hydra: the next sign-in skips the password and goes
      // straight to the consent screen.
      await page.goto(`${partner.url}/login`);
      await page.getByTestId('consent-form').waitFor();
      expect(await page.locator('#password').count()).to.equal(0);
      await context.close();
    });

    it(`signs up a new shopper with JavaScript ${mode === 'js-on' ? 'on' : 'off'}`, async () => {
      const context = await contextFor(mode);
      const page = await context.newPage();
      await page.goto(`${stack.storefrontUrl}/signup`);
      await page.getByTestId('sign-up-form').waitFor();
      const email = `new-${mode}@example.com`;
      await page.getByLabel('E-mail', { exact: true }).fill(email);
      await page.getByLabel('Password', { exact: true }).fill('a fresh password 123');
      await page.getByLabel(/Confirm|Repeat/).fill('a fresh password 123');
      await page.getByRole('button', { name: /Create account|Sign up/ }).click();
      const claims = await readClaims(page);
      expect(claims.email).to.equal(email);
      await context.close();
    });

    it(`shows the error screen for a link without a challenge (${mode})`, async () => {
      const context = await contextFor(mode);
      const page = await context.newPage();
      const response = await page.goto(`${stack.idpUrl}/account/login`);
      expect(response?.status()).to.equal(400);
      expect(await page.getByTestId('error-message').innerText()).to.contain('sign-in link');
      await screenshot(page, `screen-error-${mode}`);
      await context.close();
    });
  }

  it('signs out after "Yes" on the logout screen, ending the Hydra session', async () => {
    const context = await contextFor('js-on');
    const page = await context.newPage();
    await reachConsent(page);
    await page.getByRole('button', { name: 'Allow' }).click();
    await readClaims(page);
    await page.getByTestId('sign-out').click();
    await page.getByRole('button', { name: 'Yes, sign me out' }).click();
    await page.waitForURL(`${partner.url}/signed-out**`);
    await page.goto(`${partner.url}/login`);
    await page.locator('#identifier').waitFor();
    await context.close();
  });

  it('remembers a consent when asked, and does not ask again', async () => {
    const context = await contextFor('js-on');
    const page = await context.newPage();
    await page.goto(`${partner.url}/login`);
    await submitLogin(page, DEMO_USER.email, DEMO_USER.password, { remember: true });
    await page.getByTestId('consent-form').waitFor();
    await page.getByLabel('Remember this choice').check();
    await page.getByRole('button', { name: 'Allow' }).click();
    await readClaims(page);

    await context.clearCookies({ name: PARTNER_SESSION_COOKIE });
    await page.goto(`${partner.url}/login`);
    const claims = await readClaims(page);
    expect(claims.sub).to.equal(stack.demoUserId);
    await context.close();

    // Forget the remembered consent so the other tests see the consent screen again.
    const revoke = new URL('/admin/oauth2/auth/sessions/consent', stack.hydraAdminUrl);
    revoke.search = `subject=${stack.demoUserId}&client=partner-app`;
    expect((await fetch(revoke, { method: 'DELETE' })).status).to.equal(204);
  });

  it('checks the login form in the browser and toggles the password', async () => {
    const context = await contextFor('js-on');
    const page = await context.newPage();
    await page.goto(`${stack.storefrontUrl}/login`);
    await page.getByTestId('password-toggle').waitFor();
    const loginUrl = page.url();

    await page.getByRole('button', { name: 'Sign in' }).click();
    const error = page.getByTestId('login-error');
    await error.waitFor();
    expect(await error.innerText()).to.equal('Enter your e-mail or username and your password.');
    expect(page.url()).to.equal(loginUrl);

    await page.locator('#password').fill('secret');
    expect(await page.locator('#password').getAttribute('type')).to.equal('password');
    await page.getByTestId('password-toggle').click();
    expect(await page.locator('#password').getAttribute('type')).to.equal('text');
    expect(await page.getByTestId('password-toggle').getAttribute('aria-pressed')).to.equal('true');
    await context.close();
  });

  it("shows the host's replaced component and theme, before and after hydration", async () => {
    for (const mode of ['js-off', 'js-on'] as const) {
      const context = await contextFor(mode);
      const page = await context.newPage();
      await page.goto(`${stack.storefrontUrl}/login`);
      expect(await page.getByTestId('shop-brand').textContent()).to.contain('Demand Shop');
      const accent = await page
        .getByRole('button', { name: 'Sign in' })
        .evaluate((button) => getComputedStyle(button).backgroundColor);
      expect(accent).to.equal('rgb(15, 95, 87)');
      await context.close();
    }
  });

  it('has no serious or critical axe-core violation on any screen', async () => {
    const context = await browser.newContext({ bypassCSP: true });
    const page = await context.newPage();
    const found: Record<string, unknown[]> = {};

    await page.goto(`${stack.storefrontUrl}/login`);
    await page.getByTestId('password-toggle').waitFor();
    found.login = await seriousAccessibilityViolations(page);

    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('login-error').waitFor();
    found.loginError = await seriousAccessibilityViolations(page);

    await reachConsent(page);
    found.consent = await seriousAccessibilityViolations(page);
    await page.getByRole('button', { name: 'Allow' }).click();
    await readClaims(page);

    await page.getByTestId('sign-out').click();
    await page.getByTestId('logout-form').waitFor();
    found.logout = await seriousAccessibilityViolations(page);

    await page.goto(`${stack.idpUrl}/account/consent`);
    found.error = await seriousAccessibilityViolations(page);

    // A browser without a session at Hydra, or sign-up would be skipped.
    const signedOut = await (await browser.newContext({ bypassCSP: true })).newPage();
    await signedOut.goto(`${stack.storefrontUrl}/signup`);
    await signedOut.getByTestId('sign-up-form').waitFor();
    found.signUp = await seriousAccessibilityViolations(signedOut);

    await signedOut.goto(`${stack.idpUrl}/account/forgot-password`);
    await signedOut.getByTestId('forgot-form').waitFor();
    found.forgotPassword = await seriousAccessibilityViolations(signedOut);
    await signedOut.context().close();

    expect(found).to.deep.equal({
      login: [],
      loginError: [],
      consent: [],
      logout: [],
      error: [],
      signUp: [],
      forgotPassword: [],
    });
    await context.close();
  });
});
