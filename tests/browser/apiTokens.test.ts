import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { DEMO_USER, type DemoStack } from '../../scripts/devstack';
import { useBrowserStack } from '../support/browserStack';
import type { RunningStorefront } from '../../imports/storefront/server';
import { readClaims, screenshot, submitLogin } from '../support/browser';

const ACCESS_TOKEN_SECONDS = 20;

async function readViewer(page: Page): Promise<Record<string, unknown>> {
  const viewer = page.getByTestId('viewer');
  await viewer.waitFor({ timeout: 15_000 });
  return JSON.parse(await viewer.innerText()) as Record<string, unknown>;
}

async function statusOf(page: Page, url: string): Promise<string> {
  await page.goto(url);
  return page.getByTestId('status').innerText();
}

describe('the storefront calling the demand API with its tokens', function () {
  this.timeout(120_000);
  const parts = useBrowserStack('hydra-oauth-api-', {
    ttl: { accessToken: ACCESS_TOKEN_SECONDS },
  });
  let stack: DemoStack;
  let browser: Browser;
  let partner: RunningStorefront;

  before(() => {
    ({ stack, browser, partner } = parts);
  });

  it('shows the viewer from the API, and stays signed in past the token lifetime', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${stack.storefrontUrl}/login`);
    await submitLogin(page, DEMO_USER.email, DEMO_USER.password);

    const viewer = await readViewer(page);
    expect(viewer.id).to.equal(stack.demoUserId);
    expect(viewer.emails).to.deep.equal([{ address: DEMO_USER.email, verified: true }]);
    expect(await page.getByTestId('refresh-count').innerText()).to.equal('0');
    await screenshot(page, 'storefront-viewer');

    // The storefront renews ten seconds ahead of expiry; wait past the token's whole lifetime.
    await page.waitForTimeout((ACCESS_TOKEN_SECONDS + 1) * 1000);
    await page.reload();
    expect(await page.getByTestId('status').innerText()).to.equal('signed-in');
    expect((await readViewer(page)).id).to.equal(stack.demoUserId);
    expect(Number(await page.getByTestId('refresh-count').innerText())).to.be.at.least(1);
    await context.close();
  });

  it('signs the shopper out of a second client when they sign out of the storefront', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${stack.storefrontUrl}/login`);
    await submitLogin(page, DEMO_USER.email, DEMO_USER.password, { remember: true });
    await readClaims(page);

    await page.goto(`${partner.url}/login`);
    await page.getByTestId('consent-form').waitFor();
    await page.getByRole('button', { name: 'Allow' }).click();
    await readClaims(page);
    expect(await statusOf(page, `${partner.url}/`)).to.equal('signed-in');

    await page.goto(`${stack.storefrontUrl}/`);
    await page.getByTestId('sign-out').click();
    await page.waitForURL(`${stack.storefrontUrl}/signed-out**`);

    expect(await statusOf(page, `${stack.storefrontUrl}/`)).to.equal('signed-out');
    // Hydra's back-channel calls may land just after the browser is back: allow a moment.
    let partnerStatus = await statusOf(page, `${partner.url}/`);
    for (let attempt = 0; partnerStatus !== 'signed-out' && attempt < 10; attempt += 1) {
      await page.waitForTimeout(500);
      partnerStatus = await statusOf(page, `${partner.url}/`);
    }
    expect(partnerStatus).to.equal('signed-out');
    await context.close();
  });

  it('carries on signed out, without a login form, when the session is revoked', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${stack.storefrontUrl}/login`);
    await submitLogin(page, DEMO_USER.email, DEMO_USER.password);
    await readViewer(page);

    const revoke = new URL('/admin/oauth2/auth/sessions/consent', stack.hydraAdminUrl);
    revoke.search = `subject=${stack.demoUserId}&all=true`;
    expect((await fetch(revoke, { method: 'DELETE' })).status).to.equal(204);

    await page.waitForTimeout((ACCESS_TOKEN_SECONDS + 1) * 1000);
    await page.goto(`${stack.storefrontUrl}/`);
    expect(await page.getByTestId('status').innerText()).to.equal('signed-out');
    expect(new URL(page.url()).origin).to.equal(stack.storefrontUrl);
    await context.close();
  });
});
