/**
 * What sync reads from the local index, as an async interface: the CLI serves it from a Store in
 * the same thread, the extension from the store worker (RunIndex.call).
 */
import type { MetricPointsPage, RunDetail, RunSummary } from '../../shared/runTypes';
import type { ModelRegistryOverview } from '../store/storeTypes';
import type { Store } from '../store/store';

export interface LocalRuns {
  listRuns(): Promise<RunSummary[]>;
  getRun(uid: string): Promise<RunDetail | undefined>;
  /** A page of a metric's points in step order: a push goes through a long series page by page. */
  metricPointsPage(uid: string, key: string, offset: number, limit: number): Promise<MetricPointsPage>;
  modelRegistry(): Promise<ModelRegistryOverview>;
}

export function localRunsOfStore(store: Store): LocalRuns {
  return {
    listRuns: async () => store.listRuns({ includeHidden: false }),
    getRun: async (uid) => store.getRun(uid),
    metricPointsPage: async (uid, key, offset, limit) => store.metricPointsPage(uid, key, offset, limit),
    modelRegistry: async () => store.modelRegistry(),
  };
}

/** Progress as the caller shows it (a notification, a CLI line); `cancelled` is polled between batches. */
export interface SyncProgress {
  report(message: string, done?: number, total?: number): void;
  readonly cancelled: boolean;
}

export const SILENT_PROGRESS: SyncProgress = { report: () => undefined, cancelled: false };
