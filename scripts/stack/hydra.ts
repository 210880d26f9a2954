import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';

import { baseEnvironment } from './environment';
import { StackConfigError } from './errors';
import { hydraBinary, logsDir, requireTool } from './paths';
import { assertPortFree, freePort } from './ports';
import { httpAnswers, runToCompletion, startChild, waitUntilReady } from './process';

/** Lifetimes in seconds, as everywhere in this project; Hydra is given them as `30s`. */
export interface HydraTtl {
  loginConsentRequest?: number;
  accessToken?: number;
  refreshToken?: number;
  idToken?: number;
  /**
   * Not supported: Hydra v2.3 has no setting for it (its `ttl` section knows only the four
   * above and `auth_code`). How long a login is remembered is the `remember_for` that the
   * login provider sends when it accepts a login. Passing it is an error rather than ignored.
   */
  authenticationSession?: number;
}

export interface HydraOptions {
  /** Holds the system secret, and the SQLite database unless `dsn` is given; made if missing. */
  dataDir: string;
  /**
   * Where Hydra keeps its data; a SQLite file in `dataDir` by default. SQLite lets one writer
   * in at a time, so concurrent load needs a server database (`postgres://…`) instead.
   */
  dsn?: string;
  publicPort?: number;
  adminPort?: number;
  loginUrl: string;
  consentUrl: string;
  logoutUrl: string;
  errorUrl?: string;
  postLogoutRedirectUrl?: string;
  ttl?: HydraTtl;
  logFile?: string;
  /** Applied last, so it can set any Hydra setting not covered above. */
  extraEnv?: Record<string, string>;
  startTimeoutMs?: number;
}

export interface RunningHydra {
  publicUrl: string;
  adminUrl: string;
  issuer: string;
  publicPort: number;
  adminPort: number;
  /** Of `hydra serve all`; lets a caller check that stop() really ended it. */
  pid: number;
  logFile: string;
  stop(): Promise<void>;
}

/** Everything Hydra's configuration is built from, once ports and secret are chosen. */
export interface HydraConfig {
  dsn: string;
  publicPort: number;
  adminPort: number;
  issuer: string;
  loginUrl: string;
  consentUrl: string;
  logoutUrl: string;
  errorUrl?: string;
  postLogoutRedirectUrl?: string;
  ttl?: HydraTtl;
  systemSecret: string;
}

const loopback = '127.0.0.1';

/** Maps our option names to Hydra's `ttl.*` keys (as environment variables). */
const ttlVariables = {
  loginConsentRequest: 'TTL_LOGIN_CONSENT_REQUEST',
  accessToken: 'TTL_ACCESS_TOKEN',
  refreshToken: 'TTL_REFRESH_TOKEN',
  idToken: 'TTL_ID_TOKEN',
} as const satisfies Partial<Record<keyof HydraTtl, string>>;

/**
 * Migrates Hydra's database (SQLite in `opts.dataDir` unless `opts.dsn` names another), then
 * runs `hydra serve all --dev` on loopback and resolves once both its admin and public
 * listeners report ready.
 */
export async function startHydra(opts: HydraOptions): Promise<RunningHydra> {
  const binary = requireTool('hydra', hydraBinary);
  rejectUnsupportedOptions(opts);

  const publicPort = opts.publicPort ?? (await freePort());
  const adminPort = opts.adminPort ?? (await freePort());
  const publicUrl = `http://${loopback}:${publicPort}`;
  const adminUrl = `http://${loopback}:${adminPort}`;
  const logFile = opts.logFile ?? join(logsDir, `hydra-${publicPort}.log`);

  if (publicPort === adminPort) {
    throw new StackConfigError('adminPort', `must differ from publicPort (${publicPort})`);
  }
  await assertPortFree('hydra public', publicPort);
  await assertPortFree('hydra admin', adminPort);

  const dataDir = resolve(opts.dataDir);
  mkdirSync(dataDir, { recursive: true });

  const config: HydraConfig = {
    dsn: opts.dsn ?? sqliteDsn(join(dataDir, 'hydra.sqlite')),
    publicPort,
    adminPort,
    issuer: publicUrl,
    loginUrl: opts.loginUrl,
    consentUrl: opts.consentUrl,
    logoutUrl: opts.logoutUrl,
    errorUrl: opts.errorUrl,
    postLogoutRedirectUrl: opts.postLogoutRedirectUrl,
    ttl: opts.ttl,
    systemSecret: systemSecretOf(dataDir),
  };
  const env = { ...baseEnvironment(), ...hydraEnvironment(config), ...opts.extraEnv };

  await runToCompletion({
    name: 'hydra migrate',
    command: binary,
    args: ['migrate', 'sql', 'up', '--read-from-env', '--yes'],
    env,
    logFile,
  });

  // --dev allows an http:// issuer on loopback; --sqa-opt-out stops usage reports, which
  // could only fail on a closed network and would clutter the log.
  const child = await startChild({
    name: 'hydra',
    command: binary,
    args: ['serve', 'all', '--dev', '--sqa-opt-out'],
    env,
    logFile,
  });

  try {
    const wait = { timeoutMs: opts.startTimeoutMs ?? 60_000 };
    await waitUntilReady(child, httpAnswers(`${adminUrl}/health/ready`), wait);
    await waitUntilReady(child, httpAnswers(`${publicUrl}/health/ready`), wait);
  } catch (error) {
    await child.stop();
    throw error;
  }

  return {
    publicUrl,
    adminUrl,
    issuer: config.issuer,
    publicPort,
    adminPort,
    pid: child.pid,
    logFile,
    stop: async () => {
      await child.stop();
    },
  };
}

function rejectUnsupportedOptions(opts: HydraOptions): void {
  if (opts.ttl?.authenticationSession !== undefined) {
    throw new StackConfigError(
      'ttl.authenticationSession',
      'Hydra v2.3 has no such setting; the login provider sets remember_for instead',
    );
  }
}

/** Hydra's settings for `config`, as the environment variables Hydra reads them from. */
export function hydraEnvironment(config: HydraConfig): Record<string, string> {
  const env: Record<string, string> = {
    DSN: config.dsn,
    SERVE_PUBLIC_HOST: loopback,
    SERVE_PUBLIC_PORT: String(config.publicPort),
    SERVE_ADMIN_HOST: loopback,
    SERVE_ADMIN_PORT: String(config.adminPort),
    URLS_SELF_ISSUER: config.issuer,
    URLS_LOGIN: config.loginUrl,
    URLS_CONSENT: config.consentUrl,
    URLS_LOGOUT: config.logoutUrl,
    SECRETS_SYSTEM: config.systemSecret,
    // Opaque tokens make the demand API introspect every token, which is what it does.
    STRATEGIES_ACCESS_TOKEN: 'opaque',
    OIDC_SUBJECT_IDENTIFIERS_SUPPORTED_TYPES: 'public',
    LOG_LEVEL: 'info',
  };
  if (config.errorUrl !== undefined) env.URLS_ERROR = config.errorUrl;
  if (config.postLogoutRedirectUrl !== undefined) {
    env.URLS_POST_LOGOUT_REDIRECT = config.postLogoutRedirectUrl;
  }

  for (const [option, variable] of Object.entries(ttlVariables)) {
    const seconds = config.ttl?.[option as keyof typeof ttlVariables];
    if (seconds !== undefined) env[variable] = hydraDuration(seconds, `ttl.${option}`);
  }
  return env;
}

/**
 * Seconds as a Hydra duration (`90` → `90s`). Hydra accepts only whole numbers with a unit, so
 * fractions of a second become milliseconds; anything not positive is refused, because Hydra
 * would either reject it at start-up or read it as "never expires".
 */
export function hydraDuration(seconds: number, option = 'duration'): string {
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new StackConfigError(option, `expected a positive number of seconds, got ${seconds}`);
  }
  if (Number.isInteger(seconds)) return `${seconds}s`;

  const milliseconds = Math.round(seconds * 1000);
  if (Math.abs(milliseconds - seconds * 1000) > 1e-6) {
    throw new StackConfigError(option, `${seconds} s is finer than a millisecond`);
  }
  return `${milliseconds}ms`;
}

/**
 * A DSN for a SQLite file. `_fk=true` turns on foreign keys, which Hydra's schema relies on
 * to delete dependent rows; `mode=rwc` creates the file on first use.
 */
export function sqliteDsn(file: string): string {
  if (!isAbsolute(file)) {
    throw new StackConfigError('dataDir', `expected an absolute path, got ${file}`);
  }
  // After "?" come the driver's options, so these characters would cut the file name short.
  if (/[?#]/.test(file)) {
    throw new StackConfigError('dataDir', `must not contain "?" or "#": ${file}`);
  }
  return `sqlite://${file}?_fk=true&mode=rwc`;
}

/**
 * The secret Hydra encrypts its signing keys and sessions with, kept beside the database: a
 * new secret on the next start would leave Hydra unable to read what it stored before. Hydra
 * needs at least 16 characters; 32 random bytes as hex give 64.
 */
export function systemSecretOf(dataDir: string): string {
  const file = join(dataDir, 'system-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();

  const secret = randomBytes(32).toString('hex');
  writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  return secret;
}
