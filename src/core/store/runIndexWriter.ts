/**
 * Applies run events to the index tables. One writer lives for one ingest transaction: it keeps
 * prepared statements and the metric summaries it is accumulating, and flushes them in finish().
 */
import type { Database } from 'sql.js';
import { metricValueToNumber, type RunEvent, type RunStartEvent, type MetricsEvent, type ModelEvent } from '../../shared/runEvents';
import type { RunBatch } from '../ingest/sourceReader';
import type { SeriesStore } from './seriesStore';

export const DEFAULT_EXPERIMENT = 'Default';

/** Summary of the points of one (run, key) seen in this transaction, merged into metric_summary at the end. */
interface SummaryAccumulator {
  runId: number;
  key: string;
  sourceId: number;
  /** The points themselves, written as chunks in finish(). */
  points: { steps: number[]; times: number[]; values: number[] };
  last: number;
  lastStep: number | null;
  lastTime: number | null;
  min: number;
  max: number;
  count: number;
}

export interface BatchContext {
  sourceId: number;
}

export class RunIndexWriter {
  private readonly runIds = new Map<string, number>();
  private readonly experimentIds = new Map<string, number>();
  private readonly summaries = new Map<string, SummaryAccumulator>();
  points = 0;
  readonly touchedRuns = new Set<string>();

  constructor(private readonly db: Database, private readonly series: SeriesStore) {}

  apply(batch: RunBatch, ctx: BatchContext): void {
    const runId = this.runId(batch.runUid);
    this.touchedRuns.add(batch.runUid);
    for (const event of batch.events) this.applyEvent(runId, event, ctx);
    if (batch.runDir !== undefined) this.db.run('UPDATE runs SET run_dir = ? WHERE id = ?', [batch.runDir, runId]);
  }

  private applyEvent(runId: number, e: RunEvent, ctx: BatchContext): void {
    switch (e.t) {
      case 'run':
        return this.applyStart(runId, e, ctx);
      case 'params':
        for (const [key, value] of Object.entries(e.values)) {
          this.db.run('INSERT OR REPLACE INTO params (run_id, key, value, type, source_id) VALUES (?, ?, ?, ?, ?)', [
            runId, key, JSON.stringify(value), valueType(value), ctx.sourceId,
          ]);
        }
        return;
      case 'metrics':
        return this.applyMetrics(runId, e, ctx);
      case 'dataset': {
        this.db.run('INSERT OR IGNORE INTO datasets (path, sha256, rows, bytes) VALUES (?, ?, ?, ?)', [
          e.path, e.sha256 ?? '', e.rows ?? null, e.bytes ?? null,
        ]);
        const datasetId = this.scalar('SELECT id FROM datasets WHERE path = ? AND sha256 = ?', [e.path, e.sha256 ?? '']);
        this.db.run('INSERT OR REPLACE INTO dataset_use (run_id, dataset_id, role, source_id) VALUES (?, ?, ?, ?)', [
          runId, datasetId, e.role ?? null, ctx.sourceId,
        ]);
        return;
      }
      case 'artifact':
        this.db.run('INSERT OR REPLACE INTO artifacts (run_id, path, sha256, bytes, source_id) VALUES (?, ?, ?, ?, ?)', [
          runId, e.path, e.sha256 ?? null, e.bytes ?? null, ctx.sourceId,
        ]);
        return;
      case 'model':
        return this.applyModel(runId, e, ctx);
      case 'tag':
        return this.applyTag(runId, e.key, e.value, ctx);
      case 'end':
        this.db.run('UPDATE runs SET status = ?, exit_code = ?, ended = ? WHERE id = ?', [e.status, e.exit ?? null, e.ended, runId]);
        return;
      default: {
        const never: never = e;
        throw new Error(`unhandled event ${JSON.stringify(never)}`);
      }
    }
  }

  private applyStart(runId: number, e: RunStartEvent, ctx: BatchContext): void {
    this.db.run(
      `UPDATE runs SET name = ?, experiment_id = ?, status = CASE WHEN status = 'unknown' THEN 'running' ELSE status END,
         source_kind = ?, source_path = ?, command = ?, cwd = ?, git_commit = ?, git_branch = ?,
         git_dirty = ?, env = ?, user = ?, started = ?, source_id = ? WHERE id = ?`,
      [
        e.name ?? null, this.experimentId(e.experiment ?? DEFAULT_EXPERIMENT), e.source?.kind ?? null, e.source?.path ?? null,
        e.command ? JSON.stringify(e.command) : null, e.cwd ?? null, e.git?.commit ?? null,
        e.git?.branch ?? null, e.git?.dirty === undefined ? null : Number(e.git.dirty), e.env ? JSON.stringify(e.env) : null,
        e.user ?? null, e.started, ctx.sourceId, runId,
      ],
    );
  }

  private applyMetrics(runId: number, e: MetricsEvent, ctx: BatchContext): void {
    const step = e.step ?? null;
    const time = e.time ?? null;
    if (e.slice !== undefined && Object.keys(e.slice).length > 0) return this.applySliceMetrics(runId, e, ctx);
    for (const [key, raw] of Object.entries(e.values)) {
      const value = metricValueToNumber(raw);
      this.points++;
      const id = `${runId}\u0000${ctx.sourceId}\u0000${key}`;
      const acc = this.summaries.get(id);
      if (!acc) {
        const points = { steps: [step ?? NaN], times: [time ?? NaN], values: [value] };
        this.summaries.set(id, { runId, key, sourceId: ctx.sourceId, points, last: value, lastStep: step, lastTime: time, min: value, max: value, count: 1 });
        continue;
      }
      acc.points.steps.push(step ?? NaN);
      acc.points.times.push(time ?? NaN);
      acc.points.values.push(value);
      acc.count++;
      acc.min = nanAwareMin(acc.min, value);
      acc.max = nanAwareMax(acc.max, value);
      if (isLater(step, time, acc.lastStep, acc.lastTime)) {
        acc.last = value;
        acc.lastStep = step;
        acc.lastTime = time;
      }
    }
  }

  /** Sliced values go to their own table: they are not points of the overall series. */
  private applySliceMetrics(runId: number, e: MetricsEvent, ctx: BatchContext): void {
    const slice = canonicalSlice(e.slice!);
    for (const [key, raw] of Object.entries(e.values)) {
      const value = metricValueToNumber(raw);
      this.db.run('INSERT INTO slice_metrics (run_id, slice, key, step, time, value, source_id) VALUES (?, ?, ?, ?, ?, ?, ?)', [
        runId, slice, key, e.step ?? null, e.time ?? null, Number.isNaN(value) ? null : value, ctx.sourceId,
      ]);
    }
  }

  private applyModel(runId: number, e: ModelEvent, ctx: BatchContext): void {
    this.db.run(
      `INSERT INTO model_versions (name, version, run_id, path, sha256, bytes, parent_name, parent_version, derivation, origin, source_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'run', ?)`,
      [e.name, e.version ?? null, runId, e.path ?? null, e.sha256 ?? null, e.bytes ?? null, e.parent?.name ?? null,
        e.parent?.version ?? null, e.derivation ?? null, ctx.sourceId],
    );
  }

  /** Tags under `exptrack.` carry what a client attached to an existing run wants to set. */
  private applyTag(runId: number, key: string, value: string, ctx: BatchContext): void {
    if (key === 'exptrack.name') this.db.run('UPDATE runs SET name = ? WHERE id = ?', [value, runId]);
    else if (key === 'exptrack.experiment') this.db.run('UPDATE runs SET experiment_id = ? WHERE id = ?', [this.experimentId(value), runId]);
    this.db.run('INSERT OR REPLACE INTO tags (run_id, key, value, source_id) VALUES (?, ?, ?, ?)', [runId, key, value, ctx.sourceId]);
  }

  /** Writes the points as chunks, merges this transaction's summaries into metric_summary. */
  finish(): void {
    for (const acc of this.summaries.values()) this.series.append(acc.runId, acc.key, acc.sourceId, acc.points);
    // Points of one key from several sources share one summary row.
    const merged = new Map<string, SummaryAccumulator>();
    for (const acc of this.summaries.values()) {
      const id = `${acc.runId}\u0000${acc.key}`;
      const into = merged.get(id);
      if (!into) {
        merged.set(id, acc);
        continue;
      }
      mergeInto(into, acc.last, acc.lastStep, acc.lastTime, acc.min, acc.max, acc.count);
    }
    const read = this.db.prepare('SELECT last, last_step, last_time, min, max, count FROM metric_summary WHERE run_id = ? AND key = ?');
    const write = this.db.prepare(
      'INSERT OR REPLACE INTO metric_summary (run_id, key, last, last_step, last_time, min, max, count) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    try {
      for (const acc of merged.values()) {
        read.bind([acc.runId, acc.key]);
        if (read.step()) {
          const [last, lastStep, lastTime, min, max, count] = read.get() as [number | null, number | null, number | null, number | null, number | null, number];
          mergeInto(acc, last ?? NaN, lastStep, lastTime, min ?? NaN, max ?? NaN, count);
        }
        read.reset();
        write.run([acc.runId, acc.key, nullIfNaN(acc.last), acc.lastStep, acc.lastTime, nullIfNaN(acc.min), nullIfNaN(acc.max), acc.count]);
      }
    } finally {
      read.free();
      write.free();
      this.summaries.clear();
    }
  }

  runId(uid: string): number {
    let id = this.runIds.get(uid);
    if (id === undefined) {
      this.db.run('INSERT OR IGNORE INTO runs (uid) VALUES (?)', [uid]);
      id = this.scalar('SELECT id FROM runs WHERE uid = ?', [uid]);
      this.runIds.set(uid, id);
    }
    return id;
  }

  private experimentId(name: string): number {
    let id = this.experimentIds.get(name);
    if (id === undefined) {
      this.db.run('INSERT OR IGNORE INTO experiments (name) VALUES (?)', [name]);
      id = this.scalar('SELECT id FROM experiments WHERE name = ?', [name]);
      this.experimentIds.set(name, id);
    }
    return id;
  }

  private scalar(sql: string, params: (string | number)[]): number {
    return Number(this.db.exec(sql, params)[0]!.values[0]![0]);
  }
}

/** One spelling per slice key, whatever order its columns were given in. */
export function canonicalSlice(slice: Record<string, string>): string {
  return JSON.stringify(Object.fromEntries(Object.entries(slice).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))));
}

/** Folds another summary of the same (run, key) into `acc`. */
function mergeInto(acc: SummaryAccumulator, last: number, lastStep: number | null, lastTime: number | null, min: number, max: number, count: number): void {
  if (!isLater(acc.lastStep, acc.lastTime, lastStep, lastTime)) {
    acc.last = last;
    acc.lastStep = lastStep;
    acc.lastTime = lastTime;
  }
  acc.min = nanAwareMin(acc.min, min);
  acc.max = nanAwareMax(acc.max, max);
  acc.count += count;
}

/** MLflow's "latest" ordering: the greater step wins, then the later time; a tie goes to the newer point. */
export function isLater(step: number | null, time: number | null, thanStep: number | null, thanTime: number | null): boolean {
  const s = step ?? -Infinity;
  const ts = thanStep ?? -Infinity;
  if (s !== ts) return s > ts;
  return (time ?? -Infinity) >= (thanTime ?? -Infinity);
}

function nanAwareMin(a: number, b: number): number {
  if (Number.isNaN(a)) return b;
  if (Number.isNaN(b)) return a;
  return Math.min(a, b);
}

function nanAwareMax(a: number, b: number): number {
  if (Number.isNaN(a)) return b;
  if (Number.isNaN(b)) return a;
  return Math.max(a, b);
}

function nullIfNaN(n: number): number | null {
  return Number.isNaN(n) ? null : n;
}

function valueType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'list';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'object') return 'dict';
  return 'string';
}
