/**
 * Chart-ready metric series from the chunks of the series store (src/core/store/seriesStore.ts):
 * columns decoded as typed arrays, put in step order when they are not already, and down-sampled
 * with minima and maxima kept. No per-point objects are made, so 100 runs × 10,000 steps stay cheap.
 */
import type { MetricSeries } from '../../shared/compare/compareTypes';
import type { SeriesStore, StepRange } from '../store/seriesStore';
import { downsampleMinMax, type PointColumns } from './downsample';
import { runIdsByUid } from './runLookup';
import type { SeriesCache } from './seriesCache';

/** About what a chart can show for one series; more only costs transfer and drawing time. */
export const DEFAULT_SERIES_POINTS = 2000;

/**
 * Series for every (run, key) pair that has points, in the order of `uids` then `keys`. Without
 * `withTimes`, `times` is empty. With a cache, unchanged series are served from it (treat the
 * arrays as read-only).
 */
export function metricSeries(
  series: SeriesStore, uids: readonly string[], keys: readonly string[], maxPoints = DEFAULT_SERIES_POINTS, withTimes = true, cache?: SeriesCache,
): MetricSeries[] {
  const ids = runIdsByUid(series.db, uids);
  const out: MetricSeries[] = [];
  const version = series.prepareVersion();
  try {
    for (const uid of uids) {
      const runId = ids.get(uid);
      if (runId === undefined) continue;
      for (const key of keys) {
        const token = cache ? series.version(version, runId, key) : '';
        const cached = cache?.get(uid, key, maxPoints, token, withTimes);
        if (cached) {
          out.push(cached);
          continue;
        }
        const columns = series.readColumns(runId, key, withTimes);
        if (!columns) continue;
        const one = reduce(uid, key, columns, maxPoints);
        cache?.set(one, maxPoints, token, withTimes);
        out.push(one);
      }
    }
  } finally {
    version.free();
  }
  return out;
}

/**
 * The points of one series whose step lies in `range`, at full resolution up to `maxPoints` (then
 * down-sampled the same way): what a chart zoomed into that range shows. Only the chunks whose
 * step range meets it are read. `total` counts the points in the range.
 */
export function metricSeriesInRange(
  series: SeriesStore, uid: string, key: string, range: StepRange, maxPoints = DEFAULT_SERIES_POINTS, withTimes = true,
): MetricSeries | undefined {
  const runId = runIdsByUid(series.db, [uid]).get(uid);
  const columns = runId === undefined ? undefined : series.readColumns(runId, key, withTimes, range);
  return columns && columns.values.length > 0 ? reduce(uid, key, columns, maxPoints) : undefined;
}

function reduce(uid: string, key: string, columns: PointColumns, maxPoints: number): MetricSeries {
  const sampled = downsampleMinMax(inStepOrder(columns), maxPoints);
  return { uid, key, steps: sampled.steps, times: sampled.times, values: sampled.values, total: columns.values.length, nonFinite: sampled.nonFinite };
}

/**
 * The same order as sortPoints (metricBlocks.ts): by step, then time; points without a step after
 * the others in logged order. Usually the points already are in that order and are returned as they are.
 */
export function inStepOrder(c: PointColumns): PointColumns {
  const n = c.values.length;
  const steps = c.steps;
  let sorted = true;
  for (let i = 1; i < n && sorted; i++) {
    // Strictly increasing steps (the usual case) need no closer look; ties, NaN and drops do.
    if (!(steps[i]! > steps[i - 1]!)) sorted = compare(c, i - 1, i) <= 0;
  }
  if (sorted) return c;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => compare(c, a, b) || a - b);
  const withTimes = c.times.length === n;
  const out = { steps: new Float64Array(n), times: new Float64Array(withTimes ? n : 0), values: new Float64Array(n) };
  order.forEach((from, to) => {
    out.steps[to] = c.steps[from]!;
    if (withTimes) out.times[to] = c.times[from]!;
    out.values[to] = c.values[from]!;
  });
  return out;
}

function compare(c: PointColumns, a: number, b: number): number {
  const sa = Number.isNaN(c.steps[a]!) ? Infinity : c.steps[a]!;
  const sb = Number.isNaN(c.steps[b]!) ? Infinity : c.steps[b]!;
  if (sa !== sb) return sa - sb;
  const ta = c.times[a] ?? NaN; // no times read: ties keep their logged order
  const tb = c.times[b] ?? NaN;
  return (Number.isNaN(ta) ? 0 : ta) - (Number.isNaN(tb) ? 0 : tb);
}
