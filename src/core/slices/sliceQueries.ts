/** Reads a run's sliced metrics from the index: the latest value per (slice, metric). */
import type { Database } from 'sql.js';
import type { SliceKey } from '../../shared/runEvents';
import type { SliceMetricValue } from '../../shared/slices';
import { isLater } from '../store/runIndexWriter';

export function latestSliceValues(db: Database, runId: number): SliceMetricValue[] {
  const latest = new Map<string, { slice: string; key: string; value: number; step: number | null; time: number | null }>();
  const stmt = db.prepare('SELECT slice, key, step, time, value FROM slice_metrics WHERE run_id = ? ORDER BY rowid');
  try {
    stmt.bind([runId]);
    while (stmt.step()) {
      const [slice, key, step, time, value] = stmt.get() as [string, string, number | null, number | null, number | null];
      const id = `${slice}\u0000${key}`;
      const prev = latest.get(id);
      if (!prev || isLater(step, time, prev.step, prev.time)) latest.set(id, { slice, key, step, time, value: value ?? NaN });
    }
  } finally {
    stmt.free();
  }
  return [...latest.values()].map((v) => ({ slice: JSON.parse(v.slice) as SliceKey, key: v.key, value: v.value }));
}

/** The index's row id of a run, by uid. */
export function runRowId(db: Database, uid: string): number | undefined {
  const row = db.exec('SELECT id FROM runs WHERE uid = ?', [uid])[0]?.values[0];
  return row ? Number(row[0]) : undefined;
}
