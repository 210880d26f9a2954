import type { CellFigures } from './types';

/** One line on a panel: a label and a y value per concurrency level (NaN = no point). */
export interface ChartSeries {
  label: string;
  color: string;
  dashed: boolean;
  values: number[];
}

export interface ChartPanel {
  title: string;
  yLabel: string;
  logScale: boolean;
  series: ChartSeries[];
  /** Horizontal reference lines, such as the password-verification ceiling. */
  guides: Array<{ label: string; value: number }>;
}

const panelWidth = 460;
const panelHeight = 300;
const margin = { left: 56, right: 16, top: 34, bottom: 44 };
const legendHeight = 96;
const palette = ['#1f5fbf', '#d9650b', '#2e8b57', '#8e44ad', '#b22222', '#555555'];

/** Both panels of the benchmark chart, as one self-contained SVG document. */
export function benchChartSvg(
  levels: readonly number[],
  cells: readonly CellFigures[],
  ceiling: number,
): string {
  const keys = seriesKeys(cells);
  const throughput: ChartPanel = {
    title: 'Throughput (median of rounds)',
    // API requests run some hundred times faster than whole sign-ins; a linear axis would
    // flatten the sign-in lines onto the floor.
    yLabel: 'flows or requests/s (log)',
    logScale: true,
    series: keys.map((key, index) => seriesOf(key, index, levels, cells, 'flows')),
    guides: Number.isFinite(ceiling) ? [{ label: 'bcrypt ceiling', value: ceiling }] : [],
  };
  const latency: ChartPanel = {
    title: 'Latency p50 (solid) and p99 (dashed)',
    yLabel: 'ms per flow (log)',
    logScale: true,
    series: keys.flatMap((key, index) => [
      seriesOf(key, index, levels, cells, 'p50'),
      { ...seriesOf(key, index, levels, cells, 'p99'), dashed: true },
    ]),
    guides: [],
  };
  return chartSvg(levels, [throughput, latency]);
}

interface SeriesKey {
  scenario: string;
  provider: string;
}

function seriesKeys(cells: readonly CellFigures[]): SeriesKey[] {
  const seen = new Map<string, SeriesKey>();
  for (const cell of cells) {
    const key = { scenario: cell.scenario, provider: cell.provider };
    seen.set(`${cell.scenario}/${cell.provider}`, key);
  }
  return [...seen.values()];
}

function seriesOf(
  key: SeriesKey,
  index: number,
  levels: readonly number[],
  cells: readonly CellFigures[],
  figure: 'flows' | 'p50' | 'p99',
): ChartSeries {
  const values = levels.map((level) => {
    const cell = cells.find(
      (candidate) =>
        candidate.scenario === key.scenario &&
        candidate.provider === key.provider &&
        candidate.concurrency === level,
    );
    if (cell === undefined) return Number.NaN;
    if (figure === 'flows') return cell.flowsPerSecond.median;
    return figure === 'p50' ? cell.p50Ms.median : cell.p99Ms.median;
  });
  const label = `${key.scenario} · ${key.provider}${figure === 'flows' ? '' : ` ${figure}`}`;
  return { label, color: palette[index % palette.length] as string, dashed: false, values };
}

/** Panels side by side over the same categorical x axis (the concurrency levels). */
export function chartSvg(levels: readonly number[], panels: readonly ChartPanel[]): string {
  const width = panelWidth * panels.length;
  const height = panelHeight + legendHeight;
  const body = panels.map((panel, index) => panelSvg(levels, panel, index * panelWidth)).join('');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" ` +
    `viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">` +
    `<rect width="${width}" height="${height}" fill="#ffffff"/>${body}</svg>\n`
  );
}

function panelSvg(levels: readonly number[], panel: ChartPanel, offsetX: number): string {
  const plot = {
    x0: offsetX + margin.left,
    x1: offsetX + panelWidth - margin.right,
    y0: panelHeight - margin.bottom,
    y1: margin.top,
  };
  const plotted = panel.series.flatMap((series) => series.values);
  const finite = [...plotted, ...panel.guides.map((guide) => guide.value)]
    .filter((value) => Number.isFinite(value) && (!panel.logScale || value > 0));
  const scale = yScale(finite, panel.logScale, plot.y0, plot.y1);
  const xOf = (index: number) =>
    levels.length === 1
      ? (plot.x0 + plot.x1) / 2
      : plot.x0 + ((plot.x1 - plot.x0) * index) / (levels.length - 1);

  const parts = [
    text(offsetX + panelWidth / 2, 18, panel.title, 'middle', 13),
    `<line x1="${plot.x0}" y1="${plot.y0}" x2="${plot.x1}" y2="${plot.y0}" stroke="#333"/>`,
    `<line x1="${plot.x0}" y1="${plot.y0}" x2="${plot.x0}" y2="${plot.y1}" stroke="#333"/>`,
    ...levels.map((level, index) => text(xOf(index), plot.y0 + 16, String(level), 'middle')),
    text((plot.x0 + plot.x1) / 2, plot.y0 + 34, 'concurrency (flows in flight)', 'middle'),
    ...scale.ticks.map((tick) => tickSvg(plot.x0, plot.x1, scale.y(tick), tick)),
    verticalText(offsetX + 14, (plot.y0 + plot.y1) / 2, panel.yLabel),
    ...panel.guides.map((guide) => guideSvg(plot.x0, plot.x1, scale.y(guide.value), guide.label)),
    ...panel.series.map((series) => seriesSvg(series, xOf, scale.y)),
    legendSvg(panel.series, offsetX + margin.left, panelHeight + 6),
  ];
  return `<g>${parts.join('')}</g>`;
}

interface YScale {
  y(value: number): number;
  ticks: number[];
}

function yScale(values: readonly number[], logScale: boolean, bottom: number, top: number): YScale {
  if (logScale) {
    const low = Math.floor(Math.log10(Math.min(...values, 10)));
    const high = Math.ceil(Math.log10(Math.max(...values, 10)));
    const span = Math.max(1, high - low);
    const ticks = Array.from({ length: span + 1 }, (_, step) => 10 ** (low + step));
    return { ticks, y: (value) => bottom - ((Math.log10(value) - low) / span) * (bottom - top) };
  }
  const max = niceCeiling(Math.max(...values, 1));
  const ticks = Array.from({ length: 6 }, (_, step) => (max * step) / 5);
  return { ticks, y: (value) => bottom - (value / max) * (bottom - top) };
}

/** The next round number above `value` (1, 2 or 5 times a power of ten). */
export function niceCeiling(value: number): number {
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

function tickSvg(x0: number, x1: number, y: number, value: number): string {
  return (
    `<line x1="${x0}" y1="${y}" x2="${x1}" y2="${y}" stroke="#e4e4e4"/>` +
    text(x0 - 4, y + 4, formatTick(value), 'end')
  );
}

function formatTick(value: number): string {
  return value >= 1000 ? `${value / 1000}k` : String(Number(value.toPrecision(3)));
}

function guideSvg(x0: number, x1: number, y: number, label: string): string {
  return (
    `<line x1="${x0}" y1="${y}" x2="${x1}" y2="${y}" stroke="#888" stroke-dasharray="2 3"/>` +
    text(x1, y - 4, label, 'end')
  );
}

function seriesSvg(series: ChartSeries, xOf: (i: number) => number, yOf: (v: number) => number) {
  const points = series.values
    .map((value, index) => ({ value, x: xOf(index) }))
    .filter((point) => Number.isFinite(point.value) && point.value > 0)
    .map((point) => ({ x: point.x, y: yOf(point.value) }));
  if (points.length === 0) return '';
  const path = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x.toFixed(1)},${p.y.toFixed(1)}`);
  const dash = series.dashed ? ' stroke-dasharray="6 4"' : '';
  const dots = points.map(
    (p) => `<circle cx="${p.x.toFixed(1)}" cy="${p.y.toFixed(1)}" r="3" fill="${series.color}"/>`,
  );
  const stroke = `stroke="${series.color}" stroke-width="2"${dash}`;
  return `<path d="${path.join('')}" fill="none" ${stroke}/>${dots.join('')}`;
}

function legendSvg(series: readonly ChartSeries[], x: number, y: number): string {
  const solid = series.filter((entry) => !entry.dashed);
  return solid
    .map((entry, index) => {
      const rowY = y + 14 * index + 10;
      const label = text(x + 24, rowY, entry.label.replace(/ p50$/, ''), 'start');
      return (
        `<line x1="${x}" y1="${rowY - 4}" x2="${x + 18}" y2="${rowY - 4}" ` +
        `stroke="${entry.color}" stroke-width="2"/>${label}`
      );
    })
    .join('');
}

function text(x: number, y: number, content: string, anchor: string, size = 11): string {
  return (
    `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" text-anchor="${anchor}" font-size="${size}">` +
    `${escapeXml(content)}</text>`
  );
}

function verticalText(x: number, y: number, content: string): string {
  return (
    `<text transform="translate(${x} ${y}) rotate(-90)" text-anchor="middle">` +
    `${escapeXml(content)}</text>`
  );
}

export function escapeXml(content: string): string {
  return content
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');
}
