/**
 * One push or pull against one server, as the CLI and the extension run it: takes the workspace's
 * sync lock, loads the sync state, and always releases the lock (the state is saved as work
 * proceeds, so whatever happened, what was sent is recorded).
 */
import { ensureExptrackDir } from '../exptrackDir';
import { registryFilePath } from '../registry/registryAppender';
import type { LocalRuns, SyncProgress } from './localRuns';
import { pullRuns, type PullReport } from './pullRuns';
import { pushRuns, type PushReport } from './pushRuns';
import { pullModels, pushModels, type ModelSyncReport } from './registrySync';
import { MlflowRestClient, type RestClientOptions } from './restClient';
import { acquireSyncLock, SyncStateStore } from './syncState';
import type { TrackingServer } from './trackingServer';

export interface SessionOptions {
  workspaceRoot: string;
  server: TrackingServer;
  progress?: SyncProgress;
  client?: RestClientOptions;
}

export interface PushSessionReport extends PushReport {
  models?: ModelSyncReport;
  /** Set when the state file was unreadable and moved aside. */
  stateSetAside?: string;
}

export interface PullSessionReport extends PullReport {
  models?: ModelSyncReport;
  stateSetAside?: string;
}

async function withSession<T>(opts: SessionOptions, work: (ctx: { client: MlflowRestClient; state: SyncStateStore; exptrackDir: string }) => Promise<T>): Promise<T> {
  const exptrackDir = ensureExptrackDir(opts.workspaceRoot);
  const release = acquireSyncLock(exptrackDir);
  try {
    const state = SyncStateStore.load(exptrackDir);
    return await work({ client: new MlflowRestClient(opts.server, opts.client), state, exptrackDir });
  } finally {
    release();
  }
}

export function pushSession(opts: SessionOptions & { local: LocalRuns; runUids: string[]; experiment?: string; models?: boolean; modelNames?: string[] }): Promise<PushSessionReport> {
  return withSession(opts, async ({ client, state }) => {
    const report: PushSessionReport = await pushRuns({
      client, state, local: opts.local, workspaceRoot: opts.workspaceRoot, runUids: opts.runUids, experiment: opts.experiment, progress: opts.progress,
    });
    if (state.setAside) report.stateSetAside = state.setAside;
    if (opts.models && !report.cancelled) {
      report.models = await pushModels({ client, state, local: opts.local, workspaceRoot: opts.workspaceRoot, names: opts.modelNames, experiment: opts.experiment, progress: opts.progress });
    }
    return report;
  });
}

export function pullSession(opts: SessionOptions & { experiment?: string; local?: LocalRuns; models?: boolean; modelNames?: string[] }): Promise<PullSessionReport> {
  return withSession(opts, async ({ client, state, exptrackDir }) => {
    // Without an experiment only the registry is pulled.
    const report: PullSessionReport = opts.experiment === undefined
      ? { experimentId: '', runs: [], files: [], warnings: [], cancelled: false }
      : await pullRuns({ client, state, exptrackDir, experiment: opts.experiment, progress: opts.progress });
    if (state.setAside) report.stateSetAside = state.setAside;
    if (opts.models && !report.cancelled) {
      report.models = await pullModels({ client, state, workspaceRoot: opts.workspaceRoot, local: opts.local, names: opts.modelNames, progress: opts.progress });
      report.files.push(registryFilePath(opts.workspaceRoot));
    }
    return report;
  });
}
