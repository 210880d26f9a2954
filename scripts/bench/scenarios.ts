import type { Agent } from 'undici';

import { viewerId } from './api';
import { Browser } from './browser';
import { authorizationCodeFlow, FlowError } from './flows';
import type { ApiHost, Target } from './targets';
import type { ProviderId } from './types';

/** A scenario ready to run against one target: flows on behalf of numbered workers. */
export interface PreparedScenario {
  flow(worker: number): Promise<unknown>;
  /** The processes to read CPU time from, when not the target's own (another host). */
  processes?: Record<string, number>;
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
  /** Providers this scenario cannot run on, and why; shown as n/a. */
  notApplicable?: Partial<Record<ProviderId, string>>;
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
      await authorizationCodeFlow(browser, target, 'password', { remember: true });
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

/**
 * The demand API's token middleware on our standalone host: one `POST /graphql` per "flow",
 * all with the same valid access token. The cached host keeps Hydra's introspection answer
 * (`tokens.cacheSeconds` at its default); the uncached one (`0`) asks Hydra every time.
 */
function tokenMiddleware(host: 'cached' | 'uncached'): Scenario {
  return {
    id: `token-${host}`,
    title: `Token middleware, introspection ${host}`,
    providers: ['ours'],
    notApplicable: { reference: 'has no token middleware' },
    async prepare(target, _workers, pool) {
      const api = apiHostOf(target, host);
      // Scope `openid` only: the middleware requires none, so this is the cheapest valid token.
      const token = await authorizationCodeFlow(new Browser(pool), target, 'password', {
        scope: 'openid',
      });
      const subject = await viewerId(pool, api.graphqlUrl, token);
      return {
        flow: async () => {
          const id = await viewerId(pool, api.graphqlUrl, token);
          if (id !== subject) throw new FlowError(`viewer ${id} is not the signed-in ${subject}`);
        },
        processes: { ...target.processes, idp: api.pid },
      };
    },
  };
}

function apiHostOf(target: Target, host: 'cached' | 'uncached'): ApiHost {
  const api = target.apiHosts?.[host];
  if (api === undefined) throw new Error(`${target.provider} has no ${host} API host`);
  return api;
}

export const tokenCached = tokenMiddleware('cached');
export const tokenUncached = tokenMiddleware('uncached');

export const scenarios: readonly Scenario[] = [
  freshSignIn,
  rememberedSession,
  tokenCached,
  tokenUncached,
];
