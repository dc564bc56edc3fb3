/**
 * The content of an index in a form two indexes (or an index and what the writers wrote) can be
 * compared by: runs with their status and times, params, tags and every metric point in step
 * order. NaN compares equal to NaN (assert.deepStrictEqual uses Object.is for numbers).
 */
import type { Store } from '../../../src/core/store/store';

/** [step, time, value] */
export type PointTuple = [number | null, number | null, number];

export interface RunSnapshot {
  uid: string;
  name: string;
  experiment: string;
  status: string;
  started: number | null;
  ended: number | null;
  exitCode: number | null;
  params: Record<string, unknown>;
  metrics: Record<string, PointTuple[]>;
  tags: Record<string, string>;
}

export interface IndexSnapshot {
  runs: RunSnapshot[];
}

export function snapshotOf(store: Store): IndexSnapshot {
  const runs: RunSnapshot[] = [];
  for (const summary of store.listRuns({ includeHidden: true })) {
    const run = store.getRun(summary.uid)!;
    const metrics: Record<string, PointTuple[]> = {};
    for (const m of run.metrics) metrics[m.key] = store.metricPoints(run.uid, m.key).map((p) => [p.step, p.time, p.value]);
    runs.push({
      uid: run.uid, name: run.name, experiment: run.experiment, status: run.status, started: run.started, ended: run.ended,
      exitCode: run.exitCode, params: run.params, metrics, tags: run.tags,
    });
  }
  runs.sort((a, b) => (a.uid < b.uid ? -1 : 1));
  return { runs };
}

export function pointCount(s: IndexSnapshot): number {
  let n = 0;
  for (const r of s.runs) for (const points of Object.values(r.metrics)) n += points.length;
  return n;
}

/** Ids of the registry events the index holds. */
export function registryEventIds(store: Store): Set<string> {
  return new Set((store.database.exec('SELECT id FROM registry_events')[0]?.values ?? []).map((r) => String(r[0])));
}

/** Where two snapshots first differ, for a failure message that says more than "not equal". */
export function firstDifference(actual: IndexSnapshot, expected: IndexSnapshot): string | null {
  const a = new Map(actual.runs.map((r) => [r.uid, r]));
  for (const e of expected.runs) {
    const r = a.get(e.uid);
    if (!r) return `run ${e.uid} is missing`;
    for (const field of ['name', 'experiment', 'status', 'started', 'ended', 'exitCode'] as const) {
      if (!Object.is(r[field], e[field])) return `run ${e.uid}: ${field} is ${String(r[field])}, expected ${String(e[field])}`;
    }
    if (canonical(r.params) !== canonical(e.params)) return `run ${e.uid}: params ${canonical(r.params)}, expected ${canonical(e.params)}`;
    if (canonical(r.tags) !== canonical(e.tags)) return `run ${e.uid}: ${Object.keys(r.tags).length} tags, expected ${Object.keys(e.tags).length}`;
    for (const [key, points] of Object.entries(e.metrics)) {
      const got = r.metrics[key] ?? [];
      if (got.length !== points.length) return `run ${e.uid} ${key}: ${got.length} points, expected ${points.length}`;
      const i = points.findIndex((p, j) => !p.every((x, k) => Object.is(x, got[j]![k])));
      if (i >= 0) return `run ${e.uid} ${key}: point ${i} is ${JSON.stringify(got[i])}, expected ${JSON.stringify(points[i])}`;
    }
    if (Object.keys(r.metrics).length !== Object.keys(e.metrics).length) return `run ${e.uid}: metric keys ${Object.keys(r.metrics)}, expected ${Object.keys(e.metrics)}`;
  }
  if (actual.runs.length !== expected.runs.length) return `${actual.runs.length} runs, expected ${expected.runs.length}`;
  return null;
}

/** JSON with object keys sorted, so key order does not count. */
function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => (x && typeof x === 'object' && !Array.isArray(x)
    ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : 1))) : x));
}
