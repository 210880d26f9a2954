import { execFile } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { baseEnvironment, repoRoot } from '../stack';

const run = promisify(execFile);
const childScript = fileURLToPath(new URL('./bcryptCeilingChild.ts', import.meta.url));

export interface CeilingRun {
  threads: number;
  inFlight: number;
  perSecond: number;
}

/**
 * Password checks per second on all cores, measured in a fresh process whose libuv pool has
 * one thread per core; twice as many checks in flight keep every thread busy between
 * completions.
 */
export async function measureCeiling(durationMs: number): Promise<CeilingRun> {
  const threads = availableParallelism();
  const inFlight = threads * 2;
  const { stdout } = await run(
    process.execPath,
    ['--import', 'tsx', childScript, String(durationMs), String(inFlight)],
    {
      cwd: repoRoot,
      env: { ...baseEnvironment(), UV_THREADPOOL_SIZE: String(threads) },
      timeout: durationMs + 30_000,
    },
  );
  const lastLine = stdout.trim().split('\n').at(-1) ?? '{}';
  const { perSecond } = JSON.parse(lastLine) as { perSecond: number };
  return { threads, inFlight, perSecond };
}
