import { execFile, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { baseEnvironment } from './environment';
import { PostgresMissingError, StackConfigError } from './errors';
import { logsDir } from './paths';
import { assertPortFree, freePort } from './ports';
import {
  runToCompletion,
  startChild,
  waitUntilReady,
  type Probe,
  type RunningChild,
} from './process';

export interface PostgresOptions {
  /**
   * A throwaway cluster folder, deleted by stop(). Run as root, every folder above it must be
   * reachable by the `postgres` user (a `mkdtemp` folder is not); by default a new folder in
   * the system temp directory.
   */
  dataDir?: string;
  port?: number;
  logFile?: string;
  /** Created empty once the server is ready; `url` names the first. Default: `hydra`. */
  databases?: readonly string[];
  startTimeoutMs?: number;
}

export interface RunningPostgres {
  port: number;
  /** `postgres://postgres@127.0.0.1:PORT/<first database>?sslmode=disable` */
  url: string;
  urlOf(database: string): string;
  /** Of the postmaster itself: `setpriv` replaces itself with it, nothing sits between. */
  pid: number;
  logFile: string;
  stop(): Promise<void>;
}

interface Account {
  uid: number;
  gid: number;
}

const loopback = '127.0.0.1';
const superuser = 'postgres';
const installRoot = '/usr/lib/postgresql';
const databaseName = /^[a-z_][a-z0-9_]{0,62}$/;
const shutdownGraceMs = 10_000;

/**
 * A private PostgreSQL cluster on loopback for the life of the caller: initdb into a fresh
 * folder, trust authentication (only loopback and a socket inside that folder reach it), the
 * databases created; stop() shuts the server down and deletes the folder.
 */
export async function startPostgres(opts: PostgresOptions = {}): Promise<RunningPostgres> {
  const binDir = postgresBinDir();
  const databases = opts.databases ?? ['hydra'];
  databases.forEach(checkDatabaseName);
  const owner = clusterOwner();
  const port = opts.port ?? (await freePort());
  await assertPortFree('postgres', port);
  const logFile = opts.logFile ?? join(logsDir, `postgres-${port}.log`);
  const dataDir = resolve(opts.dataDir ?? mkdtempSync(join(tmpdir(), 'hydra-oauth-pg-')));

  let postmaster: RunningChild | undefined;
  try {
    const dirs = prepareDirectories(dataDir, owner);
    await runToCompletion(asOwner(owner, 'initdb', initdbArguments(binDir, dirs.pgdata), logFile));
    postmaster = await startChild(
      asOwner(owner, 'postgres', postgresArguments(binDir, dirs, port), logFile),
    );
    const wait = { timeoutMs: opts.startTimeoutMs ?? 60_000, intervalMs: 200 };
    await waitUntilReady(postmaster, acceptsQueries(binDir, port), wait);
    for (const name of databases) await createDatabase(binDir, port, name, logFile);
  } catch (error) {
    if (postmaster !== undefined) await shutDown(postmaster);
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }

  const running = postmaster;
  const urlOf = (database: string) =>
    `postgres://${superuser}@${loopback}:${port}/${database}?sslmode=disable`;
  return {
    port,
    url: urlOf(databases[0] ?? 'postgres'),
    urlOf,
    pid: running.pid,
    logFile,
    stop: async () => {
      await shutDown(running);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The programs of the newest installed major version, as Debian lays them out. */
export function postgresBinDir(root = installRoot): string {
  const majors = existsSync(root)
    ? readdirSync(root).filter((entry) => /^\d+$/.test(entry))
    : [];
  majors.sort((a, b) => Number(b) - Number(a));
  for (const major of majors) {
    const dir = join(root, major, 'bin');
    if (existsSync(join(dir, 'postgres'))) return dir;
  }
  throw new PostgresMissingError(`${root}/*/bin/postgres`);
}

function checkDatabaseName(name: string): void {
  // Goes unquoted into createdb's arguments and into URLs, so only plain identifiers.
  if (!databaseName.test(name)) {
    throw new StackConfigError('databases', `expected a lower-case identifier, got "${name}"`);
  }
}

/** PostgreSQL refuses to run as root, so under root the cluster belongs to `postgres`. */
function clusterOwner(): Account | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const entry = spawnSync('getent', ['passwd', superuser], { encoding: 'utf8' });
  const [, , uid, gid] = entry.status === 0 ? entry.stdout.trim().split(':') : [];
  if (uid === undefined || gid === undefined) {
    throw new PostgresMissingError(`a "${superuser}" system user`);
  }
  return { uid: Number(uid), gid: Number(gid) };
}

function prepareDirectories(dataDir: string, owner: Account | undefined) {
  const dirs = { pgdata: join(dataDir, 'pgdata'), socketDir: join(dataDir, 'socket') };
  mkdirSync(dirs.pgdata, { recursive: true, mode: 0o700 });
  mkdirSync(dirs.socketDir, { recursive: true, mode: 0o700 });
  if (owner !== undefined) {
    for (const dir of [dataDir, dirs.pgdata, dirs.socketDir]) chownSync(dir, owner.uid, owner.gid);
  }
  return dirs;
}

/**
 * `setpriv` execs the program as the owner, so the child's PID is the postmaster's own and a
 * signal to it reaches PostgreSQL, not a wrapper (`runuser` forks and waits instead).
 */
function asOwner(owner: Account | undefined, name: string, argv: string[], logFile: string) {
  const [program = '', ...args] = argv;
  const env = { ...baseEnvironment(), LC_ALL: 'C' };
  if (owner === undefined) return { name, command: program, args, env, logFile };
  const drop = [`--reuid=${owner.uid}`, `--regid=${owner.gid}`, '--clear-groups', '--'];
  return { name, command: 'setpriv', args: [...drop, program, ...args], env, logFile };
}

function initdbArguments(binDir: string, pgdata: string): string[] {
  return [
    join(binDir, 'initdb'),
    `--pgdata=${pgdata}`,
    `--username=${superuser}`,
    '--auth-local=trust',
    '--auth-host=trust',
    '--encoding=UTF8',
    '--locale=C',
    '--no-sync',
  ];
}

/**
 * The cluster is thrown away after the run, so commits need not wait for the disk: on a
 * shared machine fsync waits are noise from other people's work, and durability has no
 * value here. Both Hydras share this server, so it is the same for every provider.
 */
function postgresArguments(
  binDir: string,
  dirs: { pgdata: string; socketDir: string },
  port: number,
): string[] {
  return [
    join(binDir, 'postgres'),
    '-D', dirs.pgdata,
    '-c', `listen_addresses=${loopback}`,
    '-c', `port=${port}`,
    '-c', `unix_socket_directories=${dirs.socketDir}`,
    '-c', 'synchronous_commit=off',
    '-c', 'fsync=off',
    '-c', 'full_page_writes=off',
    // Room for two Hydras' pools sized for the bench's highest level (64 in flight).
    '-c', 'max_connections=300',
  ];
}

/** Passes once `pg_isready` says the server takes connections (not merely listens). */
function acceptsQueries(binDir: string, port: number): Probe {
  const args = ['-h', loopback, '-p', String(port), '-U', superuser, '-d', 'postgres', '-q'];
  return {
    description: `pg_isready on ${loopback}:${port}`,
    check: () =>
      new Promise((resolveCheck) => {
        execFile(join(binDir, 'pg_isready'), args, { timeout: 5_000 }, (error) => {
          resolveCheck(error === null);
        });
      }),
  };
}

async function createDatabase(binDir: string, port: number, name: string, logFile: string) {
  await runToCompletion({
    name: `createdb ${name}`,
    command: join(binDir, 'createdb'),
    args: ['-h', loopback, '-p', String(port), '-U', superuser, name],
    env: baseEnvironment(),
    logFile,
  });
}

/**
 * SIGINT is PostgreSQL's fast shutdown: open connections are ended, not waited for (SIGTERM,
 * the "smart" mode, would wait for Hydra's pool forever). SIGQUIT stops at once if that hangs.
 */
async function shutDown(postmaster: RunningChild): Promise<void> {
  for (const name of ['SIGINT', 'SIGQUIT'] as const) {
    if (postmaster.exitStatus() !== undefined) return;
    signal(postmaster.pid, name);
    if (await endsWithin(postmaster, shutdownGraceMs)) return;
  }
  await postmaster.stop(1_000);
}

function endsWithin(child: RunningChild, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolveWait) => {
    timer = setTimeout(() => resolveWait(false), ms);
  });
  return Promise.race([child.exited.then(() => true), late]).finally(() => clearTimeout(timer));
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Gone already: it ended between the status check and the signal.
  }
}
