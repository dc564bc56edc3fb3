/**
 * Chart-ready metric series straight from the point blocks (metricBlocks.ts): the float64 columns
 * are read as typed arrays, put in step order when they are not already, and down-sampled with
 * minima and maxima kept. No per-point objects are made, so 100 runs × 10,000 steps stay cheap.
 */
import type { Database, Statement } from 'sql.js';
import type { MetricSeries } from '../../shared/compare/compareTypes';
import { downsampleMinMax, type PointColumns } from './downsample';
import { runIdsByUid } from './runLookup';
import type { SeriesCache } from './seriesCache';

/** About what a chart can show for one series; more only costs transfer and drawing time. */
export const DEFAULT_SERIES_POINTS = 2000;

/**
 * Series for every (run, key) pair that has points, in the order of `uids` then `keys`. Without
 * `withTimes` the time column is not read (a third less to copy out of sql.js) and `times` is
 * empty. With a cache, unchanged series are served from it (treat the arrays as read-only).
 */
export function metricSeries(
  db: Database, uids: readonly string[], keys: readonly string[], maxPoints = DEFAULT_SERIES_POINTS, withTimes = true, cache?: SeriesCache,
): MetricSeries[] {
  const ids = runIdsByUid(db, uids);
  const out: MetricSeries[] = [];
  const stmt = db.prepare(`SELECT count, steps, ${withTimes ? 'times' : 'NULL'}, vals FROM metric_blocks WHERE run_id = ? AND key = ? ORDER BY rowid`);
  const version = db.prepare('SELECT count(*), sum(count), max(rowid) FROM metric_blocks WHERE run_id = ? AND key = ?');
  try {
    for (const uid of uids) {
      const runId = ids.get(uid);
      if (runId === undefined) continue;
      for (const key of keys) {
        const token = cache ? blocksVersion(version, runId, key) : '';
        const cached = cache?.get(uid, key, maxPoints, token, withTimes);
        if (cached) {
          out.push(cached);
          continue;
        }
        const columns = readColumns(stmt, runId, key);
        if (!columns) continue;
        const total = columns.values.length;
        const sampled = downsampleMinMax(inStepOrder(columns), maxPoints);
        const series = { uid, key, steps: sampled.steps, times: sampled.times, values: sampled.values, total, nonFinite: sampled.nonFinite };
        cache?.set(series, maxPoints, token, withTimes);
        out.push(series);
      }
    }
  } finally {
    stmt.free();
    version.free();
  }
  return out;
}

/** What identifies the current blocks of (run, key): their number, their points, the newest row. */
function blocksVersion(stmt: Statement, runId: number, key: string): string {
  stmt.bind([runId, key]);
  stmt.step();
  const [blocks, points, last] = stmt.get();
  stmt.reset();
  return `${runId}/${blocks}/${points}/${last}`;
}

/**
 * All points of (run, key) in the order they were indexed, or undefined when there are none.
 * `stmt` selects count, steps, times (or NULL: `times` is then empty) and vals of the blocks.
 */
export function readColumns(stmt: Statement, runId: number, key: string): PointColumns | undefined {
  stmt.bind([runId, key]);
  const blocks: { count: number; steps: Uint8Array; times: Uint8Array | null; vals: Uint8Array }[] = [];
  let total = 0;
  while (stmt.step()) {
    const [count, steps, times, vals] = stmt.get() as [number, Uint8Array, Uint8Array | null, Uint8Array];
    blocks.push({ count, steps, times, vals });
    total += count;
  }
  stmt.reset();
  if (total === 0) return undefined;
  const withTimes = blocks[0]!.times !== null;
  if (blocks.length === 1) {
    const b = blocks[0]!;
    return { steps: float64View(b.steps), times: b.times ? float64View(b.times) : new Float64Array(0), values: float64View(b.vals) };
  }
  const columns = { steps: new Float64Array(total), times: new Float64Array(withTimes ? total : 0), values: new Float64Array(total) };
  let at = 0;
  for (const b of blocks) {
    columns.steps.set(float64View(b.steps), at);
    if (b.times) columns.times.set(float64View(b.times), at);
    columns.values.set(float64View(b.vals), at);
    at += b.count;
  }
  return columns;
}

/** The blob's bytes as float64s: a view when aligned (sql.js hands out fresh copies), else a copy. */
function float64View(blob: Uint8Array): Float64Array {
  if (blob.byteOffset % 8 === 0) return new Float64Array(blob.buffer, blob.byteOffset, blob.byteLength >> 3);
  const copy = new Uint8Array(blob.byteLength);
  copy.set(blob);
  return new Float64Array(copy.buffer, 0, copy.byteLength >> 3);
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
