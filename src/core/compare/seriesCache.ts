/**
 * Down-sampled series kept between requests in the store worker: reopening a panel, showing a
 * hidden one again, or a live update of one run then costs only the series that changed. sql.js
 * copies every blob byte by byte, so reading 10,000 points × 3 columns is the expensive part.
 *
 * An entry is valid while its (run, key) still has the same blocks (count, points, last rowid);
 * the store also drops the entries of every run an ingest touched, so a rewritten file that
 * happens to keep those numbers is never served stale.
 */
import type { MetricSeries } from '../../shared/compare/compareTypes';

interface Entry {
  token: string;
  maxPoints: number;
  /** The series carries its times (so it also answers requests without them). */
  withTimes: boolean;
  series: MetricSeries;
}

export class SeriesCache {
  /** Insertion order is recency order: the first entries are evicted first. */
  private readonly entries = new Map<string, Entry>();
  private points = 0;

  /** `capacity`: points kept in all (three float64 each). */
  constructor(private readonly capacity = 1_500_000) {}

  get(uid: string, key: string, maxPoints: number, token: string, withTimes: boolean): MetricSeries | undefined {
    const id = entryId(uid, key);
    const entry = this.entries.get(id);
    if (!entry) return undefined;
    if (entry.token !== token || entry.maxPoints !== maxPoints) {
      this.delete(id);
      return undefined;
    }
    if (withTimes && !entry.withTimes) return undefined;
    this.entries.delete(id);
    this.entries.set(id, entry);
    return entry.series;
  }

  set(series: MetricSeries, maxPoints: number, token: string, withTimes: boolean): void {
    const id = entryId(series.uid, series.key);
    this.delete(id);
    if (series.values.length > this.capacity) return;
    this.entries.set(id, { token, maxPoints, withTimes, series });
    this.points += series.values.length;
    for (const [oldest] of this.entries) {
      if (this.points <= this.capacity) break;
      this.delete(oldest);
    }
  }

  /** Drops every entry of these runs (after an ingest touched them). */
  forgetRuns(uids: readonly string[]): void {
    if (uids.length === 0 || this.entries.size === 0) return;
    const runs = new Set(uids);
    for (const id of [...this.entries.keys()]) if (runs.has(id.slice(0, id.indexOf('\u0000')))) this.delete(id);
  }

  clear(): void {
    this.entries.clear();
    this.points = 0;
  }

  private delete(id: string): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    this.points -= entry.series.values.length;
    this.entries.delete(id);
  }
}

function entryId(uid: string, key: string): string {
  return `${uid}\u0000${key}`;
}
