import { percentile, ratio, rounded, spreadOf } from './stats';
import type { CellFigures, CpuPerFlow, ProviderId, RoundFigures, Verdict } from './types';

/** A measured run of one cell, before it is reduced to figures. */
export interface RawRound {
  round: number;
  latenciesMs: number[];
  errors: number;
  errorSamples: string[];
  elapsedMs: number;
  cpuMs: Record<string, number>;
}

export function roundFigures(raw: RawRound): RoundFigures {
  const flows = raw.latenciesMs.length;
  const cpuMsPerFlow: CpuPerFlow = {};
  for (const [name, ms] of Object.entries(raw.cpuMs)) {
    cpuMsPerFlow[name] = rounded(ratio(ms, flows), 2);
  }
  return {
    round: raw.round,
    flows,
    errors: raw.errors,
    elapsedMs: Math.round(raw.elapsedMs),
    flowsPerSecond: rounded(ratio(flows * 1000, raw.elapsedMs), 2),
    p50Ms: rounded(percentile(raw.latenciesMs, 50), 1),
    p99Ms: rounded(percentile(raw.latenciesMs, 99), 1),
    cpuMsPerFlow,
    errorSamples: raw.errorSamples,
  };
}

export function cellFigures(
  scenario: string,
  provider: ProviderId,
  concurrency: number,
  rounds: RoundFigures[],
): CellFigures {
  return {
    scenario,
    provider,
    concurrency,
    rounds,
    flowsPerSecond: roundedSpread(rounds.map((round) => round.flowsPerSecond)),
    p50Ms: roundedSpread(rounds.map((round) => round.p50Ms)),
    p99Ms: roundedSpread(rounds.map((round) => round.p99Ms)),
    errors: rounds.reduce((sum, round) => sum + round.errors, 0),
  };
}

function roundedSpread(values: number[]) {
  const spread = spreadOf(values);
  return {
    median: rounded(spread.median, 2),
    min: rounded(spread.min, 2),
    max: rounded(spread.max, 2),
    spreadPct: rounded(spread.spreadPct, 1),
  };
}

/** The targets for a remembered session: ours at least equal to the reference. */
export function rememberedVerdicts(cells: readonly CellFigures[], scenario: string): Verdict[] {
  const ours = cells.filter((cell) => cell.scenario === scenario && cell.provider === 'ours');
  return ours.flatMap((cell) => {
    const reference = cells.find(
      (other) =>
        other.scenario === scenario &&
        other.provider === 'reference' &&
        other.concurrency === cell.concurrency,
    );
    if (reference === undefined) return [];
    const value = rounded(ratio(cell.flowsPerSecond.median, reference.flowsPerSecond.median), 3);
    const name = `${scenario} ours/reference`;
    return [{ name, concurrency: cell.concurrency, value, target: 1, met: value >= 1 }];
  });
}

/**
 * Fresh sign-ins against the password-verification ceiling. One flow in flight uses at most
 * one core, so the target is judged at the level where ours peaks; every level is listed.
 */
export function freshVerdicts(
  cells: readonly CellFigures[],
  scenario: string,
  ceiling: number,
): Verdict[] {
  const ours = cells.filter((cell) => cell.scenario === scenario && cell.provider === 'ours');
  const peak = Math.max(...ours.map((cell) => cell.flowsPerSecond.median));
  return ours.map((cell) => {
    const value = rounded(ratio(cell.flowsPerSecond.median, ceiling), 3);
    const atPeak = cell.flowsPerSecond.median === peak;
    return {
      name: `${scenario} ours/ceiling${atPeak ? ' (peak)' : ''}`,
      concurrency: cell.concurrency,
      value,
      target: 0.8,
      met: value >= 0.8,
    };
  });
}
