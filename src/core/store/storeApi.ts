/**
 * The store as the rest of the system sees it through the worker: every method here can be
 * called on a StoreClient (asynchronously) and runs on the Store in the worker thread.
 */
import type { CompareSnapshot, MetricSeries } from '../../shared/compare/compareTypes';
import type { DatasetVersion } from '../../shared/datasetVersions';
import type { IngestReport, MetricPoint, RunDetail, RunSummary, SourceProblem } from '../../shared/runTypes';
import type { ModelVersionComparisonRequest } from '../../shared/modelComparison';
import type {
  LineageFocus, LineageGraph, ModelHistoryEntry, ModelVersion, RegisteredModel, RegistrationCandidate,
} from '../../shared/modelTypes';
import type { ComparisonResult } from '../modelVersion/comparison';
import type { PromotionPlan, PromotionRequest } from '../registry/promotion';
import type { RegistrationPlan, RegistrationRequest } from '../registry/registration';
import type { SourceSettings } from '../ingest/sourceFilter';
import type { StoreOpenInfo } from './store';

export interface StoreApi {
  ingest(absPaths?: string[]): IngestReport;
  listRuns(opts?: { includeHidden?: boolean }): RunSummary[];
  getRun(uid: string): RunDetail | undefined;
  metricPoints(uid: string, key: string): MetricPoint[];
  /** Runs side by side: parameters, metric summaries, values at a step (src/core/compare). */
  compareRuns(uids: string[], atStep?: number | null): CompareSnapshot;
  /** Chart-ready series, at most `maxPoints` points each with minima and maxima kept; times only `withTimes` (src/core/compare). */
  metricSeries(uids: string[], keys: string[], maxPoints?: number, withTimes?: boolean): MetricSeries[];
  problems(): SourceProblem[];
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
  /** Writes the database file now if anything changed (normally debounced). */
  save(): number;
}

export type StoreMethod = keyof StoreApi;

export const STORE_METHODS: readonly StoreMethod[] = ['ingest', 'listRuns', 'getRun', 'metricPoints', 'compareRuns', 'metricSeries', 'problems', 'configureSources', 'save',
  'modelRegistry', 'modelHistory', 'lineageGraph', 'modelFiles', 'planModelRegistration', 'planModelPromotion', 'registryEventOutcome',
  'modelVersionComparison', 'datasetVersions'];

export interface ModelRegistryOverview {
  models: RegisteredModel[];
  candidates: RegistrationCandidate[];
}

export interface RegistryEventOutcome {
  /** The event as the fold took it (renumbered, duplicate, not applied…); null when it is not in the index. */
  entry: ModelHistoryEntry | null;
  version: ModelVersion | null;
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
  | { kind: 'opened'; info: StoreOpenInfo }
  | { kind: 'openFailed'; error: string }
  | { kind: 'saved'; bytes: number }
  | { kind: 'saveFailed'; error: string };
