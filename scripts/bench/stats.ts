/** Pure statistics for the benchmark: no I/O, so the unit tests can pin every figure. */

/** Median, extremes and how far apart the extremes are, of one figure across rounds. */
export interface Spread {
  median: number;
  min: number;
  max: number;
  /** (max - min) / median in percent; 0 when the median is 0. */
  spreadPct: number;
}

/**
 * The nearest-rank percentile (`p` from 0 to 100) of unsorted samples: an observed value,
 * never an interpolation, so a p99 of 100 samples is the 99th slowest flow that really ran.
 */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be 0..100, got ${p}`);

  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] as number;
}

/** The middle value; the mean of the two middle values for an even count. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length % 2 === 1) return sorted[middle] as number;
  return ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

export function spreadOf(values: readonly number[]): Spread {
  if (values.length === 0) return { median: Number.NaN, min: NaN, max: NaN, spreadPct: NaN };
  const mid = median(values);
  const min = Math.min(...values);
  const max = Math.max(...values);
  const spreadPct = mid === 0 ? 0 : ((max - min) / mid) * 100;
  return { median: mid, min, max, spreadPct };
}

/** `part / whole`, or NaN when there is nothing to compare against. */
export function ratio(part: number, whole: number): number {
  return whole > 0 && Number.isFinite(part) ? part / whole : Number.NaN;
}

/** Rounds for the JSON file: keeps it readable without hiding any significant digit. */
export function rounded(value: number, digits = 2): number {
  if (!Number.isFinite(value)) return value;
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
