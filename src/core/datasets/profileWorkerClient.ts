/** Runs a schema diff job in its own worker thread (profileWorker.ts) and ends that worker after. */
import { Worker } from 'node:worker_threads';
import type { SchemaDiff } from '../../shared/schemaDiff';
import { SchemaDiffCancelled, type ProfileWorkerReply, type ProfileWorkerRequest, type SchemaDiffJob, type SchemaDiffJobProgress } from './schemaDiffJob';

export interface WorkerJobOptions {
  /** Cancels the job: the worker is ended at once and the promise rejects with SchemaDiffCancelled. */
  signal?: AbortSignal;
  onProgress?: (p: SchemaDiffJobProgress) => void;
}

export function runSchemaDiffInWorker(workerPath: string, job: SchemaDiffJob, options: WorkerJobOptions = {}): Promise<SchemaDiff> {
  if (options.signal?.aborted) return Promise.reject(new SchemaDiffCancelled());
  return new Promise<SchemaDiff>((resolve, reject) => {
    const worker = new Worker(workerPath);
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      options.signal?.removeEventListener('abort', onAbort);
      void worker.terminate();
      outcome();
    };
    // Ending the thread stops even a long synchronous stretch of parsing at once.
    const onAbort = () => settle(() => reject(new SchemaDiffCancelled()));
    options.signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (m: ProfileWorkerReply) => {
      switch (m.type) {
        case 'progress':
          if (!settled) options.onProgress?.({ bytesRead: m.bytesRead, totalBytes: m.totalBytes });
          return;
        case 'done':
          return settle(() => resolve(m.diff));
        case 'failed':
          return settle(() => reject(m.error === 'cancelled' ? new SchemaDiffCancelled() : new Error(m.error)));
      }
    });
    worker.on('error', (e) => settle(() => reject(e)));
    worker.on('exit', (code) => settle(() => reject(new Error(`the profile worker stopped (exit ${code}) before it finished`))));
    const request: ProfileWorkerRequest = { type: 'run', job };
    worker.postMessage(request);
  });
}
