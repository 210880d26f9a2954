import type { Agent } from 'undici';

import { Browser } from './browser';
import { authorizationCodeFlow } from './flows';
import type { Target } from './targets';
import type { ProviderId } from './types';

/** A scenario ready to run against one target: flows on behalf of numbered workers. */
export interface PreparedScenario {
  flow(worker: number): Promise<void>;
}

/**
 * A kind of flow the benchmark measures. Scenarios are measured in list order; a new one
 * (the token middleware, cached and uncached) is appended to `scenarios` and gets the same
 * rounds, levels, table, JSON and chart.
 */
export interface Scenario {
  id: string;
  title: string;
  providers: readonly ProviderId[];
  /** Gets up to `workers` simulated users ready; called once per target before any round. */
  prepare(target: Target, workers: number, pool: Agent): Promise<PreparedScenario>;
}

const bothProviders: readonly ProviderId[] = ['ours', 'reference'];

/** A new browser each time, so Hydra knows no session and the password is checked. */
export const freshSignIn: Scenario = {
  id: 'fresh-sign-in',
  title: 'Fresh sign-in with a password',
  providers: bothProviders,
  async prepare(target, _workers, pool) {
    return { flow: () => authorizationCodeFlow(new Browser(pool), target, 'password') };
  },
};

/**
 * Each worker signs in once with "remember me"; every measured flow then reuses that
 * browser, so Hydra reports `skip` and no password is checked.
 */
export const rememberedSession: Scenario = {
  id: 'remembered-session',
  title: 'Remembered session (skip)',
  providers: bothProviders,
  async prepare(target, workers, pool) {
    const browsers = Array.from({ length: workers }, () => new Browser(pool));
    for (const browser of browsers) {
      await authorizationCodeFlow(browser, target, 'password', true);
    }
    return {
      flow: (worker) => {
        const browser = browsers[worker];
        if (browser === undefined) throw new RangeError(`no browser for worker ${worker}`);
        return authorizationCodeFlow(browser, target, 'skip');
      },
    };
  },
};

export const scenarios: readonly Scenario[] = [freshSignIn, rememberedSession];
