/**
 * The store as the rest of the system sees it through the worker: every method here can be
 * called on a StoreClient (asynchronously) and runs on the Store in the worker thread.
 */
import type { CompareSnapshot, MetricSeries, SeriesRequest } from '../../shared/compare/compareTypes';
import type { DatasetVersion } from '../../shared/datasetVersions';
import type { RunQuery, RunSearchResult } from '../../shared/runSearch';
import type { RunsTableQuery, RunsTableResult } from '../../shared/runsTable';
import type { IngestReport, ListRunsOptions, MetricPoint, MetricPointsPage, RunDetail, RunSummary, ScanProgress, SourceProblem } from '../../shared/runTypes';
import type { ModelVersionComparisonRequest } from '../../shared/modelComparison';
import type {
  LineageFocus, LineageGraph, ModelHistoryEntry, ModelVersion, RegisteredModel, RegistrationCandidate,
} from '../../shared/modelTypes';
import type { ComparisonResult } from '../modelVersion/comparison';
import type { PromotionPlan, PromotionRequest } from '../registry/promotion';
import type { RegistrationPlan, RegistrationRequest } from '../registry/registration';
import type { SourceSettings } from '../ingest/sourceFilter';
import type { ObjectiveChoice, StudyDetail, StudySummary } from '../../shared/sweepTypes';
import type { ModelRegistryOverview, RegistryEventOutcome, StoreOpenInfo } from './storeTypes';
import type { StepRange } from './seriesStore';
import type { SliceReportOptions } from '../slices/sliceReport';
import type { RunSlices } from '../../shared/slices';
import type { SyncProgressMessage, SyncTaskRequest, SyncTaskResult } from '../mlflowSync/syncTasks';

export interface StoreApi {
  /** Reads what is new in these files or folders, or everywhere; see Store.ingest. */
  ingest(absPaths?: string[], request?: IngestRequest): IngestReport;
  listRuns(opts?: ListRunsOptions): RunSummary[];
  /** Runs matching a filter in MLflow's search syntax, ordered (src/core/runs); a syntax error says where it is. */
  searchRuns(query: RunQuery): RunSearchResult;
  /** The Runs table's rows for a filter, sort, columns, grouping and pins (src/core/runs/runsTable). */
  runsTable(query: RunsTableQuery): RunsTableResult;
  getRun(uid: string): RunDetail | undefined;
  metricPoints(uid: string, key: string): MetricPoint[];
  /** Points `offset` to `offset + limit` of a metric in step order, and its point count (sync reads long series this way). */
  metricPointsPage(uid: string, key: string, offset: number, limit: number): MetricPointsPage;
  /** Runs side by side: parameters, metric summaries (of derived metrics too), values at a step (src/core/compare). */
  compareRuns(uids: string[], atStep?: number | null, derived?: string[]): CompareSnapshot;
  /** Chart series through the one pipeline: smoothed over every point, reduced to pixel columns, a step range when zoomed (src/core/series). */
  chartSeries(request: SeriesRequest): MetricSeries[];
  /** Chart-ready series, at most `maxPoints` points each with minima and maxima kept; times only `withTimes` (src/core/compare). */
  metricSeries(uids: string[], keys: string[], maxPoints?: number, withTimes?: boolean): MetricSeries[];
  /** One series' points whose step lies in the range, full resolution up to `maxPoints` (a zoomed chart); null when none. */
  metricSeriesInRange(uid: string, key: string, range: StepRange, maxPoints?: number, withTimes?: boolean): MetricSeries | null;
  problems(): SourceProblem[];
  /** Hyperparameter studies (src/core/sweeps); `choices`: the objective a user picked, by study uid. */
  listStudies(choices?: Record<string, ObjectiveChoice>): StudySummary[];
  /** One study in full: trials, parameters, importance for objective `objective`. */
  studyDetail(uid: string, opts?: { choice?: ObjectiveChoice; objective?: number }): StudyDetail | undefined;
  /** Dataset versions (path + content hash) that runs read, with those runs (src/core/store/datasetQueries). */
  datasetVersions(): DatasetVersion[];
  /** Which files are read (the `exptrack.sources.*` settings); returns the patterns that could not be used. */
  configureSources(settings: Partial<SourceSettings>): string[];
  /** Registered models and the model files runs produced that could be registered (src/core/registry). */
  modelRegistry(): ModelRegistryOverview;
  modelHistory(model?: string): ModelHistoryEntry[];
  lineageGraph(focus?: LineageFocus): LineageGraph;
  modelFiles(dir?: string): string[];
  /** Plans only: registry events are appended by the caller (one small O_APPEND write) and then ingested. */
  planModelRegistration(req: RegistrationRequest): Promise<RegistrationPlan>;
  planModelPromotion(req: PromotionRequest): PromotionPlan;
  registryEventOutcome(eventId: string): RegistryEventOutcome;
  modelVersionComparison(req: ModelVersionComparisonRequest): Promise<ComparisonResult>;
  /** Each run's metrics per slice beside the overall value, gaps and TFMA's verdicts (src/core/slices). */
  runSlices(uids: string[], options?: SliceReportOptions): RunSlices[];
  /** Writes the database file now if anything changed (normally debounced). */
  save(): number;
  /** An MLflow push or pull, run in the worker (src/core/mlflowSync/syncTasks.ts); progress arrives as 'syncProgress' messages. */
  mlflowSync(taskId: number, request: SyncTaskRequest): Promise<SyncTaskResult>;
  /** Asks a running sync task to stop after the batch in flight. */
  cancelSync(taskId: number): void;
}

export type StoreMethod = keyof StoreApi;

export const STORE_METHODS: readonly StoreMethod[] = ['ingest', 'listRuns', 'searchRuns', 'runsTable', 'getRun', 'metricPoints', 'metricPointsPage', 'compareRuns', 'chartSeries', 'metricSeries', 'metricSeriesInRange', 'problems', 'configureSources', 'save',
  'listStudies', 'studyDetail',
  'modelRegistry', 'modelHistory', 'lineageGraph', 'modelFiles', 'planModelRegistration', 'planModelPromotion', 'registryEventOutcome',
  'modelVersionComparison', 'datasetVersions', 'mlflowSync', 'cancelSync', 'runSlices'];

/** An ingest's control as it crosses to the worker: shared memory and flags, no functions. */
export interface IngestRequest {
  /** The buffer of a ScanCancellation the caller keeps: setting its flag stops the ingest soon. */
  cancelFlag?: SharedArrayBuffer;
  /** The worker posts `progress` messages for this call while it runs. */
  progress?: boolean;
}

export interface StoreWorkerData {
  workspaceRoot: string;
  dbPath: string | null | undefined;
  /** Where the index goes when the workspace has no usable `.exptrack/` (Store.open's outsideDir). */
  outsideDir?: string;
  wasmPath?: string;
  /** Which files are read (the `exptrack.sources.*` settings); default: everything a reader owns. */
  sources?: Partial<SourceSettings>;
  /** How long after a change the database file is written. */
  saveDelayMs: number;
}

export type WorkerRequest = { id: number; method: StoreMethod; args: unknown[] } | { id: number; method: 'close'; args: [] };

export type WorkerMessage =
  | { kind: 'reply'; id: number; ok: true; result: unknown }
  | { kind: 'reply'; id: number; ok: false; error: string }
  | { kind: 'progress'; id: number; progress: ScanProgress }
  | { kind: 'opened'; info: StoreOpenInfo }
  | { kind: 'openFailed'; error: string }
  | { kind: 'saved'; bytes: number }
  | { kind: 'saveFailed'; error: string }
  | ({ kind: 'syncProgress' } & SyncProgressMessage);
