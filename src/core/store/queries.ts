/** Read-only queries of the index, returning the domain types of src/shared/runTypes. */
import type { Database, SqlValue } from 'sql.js';
import type { ListRunsOptions, MetricPoint, MetricPointsPage, MetricSummary, RunDetail, RunSummary, SourceProblem } from '../../shared/runTypes';
import { PREFERRED_KEY_METRICS } from '../../shared/runTypes';
import type { RunStatus, SourceKind } from '../../shared/runEvents';
import { DEFAULT_EXPERIMENT } from './runIndexWriter';
import { sortPoints, toPoints } from './metricBlocks';
import type { SeriesStore } from './seriesStore';
import { inStepOrder } from '../series/stepOrder';

type Row = Record<string, SqlValue>;

export function rows(db: Database, sql: string, params: SqlValue[] = []): Row[] {
  const stmt = db.prepare(sql);
  try {
    stmt.bind(params);
    // getAsObject() asks for the column names again on every row: several times slower on big reads.
    const names = stmt.getColumnNames();
    const out: Row[] = [];
    while (stmt.step()) {
      const values = stmt.get();
      const row: Row = {};
      for (let i = 0; i < names.length; i++) row[names[i]!] = values[i]!;
      out.push(row);
    }
    return out;
  } finally {
    stmt.free();
  }
}

/**
 * TensorBoard, Lightning, Keras and dvclive write no end marker: such a run counts as finished once
 * none of its files has changed for this long (it stays "running" while they grow).
 */
export const IDLE_FINISHED_MS = 10 * 60 * 1000;
const NO_END_MARKER_KINDS = "('tensorboard', 'lightning', 'keras', 'dvclive', 'hydra')";

/** The status column, with idle runs of formats that never say they ended shown as finished. */
const STATUS = `CASE WHEN r.status = 'running' AND r.source_kind IN ${NO_END_MARKER_KINDS} AND COALESCE((
    SELECT max(s.mtime) FROM sources s WHERE s.id = r.source_id OR s.id IN (SELECT c.source_id FROM metric_chunks c WHERE c.run_id = r.id)
  ), 0) < (CAST(strftime('%s', 'now') AS REAL) * 1000 - ${IDLE_FINISHED_MS}) THEN 'finished' ELSE r.status END AS status`;

/** The columns of a run summary (toRunSummary), over `runs r LEFT JOIN experiments e`. */
export const RUN_COLUMNS = `r.id, r.uid, COALESCE(r.renamed, r.name) AS name, e.name AS experiment, ${STATUS}, r.source_kind, r.source_path,
  r.started, r.ended, r.exit_code, r.hidden`;

export function getRun(db: Database, uid: string): RunDetail | undefined {
  const r = rows(db, `SELECT ${RUN_COLUMNS}, r.run_dir, r.command, r.cwd, r.git_commit, r.git_branch, r.git_dirty, r.env, r.user, r.note
    FROM runs r LEFT JOIN experiments e ON e.id = r.experiment_id WHERE r.uid = ?`, [uid])[0];
  if (!r) return undefined;
  const id = Number(r.id);
  const metrics = rows(db, 'SELECT key, last, last_step, last_time, min, max, count FROM metric_summary WHERE run_id = ? ORDER BY key', [id])
    .map(toMetricSummary);
  const params: Record<string, unknown> = {};
  for (const p of rows(db, 'SELECT key, value FROM params WHERE run_id = ? ORDER BY key', [id])) params[String(p.key)] = JSON.parse(String(p.value));
  const tags: Record<string, string> = {};
  for (const t of rows(db, 'SELECT key, value FROM tags WHERE run_id = ? ORDER BY key', [id])) tags[String(t.key)] = String(t.value);
  return {
    ...toRunSummary(r, keyMetricOf(metrics)),
    runDir: str(r.run_dir),
    command: r.command === null ? null : (JSON.parse(String(r.command)) as string[]),
    cwd: str(r.cwd),
    git: { commit: str(r.git_commit), branch: str(r.git_branch), dirty: r.git_dirty === null ? null : Boolean(r.git_dirty) },
    env: r.env === null ? {} : (JSON.parse(String(r.env)) as Record<string, string>),
    user: str(r.user),
    note: str(r.note),
    params,
    metrics,
    tags,
    datasets: rows(db, `SELECT d.path, u.role, d.sha256, d.rows FROM dataset_use u JOIN datasets d ON d.id = u.dataset_id
      WHERE u.run_id = ? ORDER BY d.path`, [id]).map((d) => ({ path: String(d.path), role: str(d.role), sha256: str(d.sha256) || null, rows: num(d.rows) })),
    artifacts: rows(db, 'SELECT path, sha256, bytes FROM artifacts WHERE run_id = ? ORDER BY path', [id])
      .map((a) => ({ path: String(a.path), sha256: str(a.sha256), bytes: num(a.bytes) })),
    models: rows(db, 'SELECT name, version, path, derivation FROM model_versions WHERE run_id = ? ORDER BY name, version', [id])
      .map((m) => ({ name: String(m.name), version: num(m.version), path: str(m.path), derivation: str(m.derivation) })),
  };
}

/** All points of one metric of one run in step order (see sortPoints). */
export function metricPoints(series: SeriesStore, uid: string, key: string): MetricPoint[] {
  const id = series.db.exec('SELECT id FROM runs WHERE uid = ?', [uid])[0]?.values[0]?.[0];
  return id === undefined ? [] : sortPoints(pointsOf(series, Number(id), key));
}

/**
 * Points `offset` to `offset + limit` of one metric in step order (the order of metricPoints), and
 * how many there are: a reader that goes through a long series page by page never holds it whole
 * as objects.
 */
export function metricPointsPage(series: SeriesStore, uid: string, key: string, offset: number, limit: number): MetricPointsPage {
  const id = series.db.exec('SELECT id FROM runs WHERE uid = ?', [uid])[0]?.values[0]?.[0];
  const c = id === undefined ? undefined : series.readColumns(Number(id), key);
  if (!c) return { points: [], total: 0 };
  const sorted = inStepOrder(c);
  const from = Math.max(0, Math.min(offset, sorted.values.length));
  const to = Math.min(sorted.values.length, from + Math.max(0, limit));
  return { points: toPoints(sorted.steps.subarray(from, to), sorted.times.subarray(from, to), sorted.values.subarray(from, to)), total: sorted.values.length };
}

/** The points of (run, key) in the order they were indexed. */
export function pointsOf(series: SeriesStore, runId: number, key: string): MetricPoint[] {
  const c = series.readColumns(runId, key);
  return c ? toPoints(c.steps, c.times, c.values) : [];
}

export function listProblems(db: Database): SourceProblem[] {
  return rows(db, 'SELECT path, line, severity, message FROM problems ORDER BY path, line').map((p) => ({
    path: String(p.path), line: num(p.line), severity: p.severity as SourceProblem['severity'], message: String(p.message),
  }));
}

/** The metric that stands for a run: `preferred` when the run has it, else the first of PREFERRED_KEY_METRICS it has, else the first key. */
export function keyMetricOf(metrics: readonly MetricSummary[], preferred?: string): MetricSummary | null {
  if (metrics.length === 0) return null;
  for (const key of preferred ? [preferred, ...PREFERRED_KEY_METRICS] : PREFERRED_KEY_METRICS) {
    const m = metrics.find((x) => x.key === key);
    if (m) return m;
  }
  return [...metrics].sort((a, b) => a.key.localeCompare(b.key))[0]!;
}

export function toRunSummary(r: Row, keyMetric: MetricSummary | null): RunSummary {
  return {
    uid: String(r.uid),
    name: str(r.name) ?? String(r.uid),
    experiment: str(r.experiment) ?? DEFAULT_EXPERIMENT,
    status: String(r.status) as RunStatus | 'unknown',
    sourceKind: str(r.source_kind) as SourceKind | null,
    sourcePath: str(r.source_path),
    started: num(r.started),
    ended: num(r.ended),
    exitCode: num(r.exit_code),
    keyMetric,
    hidden: Boolean(r.hidden),
  };
}

export function toMetricSummary(s: Row): MetricSummary {
  return {
    key: String(s.key),
    last: s.last === null ? NaN : Number(s.last),
    lastStep: num(s.last_step),
    lastTime: num(s.last_time),
    min: s.min === null ? NaN : Number(s.min),
    max: s.max === null ? NaN : Number(s.max),
    count: Number(s.count),
  };
}

function str(v: SqlValue): string | null {
  return v === null || v === undefined ? null : String(v);
}

function num(v: SqlValue): number | null {
  return v === null || v === undefined ? null : Number(v);
}
