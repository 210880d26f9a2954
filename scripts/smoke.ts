import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { launchChromium } from './browser';
import { DEMO_USER, startDemoStack } from './devstack';

/**
 * `npm run smoke`: one headless sign-in through the whole stack. The last line printed is the
 * ID token's claims as JSON; the exit code says whether they belong to the demo user.
 */
async function main(): Promise<number> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'hydra-oauth-smoke-'));
  const stack = await startDemoStack({ dataDir });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.goto(stack.storefrontUrl);
    await page.getByTestId('sign-in').click();
    await page.locator('#identifier').fill(DEMO_USER.email);
    await page.locator('#password').fill(DEMO_USER.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('claims').waitFor({ timeout: 15_000 });
    const claims = JSON.parse(await page.getByTestId('claims').innerText()) as Record<string, unknown>;

    const ok = claims.sub === stack.demoUserId && claims.email === DEMO_USER.email &&
      claims.email_verified === true;
    if (!ok) console.error(`claims do not belong to the demo user (expected sub ${stack.demoUserId})`);
    console.log(JSON.stringify(claims));
    return ok ? 0 : 1;
  } finally {
    await browser.close();
    await stack.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`smoke failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
