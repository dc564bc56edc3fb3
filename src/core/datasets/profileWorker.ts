/**
 * Entry of the worker thread that profiles and diffs data files (dist/profileWorker.js), so a big
 * file never blocks the extension host. One job per worker: the caller starts a worker, posts
 * `run`, gets progress and then `done` or `failed`; `cancel` stops reading and ends the job.
 */
import { parentPort } from 'node:worker_threads';
import { runSchemaDiffJob, SchemaDiffCancelled, type ProfileWorkerReply, type ProfileWorkerRequest } from './schemaDiffJob';

const port = parentPort!;
const post = (m: ProfileWorkerReply) => port.postMessage(m);
const PROGRESS_INTERVAL_MS = 100;
const abort = new AbortController();

port.on('message', (req: ProfileWorkerRequest) => {
  if (req.type === 'cancel') {
    abort.abort();
    return;
  }
  let lastPost = 0;
  runSchemaDiffJob(req.job, {
    signal: abort.signal,
    onProgress: (p) => {
      const now = Date.now();
      if (now - lastPost < PROGRESS_INTERVAL_MS && p.bytesRead < p.totalBytes) return;
      lastPost = now;
      post({ type: 'progress', ...p });
    },
  }).then(
    (diff) => post({ type: 'done', diff }),
    (e: unknown) => post({ type: 'failed', error: e instanceof SchemaDiffCancelled ? 'cancelled' : ((e as Error)?.stack ?? String(e)) }),
  );
});
