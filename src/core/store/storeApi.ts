/**
 * The store as the rest of the system sees it through the worker: every method here can be
 * called on a StoreClient (asynchronously) and runs on the Store in the worker thread.
 */
import type { IngestReport, MetricPoint, RunDetail, RunSummary, SourceProblem } from '../../shared/runTypes';
import type { StoreOpenInfo } from './store';

export interface StoreApi {
  ingest(absPaths?: string[]): IngestReport;
  listRuns(opts?: { includeHidden?: boolean }): RunSummary[];
  getRun(uid: string): RunDetail | undefined;
  metricPoints(uid: string, key: string): MetricPoint[];
  problems(): SourceProblem[];
  /** Writes the database file now if anything changed (normally debounced). */
  save(): number;
}

export type StoreMethod = keyof StoreApi;

export const STORE_METHODS: readonly StoreMethod[] = ['ingest', 'listRuns', 'getRun', 'metricPoints', 'problems', 'save'];

export interface StoreWorkerData {
  workspaceRoot: string;
  dbPath: string | null | undefined;
  wasmPath?: string;
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
