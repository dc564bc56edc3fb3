/**
 * MLflow push and pull run inside the store worker, next to the index they read: hashing and
 * encoding millions of points never runs on the extension host's thread, and the points go from
 * the index to the request bodies without crossing threads. The host starts a task, receives its
 * progress as messages, and cancels it by id (the task stops after the batch in flight).
 */
import type { Store } from '../store/store';
import { localRunsOfStore, type SyncProgress } from './localRuns';
import { MlflowError } from './mlflowErrors';
import { SyncBusyError } from './syncState';
import { pullSession, pushSession, type PullSessionReport, type PushSessionReport } from './syncSession';
import type { TrackingServer } from './trackingServer';

export type SyncTaskRequest =
  | { kind: 'push'; server: TrackingServer; runUids: string[]; models?: boolean }
  | { kind: 'pull'; server: TrackingServer; experiment?: string; models?: boolean };

/** A failure a person acts on (server, credentials, another sync running) comes back as a message; others reject. */
export type SyncTaskResult =
  | { ok: true; push?: PushSessionReport; pull?: PullSessionReport }
  | { ok: false; message: string };

export interface SyncProgressMessage {
  taskId: number;
  message: string;
  done?: number;
  total?: number;
}

export class SyncTasks {
  private readonly cancelled = new Set<number>();

  constructor(private readonly store: Store, private readonly onProgress: (m: SyncProgressMessage) => void) {}

  async run(taskId: number, request: SyncTaskRequest): Promise<SyncTaskResult> {
    const cancelled = this.cancelled;
    const progress: SyncProgress = {
      report: (message, done, total) => this.onProgress({ taskId, message, done, total }),
      get cancelled() {
        return cancelled.has(taskId);
      },
    };
    const workspaceRoot = this.store.workspaceRoot;
    const local = localRunsOfStore(this.store);
    try {
      if (request.kind === 'push') {
        return { ok: true, push: await pushSession({ workspaceRoot, server: request.server, local, runUids: request.runUids, models: request.models, progress }) };
      }
      return { ok: true, pull: await pullSession({ workspaceRoot, server: request.server, experiment: request.experiment, local, models: request.models, progress }) };
    } catch (e) {
      if (e instanceof MlflowError || e instanceof SyncBusyError) return { ok: false, message: e.message };
      throw e;
    } finally {
      this.cancelled.delete(taskId);
    }
  }

  cancel(taskId: number): void {
    this.cancelled.add(taskId);
  }
}
