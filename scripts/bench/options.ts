import { parseArgs } from 'node:util';

/** How long and how wide one benchmark run is. */
export interface BenchPlan {
  levels: number[];
  rounds: number;
  warmupMs: number;
  measureMs: number;
  /** Upper bound of flows per measured cell, so a very fast machine still ends in time. */
  maxFlowsPerCell: number;
  ceilingMs: number;
  /** Runs our provider under `--cpu-prof` and summarises where its CPU time went. */
  profile: boolean;
  outDir: string;
}

/**
 * One flow at a time (latency without queueing), about two per core (the machine busy), and
 * well past that (queueing: throughput should hold while latency grows).
 */
const defaultLevels = [1, 4, 16];

export class BenchUsageError extends Error {
  override name = 'BenchUsageError';
}

/**
 * The default run (3 rounds of 1, 4, 16 in flight, 4 s each) takes about 5–6 minutes on two
 * cores; `--quick` (one round, 2 s each) about a minute and a half.
 */
export function readPlan(argv: readonly string[]): BenchPlan {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      quick: { type: 'boolean', default: false },
      profile: { type: 'boolean', default: false },
      levels: { type: 'string' },
      rounds: { type: 'string' },
      seconds: { type: 'string' },
      out: { type: 'string', default: 'artifacts/bench' },
    },
    strict: true,
  });
  const quick = values.quick === true;
  const measureMs = secondsOption(values.seconds, quick ? 2 : 4) * 1000;
  return {
    levels: levelsOption(values.levels, defaultLevels),
    rounds: countOption('rounds', values.rounds, quick ? 1 : 3),
    warmupMs: Math.min(1000, measureMs / 4),
    measureMs,
    maxFlowsPerCell: 20_000,
    ceilingMs: quick ? 1500 : 2500,
    profile: values.profile === true,
    outDir: values.out ?? 'artifacts/bench',
  };
}

function levelsOption(raw: string | undefined, fallback: number[]): number[] {
  if (raw === undefined) return fallback;
  const levels = raw.split(',').map((part) => Number(part.trim()));
  if (levels.length === 0 || levels.some((level) => !Number.isInteger(level) || level < 1)) {
    throw new BenchUsageError(`--levels expects positive integers like 1,4,16, got ${raw}`);
  }
  if (Math.max(...levels) > 64) throw new BenchUsageError('--levels above 64 are not supported');
  return [...new Set(levels)].sort((a, b) => a - b);
}

function countOption(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const count = Number(raw);
  if (!Number.isInteger(count) || count < 1 || count > 10) {
    throw new BenchUsageError(`--${name} expects an integer from 1 to 10, got ${raw}`);
  }
  return count;
}

function secondsOption(raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 60) {
    throw new BenchUsageError(`--seconds expects a number from 0 to 60, got ${raw}`);
  }
  return seconds;
}
