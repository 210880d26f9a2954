import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../../scripts/browser';
import { repoRoot } from '../../scripts/stack/paths';

export { launchChromium };

export const SCREENSHOT_DIR = path.join(repoRoot, 'artifacts', 'screenshots');

/** Saves a full-page screenshot under artifacts/screenshots/, for a person to look at. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

export async function freshContext(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({ viewport: { width: 900, height: 800 } });
}

/** Fills and submits the identity provider's login form. */
export async function submitLogin(
  page: Page,
  identifier: string,
  password: string,
  options: { remember?: boolean } = {},
): Promise<void> {
  await page.locator('#identifier').fill(identifier);
  await page.locator('#password').fill(password);
  if (options.remember) await page.getByLabel('Keep me signed in on this device').check();
  await page.getByRole('button', { name: 'Sign in' }).click();
}

export async function readClaims(page: Page): Promise<Record<string, unknown>> {
  await page.getByTestId('claims').waitFor({ timeout: 15_000 });
  return JSON.parse(await page.getByTestId('claims').innerText()) as Record<string, unknown>;
}
