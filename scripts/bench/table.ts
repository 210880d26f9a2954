import type { CellFigures, CeilingFigures, Verdict } from './types';
import type { Spread } from './stats';

/** Left-aligned first column, right-aligned figures; widths from the widest cell. */
export function formatTable(header: readonly string[], rows: readonly string[][]): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => {
        const width = widths[column] ?? 0;
        return column === 0 ? cell.padEnd(width) : cell.padStart(width);
      })
      .join('  ')
      .trimEnd();
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  return [line(header), rule, ...rows.map(line)].join('\n');
}

/** `12.3 ±4%`: the median and the spread of the rounds around it. */
export function formatSpread(spread: Spread, digits = 1): string {
  if (!Number.isFinite(spread.median)) return 'n/a';
  return `${spread.median.toFixed(digits)} ±${Math.round(spread.spreadPct / 2)}%`;
}

export function cellsTable(cells: readonly CellFigures[]): string {
  const header = ['scenario', 'provider', 'conc', 'flows/s', 'p50 ms', 'p99 ms', 'errors'];
  const rows = cells.map((cell) => [
    cell.scenario,
    cell.provider,
    String(cell.concurrency),
    formatSpread(cell.flowsPerSecond),
    formatSpread(cell.p50Ms, 0),
    formatSpread(cell.p99Ms, 0),
    String(cell.errors),
  ]);
  return formatTable(header, rows);
}

export function ceilingLine(ceiling: CeilingFigures): string {
  return (
    `password-verification ceiling (bcrypt cost 10, ${ceiling.threads} threads): ` +
    `${formatSpread(ceiling.verificationsPerSecond)} verifications/s`
  );
}

export function verdictsTable(verdicts: readonly Verdict[]): string {
  const rows = verdicts.map((verdict) => [
    verdict.name,
    String(verdict.concurrency),
    verdict.value.toFixed(2),
    `>= ${verdict.target.toFixed(2)}`,
    verdict.met ? 'met' : 'NOT met',
  ]);
  return formatTable(['target', 'conc', 'ratio', 'target', ''], rows);
}
