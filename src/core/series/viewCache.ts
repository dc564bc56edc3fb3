/**
 * What the series pipeline keeps between requests in the store worker, while a series does not
 * change (same chunks: count, points, newest row; the store also drops the entries of every run
 * an ingest touched, so a rewritten file that keeps those numbers is never served stale):
 *
 * - finished views, per (run, key, smoothing, buckets, range, x extent, times): reopening a
 *   panel, showing a hidden one again, or a live update of one run costs only what changed;
 * - where an ema or twema stands at the start of each chunk, per (run, key, smoothing): a zoom
 *   then reads only the chunks it shows and continues the smoothing from there.
 */
import type { MetricSeries } from '../../shared/compare/compareTypes';
import type { RecursiveState } from './smoothers';

export interface Checkpoints {
  /** The series' values are all equal (TensorBoard draws them unsmoothed). */
  constant: boolean;
  /** The state before each chunk, in the order of the series' chunk rows. */
  states: RecursiveState[];
}

interface Entry<T> {
  token: string;
  value: T;
  size: number;
}

/** A least-recently-used map whose entries carry a version token and a size. */
class TokenLru<T> {
  private readonly entries = new Map<string, Entry<T>>();
  private size = 0;

  constructor(private readonly capacity: number) {}

  get(id: string, token: string): T | undefined {
    const entry = this.entries.get(id);
    if (!entry) return undefined;
    this.entries.delete(id);
    if (entry.token !== token) {
      this.size -= entry.size;
      return undefined;
    }
    this.entries.set(id, entry);
    return entry.value;
  }

  set(id: string, token: string, value: T, size: number): void {
    this.delete(id);
    if (size > this.capacity) return;
    this.entries.set(id, { token, value, size });
    this.size += size;
    for (const [oldest] of this.entries) {
      if (this.size <= this.capacity) break;
      this.delete(oldest);
    }
  }

  /** Drops the entries whose id starts with one of these run uids (ids are `uid\0…`). */
  forgetRuns(uids: ReadonlySet<string>): void {
    for (const id of [...this.entries.keys()]) if (uids.has(id.slice(0, id.indexOf('\u0000')))) this.delete(id);
  }

  clear(): void {
    this.entries.clear();
    this.size = 0;
  }

  private delete(id: string): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    this.size -= entry.size;
    this.entries.delete(id);
  }
}

export class SeriesViewCache {
  private readonly views: TokenLru<MetricSeries>;
  private readonly checkpoints = new TokenLru<Checkpoints>(200_000);

  /** `capacity`: points kept in all views. */
  constructor(capacity = 1_500_000) {
    this.views = new TokenLru(capacity);
  }

  view(id: string, token: string): MetricSeries | undefined {
    return this.views.get(id, token);
  }

  keepView(id: string, token: string, series: MetricSeries): void {
    this.views.set(id, token, series, series.values.length);
  }

  checkpointsOf(id: string, token: string): Checkpoints | undefined {
    return this.checkpoints.get(id, token);
  }

  keepCheckpoints(id: string, token: string, value: Checkpoints): void {
    this.checkpoints.set(id, token, value, value.states.length);
  }

  forgetRuns(uids: readonly string[]): void {
    if (uids.length === 0) return;
    const runs = new Set(uids);
    this.views.forgetRuns(runs);
    this.checkpoints.forgetRuns(runs);
  }

  clear(): void {
    this.views.clear();
    this.checkpoints.clear();
  }
}
