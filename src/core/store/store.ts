/**
 * The index of every run the workspace holds. Synchronous over sql.js: it runs inside the store
 * worker (storeWorker.ts), in the CLI, and directly in tests. Sources are the truth; this is
 * derived, so it can be deleted and rebuilt at any time with identical content.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Database } from 'sql.js';
import type { CompareSnapshot, MetricSeries } from '../../shared/compare/compareTypes';
import type { IngestReport, MetricPoint, RunDetail, RunSummary, SourceProblem } from '../../shared/runTypes';
import { compareRuns } from '../compare/compareQuery';
import { metricSeries } from '../compare/seriesQuery';
import { discoverSources, readerFor, toRelPath } from '../ingest/discovery';
import { defaultReaders } from '../ingest/readers';
import type { ExternalModelVersion, RegistryRecord, RunBatch, SourceReader } from '../ingest/sourceReader';
import { trackSource, type SourceSink } from '../ingest/sourceTracker';
import { refoldRegistry } from '../registry/fold';
import { loadSqlJs, openDatabase, saveDatabase } from './database';
import { getRun, listProblems, listRuns, metricPoints } from './queries';
import { isLater, RunIndexWriter } from './runIndexWriter';
import { pointsOf } from './queries';

export const EXPTRACK_DIR_NAME = '.exptrack';
export const DATABASE_FILE_NAME = 'exptrack.sqlite';

export interface StoreOptions {
  workspaceRoot: string;
  /** Absolute path of the database file; null keeps it in memory only. Default: `.exptrack/exptrack.sqlite`. */
  dbPath?: string | null;
  wasmPath?: string;
  readers?: SourceReader[];
}

export interface StoreOpenInfo {
  dbPath: string | null;
  fresh: 'new' | 'set-aside' | 'outdated' | null;
  setAsidePath?: string;
  reason?: string;
}

/** Tables whose rows carry the id of the source that contributed them. */
const CONTRIBUTION_TABLES = ['metric_blocks', 'params', 'tags', 'artifacts', 'dataset_use', 'model_versions', 'external_aliases', 'problems', 'registry_events'];
/** Tables keyed by run, emptied when a run goes away with its source. */
const RUN_TABLES = ['metric_blocks', 'metric_summary', 'params', 'tags', 'artifacts', 'dataset_use', 'model_versions'];

export class Store {
  private dirty = false;

  private constructor(
    private db: Database,
    readonly workspaceRoot: string,
    readonly dbPath: string | null,
    private readonly readers: SourceReader[],
  ) {}

  static async open(opts: StoreOptions): Promise<{ store: Store; info: StoreOpenInfo }> {
    const dbPath = opts.dbPath === undefined ? path.join(opts.workspaceRoot, EXPTRACK_DIR_NAME, DATABASE_FILE_NAME) : opts.dbPath;
    const SQL = await loadSqlJs(opts.wasmPath);
    const opened = openDatabase(SQL, dbPath);
    const store = new Store(opened.db, opts.workspaceRoot, dbPath, opts.readers ?? defaultReaders());
    store.dirty = opened.fresh !== null;
    return { store, info: { dbPath, fresh: opened.fresh, setAsidePath: opened.setAsidePath, reason: opened.reason } };
  }

  /**
   * Reads what is new in the given files or folders (absolute paths), or in every source of the
   * workspace (plus those the index already knows, so vanished files are noticed) when none are given.
   */
  ingest(absPaths?: readonly string[]): IngestReport {
    const targets = new Map<string, { absPath: string; reader: SourceReader }>();
    if (absPaths) {
      for (const absPath of absPaths) {
        if (isDirectory(absPath)) {
          for (const s of discoverSources(absPath, this.readers, { relativeTo: this.workspaceRoot })) targets.set(s.relPath, s);
          continue;
        }
        const relPath = toRelPath(this.workspaceRoot, absPath);
        const reader = readerFor(this.readers, relPath);
        if (reader) targets.set(relPath, { absPath, reader });
      }
    } else {
      for (const s of discoverSources(this.workspaceRoot, this.readers)) targets.set(s.relPath, s);
      for (const r of this.db.exec('SELECT path FROM sources ORDER BY path')[0]?.values ?? []) {
        const relPath = String(r[0]);
        const reader = readerFor(this.readers, relPath);
        if (!targets.has(relPath) && reader) targets.set(relPath, { absPath: path.join(this.workspaceRoot, relPath), reader });
      }
    }

    const report: IngestReport = { sourcesSeen: targets.size, sourcesRead: 0, runsTouched: [], points: 0, problems: [] };
    const touched = new Set<string>();
    let registryChanged = false;
    const runsBefore = this.count('runs');
    for (const [relPath, { absPath, reader }] of targets) {
      const writer = new RunIndexWriter(this.db);
      const sink = this.sink(writer, report.problems, () => (registryChanged = true));
      this.db.exec('BEGIN');
      try {
        const outcome = trackSource(this.db, sink, reader, absPath, relPath);
        writer.finish();
        this.db.exec('COMMIT');
        if (outcome !== 'unchanged') {
          report.sourcesRead++;
          this.dirty = true;
        }
        if (outcome === 'removed') registryChanged = true;
      } catch (e) {
        writer.finish();
        this.db.exec('ROLLBACK');
        report.problems.push({ path: relPath, line: null, severity: 'error', message: `cannot read: ${(e as Error).message}` });
        continue;
      }
      report.points += writer.points;
      for (const uid of writer.touchedRuns) touched.add(uid);
    }
    if (registryChanged || this.count('runs') !== runsBefore) {
      refoldRegistry(this.db);
      this.dirty = true;
    }
    report.runsTouched = [...touched].sort();
    return report;
  }

  private sink(writer: RunIndexWriter, problems: SourceProblem[], onRegistry: () => void): SourceSink {
    const db = this.db;
    return {
      apply: (sourceId: number, _relPath: string, batch: RunBatch) => {
        writer.apply(batch, { sourceId });
        // Versions of run-logged models are numbered by the registry fold.
        if (batch.events.some((e) => e.t === 'model')) onRegistry();
      },
      problems: (sourceId: number, found: SourceProblem[]) => {
        for (const p of found) {
          db.run('INSERT INTO problems (source_id, path, line, severity, message) VALUES (?, ?, ?, ?, ?)', [sourceId, p.path, p.line, p.severity, p.message]);
          problems.push(p);
        }
      },
      registry: (sourceId: number, records: RegistryRecord[]) => {
        for (const r of records) {
          db.run('INSERT OR IGNORE INTO registry_events (id, time, type, json, source_id) VALUES (?, ?, ?, ?, ?)', [r.id, r.time, r.type, r.json, sourceId]);
        }
        onRegistry();
      },
      models: (sourceId: number, models: ExternalModelVersion[]) => {
        for (const m of models) {
          const runId = m.runUid === undefined ? null : writer.runId(m.runUid);
          db.run(`INSERT INTO model_versions (name, version, run_id, path, origin, source_id) VALUES (?, ?, ?, ?, 'external', ?)`,
            [m.name, m.version, runId, m.path ?? null, sourceId]);
          for (const alias of m.aliases) {
            db.run('INSERT INTO external_aliases (model, alias, version, source_id) VALUES (?, ?, ?, ?)', [m.name, alias, m.version, sourceId]);
          }
        }
        onRegistry();
      },
      forgetSource: (sourceId: number, removeRuns: boolean) => {
        onRegistry();
        const affected = (db.exec('SELECT DISTINCT run_id FROM metric_blocks WHERE source_id = ?', [sourceId])[0]?.values ?? []).map((r) => Number(r[0]));
        for (const table of CONTRIBUTION_TABLES) db.run(`DELETE FROM ${table} WHERE source_id = ?`, [sourceId]);
        if (removeRuns) {
          for (const r of db.exec('SELECT id FROM runs WHERE source_id = ?', [sourceId])[0]?.values ?? []) {
            for (const table of RUN_TABLES) db.run(`DELETE FROM ${table} WHERE run_id = ?`, [r[0]!]);
          }
          db.run('DELETE FROM runs WHERE source_id = ?', [sourceId]);
        } else {
          // The file is read again from its start: what its run event and end event said is said again.
          db.run(`UPDATE runs SET status = 'unknown', exit_code = NULL, ended = NULL WHERE source_id = ?`, [sourceId]);
        }
        for (const runId of affected) recomputeSummaries(db, runId);
      },
    };
  }

  listRuns(opts?: { includeHidden?: boolean }): RunSummary[] {
    return listRuns(this.db, opts);
  }

  getRun(uid: string): RunDetail | undefined {
    return getRun(this.db, uid);
  }

  metricPoints(uid: string, key: string): MetricPoint[] {
    return metricPoints(this.db, uid, key);
  }

  compareRuns(uids: string[], atStep: number | null = null): CompareSnapshot {
    return compareRuns(this.db, uids, atStep);
  }

  metricSeries(uids: string[], keys: string[], maxPoints?: number): MetricSeries[] {
    return metricSeries(this.db, uids, keys, maxPoints);
  }

  problems(): SourceProblem[] {
    return listProblems(this.db);
  }

  /** For the layers that need their own queries (compare, registry): read-only by convention. */
  get database(): Database {
    return this.db;
  }

  get needsSave(): boolean {
    return this.dirty && this.dbPath !== null;
  }

  /** Writes the database file if anything changed; returns the bytes written (0 when nothing was due). */
  save(): number {
    if (!this.needsSave || this.dbPath === null) return 0;
    // A workspace with nothing to index gets no .exptrack/ folder just because it was opened.
    if (!fs.existsSync(path.dirname(this.dbPath)) && this.count('sources') === 0) return 0;
    const bytes = saveDatabase(this.db, this.dbPath);
    this.dirty = false;
    return bytes;
  }

  close(): void {
    this.db.close();
  }

  private count(table: string): number {
    return Number(this.db.exec(`SELECT count(*) FROM ${table}`)[0]!.values[0]![0]);
  }
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** Summaries of a run from its remaining points, after a source's points were removed. */
function recomputeSummaries(db: Database, runId: number): void {
  db.run('DELETE FROM metric_summary WHERE run_id = ?', [runId]);
  const keys = (db.exec('SELECT DISTINCT key FROM metric_blocks WHERE run_id = ?', [runId])[0]?.values ?? []).map((r) => String(r[0]));
  for (const key of keys) {
    const points = pointsOf(db, runId, key);
    let last = points[0]!;
    let min = NaN;
    let max = NaN;
    for (const p of points) {
      if (isLater(p.step, p.time, last.step, last.time)) last = p;
      if (!Number.isNaN(p.value)) {
        min = Number.isNaN(min) || p.value < min ? p.value : min;
        max = Number.isNaN(max) || p.value > max ? p.value : max;
      }
    }
    const nullIfNaN = (n: number) => (Number.isNaN(n) ? null : n);
    db.run('INSERT INTO metric_summary (run_id, key, last, last_step, last_time, min, max, count) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      [runId, key, nullIfNaN(last.value), last.step, last.time, nullIfNaN(min), nullIfNaN(max), points.length]);
  }
}
