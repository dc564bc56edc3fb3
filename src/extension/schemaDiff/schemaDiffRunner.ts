import * as path from 'node:path';
import * as vscode from 'vscode';
import { formatBytes } from '../../core/datasets/profileOptions';
import { runSchemaDiffInWorker } from '../../core/datasets/profileWorkerClient';
import type { SchemaDiffJob, SchemaDiffJobProgress } from '../../core/datasets/schemaDiffJob';
import type { SchemaDiff } from '../../shared/schemaDiff';

/** A progress notification for work that takes longer than this; quicker diffs show none. */
const PROGRESS_DELAY_MS = 300;

/**
 * Runs schema diffs in a worker thread of their own (dist/profileWorker.js), so profiling a big
 * file never blocks the extension host, with a progress notification the user can cancel.
 */
export class SchemaDiffRunner implements vscode.Disposable {
  private readonly workerPath: string;
  private readonly running = new Set<AbortController>();

  constructor(extensionPath: string) {
    this.workerPath = path.join(extensionPath, 'dist', 'profileWorker.js');
  }

  /**
   * The diff, or undefined when it was cancelled (by the user, or through `signal`). Rejects when
   * the worker fails.
   */
  async run(job: SchemaDiffJob, title: string, signal?: AbortSignal): Promise<SchemaDiff | undefined> {
    const abort = new AbortController();
    if (signal?.aborted) return undefined;
    signal?.addEventListener('abort', () => abort.abort(), { once: true });
    this.running.add(abort);
    let latest: SchemaDiffJobProgress | undefined;
    let report: ((p: SchemaDiffJobProgress) => void) | undefined;
    const work = runSchemaDiffInWorker(this.workerPath, job, {
      signal: abort.signal,
      onProgress: (p) => {
        latest = p;
        report?.(p);
      },
    });
    const timer = setTimeout(() => {
      void vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `ExpTrack: ${title}`, cancellable: true },
        (progress, token) => {
          token.onCancellationRequested(() => abort.abort());
          let shown = 0;
          report = (p) => {
            const pct = p.totalBytes > 0 ? Math.min(100, (100 * p.bytesRead) / p.totalBytes) : 0;
            progress.report({ increment: pct - shown, message: `${formatBytes(p.bytesRead)} of ${formatBytes(p.totalBytes)}` });
            shown = pct;
          };
          if (latest) report(latest);
          return work.catch(() => undefined);
        },
      );
    }, PROGRESS_DELAY_MS);
    try {
      const diff = await work;
      await heldForTests(job, abort.signal);
      // A Cancel that arrives with the result still wins: the user never sees what they cancelled.
      return abort.signal.aborted ? undefined : diff;
    } catch (e) {
      if ((e as Error).name === 'SchemaDiffCancelled') return undefined;
      throw e;
    } finally {
      clearTimeout(timer);
      this.running.delete(abort);
    }
  }

  /** Cancels every diff in progress (e.g. when the extension stops). */
  dispose(): void {
    for (const abort of this.running) abort.abort();
    this.running.clear();
  }
}

/**
 * UI tests name a file in `EXPTRACK_TEST_HOLD_DIFF`: a finished diff of that file waits until it is
 * cancelled, so the test's Cancel always meets finished work, however fast the machine.
 */
function heldForTests(job: SchemaDiffJob, signal: AbortSignal): Promise<void> {
  const held = process.env.EXPTRACK_TEST_HOLD_DIFF;
  if (!held || signal.aborted || ![job.a.path, job.b.path].some((p) => path.basename(p) === held)) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}
