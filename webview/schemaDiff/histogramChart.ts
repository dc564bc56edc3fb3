/**
 * The two sides' distributions of one column, overlaid in one chart: the buckets the drift measure
 * aligned (bars, shares of each side) when there are some, else each side's own histogram as a
 * step curve on a shared numeric axis, else the most frequent values. chart.js with only the parts
 * drawn here registered.
 */
import {
  BarController, BarElement, CategoryScale, Chart, Filler, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip,
  type ChartConfiguration,
} from 'chart.js';
import type { SchemaDiffWire } from '../../src/shared/protocol/schemaDiff';
import { figure } from '../../src/shared/schemaDiffText';
import { chartTheme, cssVar, withAlpha } from '../common/theme';
import { isCategorical } from './categories';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, LineController, LineElement, PointElement, Filler, Tooltip, Legend);

type Column = SchemaDiffWire['columns'][number];
type Side = NonNullable<Column['a']>;

export interface SideNames {
  a: string;
  b: string;
}

/** At most this many categories are drawn (the most frequent of both sides). */
const MAX_CATEGORIES = 30;

export function sideColors(): { a: string; b: string } {
  return { a: cssVar('--vscode-charts-blue', '#3794ff'), b: cssVar('--vscode-charts-orange', '#d18616') };
}

/** Draws the chart for `column` into `canvas`; undefined when there is nothing to draw. */
export function drawDistribution(canvas: HTMLCanvasElement, column: Column, names: SideNames): Chart | undefined {
  const categorical = isCategorical(column.a) || isCategorical(column.b);
  const config = alignedConfig(column, names)
    ?? (categorical ? categoryConfig(column, names) : histogramConfig(column, names))
    ?? categoryConfig(column, names) ?? histogramConfig(column, names);
  if (!config) return undefined;
  const theme = chartTheme();
  Chart.defaults.color = theme.muted;
  Chart.defaults.borderColor = theme.grid;
  Chart.defaults.font.family = theme.fontFamily;
  Chart.defaults.font.size = Math.max(10, theme.fontSize - 2);
  return new Chart(canvas, config as ChartConfiguration);
}

/** Shares as percentages, for the y axis. */
const pct = (share: number) => share * 100;

function baseOptions(xTitle: string) {
  return {
    animation: false as const,
    responsive: true,
    maintainAspectRatio: false,
    interaction: { mode: 'index' as const, intersect: false },
    plugins: {
      legend: { position: 'top' as const, labels: { boxWidth: 12 } },
      tooltip: { callbacks: { label: (ctx: { dataset: { label?: string }; parsed: { y: number | null } }) => `${ctx.dataset.label ?? ''}: ${figure(ctx.parsed.y)}%` } },
    },
    scales: {
      y: { type: 'linear' as const, beginAtZero: true, title: { display: true, text: 'share of rows (%)' } },
      x: { title: { display: true, text: xTitle } },
    },
  };
}

function barDatasets(names: SideNames, a: number[], b: number[]) {
  const colors = sideColors();
  // Overlaid, not side by side: where the bars differ, one shows through the other.
  return [
    { label: names.a, data: a, backgroundColor: withAlpha(colors.a, 0.45), borderColor: colors.a, borderWidth: 1, grouped: false },
    { label: names.b, data: b, backgroundColor: withAlpha(colors.b, 0.45), borderColor: colors.b, borderWidth: 1, grouped: false },
  ];
}

/** The buckets the Jensen–Shannon divergence was computed on (aligned histograms or categories). */
function alignedConfig(column: Column, names: SideNames) {
  const js = column.drift?.jensenShannon;
  const buckets = js?.buckets ?? column.drift?.psi?.bins;
  if (!buckets || buckets.length === 0) return undefined;
  const shown = js?.basis === 'categories' ? [...buckets].sort((x, y) => Math.max(y.a, y.b) - Math.max(x.a, x.b)).slice(0, MAX_CATEGORIES) : buckets;
  return {
    type: 'bar' as const,
    data: { labels: shown.map((bk) => bk.label), datasets: barDatasets(names, shown.map((bk) => pct(bk.a)), shown.map((bk) => pct(bk.b))) },
    options: baseOptions(js?.basis === 'categories' ? 'value' : js ? 'value (aligned buckets)' : 'bins of A (deciles)'),
  };
}

/** Each side's own equal-width histogram as a filled step curve on one numeric axis. */
function histogramConfig(column: Column, names: SideNames) {
  const colors = sideColors();
  const datasets = [];
  for (const [side, name, color] of [[column.a, names.a, colors.a], [column.b, names.b, colors.b]] as [Side | undefined, string, string][]) {
    const points = stepPoints(side);
    if (points) datasets.push({ label: name, data: points, stepped: 'after' as const, fill: 'origin', pointRadius: 0, borderWidth: 1.5, borderColor: color, backgroundColor: withAlpha(color, 0.3) });
  }
  if (datasets.length === 0) return undefined;
  const options = baseOptions('value');
  return {
    type: 'line' as const,
    data: { datasets },
    options: { ...options, parsing: false as const, scales: { ...options.scales, x: { ...options.scales.x, type: 'linear' as const } } },
  };
}

function stepPoints(side: Side | undefined): { x: number; y: number }[] | undefined {
  const numeric = side?.stats?.numeric;
  const buckets = numeric?.histogram.buckets.filter((bk) => bk.low !== null && bk.high !== null);
  if (!buckets || buckets.length === 0) return undefined;
  const total = buckets.reduce((sum, bk) => sum + bk.count, 0);
  if (total <= 0) return undefined;
  const points = [{ x: buckets[0]!.low!, y: 0 }];
  for (const bk of buckets) points.push({ x: bk.high!, y: pct(bk.count / total) });
  points.push({ x: buckets[buckets.length - 1]!.high!, y: 0 });
  return points;
}

/** The most frequent values of each side, as shares. */
function categoryConfig(column: Column, names: SideNames) {
  const shares = (side: Side | undefined) => {
    const top = side?.stats?.categorical?.topValues;
    const present = side?.stats?.present ?? 0;
    return top && present > 0 ? new Map(top.map((t) => [t.value, t.count / present])) : undefined;
  };
  const a = shares(column.a);
  const b = shares(column.b);
  if (!a && !b) return undefined;
  const frequent = [...new Set([...(a?.keys() ?? []), ...(b?.keys() ?? [])])]
    .sort((x, y) => Math.max(b?.get(y) ?? 0, a?.get(y) ?? 0) - Math.max(b?.get(x) ?? 0, a?.get(x) ?? 0))
    .slice(0, MAX_CATEGORIES);
  // Numbers (class labels) read best in their own order; words by how often they occur.
  const values = frequent.every((v) => v.trim() !== '' && Number.isFinite(Number(v))) ? frequent.sort((x, y) => Number(x) - Number(y)) : frequent;
  return {
    type: 'bar' as const,
    data: { labels: values, datasets: barDatasets(names, values.map((v) => pct(a?.get(v) ?? 0)), values.map((v) => pct(b?.get(v) ?? 0))) },
    options: baseOptions('most frequent values'),
  };
}
