/**
 * `exptrack series RUN KEY [--smoothing ema:0.6|twema:0.6|gauss:3|avg:10] [--max-points N]
 * [--from STEP --to STEP] [--json|--csv]`: one metric of one run through the very pipeline the
 * Compare panel draws from — smoothing over every point, then (with --max-points) the reduction
 * that keeps each pixel column's first, last, lowest and highest point. KEY may be a derived
 * metric such as "val/loss - train/loss".
 */
import { parseArgs, UsageError } from '../args';
import type { CliContext, CliIo } from '../cliContext';
import { parseDerived, DerivedSyntaxError } from '../../shared/compare/derivedExpression';
import { formatSmoothing, parseSmoothing, type Smoothing } from '../../shared/compare/smoothing';
import { formatMetricValue, formatTimestamp, jsonReplacer } from '../../shared/format';
import type { MetricSeries } from '../../shared/compare/compareTypes';
import { renderTable } from '../table';
import { findOneRun } from './show';

export async function seriesCommand(args: string[], io: CliIo, ctx: CliContext): Promise<number> {
  const a = parseArgs(args, { flags: ['json', 'csv', 'no-ingest'], options: ['smoothing', 'max-points', 'from', 'to'] });
  const [runQuery, key] = a.positionals;
  if (!runQuery || !key || a.positionals.length > 2) throw new UsageError('series needs a run and a metric key (or a derived metric in quotes)');
  if (a.flags.has('json') && a.flags.has('csv')) throw new UsageError('--json and --csv exclude each other');
  let smoothing: Smoothing;
  try {
    smoothing = parseSmoothing(a.options.get('smoothing') ?? 'none');
  } catch (e) {
    throw new UsageError(`--smoothing: ${(e as Error).message}`);
  }
  const maxPoints = wholeNumber(a.options.get('max-points'), '--max-points', 4);
  const from = stepOption(a.options.get('from'), '--from') ?? -Infinity;
  const to = stepOption(a.options.get('to'), '--to') ?? Infinity;
  if (from > to) throw new UsageError(`--from ${from} is after --to ${to}`);

  const store = await ctx.openStore();
  try {
    const run = findOneRun(store, runQuery, io, !a.flags.has('no-ingest'));
    if (!run) return 1;
    const keys = run.metrics.map((m) => m.key);
    let derived = false;
    if (!keys.includes(key)) {
      try {
        const expr = parseDerived(key);
        const missing = expr.keys.filter((k) => !keys.includes(k));
        if (missing.length) {
          io.stderr(`run ${run.uid} has no metric ${missing.map((k) => `"${k}"`).join(', ')}${keys.length ? ` (it has ${keys.join(', ')})` : ''}\n`);
          return 1;
        }
        derived = true;
      } catch (e) {
        if (!(e instanceof DerivedSyntaxError)) throw e;
        io.stderr(`run ${run.uid} has no metric "${key}"${keys.length ? ` (it has ${keys.join(', ')})` : ''}; as a derived metric: ${e.message} (at ${e.at + 1})\n`);
        return 1;
      }
    }
    const buckets = maxPoints === undefined ? undefined : Math.max(1, Math.floor(maxPoints / (smoothing.kind === 'none' ? 4 : 6)));
    const range = from === -Infinity && to === Infinity ? null : { from, to };
    const [series] = store.chartSeries({ uids: [run.uid], keys: [key], derived: derived ? [key] : [], buckets, smoothing, withTimes: true, range });
    if (!series) {
      io.stderr(`${key} of run ${run.uid} has no points${derived ? ' at steps all its keys share' : ''}\n`);
      return 1;
    }
    const rows = inRange(series, from, to);
    if (a.flags.has('json')) {
      io.stdout(JSON.stringify({
        run: run.uid, key, derived, smoothing: formatSmoothing(smoothing), total: series.total, nonFinite: series.nonFinite,
        points: rows.map((i) => ({ step: nullIfNaN(series.steps[i]!), time: nullIfNaN(series.times[i]!), value: series.values[i]!, ...(series.smoothed ? { smoothed: series.smoothed[i]! } : {}) })),
      }, jsonReplacer, 2) + '\n');
      return 0;
    }
    if (a.flags.has('csv')) {
      const header = ['step', 'time', 'value', ...(series.smoothed ? ['smoothed'] : [])];
      const lines = rows.map((i) => [orEmpty(series.steps[i]!), orEmpty(series.times[i]!), cell(series.values[i]!), ...(series.smoothed ? [cell(series.smoothed[i]!)] : [])].join(','));
      io.stdout([header.join(','), ...lines].join('\n') + '\n');
      return 0;
    }
    io.stdout(renderTable(
      ['STEP', 'TIME', 'VALUE', ...(series.smoothed ? [`SMOOTHED (${formatSmoothing(smoothing)})`] : [])],
      rows.map((i) => [
        Number.isNaN(series.steps[i]!) ? '' : String(series.steps[i]!),
        Number.isNaN(series.times[i]!) ? '' : formatTimestamp(series.times[i]!),
        formatMetricValue(series.values[i]!),
        ...(series.smoothed ? [formatMetricValue(series.smoothed[i]!)] : []),
      ]),
    ));
    io.stderr(`${rows.length} of ${series.total} points${series.nonFinite ? ` (${series.nonFinite} not finite)` : ''}\n`);
    return 0;
  } finally {
    store.close();
  }
}

/** The rows whose step is in the range (the pipeline adds one point on each side for charts). */
function inRange(s: MetricSeries, from: number, to: number): number[] {
  const rows: number[] = [];
  for (let i = 0; i < s.values.length; i++) {
    const step = s.steps[i]!;
    if (Number.isNaN(step) ? from === -Infinity && to === Infinity : step >= from && step <= to) rows.push(i);
  }
  return rows;
}

function cell(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return 'Infinity';
  if (n === -Infinity) return '-Infinity';
  return String(n);
}

/** A step or time: empty when the point has none. */
function orEmpty(n: number): string {
  return Number.isNaN(n) ? '' : String(n);
}

function nullIfNaN(n: number): number | null {
  return Number.isNaN(n) ? null : n;
}

function wholeNumber(text: string | undefined, name: string, min: number): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) < min) throw new UsageError(`${name} needs a whole number of at least ${min}, not "${text}"`);
  return Number(text);
}

function stepOption(text: string | undefined, name: string): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n)) throw new UsageError(`${name} needs a step (a number), not "${text}"`);
  return n;
}
