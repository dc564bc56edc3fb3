/**
 * The index of every run the workspace holds. Synchronous over sql.js: it runs inside the store
 * worker (storeWorker.ts), in the CLI, and directly in tests. Sources are the truth; this is
 * derived, so it can be deleted and rebuilt at any time with identical content.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Database } from 'sql.js';
import type { CompareSnapshot, MetricSeries, SeriesRequest } from '../../shared/compare/compareTypes';
import type { DatasetVersion } from '../../shared/datasetVersions';
import type { IngestReport, ListRunsOptions, MetricPoint, MetricPointsPage, RunDetail, RunSummary, ScanProgress, ScanSummary, SourceProblem } from '../../shared/runTypes';
import { compareRuns } from '../compare/compareQuery';
import { SeriesPipeline } from '../series/seriesPipeline';
import { bucketsFor, DEFAULT_SERIES_POINTS } from '../../shared/compare/chartBudget';
import { discoverSources, PROGRESS_INTERVAL_MS, readerFor, toRelPath } from '../ingest/discovery';
import { PathRules } from '../ingest/pathRules';
import { ScanCancellation } from '../ingest/scanCancellation';
import { defaultReaders } from '../ingest/readers';
import { SourceBusyError, type ExternalModelVersion, type RegistryRecord, type RunBatch, type SourceReader, type StudyRecord, type TrialRecord } from '../ingest/sourceReader';
import { SourceFilter, type SourceSettings } from '../ingest/sourceFilter';
import { loadSourceRow, trackSource, type SourceSink, type TrackOutcome } from '../ingest/sourceTracker';
import { refoldRegistry } from '../registry/registryIndexFold';
import { findModelFiles, registrationCandidates } from '../registry/candidates';
import { buildLineageGraph } from '../registry/lineage';
import { findVersion, readModelRegistry } from '../registry/modelQueries';
import { planPromotion, type PromotionPlan, type PromotionRequest } from '../registry/promotion';
import { planRegistration, type RegistrationPlan, type RegistrationRequest } from '../registry/registration';
import { compareModelVersions, type ComparisonResult } from '../modelVersion/comparison';
import type { LineageFocus, LineageGraph, ModelHistoryEntry } from '../../shared/modelTypes';
import type { ModelVersionComparisonRequest } from '../../shared/modelComparison';
import type { ModelRegistryOverview, RegistryEventOutcome, StoreOpenInfo } from './storeTypes';
import { createFresh, loadSqlJs, openDatabase, saveDatabase, type SaveResult } from './database';
import type { SavedImage } from './pageSave';
import { writeStudies } from './studyRows';
import { listDatasetVersions } from './datasetQueries';
import { getRun, listProblems, metricPoints, metricPointsPage } from './queries';
import { RunCatalog } from '../runs/runCatalog';
import { assembleStudies, studyProblems, type AssembledStudy } from '../sweeps/studyCatalog';
import { studyDetail } from '../sweeps/studyDetail';
import { studyLine } from '../../shared/sweepText';
import type { ObjectiveChoice, StudyDetail, StudySummary } from '../../shared/sweepTypes';
import { searchRuns } from '../runs/runSearch';
import { runsTable, type TrialOfStudy } from '../runs/runsTable';
import type { RunsTableQuery, RunsTableResult } from '../../shared/runsTable';
import type { RunQuery, RunSearchResult } from '../../shared/runSearch';
import { isLater, RunIndexWriter } from './runIndexWriter';
import { pointsOf } from './queries';
import { SeriesFiles, seriesDirOf } from './seriesFiles';
import { SeriesStore, type StepRange } from './seriesStore';
import { EXPTRACK_DIR_NAME, writeIgnoreFile } from '../exptrackDir';
import { adoptOutsideIndex, chooseIndexLocation, DATABASE_FILE_NAME, type IndexPlace } from './indexLocation';
import { runSlices, type SliceReportOptions } from '../slices/sliceReport';
import type { RunSlices } from '../../shared/slices';

export interface StoreOptions {
  workspaceRoot: string;
  /** Absolute path of the database file; null keeps it in memory only. Default: `.exptrack/exptrack.sqlite`. */
  dbPath?: string | null;
  /**
   * Where the index goes when the workspace has no usable `.exptrack/` (see indexLocation.ts);
   * with it, `dbPath` undefined means "choose", and an index kept there moves in once `.exptrack/` exists.
   */
  outsideDir?: string;
  wasmPath?: string;
  readers?: SourceReader[];
  /** Which files are read (the `exptrack.sources.*` settings); default: everything a reader owns. */
  sources?: Partial<SourceSettings>;
}

/** Tables whose rows carry the id of the source that contributed them. */
const CONTRIBUTION_TABLES = ['metric_chunks', 'slice_metrics', 'params', 'tags', 'artifacts', 'dataset_use', 'model_versions', 'external_aliases', 'problems', 'registry_events',
  'studies', 'study_trials'];
/** Tables keyed by run, emptied when a run goes away with its source. */
const RUN_TABLES = ['metric_chunks', 'metric_summary', 'slice_metrics', 'params', 'tags', 'artifacts', 'dataset_use', 'model_versions', 'study_trials'];

export class Store {
  private dirty = false;
  /** The index file as this store last read or wrote it: saves then write only the pages that changed. */
  private savedImage: SavedImage | undefined;
  private sourceFilter = SourceFilter.compile({}).filter;
  /** Runs with their params, tags and metric summaries, for listing and searching (src/core/runs). */
  private readonly catalog = new RunCatalog(() => this.db);

  /** Where the points are (seriesStore.ts); for layers with their own point reads, read-only by convention. */
  readonly series: SeriesStore;
  /** Chart series: smoothing and reduction over every point, with what it keeps between requests (src/core/series). */
  private readonly pipeline: SeriesPipeline;

  private constructor(
    private db: Database,
    readonly workspaceRoot: string,
    readonly dbPath: string | null,
    private readonly readers: SourceReader[],
  ) {
    const files = new SeriesFiles(dbPath === null ? null : seriesDirOf(dbPath));
    files.collectGarbage(db);
    this.series = new SeriesStore(db, files);
    this.pipeline = new SeriesPipeline(this.series);
  }

  static async open(opts: StoreOptions): Promise<{ store: Store; info: StoreOpenInfo }> {
    let dbPath = opts.dbPath === undefined ? path.join(opts.workspaceRoot, EXPTRACK_DIR_NAME, DATABASE_FILE_NAME) : opts.dbPath;
    const placed: Pick<StoreOpenInfo, 'place' | 'note'> = {};
    if (opts.dbPath === undefined && opts.outsideDir !== undefined) {
      const location = chooseIndexLocation({ workspaceRoot: opts.workspaceRoot, outsideDir: opts.outsideDir });
      dbPath = location.dbPath;
      const adoption = adoptOutsideIndex(location, opts.outsideDir);
      placed.place = location.place;
      placed.note = adoption.error ?? location.note;
    }
    const SQL = await loadSqlJs(opts.wasmPath);
    const opened = openDatabase(SQL, dbPath);
    // The points live in the series files beside the index: an index that names files that are
    // gone or cut short is rebuilt from the sources like an outdated one.
    const mismatch = opened.fresh === null ? new SeriesFiles(dbPath === null ? null : seriesDirOf(dbPath)).verify(opened.db) : null;
    if (mismatch !== null) {
      opened.db.close();
      Object.assign(opened, { db: createFresh(SQL), fresh: 'outdated', reason: mismatch, image: undefined });
    }
    const ownDatabase = dbPath === null ? undefined : toRelPath(opts.workspaceRoot, dbPath);
    const store = new Store(opened.db, opts.workspaceRoot, dbPath, opts.readers ?? defaultReaders({ sql: SQL, ownDatabase }));
    store.dirty = opened.fresh !== null;
    store.savedImage = opened.image;
    if (opts.sources) store.configureSources(opts.sources);
    return { store, info: { dbPath, ...placed, fresh: opened.fresh, setAsidePath: opened.setAsidePath, reason: opened.reason, recovery: opened.recovery } };
  }

  /**
   * Reads what is new in the given files or folders (absolute paths), or in every source of the
   * workspace (plus those the index already knows, so vanished files are noticed) when none are given.
   * A cancelled ingest stops between two sources: each source is read in its own transaction, so
   * the index holds whole sources only, and what was not read is read by the next ingest.
   */
  ingest(absPaths?: readonly string[], control: IngestControl = {}): IngestReport {
    const cancellation = control.cancelFlag ? new ScanCancellation(control.cancelFlag) : undefined;
    // `excluded`: a known source the settings no longer accept; what it contributed is removed.
    const targets = new Map<string, { absPath: string; reader: SourceReader; excluded?: boolean }>();
    const rules = new PathRules(this.sourceFilter, this.workspaceRoot);
    let scan: ScanSummary | undefined;
    const discover = (absDir: string): void => {
      const found = discoverSources(absDir, this.readers, { relativeTo: this.workspaceRoot, rules, cancellation, onProgress: control.onProgress });
      for (const s of found.sources) targets.set(s.relPath, s);
      scan = scan ? mergeScans(scan, found.summary) : found.summary;
    };
    if (absPaths) {
      for (const absPath of absPaths) {
        if (scan?.cancelled) break;
        if (isDirectory(absPath)) {
          discover(absPath);
          continue;
        }
        const relPath = toRelPath(this.workspaceRoot, absPath);
        const reader = readerFor(this.readers, relPath);
        if (reader && rules.acceptsFile(relPath)) targets.set(relPath, { absPath, reader });
        else if (reader && loadSourceRow(this.db, relPath)) targets.set(relPath, { absPath, reader, excluded: true });
      }
    } else {
      discover(this.workspaceRoot);
      // Known sources a walk cut short by the limit did not reach are still checked (and kept).
      const known = scan?.cancelled ? [] : this.db.exec('SELECT path FROM sources ORDER BY path')[0]?.values ?? [];
      for (const r of known) {
        const relPath = String(r[0]);
        const reader = readerFor(this.readers, relPath);
        if (!targets.has(relPath) && reader) {
          targets.set(relPath, { absPath: path.join(this.workspaceRoot, relPath), reader, excluded: !rules.acceptsFile(relPath) });
        }
      }
    }
    if (scan?.cancelled) {
      // Nothing was read: a walk cut short says nothing of what it did not reach.
      return { sourcesSeen: targets.size, sourcesRead: 0, runsTouched: [], points: 0, problems: [], scan, cancelled: true };
    }

    const report: IngestReport = { sourcesSeen: targets.size, sourcesRead: 0, runsTouched: [], points: 0, problems: [] };
    if (scan) report.scan = scan;
    const touched = new Set<string>();
    let registryChanged = false;
    let onlyAppends = true;
    const runsBefore = this.count('runs');
    const progress = throttled(control.onProgress, { phase: 'reading', filesLookedAt: scan?.filesLookedAt ?? 0, sourcesFound: targets.size, sourcesRead: 0 });
    let done = 0;
    for (const [relPath, { absPath, reader, excluded }] of targets) {
      if (cancellation?.isCancelled) {
        report.cancelled = true;
        break;
      }
      progress(done++);
      const writer = new RunIndexWriter(this.db, this.series);
      const sink = this.sink(writer, report.problems, () => (registryChanged = true));
      this.db.exec('BEGIN');
      try {
        const outcome = excluded ? this.dropSource(sink, relPath) : trackSource(this.db, sink, reader, absPath, relPath);
        writer.finish();
        if (outcome === 'reread') this.dropUnclaimedRuns(relPath, writer.touchedRuns);
        this.db.exec('COMMIT');
        this.series.afterCommit();
        if (outcome !== 'unchanged') {
          report.sourcesRead++;
          this.dirty = true;
          if (outcome !== 'appended') onlyAppends = false;
        }
        if (outcome === 'removed') registryChanged = true;
      } catch (e) {
        writer.finish();
        this.db.exec('ROLLBACK');
        if (e instanceof SourceBusyError) {
          // Being written: what the index holds from it stays; the caller reads it again soon.
          (report.retry ??= []).push(absPath);
          report.problems.push({ path: relPath, line: null, severity: 'info', message: `${e.message}: what was read before is kept, and it is read again in a moment` });
        } else {
          report.problems.push({ path: relPath, line: null, severity: 'error', message: `cannot read: ${(e as Error).message}` });
        }
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
    if (report.sourcesRead > 0) this.pipeline.cache.forgetRuns(report.runsTouched);
    // Appends only add to the runs they name; anything else may change any run.
    if (registryChanged || !onlyAppends || this.count('runs') < runsBefore) this.catalog.invalidate('all');
    else if (report.sourcesRead > 0) this.catalog.invalidate(report.runsTouched);
    // A run that vanished with its file takes its series along (its uid could come back with other points).
    if (this.count('runs') < runsBefore) this.pipeline.cache.clear();
    return report;
  }

  /**
   * Sets which files are read (the `exptrack.sources.*` settings); returns the patterns that could
   * not be used. Takes effect at the next ingest: a full scan then drops sources no longer accepted.
   */
  configureSources(settings: Partial<SourceSettings>): string[] {
    const { filter, errors } = SourceFilter.compile(settings);
    this.sourceFilter = filter;
    return errors;
  }

  /** Forgets a source as if its file were gone (the settings exclude it now). */
  private dropSource(sink: SourceSink, relPath: string): TrackOutcome {
    const row = loadSourceRow(this.db, relPath);
    if (!row) return 'unchanged';
    sink.forgetSource(row.id, true);
    this.db.run('DELETE FROM sources WHERE id = ?', [row.id]);
    return 'removed';
  }

  /**
   * After a file was read again from its start: runs it described before and no longer does (a
   * notebook now recorded live, a log that no longer looks like one), and that no other file adds
   * to, are removed, so the index matches what a rebuild would make.
   */
  private dropUnclaimedRuns(relPath: string, claimed: ReadonlySet<string>): void {
    const sourceId = loadSourceRow(this.db, relPath)?.id;
    if (sourceId === undefined) return;
    for (const r of this.db.exec('SELECT id, uid FROM runs WHERE source_id = ?', [sourceId])[0]?.values ?? []) {
      if (claimed.has(String(r[1]))) continue;
      const runId = r[0]!;
      const fed = RUN_TABLES.some((table) => this.db.exec(`SELECT 1 FROM ${table} WHERE run_id = ? LIMIT 1`, [runId]).length > 0);
      if (fed) continue;
      for (const table of RUN_TABLES) this.db.run(`DELETE FROM ${table} WHERE run_id = ?`, [runId]);
      this.db.run('DELETE FROM runs WHERE id = ?', [runId]);
    }
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
      studies: (sourceId: number, studies: StudyRecord[], trials: TrialRecord[]) => writeStudies(db, sourceId, studies, trials, (uid) => writer.runId(uid)),
      forgetSource: (sourceId: number, removeRuns: boolean) => {
        onRegistry();
        const affected = (db.exec('SELECT DISTINCT run_id FROM metric_chunks WHERE source_id = ?', [sourceId])[0]?.values ?? []).map((r) => Number(r[0]));
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
        for (const runId of affected) recomputeSummaries(this.series, runId);
      },
    };
  }

  listRuns(opts: ListRunsOptions = {}): RunSummary[] {
    this.catalog.preferKeyMetric(opts.keyMetric);
    return this.catalog.records(opts).map((r) => r.summary);
  }

  /** Runs matching a filter in MLflow's search syntax, ordered; or where the syntax is wrong. */
  searchRuns(query: RunQuery): RunSearchResult {
    this.catalog.preferKeyMetric(query.keyMetric);
    return searchRuns(this.catalog, query);
  }

  /** The Runs table: matching runs in the table's order with its columns as text, pinned runs, groups, keys. */
  runsTable(query: RunsTableQuery): RunsTableResult {
    if (query.groupBy?.kind !== 'study') return runsTable(this.catalog, query);
    const trials = new Map<string, TrialOfStudy>();
    for (const { summary: s } of this.studies()) {
      const label = studyLine(s);
      const best = new Set(s.best);
      const mark = s.objectives.length > 1 ? 'pareto' : 'best';
      for (const t of s.trials) if (!trials.has(t.uid)) trials.set(t.uid, best.has(t.uid) ? { label, best: mark } : { label });
    }
    return runsTable(this.catalog, query, (uid) => trials.get(uid));
  }

  getRun(uid: string): RunDetail | undefined {
    return getRun(this.db, uid);
  }

  metricPoints(uid: string, key: string): MetricPoint[] {
    return metricPoints(this.series, uid, key);
  }

  metricPointsPage(uid: string, key: string, offset: number, limit: number): MetricPointsPage {
    return metricPointsPage(this.series, uid, key, offset, limit);
  }

  compareRuns(uids: string[], atStep: number | null = null, derived: string[] = []): CompareSnapshot {
    return compareRuns(this.series, uids, atStep, derived, this.pipeline);
  }

  /** Chart series through the one pipeline: smoothed over every point, reduced to pixel columns, zoomed to a step range. */
  chartSeries(request: SeriesRequest): MetricSeries[] {
    return this.pipeline.series(request);
  }

  metricSeries(uids: string[], keys: string[], maxPoints = DEFAULT_SERIES_POINTS, withTimes = true): MetricSeries[] {
    return this.pipeline.series({ uids, keys, buckets: bucketsFor(maxPoints), withTimes });
  }

  metricSeriesInRange(uid: string, key: string, range: StepRange, maxPoints = DEFAULT_SERIES_POINTS, withTimes = true): MetricSeries | null {
    return this.pipeline.series({ uids: [uid], keys: [key], buckets: bucketsFor(maxPoints), withTimes, range })[0] ?? null;
  }

  problems(): SourceProblem[] {
    return [...listProblems(this.db), ...studyProblems(this.studies())];
  }

  /** Hyperparameter studies with their trials, states and best trials (src/core/sweeps); `choices`: objectives users picked, by study uid. */
  listStudies(choices?: Record<string, ObjectiveChoice>): StudySummary[] {
    return this.studies(choices).map((s) => s.summary);
  }

  /** One study in full, with parameter importance for objective `objective` (0: the first). */
  studyDetail(uid: string, opts: { choice?: ObjectiveChoice; objective?: number } = {}): StudyDetail | undefined {
    const study = this.studies(opts.choice ? { [uid]: opts.choice } : {}, true).find((s) => s.summary.uid === uid);
    return study && studyDetail(study, opts.objective);
  }

  private studies(choices?: Record<string, ObjectiveChoice>, withParams = false): AssembledStudy[] {
    return assembleStudies(this.db, this.catalog.records({ metrics: true, tags: true, params: withParams }), choices);
  }

  datasetVersions(): DatasetVersion[] {
    return listDatasetVersions(this.db);
  }

  // -- model registry (src/core/registry); the registry file is read by ingest, never written here --

  /** Registered models with their versions, and the model files runs produced (offered for registration). */
  modelRegistry(): ModelRegistryOverview {
    const view = readModelRegistry(this.db);
    return { models: view.models, candidates: registrationCandidates(this.db, view, this.workspaceRoot) };
  }

  /** Audit entries in (time, id) order, of one model or of all. */
  modelHistory(model?: string): ModelHistoryEntry[] {
    const history = readModelRegistry(this.db).history;
    return model === undefined ? history : history.filter((h) => h.model === model);
  }

  lineageGraph(focus?: LineageFocus): LineageGraph {
    return buildLineageGraph(this.db, focus);
  }

  /** Model files and saved_model/ folders below a workspace folder (default: all of it). */
  modelFiles(dir?: string): string[] {
    return findModelFiles(this.workspaceRoot, dir ?? '.');
  }

  /** What registering a file would write (hashes the file); the caller appends the event. */
  planModelRegistration(req: RegistrationRequest): Promise<RegistrationPlan> {
    return planRegistration(this.db, readModelRegistry(this.db), this.workspaceRoot, req);
  }

  /** What moving an alias would write, with the gate's verdict; the caller appends the events. */
  planModelPromotion(req: PromotionRequest): PromotionPlan {
    return planPromotion(readModelRegistry(this.db), req);
  }

  /** How the fold took an appended registry event, and the version it is about now. */
  registryEventOutcome(eventId: string): RegistryEventOutcome {
    const view = readModelRegistry(this.db);
    const entry = view.history.find((h) => h.id === eventId) ?? null;
    const version = entry === null ? undefined
      : entry.kind === 'register' ? findVersion(view, entry.model, entry.version)
        : entry.kind === 'alias' ? findVersion(view, entry.model, entry.to) : undefined;
    return { entry, version: version ?? null };
  }

  /** Each run's metrics per slice beside the overall value, gaps and TFMA's verdicts (src/core/slices). */
  runSlices(uids: string[], options: SliceReportOptions = {}): RunSlices[] {
    return uids.map((uid) => runSlices(this.db, uid, options)).filter((r): r is RunSlices => r !== undefined);
  }

  /** A version beside the champion (or another version): metrics, parameters, training-data drift, gate. */
  modelVersionComparison(req: ModelVersionComparisonRequest): Promise<ComparisonResult> {
    return compareModelVersions(this.db, this.workspaceRoot, req);
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
    const dir = path.dirname(this.dbPath);
    if (path.basename(dir) === EXPTRACK_DIR_NAME) {
      // The index never creates .exptrack/ (opening a folder writes nothing into it), nor brings
      // back one that was deleted with its workspace: it stays in memory until the next start.
      if (!fs.existsSync(dir)) return 0;
      try {
        writeIgnoreFile(dir);
      } catch {
        // The save below fails the same way, and says so with the index's path.
      }
    } else if (!fs.existsSync(dir) && this.count('sources') === 0) {
      return 0; // nothing indexed yet: no folder is made for an empty index
    }
    try {
      this.series.beforeSave();
    } catch (e) {
      throw new Error(`could not save the run index to ${this.dbPath}: ${(e as Error).message} (the previous file is kept; the run files hold everything)`);
    }
    let saved: SaveResult;
    try {
      saved = saveDatabase(this.db, this.dbPath, this.savedImage);
    } catch (e) {
      this.savedImage = undefined; // what is on disk is not known for sure: the next save writes it whole
      throw e;
    }
    this.savedImage = saved.image;
    this.dirty = false;
    return saved.written;
  }

  close(): void {
    this.savedImage = undefined;
    this.series.close();
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
function recomputeSummaries(series: SeriesStore, runId: number): void {
  const db = series.db;
  db.run('DELETE FROM metric_summary WHERE run_id = ?', [runId]);
  for (const key of series.keysOf(runId)) {
    const points = pointsOf(series, runId, key);
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

/** What an ingest is given besides its paths (see StoreApi.ingest for the form that crosses threads). */
export interface IngestControl {
  /** The buffer of a ScanCancellation: once its flag is set, the ingest stops soon. */
  cancelFlag?: SharedArrayBuffer;
  /** Called while the ingest walks and reads, about every PROGRESS_INTERVAL_MS. */
  onProgress?: (progress: ScanProgress) => void;
}

/** The summary of walking several folders in one ingest. */
function mergeScans(a: ScanSummary, b: ScanSummary): ScanSummary {
  const skipped = { ...a.skipped };
  for (const [reason, n] of Object.entries(b.skipped) as [keyof ScanSummary['skipped'], number][]) skipped[reason] = (skipped[reason] ?? 0) + n;
  const merged: ScanSummary = {
    filesLookedAt: a.filesLookedAt + b.filesLookedAt, sourcesFound: a.sourcesFound + b.sourcesFound,
    cancelled: a.cancelled || b.cancelled, skipped, ms: a.ms + b.ms,
  };
  const limit = a.limitReached ?? b.limitReached;
  if (limit !== undefined) merged.limitReached = limit;
  return merged;
}

/** Reports reading progress before the first source, then at most every PROGRESS_INTERVAL_MS. */
function throttled(onProgress: IngestControl['onProgress'], base: ScanProgress): (sourcesRead: number) => void {
  if (!onProgress) return () => undefined;
  let last = -Infinity;
  return (sourcesRead) => {
    const now = performance.now();
    if (now - last < PROGRESS_INTERVAL_MS) return;
    last = now;
    onProgress({ ...base, sourcesRead });
  };
}
