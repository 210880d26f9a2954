import { randomBytes } from 'node:crypto';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';

import { newMeteorUserDocument } from '../../packages/hydra-oauth/lib/accounts/meteorUsers';
import { createClientsApi, upsertClient } from '../../packages/hydra-oauth/lib/hydra/clients';
import { SETTINGS_KEY } from '../../packages/hydra-oauth/lib/settings';
import {
  baseEnvironment,
  freePort,
  httpAnswers,
  repoRoot,
  startChild,
  startFerretDb,
  startHydra,
  startPostgres,
  tcpAccepts,
  waitUntilReady,
  type RunningChild,
} from '../stack';
import type { FlowTarget } from './flows';
import type { ProviderId } from './types';

export const BENCH_CLIENT_ID = 'bench';

/** Our seeded user: a Meteor-format document with a bcrypt cost-10 password. */
export const BENCH_USER = {
  email: 'bench@example.com',
  username: 'bench',
  password: 'correct horse battery staple',
  name: 'Bench Shopper',
} as const;

/** The reference app's only account, fixed in its source. */
const REFERENCE_USER = { email: 'foo@bar.com', password: 'foobar' } as const;

/** One of our standalone hosts serving the demand API, as the token scenarios call it. */
export interface ApiHost {
  graphqlUrl: string;
  pid: number;
}

/** A provider under test, its Hydra, and the processes whose CPU time a flow costs. */
export interface Target extends FlowTarget {
  provider: ProviderId;
  /** The identity provider's own process, sampled for CPU time and peak memory. */
  providerPid: number;
  /** Every process a flow of this target spends CPU in, by name. */
  processes: Record<string, number>;
  /**
   * Ours only: the host above with the introspection cache on (its default), and a second
   * host on the same Hydra and database with `tokens.cacheSeconds: 0`.
   */
  apiHosts?: { cached: ApiHost; uncached: ApiHost };
}

export interface BenchStack {
  targets: Record<ProviderId, Target>;
  stop(): Promise<void>;
}

export interface StackOptions {
  logDir: string;
  /** The most flows any cell keeps in flight; sizes each Hydra's database connection pool. */
  maxInFlight: number;
  /** When set, our provider runs under `--cpu-prof` and writes its profile here on exit. */
  profileDir?: string;
}

/**
 * FerretDB with the seeded user, and one Hydra per provider: Hydra v2.3 has a single login
 * URL per server, so each provider gets its own Hydra of the same build, each with its own
 * database in one PostgreSQL server. SQLite would let one writer in at a time and answer
 * "database is locked" from two flows in flight. Both providers stay up for the whole run so
 * rounds can alternate between them.
 */
export async function startBenchStack(options: StackOptions): Promise<BenchStack> {
  const stops: Array<() => Promise<void>> = [];
  const workDir = await mkdtemp(path.join(tmpdir(), 'hydra-oauth-bench-'));
  stops.push(() => rm(workDir, { recursive: true, force: true }));
  const stop = async () => {
    for (const step of stops.reverse()) await step().catch(() => undefined);
  };
  try {
    await mkdir(options.logDir, { recursive: true });
    const postgres = await startPostgres({
      databases: ['hydra_ours', 'hydra_reference'],
      logFile: path.join(options.logDir, 'postgres.log'),
    });
    stops.push(() => postgres.stop());
    const dsnOf = (provider: ProviderId) =>
      `${postgres.urlOf(`hydra_${provider}`)}&${hydraPoolParameters(options.maxInFlight)}`;
    const ours = await startOurs(workDir, options, stops, dsnOf('ours'));
    const reference = await startReference(workDir, options, stops, dsnOf('reference'));
    return { targets: { ours, reference }, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * Hydra's pool defaults to twice the cores (4 here). Some of its requests hold a transaction
 * while waiting for a second connection, so with as many such requests in flight as the pool
 * has connections every one waits for ever (until the client gives up): seen at 16 in flight
 * as connections "idle in transaction" and a 30 s timeout on every flow, for both providers.
 * Two connections per flow in flight, plus slack for the background work, rule that out.
 */
export function hydraPoolParameters(maxInFlight: number): string {
  const connections = 2 * maxInFlight + 4;
  return `max_conns=${connections}&max_idle_conns=${connections}`;
}

async function startOurs(
  workDir: string,
  options: StackOptions,
  stops: Array<() => Promise<void>>,
  dsn: string,
): Promise<Target> {
  const ferret = await startFerretDb({
    dataDir: path.join(workDir, 'ferretdb'),
    logFile: path.join(options.logDir, 'ferretdb.log'),
  });
  stops.push(() => ferret.stop());
  const mongoUrl = `${ferret.url.replace(/\/$/, '')}/bench`;
  await seedUser(mongoUrl);

  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const hydra = await startHydraFor('ours', workDir, options.logDir, dsn, {
    login: `${url}/account/login`,
    consent: `${url}/account/consent`,
    logout: `${url}/account/logout`,
  });
  stops.push(() => hydra.stop());
  const redirectUri = await registerBenchClient(hydra.adminUrl);

  const settingsFile = path.join(workDir, 'settings.json');
  await writeFile(settingsFile, ourSettings(hydra.adminUrl, hydra.publicUrl));
  const idp = await startOurProvider({
    settingsFile,
    mongoUrl,
    port,
    logFile: path.join(options.logDir, 'idp-ours.log'),
    profileDir: options.profileDir,
  });
  stops.push(() => idp.stop().then(() => undefined));
  await waitUntilReady(idp, httpAnswers(`${url}/account/login`, (status) => status === 400));
  const uncached = await startUncachedHost(workDir, options, hydra, mongoUrl);
  stops.push(() => uncached.stop().then(() => undefined));

  return {
    provider: 'ours',
    hydraPublicUrl: hydra.publicUrl,
    clientId: BENCH_CLIENT_ID,
    redirectUri,
    loginForm: (hidden, remember) => ({
      challenge: hidden.get('challenge') ?? '',
      csrf_token: hidden.get('csrf_token') ?? '',
      identifier: BENCH_USER.email,
      password: BENCH_USER.password,
      ...(remember ? { remember: '1' } : {}),
      action: 'sign-in',
    }),
    providerPid: idp.pid,
    processes: { idp: idp.pid, hydra: hydra.pid, ferretdb: ferret.pid },
    apiHosts: {
      cached: { graphqlUrl: `${url}/graphql`, pid: idp.pid },
      uncached: { graphqlUrl: `${uncached.url}/graphql`, pid: uncached.pid },
    },
  };
}

/**
 * A second standalone host for the token scenario without cache: the setting is read once
 * at start-up, so switching it means another process. It serves only the API in this run.
 */
async function startUncachedHost(
  workDir: string,
  options: StackOptions,
  hydra: { adminUrl: string; publicUrl: string },
  mongoUrl: string,
): Promise<RunningChild & { url: string }> {
  const settingsFile = path.join(workDir, 'settings-uncached.json');
  await writeFile(settingsFile, ourSettings(hydra.adminUrl, hydra.publicUrl, 0));
  const port = await freePort();
  const host = await startOurProvider({
    settingsFile,
    mongoUrl,
    port,
    logFile: path.join(options.logDir, 'idp-ours-uncached.log'),
  });
  const url = `http://127.0.0.1:${port}`;
  await waitUntilReady(host, httpAnswers(`${url}/healthz`));
  return Object.assign(host, { url });
}

async function startReference(
  workDir: string,
  options: StackOptions,
  stops: Array<() => Promise<void>>,
  dsn: string,
): Promise<Target> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const hydra = await startHydraFor('reference', workDir, options.logDir, dsn, {
    login: `${url}/login`,
    consent: `${url}/consent`,
    logout: `${url}/logout`,
  });
  stops.push(() => hydra.stop());
  const redirectUri = await registerBenchClient(hydra.adminUrl);

  // Run unmodified; its published bin has no shebang, so node starts its entry file.
  const app = await startChild({
    name: 'reference provider',
    command: process.execPath,
    args: [path.join(repoRoot, 'node_modules/hydra-login-consent-logout/lib/app.js')],
    env: {
      ...baseEnvironment(),
      PORT: String(port),
      HYDRA_ADMIN_URL: hydra.adminUrl,
      NODE_ENV: 'production',
    },
    cwd: repoRoot,
    logFile: path.join(options.logDir, 'reference.log'),
  });
  stops.push(() => app.stop().then(() => undefined));
  await waitUntilReady(app, tcpAccepts('127.0.0.1', port));

  return {
    provider: 'reference',
    hydraPublicUrl: hydra.publicUrl,
    clientId: BENCH_CLIENT_ID,
    redirectUri,
    loginForm: (hidden, remember) => ({
      _csrf: hidden.get('_csrf') ?? '',
      challenge: hidden.get('challenge') ?? '',
      email: REFERENCE_USER.email,
      password: REFERENCE_USER.password,
      ...(remember ? { remember: '1' } : {}),
      submit: 'Log in',
    }),
    providerPid: app.pid,
    processes: { idp: app.pid, hydra: hydra.pid },
  };
}

function startHydraFor(
  provider: ProviderId,
  workDir: string,
  logDir: string,
  dsn: string,
  urls: { login: string; consent: string; logout: string },
) {
  return startHydra({
    dataDir: path.join(workDir, `hydra-${provider}`),
    dsn,
    loginUrl: urls.login,
    consentUrl: urls.consent,
    logoutUrl: urls.logout,
    logFile: path.join(logDir, `hydra-${provider}.log`),
    // Hydra logs every request at info; at this rate the log itself would cost measurable CPU.
    extraEnv: { LOG_LEVEL: 'warn' },
  });
}

/**
 * A public client with PKCE: no client secret, so Hydra spends no hashing on client
 * authentication and every hashed password in the run is the user's. `skip_consent` makes
 * both providers grant without a consent screen (ours also lists it as trusted).
 */
async function registerBenchClient(adminUrl: string): Promise<string> {
  // Never fetched: the flow stops at Hydra's redirect and exchanges the code itself.
  const redirectUri = `http://127.0.0.1:${await freePort()}/callback`;
  await upsertClient(createClientsApi(adminUrl), {
    client_id: BENCH_CLIENT_ID,
    client_name: 'Benchmark relying party',
    grant_types: ['authorization_code'],
    response_types: ['code'],
    scope: 'openid email profile',
    redirect_uris: [redirectUri],
    token_endpoint_auth_method: 'none',
    skip_consent: true,
  });
  return redirectUri;
}

/** Our settings; `cacheSeconds` set only for the uncached host, the other keeps the default. */
function ourSettings(adminUrl: string, publicUrl: string, cacheSeconds?: number): string {
  const block = {
    hydra: { adminUrl, publicUrl },
    trustedClients: [BENCH_CLIENT_ID],
    csrf: { secret: randomBytes(32).toString('base64url') },
    ...(cacheSeconds === undefined ? {} : { tokens: { cacheSeconds } }),
  };
  return `${JSON.stringify({ packages: { [SETTINGS_KEY]: block } }, null, 2)}\n`;
}

/**
 * Our standalone host as a child process of its own, so its CPU time and peak RSS are its
 * alone. NODE_ENV=production as in a deployment (React renders without its dev checks);
 * the reference gets the same (Express then caches its compiled pug views).
 */
async function startOurProvider(host: {
  settingsFile: string;
  mongoUrl: string;
  port: number;
  logFile: string;
  profileDir?: string | undefined;
}): Promise<RunningChild> {
  const { settingsFile, mongoUrl, port, profileDir } = host;
  const profiling = profileDir === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', profileDir];
  return startChild({
    name: 'identity provider (ours)',
    command: process.execPath,
    args: [
      ...profiling,
      ...['--import', 'tsx', 'imports/standalone/main.ts', '--settings', settingsFile],
    ],
    env: {
      ...baseEnvironment(),
      MONGO_URL: mongoUrl,
      PORT: String(port),
      BIND_IP: '127.0.0.1',
      NODE_ENV: 'production',
    },
    cwd: repoRoot,
    logFile: host.logFile,
  });
}

async function seedUser(mongoUrl: string): Promise<void> {
  const client = new MongoClient(mongoUrl);
  try {
    const document = await newMeteorUserDocument({ ...BENCH_USER, verified: true });
    await client.db().collection('users').insertOne(document as never);
  } finally {
    await client.close();
  }
}
