import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

import { baseEnvironment } from './environment';
import { ferretDbBinary, logsDir, requireTool } from './paths';
import { assertPortFree, freePort } from './ports';
import { startChild, tcpAccepts, waitUntilReady } from './process';

export interface FerretDbOptions {
  /** Holds the SQLite databases and FerretDB's state file; created when missing. */
  dataDir: string;
  port?: number;
  logFile?: string;
  startTimeoutMs?: number;
}

export interface RunningFerretDb {
  port: number;
  /** `mongodb://127.0.0.1:PORT/` */
  url: string;
  pid: number;
  logFile: string;
  stop(): Promise<void>;
}

const loopback = '127.0.0.1';

/** Runs FerretDB with its SQLite backend on loopback; resolves once it accepts connections. */
export async function startFerretDb(opts: FerretDbOptions): Promise<RunningFerretDb> {
  const binary = requireTool('ferretdb', ferretDbBinary);
  const port = opts.port ?? (await freePort());
  const logFile = opts.logFile ?? join(logsDir, `ferretdb-${port}.log`);

  const dataDir = resolve(opts.dataDir);
  const sqliteDir = join(dataDir, 'sqlite');
  mkdirSync(sqliteDir, { recursive: true });
  await assertPortFree('ferretdb', port);

  const child = await startChild({
    name: 'ferretdb',
    command: binary,
    args: ferretDbArguments({ port, sqliteDir, stateDir: dataDir }),
    env: { ...baseEnvironment(), DO_NOT_TRACK: '1' },
    logFile,
  });

  try {
    await waitUntilReady(child, tcpAccepts(loopback, port), {
      timeoutMs: opts.startTimeoutMs ?? 30_000,
    });
  } catch (error) {
    await child.stop();
    throw error;
  }

  return {
    port,
    url: `mongodb://${loopback}:${port}/`,
    pid: child.pid,
    logFile,
    stop: async () => {
      await child.stop();
    },
  };
}

export interface FerretDbArgumentsInput {
  port: number;
  sqliteDir: string;
  stateDir: string;
}

/** The command line for one FerretDB instance that shares nothing with any other. */
export function ferretDbArguments(input: FerretDbArgumentsInput): string[] {
  return [
    '--handler=sqlite',
    `--sqlite-url=${sqliteDirectoryUrl(input.sqliteDir)}`,
    `--listen-addr=${loopback}:${input.port}`,
    // The debug listener defaults to 127.0.0.1:8088 in every instance, so a second FerretDB
    // (a parallel test run, or `npm start` while tests run) would fail to start.
    '--debug-addr=-',
    // The default state dir is the working directory; keep state.json with the data instead.
    `--state-dir=${input.stateDir}`,
    // Reports cannot leave this network anyway; disabling them keeps start-up quiet.
    '--telemetry=disable',
    '--log-level=info',
  ];
}

/** FerretDB wants a `file:` URL of a directory, with the trailing slash. */
export function sqliteDirectoryUrl(dir: string): string {
  const url = pathToFileURL(resolve(dir)).href;
  return url.endsWith('/') ? url : `${url}/`;
}
