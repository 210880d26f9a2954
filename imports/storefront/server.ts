/**
 * Runs the example storefront on 127.0.0.1.
 *
 * As a program (`tsx imports/storefront/server.ts`) it reads its config from STOREFRONT_*
 * environment variables; scripts and tests call `startStorefront` instead.
 */
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:http';
import { pathToFileURL } from 'node:url';

import createDebug from 'debug';

import { createStorefront, StorefrontConfigError } from './app.js';
import type { StorefrontConfig } from './app.js';

export const DEFAULT_STOREFRONT_PORT = 4000;

/** The storefront listens on loopback only: it is an example, not a public shop. */
const LISTEN_HOST = '127.0.0.1';

const log = createDebug('storefront:server');

export interface RunningStorefront {
  /** Where the server listens, e.g. http://127.0.0.1:4000 (no trailing slash). */
  url: string;
  close(): Promise<void>;
}

/**
 * Starts the storefront. `port: 0` picks a free port, but Hydra only redirects to the
 * registered `baseUrl`, so callers that sign in pick the port first and build `baseUrl` from it.
 */
export async function startStorefront(
  config: StorefrontConfig & { port: number },
): Promise<RunningStorefront> {
  const { port, ...storefrontConfig } = config;
  const app = await createStorefront(storefrontConfig);
  const server = createServer(app);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, LISTEN_HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });

  const address = server.address() as AddressInfo;
  const url = `http://${LISTEN_HOST}:${address.port}`;
  log('listening url=%s issuer=%s', url, storefrontConfig.issuer);

  return {
    url,
    close: () => new Promise<void>((resolve, reject) => {
      server.close((err) => (err ? reject(err) : resolve()));
      // Browsers keep connections alive; without this, close() waits for them to time out.
      server.closeAllConnections();
    }),
  };
}

/** Reads the config from the environment; a missing or bad variable is named. */
export function storefrontConfigFromEnv(
  env: NodeJS.ProcessEnv = process.env,
): StorefrontConfig & { port: number } {
  const port = parsePort(env.STOREFRONT_PORT);
  return {
    issuer: requireEnv(env, 'STOREFRONT_ISSUER'),
    clientId: requireEnv(env, 'STOREFRONT_CLIENT_ID'),
    clientSecret: requireEnv(env, 'STOREFRONT_CLIENT_SECRET'),
    // Our own address is the one default that cannot point at someone else's service.
    baseUrl: env.STOREFRONT_BASE_URL ?? `http://${LISTEN_HOST}:${port}`,
    sessionSecret: requireEnv(env, 'STOREFRONT_SESSION_SECRET'),
    port,
  };
}

function requireEnv(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (value === undefined || value.trim() === '') {
    throw new StorefrontConfigError(`${name} must be set`);
  }
  return value;
}

function parsePort(raw: string | undefined): number {
  if (raw === undefined || raw === '') return DEFAULT_STOREFRONT_PORT;
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port < 1 || port > 65535) {
    throw new StorefrontConfigError('STOREFRONT_PORT must be a whole number from 1 to 65535');
  }
  return port;
}

async function main(): Promise<void> {
  let config: StorefrontConfig & { port: number };
  let running: RunningStorefront;
  try {
    config = storefrontConfigFromEnv();
    running = await startStorefront(config);
  } catch (err) {
    // A bad setting stops start-up with its message alone; anything else keeps its stack.
    console.error(err instanceof StorefrontConfigError ? err.message : err);
    process.exit(1);
  }

  console.log(`storefront listening on ${running.url} (issuer ${config.issuer})`);
  const stop = (): void => {
    running.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

const isEntryPoint = process.argv[1] !== undefined
  && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isEntryPoint) await main();
