/**
 * The one series pipeline every chart, sparkline and `exptrack series` goes through, in the store
 * worker: full-resolution points → smoothing over every point → min/max-preserving reduction to
 * the chart's pixel columns. A zoomed chart asks for its step range and gets every point there
 * (up to its pixel budget); only the chunks that meet the range are read (seriesStore.ts), and an
 * ema or twema continues from where the whole series stood at the first of them.
 */
import type { MetricSeries, SeriesRequest, StepSpan } from '../../shared/compare/compareTypes';
import { parseDerived, type DerivedExpression } from '../../shared/compare/derivedExpression';
import { normalizeSmoothing, smoothingProblem, type Smoothing, NO_SMOOTHING } from '../../shared/compare/smoothing';
import { runIdsByUid } from '../compare/runLookup';
import { decodeChunkInto, type PointColumns } from '../store/seriesChunks';
import type { SeriesChunk, SeriesStore } from '../store/seriesStore';
import { derivePoints } from './derived';
import { reduceToBuckets, type Reduction } from './reduce';
import { avgInto, emaInto, freshState, gaussInto, isConstant, twemaInto, windowReach, type RecursiveState } from './smoothers';
import { inStepOrder } from './stepOrder';
import { lowerBound, upperBound } from '../../shared/compare/sortedSearch';
import { Scratch } from './scratch';
import { SeriesViewCache, type Checkpoints } from './viewCache';

/** The most pixel columns a request may ask for. */
export const MAX_BUCKETS = 20_000;

/** What the pipeline computes one view with, after the request was checked. */
interface ViewQuery {
  smoothing: Smoothing;
  /** null: every point, none left out. */
  buckets: number | null;
  withTimes: boolean;
  range: StepSpan | null;
  /** The steps of the key over every compared run: the x interval the buckets divide when not zoomed, and twema's x range. */
  extent: StepSpan | null;
}

interface Loaded {
  columns: PointColumns;
  /** Where the recursive smoothing starts (the state before the first loaded point). */
  start: RecursiveState;
  /** The series is constant (ema leaves it as it is); null: look at the loaded points. */
  constant: boolean | null;
  /** Point counts of the loaded chunks when they are the whole series in chunk order: checkpoints are recorded then. */
  chunkCounts: number[] | null;
}

export class SeriesPipeline {
  constructor(private readonly store: SeriesStore, readonly cache = new SeriesViewCache()) {}

  /** Views of every (run, key) that has points, in the order of `uids` then `keys`. Throws on a bad request. */
  series(request: SeriesRequest): MetricSeries[] {
    const smoothing = normalizeSmoothing(request.smoothing ?? NO_SMOOTHING);
    const problem = smoothingProblem(smoothing);
    if (problem) throw new Error(`smoothing: ${problem}`);
    const range = request.range ?? null;
    if (range && !(range.from <= range.to)) throw new Error(`a step range from ${range.from} to ${range.to} holds no step`);
    const buckets = request.buckets === undefined ? null : Math.min(MAX_BUCKETS, Math.max(1, Math.floor(request.buckets)));
    const withTimes = request.withTimes ?? false;
    const derived = new Set(request.derived ?? []);
    const ids = runIdsByUid(this.store.db, request.uids);
    const runIds = [...new Set(request.uids)].map((u) => ids.get(u)).filter((id): id is number => id !== undefined);
    const out: MetricSeries[] = [];
    const scratch = new Scratch();
    const version = this.store.prepareVersion();
    try {
      for (const key of request.keys) {
        const expr = derived.has(key) ? parseDerived(key) : null;
        const sourceKeys = expr ? expr.keys : [key];
        const extent = unionExtent(sourceKeys.map((k) => this.store.stepExtent(runIds, k)));
        const q: ViewQuery = { smoothing, buckets, withTimes, range, extent };
        const shape = (times: boolean) => [smoothing.kind, smoothing.amount, buckets, times, range?.from, range?.to, extent?.from, extent?.to].join('\u0000');
        for (const uid of request.uids) {
          const runId = ids.get(uid);
          if (runId === undefined) continue;
          const versions = sourceKeys.map((k) => this.store.version(version, runId, k));
          if (versions.some((v) => v.split('/')[1] === '0')) continue; // a key without points
          const token = versions.join('|');
          const id = `${uid}\u0000${key}\u0000${shape(withTimes)}`;
          // A view with times answers a request without them too.
          let view = (withTimes ? undefined : this.cache.view(`${uid}\u0000${key}\u0000${shape(true)}`, token)) ?? this.cache.view(id, token);
          if (!view) {
            view = expr ? this.derivedView(runId, uid, expr, q) : this.storedView(runId, uid, key, q, token, scratch);
            if (!view) continue;
            this.cache.keepView(id, token, view);
          }
          out.push(view);
        }
      }
    } finally {
      version.free();
    }
    return out;
  }

  private storedView(runId: number, uid: string, key: string, q: ViewQuery, token: string, scratch: Scratch): MetricSeries | undefined {
    const chunks = this.store.chunksOf(runId, key);
    if (chunks.length === 0) return undefined;
    const recursive = q.smoothing.kind === 'ema' || q.smoothing.kind === 'twema';
    const checkpointId = `${uid}\u0000${key}\u0000${q.smoothing.kind}\u0000${q.smoothing.amount}\u0000${q.extent?.from}\u0000${q.extent?.to}`;
    const loaded = (q.range && isMonotone(chunks) ? this.loadRange(chunks, q, recursive ? this.cache.checkpointsOf(checkpointId, token) : null, scratch) : undefined)
      ?? this.loadAll(chunks, q.withTimes, scratch);
    const recorded: RecursiveState[] | null = recursive && loaded.chunkCounts ? [] : null;
    const view = computeView(uid, key, loaded, q, recorded, scratch);
    if (recorded) this.cache.keepCheckpoints(checkpointId, token, { constant: loaded.constant ?? isConstant(loaded.columns.values, loaded.columns.values.length), states: recorded });
    return view;
  }

  private derivedView(runId: number, uid: string, expr: DerivedExpression, q: ViewQuery): MetricSeries | undefined {
    const points = this.derivedPoints(runId, expr, q.withTimes);
    if (!points) return undefined;
    return computeView(uid, expr.text, { columns: points, start: freshState(), constant: null, chunkCounts: null }, q, null);
  }

  /** Every point of a derived metric of one run, in step order; undefined when the run lacks a key or no step aligns. */
  derivedPoints(runId: number, expr: DerivedExpression, withTimes: boolean): PointColumns | undefined {
    const columns: PointColumns[] = [];
    for (const k of expr.keys) {
      const chunks = this.store.chunksOf(runId, k);
      if (chunks.length === 0) return undefined;
      columns.push(this.loadAll(chunks, withTimes).columns);
    }
    const points = derivePoints(expr, columns);
    return points.values.length ? points : undefined;
  }

  /** Every chunk, in step order; chunk counts when that order is the chunks' own. */
  private loadAll(chunks: readonly SeriesChunk[], withTimes: boolean, scratch?: Scratch): Loaded {
    const columns = this.decode(chunks, withTimes, scratch);
    const ordered = inStepOrder(columns);
    return { columns: ordered, start: freshState(), constant: null, chunkCounts: ordered === columns && isMonotone(chunks) ? chunks.map((c) => c.count) : null };
  }

  /**
   * The chunks that meet the range widened by the smoothing's reach, and one more on each side (the
   * points just outside the range, so the line enters and leaves the view). Undefined when the
   * whole series must be read: a recursive smoothing without checkpoints, or points out of order.
   */
  private loadRange(chunks: readonly SeriesChunk[], q: ViewQuery, checkpoints: Checkpoints | null | undefined, scratch: Scratch): Loaded | undefined {
    if (checkpoints === undefined) return undefined;
    const range = q.range!;
    const kind = q.smoothing.kind;
    const reach = kind === 'gauss' || kind === 'avg' ? windowReach(kind, q.smoothing.amount) : 0;
    let a = chunks.findIndex((c) => c.maxStep! >= range.from - reach);
    if (a < 0) a = chunks.length;
    let b = -1;
    for (let i = chunks.length - 1; i >= 0; i--) {
      if (chunks[i]!.minStep! <= range.to + reach) {
        b = i;
        break;
      }
    }
    const lo = Math.max(0, a - 1);
    const hi = Math.min(chunks.length - 1, b + 1);
    const part = chunks.slice(lo, hi + 1);
    const columns = this.decode(part, q.withTimes, scratch);
    if (inStepOrder(columns) !== columns || Number.isNaN(columns.steps[columns.steps.length - 1]!)) return undefined;
    const start = checkpoints ? { ...checkpoints.states[lo]! } : freshState();
    return { columns, start, constant: checkpoints ? checkpoints.constant : null, chunkCounts: null };
  }

  /** The points of the chunks, in chunk order: in `scratch`'s arrays when given (valid until the next series is decoded). */
  private decode(chunks: readonly SeriesChunk[], withTimes: boolean, scratch?: Scratch): PointColumns {
    let total = 0;
    for (const c of chunks) total += c.count;
    const doubles = (name: string, n: number) => (scratch ? scratch.doubles(name, n) : new Float64Array(n));
    const out: PointColumns = { steps: doubles('steps', total), times: doubles('times', withTimes ? total : 0), values: doubles('values', total) };
    const starts: number[] = [];
    for (let i = 0, at = 0; i < chunks.length; at += chunks[i++]!.count) starts.push(at);
    this.store.forEachBytes(chunks, (n) => (scratch ? scratch.bytes(n) : new Uint8Array(n)), (bytes, i) => decodeChunkInto(bytes, chunks[i]!.count, out, starts[i]!));
    return out;
  }
}

/** Smooths what was loaded, reduces the points in range to the buckets, and gathers the kept rows. */
function computeView(uid: string, key: string, loaded: Loaded, q: ViewQuery, recorded: RecursiveState[] | null, scratch?: Scratch): MetricSeries {
  const { steps, times, values } = loaded.columns;
  const n = values.length;
  // Points without a step cannot be placed by step: such a series is drawn by its order.
  const byIndex = n > 0 && (Number.isNaN(steps[0]!) || Number.isNaN(steps[n - 1]!));
  const xs = byIndex ? Float64Array.from({ length: n }, (_, i) => i) : steps;
  const range = byIndex ? null : q.range;
  const i0 = range ? lowerBound(xs, range.from) : 0;
  const i1 = range ? upperBound(xs, range.to) : n;
  const before = lastFinite(values, i0 - 1);
  const after = firstFinite(values, i1, n);
  const smoothTo = after >= 0 ? after + 1 : i1;
  const smoothFrom = before >= 0 ? before : i0;

  let smoothed: Float64Array | null = null;
  const { kind, amount } = q.smoothing;
  if (kind !== 'none') {
    smoothed = scratch ? scratch.doubles('smoothed', n).fill(0) : new Float64Array(n);
    if (kind === 'gauss') gaussInto(xs, values, n, smoothFrom, smoothTo, amount, smoothed);
    else if (kind === 'avg') avgInto(xs, values, n, smoothFrom, smoothTo, amount, smoothed);
    else {
      const rangeOfX = q.extent ? q.extent.to - q.extent.from : n > 1 ? xs[n - 1]! - xs[0]! : 1;
      const constant = kind === 'ema' && (loaded.constant ?? isConstant(values, n));
      const state = loaded.start;
      const run = (from: number, to: number) => {
        if (constant) smoothed!.set(values.subarray(from, to), from);
        else if (kind === 'ema') emaInto(values, from, to, amount, state, smoothed!);
        else twemaInto(xs, values, from, to, amount, rangeOfX, state, smoothed!);
      };
      if (recorded && loaded.chunkCounts) {
        let at = 0;
        for (const count of loaded.chunkCounts) {
          recorded.push({ ...state });
          run(at, at + count);
          at += count;
        }
      } else {
        run(0, smoothTo);
      }
    }
  }

  // The columns divide the chart's range (an open end of a range from the command line: the series' own).
  const lo = byIndex ? 0 : Number.isFinite(range?.from) ? range!.from : (q.extent?.from ?? xs[0] ?? 0);
  const hi = byIndex ? Math.max(0, n - 1) : Number.isFinite(range?.to) ? range!.to : (q.extent?.to ?? xs[n - 1] ?? 0);
  const r = q.buckets === null ? everyPoint(values, i0, i1) : reduceToBuckets({ xs, values, smoothed, from: i0, to: i1, lo, hi, buckets: q.buckets });
  const rows = r.kept.length + (before >= 0 ? 1 : 0) + (after >= 0 ? 1 : 0);
  const index = new Uint32Array(rows);
  let k = 0;
  if (before >= 0) index[k++] = before;
  index.set(r.kept, k);
  k += r.kept.length;
  if (after >= 0) index[k++] = after;
  const shift = before >= 0 ? 1 : 0;
  const pick = (a: Float64Array) => {
    // A loop: Float64Array.from with a mapping function takes the generic, much slower path.
    const out = new Float64Array(rows);
    for (let j = 0; j < rows; j++) out[j] = a[index[j]!]!;
    return out;
  };
  return {
    uid,
    key,
    steps: pick(steps),
    times: q.withTimes && times.length === n ? pick(times) : new Float64Array(0),
    values: pick(values),
    smoothed: smoothed ? pick(smoothed) : null,
    bucketStarts: shift ? r.bucketStarts.map((s) => s + shift) : r.bucketStarts,
    total: i1 - i0,
    nonFinite: r.nonFinite,
  };
}

/** No reduction: every point of `[from, to)`, non-finite ones too, as one column. */
function everyPoint(values: ArrayLike<number>, from: number, to: number): Reduction {
  let nonFinite = 0;
  for (let i = from; i < to; i++) if (!Number.isFinite(values[i]!)) nonFinite++;
  return { kept: Uint32Array.from({ length: to - from }, (_, i) => from + i), bucketStarts: Uint32Array.from([0, to - from]), nonFinite };
}

/** Every chunk has steps and starts after the one before ends: chunk order is step order. */
function isMonotone(chunks: readonly SeriesChunk[]): boolean {
  for (let i = 0; i < chunks.length; i++) {
    const c = chunks[i]!;
    if (c.minStep === null || c.maxStep === null) return false;
    if (i > 0 && !(chunks[i - 1]!.maxStep! < c.minStep)) return false;
  }
  return true;
}

function unionExtent(extents: readonly (StepSpan | null)[]): StepSpan | null {
  let from = Infinity;
  let to = -Infinity;
  for (const e of extents) {
    if (!e) continue;
    from = Math.min(from, e.from);
    to = Math.max(to, e.to);
  }
  return from <= to ? { from, to } : null;
}

function lastFinite(values: ArrayLike<number>, from: number): number {
  for (let i = from; i >= 0; i--) if (Number.isFinite(values[i]!)) return i;
  return -1;
}

function firstFinite(values: ArrayLike<number>, from: number, n: number): number {
  for (let i = from; i < n; i++) if (Number.isFinite(values[i]!)) return i;
  return -1;
}
