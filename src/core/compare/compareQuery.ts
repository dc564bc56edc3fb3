/**
 * The comparison of a set of runs: who they are, their parameters side by side, and the summaries
 * of every metric (from metric_summary, so no points are scanned unless a step is chosen).
 */
import type { CompareRun, CompareSnapshot, MetricColumn } from '../../shared/compare/compareTypes';
import type { RunDetail } from '../../shared/runTypes';
import { getRun } from '../store/queries';
import { paramRows } from './paramDiff';
import type { SeriesStore } from '../store/seriesStore';
import { runIdsByUid } from './runLookup';
import { parseDerived } from '../../shared/compare/derivedExpression';
import type { SeriesPipeline } from '../series/seriesPipeline';

export function compareRuns(
  series: SeriesStore, uids: readonly string[], atStep: number | null = null, derived: readonly string[] = [], pipeline?: SeriesPipeline,
): CompareSnapshot {
  const db = series.db;
  const details: RunDetail[] = [];
  const missing: string[] = [];
  for (const uid of new Set(uids)) {
    const d = getRun(db, uid);
    if (d) details.push(d);
    else missing.push(uid);
  }
  const step = atStep !== null && Number.isFinite(atStep) ? atStep : null;
  return {
    runs: details.map(toCompareRun),
    params: paramRows(details.map((d) => d.params)),
    metrics: [...metricColumns(series, details, step), ...(pipeline ? derivedColumns(series, pipeline, details, derived, step) : [])],
    atStep: step,
    missing,
  };
}

function toCompareRun(d: RunDetail): CompareRun {
  return {
    uid: d.uid, name: d.name, experiment: d.experiment, status: d.status, sourceKind: d.sourceKind, sourcePath: d.sourcePath,
    started: d.started, ended: d.ended, gitCommit: d.git.commit, gitDirty: d.git.dirty,
  };
}

function metricColumns(series: SeriesStore, runs: readonly RunDetail[], atStep: number | null): MetricColumn[] {
  const keys = [...new Set(runs.flatMap((r) => r.metrics.map((m) => m.key)))].sort((a, b) => a.localeCompare(b));
  const columns = keys.map((key) => emptyColumn(key, runs.length));
  const byKey = new Map(columns.map((c) => [c.key, c]));
  runs.forEach((run, i) => {
    for (const m of run.metrics) {
      const c = byKey.get(m.key)!;
      c.count[i] = m.count;
      c.last[i] = m.last;
      c.lastStep[i] = m.lastStep ?? NaN;
      c.min[i] = m.min;
      c.max[i] = m.max;
    }
  });
  if (atStep !== null) fillAtStep(series, runs, columns, atStep);
  return columns;
}

/** The value of the last point (in step order, ties: the later logged) whose step is at most `step`. */
function fillAtStep(series: SeriesStore, runs: readonly RunDetail[], columns: MetricColumn[], step: number): void {
  const ids = runIdsByUid(series.db, runs.map((r) => r.uid));
  runs.forEach((run, i) => {
    const runId = ids.get(run.uid)!;
    for (const c of columns) {
      if (c.count[i] === 0) continue;
      const points = series.readColumns(runId, c.key, false, { from: -Infinity, to: step });
      if (!points) continue;
      let bestStep = -Infinity;
      let bestValue = NaN;
      let found = false;
      for (let j = 0; j < points.steps.length; j++) {
        const s = points.steps[j]!;
        if (s <= step && s >= bestStep) {
          bestStep = s;
          bestValue = points.values[j]!;
          found = true;
        }
      }
      if (found) {
        c.atStep[i] = bestValue;
        c.atStepStep[i] = bestStep;
      }
    }
  });
}

function emptyColumn(key: string, n: number): MetricColumn {
  return {
    key,
    count: new Float64Array(n),
    last: new Float64Array(n).fill(NaN),
    lastStep: new Float64Array(n).fill(NaN),
    min: new Float64Array(n).fill(NaN),
    max: new Float64Array(n).fill(NaN),
    atStep: new Float64Array(n).fill(NaN),
    atStepStep: new Float64Array(n).fill(NaN),
  };
}

/**
 * Summaries of derived metrics, from their points (they have no summary rows): an expression that
 * does not parse, or that no run has, is a column of empty cells, like a metric no run logged.
 */
function derivedColumns(series: SeriesStore, pipeline: SeriesPipeline, runs: readonly RunDetail[], expressions: readonly string[], atStep: number | null): MetricColumn[] {
  const ids = runIdsByUid(series.db, runs.map((r) => r.uid));
  const stored = new Set(runs.flatMap((r) => r.metrics.map((m) => m.key)));
  return [...new Set(expressions)].filter((text) => !stored.has(text)).map((text) => {
    const c: MetricColumn = { ...emptyColumn(text, runs.length), derived: true };
    let expr;
    try {
      expr = parseDerived(text);
    } catch {
      return c;
    }
    runs.forEach((run, i) => {
      const p = pipeline.derivedPoints(ids.get(run.uid)!, expr, false);
      if (!p) return;
      const n = p.values.length;
      c.count[i] = n;
      c.last[i] = p.values[n - 1]!;
      c.lastStep[i] = p.steps[n - 1]!;
      let min = NaN;
      let max = NaN;
      for (let j = 0; j < n; j++) {
        const v = p.values[j]!;
        if (Number.isNaN(v)) continue;
        if (!(v >= min)) min = v;
        if (!(v <= max)) max = v;
        if (atStep !== null && p.steps[j]! <= atStep) {
          c.atStep[i] = v;
          c.atStepStep[i] = p.steps[j]!;
        }
      }
      c.min[i] = min;
      c.max[i] = max;
    });
    return c;
  });
}
