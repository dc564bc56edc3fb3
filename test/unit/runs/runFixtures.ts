/** Run records for search tests, built directly (the store builds them from the index in runCatalog.ts). */
import type { RunRecord } from '../../../src/core/runs/runRecord';
import type { MetricSummary, RunSummary } from '../../../src/shared/runTypes';

export interface RunSpec {
  uid: string;
  name?: string;
  experiment?: string;
  status?: RunSummary['status'];
  started?: number | null;
  ended?: number | null;
  user?: string | null;
  sourceKind?: RunSummary['sourceKind'];
  params?: Record<string, unknown>;
  tags?: Record<string, string>;
  /** Metric key → last value, or the whole summary. */
  metrics?: Record<string, number | Partial<MetricSummary>>;
}

export function record(spec: RunSpec): RunRecord {
  const metrics = new Map<string, MetricSummary>();
  for (const [key, m] of Object.entries(spec.metrics ?? {})) {
    const s = typeof m === 'number' ? { last: m } : m;
    const last = s.last ?? NaN;
    metrics.set(key, { key, last, lastStep: s.lastStep ?? null, lastTime: s.lastTime ?? null, min: s.min ?? last, max: s.max ?? last, count: s.count ?? 1 });
  }
  return {
    summary: {
      uid: spec.uid, name: spec.name ?? spec.uid, experiment: spec.experiment ?? 'Default', status: spec.status ?? 'finished',
      sourceKind: spec.sourceKind === undefined ? 'script' : spec.sourceKind, sourcePath: null, started: spec.started === undefined ? 1_700_000_000 : spec.started,
      ended: spec.ended ?? null, exitCode: null, keyMetric: null, hidden: false,
    },
    user: spec.user ?? null,
    params: new Map(Object.entries(spec.params ?? {})),
    tags: new Map(Object.entries(spec.tags ?? {})),
    metrics,
  };
}
