/**
 * A run's Slices report: each metric per slice beside the overall value, the gap, the slice's
 * example count, gaps larger than the threshold flagged (as Fairness Indicators does), and TFMA's
 * thresholds, validation and blessing where the run is an imported evaluation.
 */
import type { Database } from 'sql.js';
import { isCountMetric, sliceLabel, TFMA_TAGS, type RunSlices, type SliceRow, type ThresholdCheck, type ValidationFailure } from '../../shared/slices';
import { latestSliceValues, runRowId } from './sliceQueries';

export const DEFAULT_GAP_THRESHOLD = 0.05;

export interface SliceReportOptions {
  /** Only this metric (and the counts). */
  metric?: string;
  /** |slice − overall| above this is flagged. */
  gapThreshold?: number;
}

export function runSlices(db: Database, uid: string, options: SliceReportOptions = {}): RunSlices | undefined {
  const runId = runRowId(db, uid);
  if (runId === undefined) return undefined;
  const gapThreshold = options.gapThreshold ?? DEFAULT_GAP_THRESHOLD;
  const name = String(db.exec('SELECT COALESCE(renamed, name, uid) FROM runs WHERE id = ?', [runId])[0]!.values[0]![0]);
  const wanted = (key: string) => options.metric === undefined || key === options.metric || isCountMetric(key);

  const overall: Record<string, number> = {};
  let overallCount: number | null = null;
  for (const [key, last] of db.exec('SELECT key, last FROM metric_summary WHERE run_id = ?', [runId])[0]?.values ?? []) {
    const k = String(key);
    const v = last === null ? NaN : Number(last);
    if (isCountMetric(k)) overallCount ??= v;
    else if (wanted(k)) overall[k] = v;
  }

  const rows = new Map<string, SliceRow>();
  const metrics = new Set<string>();
  for (const v of latestSliceValues(db, runId)) {
    if (!wanted(v.key)) continue;
    const label = sliceLabel(v.slice);
    let row = rows.get(label);
    if (!row) rows.set(label, (row = { slice: v.slice, label, count: null, values: {}, gaps: {}, flagged: [] }));
    if (isCountMetric(v.key)) {
      row.count ??= v.value;
      continue;
    }
    metrics.add(v.key);
    row.values[v.key] = v.value;
    const base = overall[v.key];
    if (base !== undefined && Number.isFinite(base) && Number.isFinite(v.value)) {
      const gap = v.value - base;
      row.gaps[v.key] = gap;
      if (Math.abs(gap) > gapThreshold) row.flagged.push(v.key);
    }
  }
  // A slice with only a count (or none of the asked metric) has nothing to show.
  const slices = [...rows.values()].filter((r) => Object.keys(r.values).length > 0).sort((a, b) => compareLabels(a.label, b.label));
  const tags = new Map<string, string>();
  for (const [key, value] of db.exec("SELECT key, value FROM tags WHERE run_id = ? AND key LIKE 'tfma.%'", [runId])[0]?.values ?? []) tags.set(String(key), String(value));

  return {
    uid, name, overall, overallCount, metrics: [...metrics].sort(), slices, gapThreshold,
    thresholds: thresholdChecks(tags, overall, slices, options.metric),
    validation: validationOf(tags),
    blessed: tags.has(TFMA_TAGS.blessed) ? tags.get(TFMA_TAGS.blessed) === 'true' : null,
  };
}

/** Slices in a natural order: `hour=2` before `hour=10`. */
function compareLabels(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

function thresholdChecks(tags: Map<string, string>, overall: Record<string, number>, slices: SliceRow[], only?: string): ThresholdCheck[] {
  const checks: ThresholdCheck[] = [];
  for (const [tag, text] of tags) {
    if (!tag.startsWith(TFMA_TAGS.thresholdPrefix)) continue;
    const metric = tag.slice(TFMA_TAGS.thresholdPrefix.length);
    if (only !== undefined && metric !== only) continue;
    let bounds: { lower?: unknown; upper?: unknown };
    try {
      bounds = JSON.parse(text) as typeof bounds;
    } catch {
      continue;
    }
    const lower = typeof bounds.lower === 'number' ? bounds.lower : null;
    const upper = typeof bounds.upper === 'number' ? bounds.upper : null;
    if (lower === null && upper === null) continue;
    const check = (slice: string, value: number | undefined): ThresholdCheck => ({
      metric, slice, lower, upper, value: value ?? null,
      passed: value === undefined || Number.isNaN(value) ? null : (lower === null || value >= lower) && (upper === null || value <= upper),
    });
    checks.push(check('', overall[metric]));
    for (const row of slices) if (metric in row.values) checks.push(check(row.label, row.values[metric]));
  }
  return checks;
}

function validationOf(tags: Map<string, string>): RunSlices['validation'] {
  const verdict = tags.get(TFMA_TAGS.validation);
  if (verdict === undefined) return null;
  let failures: ValidationFailure[] = [];
  try {
    const parsed = JSON.parse(tags.get(TFMA_TAGS.failures) ?? '[]') as unknown;
    if (Array.isArray(parsed)) {
      failures = parsed.filter((f): f is ValidationFailure => typeof f === 'object' && f !== null
        && typeof f.slice === 'string' && typeof f.metric === 'string' && typeof f.message === 'string');
    }
  } catch {
    // An unreadable list: the verdict alone is still shown.
  }
  return { passed: verdict === 'passed', failures };
}
