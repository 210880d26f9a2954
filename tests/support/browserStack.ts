import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { startDemoStack, type DemoStack, type DemoStackOptions } from '../../scripts/devstack';
import type { RunningStorefront } from '../../imports/storefront/server';
import { launchChromium } from './browser';
import { startPartnerStorefront } from './partner';

export interface BrowserStack {
  stack: DemoStack;
  browser: Browser;
  /** A second, untrusted client: its users see the consent and logout screens. */
  partner: RunningStorefront;
}

/**
 * Registers mocha hooks that start the demo stack, Chromium and the partner app before the
 * suite's tests and stop them after. The returned object is filled in by the time tests run.
 */
export function useBrowserStack(
  prefix: string,
  options: Omit<DemoStackOptions, 'dataDir'> = {},
): BrowserStack {
  const parts = {} as BrowserStack;
  let dataDir: string | undefined;

  before(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), prefix));
    parts.stack = await startDemoStack({ ...options, dataDir });
    parts.browser = await launchChromium();
    parts.partner = await startPartnerStorefront(parts.stack);
  });

  after(async () => {
    await parts.partner?.close();
    await parts.browser?.close();
    await parts.stack?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  return parts;
}
