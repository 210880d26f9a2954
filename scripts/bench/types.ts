import type { Spread } from './stats';

export type ProviderId = 'ours' | 'reference';

/** CPU milliseconds per completed flow, by process; where the time of one flow goes. */
export type CpuPerFlow = Record<string, number>;

/** One measured run of one scenario, provider and concurrency level. */
export interface RoundFigures {
  round: number;
  flows: number;
  errors: number;
  elapsedMs: number;
  flowsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  cpuMsPerFlow: CpuPerFlow;
  /** The first few error messages, for the reader of the JSON file. */
  errorSamples: string[];
}

/** A scenario × provider × concurrency cell, over all rounds. */
export interface CellFigures {
  scenario: string;
  provider: ProviderId;
  concurrency: number;
  rounds: RoundFigures[];
  flowsPerSecond: Spread;
  p50Ms: Spread;
  p99Ms: Spread;
  errors: number;
}

export interface CeilingFigures {
  threads: number;
  inFlight: number;
  rounds: number[];
  verificationsPerSecond: Spread;
}

/** A figure that the issue sets a target for, computed from medians of the same run. */
export interface Verdict {
  name: string;
  concurrency: number;
  value: number;
  target: number;
  met: boolean;
}
