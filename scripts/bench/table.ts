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

/** A scenario that a provider cannot run, shown as one `n/a` row after its measured cells. */
export interface NotApplicable {
  scenario: string;
  provider: string;
  reason: string;
}

export function cellsTable(
  cells: readonly CellFigures[],
  notApplicable: readonly NotApplicable[] = [],
): string {
  const header = ['scenario', 'provider', 'conc', 'flows/s', 'p50 ms', 'p99 ms', 'errors'];
  const measured = cells.map((cell) => [
    cell.scenario,
    cell.provider,
    String(cell.concurrency),
    formatSpread(cell.flowsPerSecond),
    formatSpread(cell.p50Ms, 0),
    formatSpread(cell.p99Ms, 0),
    String(cell.errors),
  ]);
  const rows = [...measured];
  for (const missing of notApplicable) {
    const after = rows.map((row) => row[0]).lastIndexOf(missing.scenario) + 1;
    const row = [missing.scenario, missing.provider, '-', 'n/a', 'n/a', 'n/a', '-'];
    rows.splice(after === 0 ? rows.length : after, 0, row);
  }
  const table = formatTable(header, rows);
  const reasons = notApplicable.map((missing) =>
    `n/a: ${missing.scenario} on ${missing.provider}: ${missing.reason}`);
  return [table, ...reasons].join('\n');
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
