import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { changedPathKind, toRelPath } from '../../core/ingest/sourcePaths';
import { defaultReaders } from '../../core/ingest/readers';
import { ScanCancellation } from '../../core/ingest/scanCancellation';
import { scanCancelledMessage, scanLimitMessage, scanSummaryMessage } from '../../core/ingest/scanMessages';
import type { SourceReader } from '../../core/ingest/sourceReader';
import type { SyncProgress } from '../../core/mlflowSync/localRuns';
import type { SyncProgressMessage, SyncTaskRequest, SyncTaskResult } from '../../core/mlflowSync/syncTasks';
import { StoreClient } from '../../core/store/storeClient';
import type { StoreApi, StoreMethod } from '../../core/store/storeApi';
import type { IngestReport, ScanProgress, ScanSummary } from '../../shared/runTypes';
import { Disposable } from '../disposable';
import type { Log } from '../log';
import { IngestQueue } from './ingestQueue';
import { ProblemsReporter } from './problemsReporter';

const BUSY_RETRY_MS = 1000;
const BUSY_ATTEMPTS = 60;

/** What recording needs of the index: where the workspace is, and a way to have new files read. */
export type IndexFeed = Pick<RunIndex, 'workspaceRoot' | 'ingestSoon'>;

/**
 * The workspace's run index as the extension sees it: a store worker, kept current by file
 * watching. Bursts of file events are merged and ingested one batch at a time, off this thread.
 * A full scan walks the workspace in the worker; this thread only receives its small progress
 * messages and can cancel it (the flag lives in shared memory, read by the walk).
 */
export class RunIndex extends Disposable {
  private readonly changed = this.register(new vscode.EventEmitter<IngestReport>());
  /** Fires after an ingest that read something. */
  readonly onDidChange = this.changed.event;
  private readonly scanProgress = this.register(new vscode.EventEmitter<ScanProgress>());
  /** Fires while a full scan runs (files looked at, sources found, then sources read). */
  readonly onScanProgress = this.scanProgress.event;
  /** How the last full scan went (undefined before the first has run). */
  lastScan: { summary: ScanSummary | undefined; cancelled: boolean } | undefined;
  private runningScan: ScanCancellation | undefined;
  private readonly readers: SourceReader[] = defaultReaders();
  private readonly queue: IngestQueue;
  private readonly problems: ProblemsReporter;
  /** The last save failure reported: the same failure again (every debounced save) is not repeated. */
  private saveFailure: string | undefined;
  private saveWarned = false;
  /** Set while the workspace folder is gone (deleted or renamed while open). */
  private folderGone = false;

  private nextSyncTask = 1;
  /** Files being written when last read (an Optuna database mid-transaction): how often each was tried. */
  private readonly busy = new Map<string, number>();
  private busyTimer: NodeJS.Timeout | undefined;

  private constructor(
    private readonly client: StoreClient,
    readonly workspaceRoot: string,
    /** The index file (null: kept in memory). */
    readonly dbPath: string | null,
    private readonly log: Log,
  ) {
    super();
    this.problems = this.register(new ProblemsReporter(workspaceRoot));
    this.queue = new IngestQueue((paths) => this.runIngest(paths));
    this.register({ dispose: () => this.queue.dispose() });
    this.register({ dispose: () => clearTimeout(this.busyTimer) });
    const watcher = this.register(vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(workspaceRoot, '**/*')));
    const onFile = (uri: vscode.Uri) => {
      const kind = changedPathKind(this.readers, toRelPath(workspaceRoot, uri.fsPath));
      // A changed .gitignore can hide or reveal any source: the next scan sorts it out.
      if (kind === 'ignoreRules') void this.queue.add(undefined);
      else if (kind === 'source') void this.queue.add([uri.fsPath]);
    };
    this.register(watcher.onDidCreate(onFile));
    this.register(watcher.onDidChange(onFile));
    this.register(watcher.onDidDelete(onFile));
    client.on('saveFailed', (error) => this.onSaveFailed(error));
    client.on('saved', () => (this.saveFailure = undefined));
    client.on('exit', (code) => {
      if (!this.isDisposed) log.error(`the run index stopped unexpectedly (exit ${code}); reload the window to restart it`);
    });
  }

  /** `dbPath`: a configured file (null: memory); else `outsideDir` is where the index goes without `.exptrack/`. */
  static async open(opts: { workspaceRoot: string; extensionPath: string; dbPath?: string | null; outsideDir?: string; log: Log }): Promise<RunIndex> {
    const { client, info } = await StoreClient.start({
      workerPath: path.join(opts.extensionPath, 'dist', 'storeWorker.js'),
      wasmPath: path.join(opts.extensionPath, 'dist', 'sql-wasm.wasm'),
      workspaceRoot: opts.workspaceRoot,
      dbPath: opts.dbPath,
      outsideDir: opts.outsideDir,
    });
    if (info.place === 'outside') {
      opts.log.info(`the run index is kept outside the workspace, at ${info.dbPath}${info.note ? ` (${info.note})` : ' (the folder has no .exptrack/)'}`);
    } else if (info.note) {
      opts.log.warn(info.note);
    }
    if (info.recovery) opts.log.warn(`opening the run index: ${info.recovery}`);
    if (info.fresh === 'set-aside') {
      const where = info.setAsidePath ? `it was moved to ${info.setAsidePath}` : 'it could not be moved aside, so the index is kept in memory';
      const msg = `The run index could not be opened (${info.reason}); ${where} and is being rebuilt from the run files.`;
      opts.log.warn(msg);
      void vscode.window.showWarningMessage(`ExpTrack: ${msg}`);
    } else if (info.fresh) {
      opts.log.info(`building the run index (${info.fresh === 'new' ? 'new' : info.reason}) at ${info.dbPath ?? 'memory'}`);
    }
    return new RunIndex(client, opts.workspaceRoot, info.dbPath, opts.log);
  }

  call<M extends StoreMethod>(method: M, ...args: Parameters<StoreApi[M]>): Promise<Awaited<ReturnType<StoreApi[M]>>> {
    return this.client.call(method, ...args);
  }

  /**
   * An MLflow push or pull in the store worker, its progress shown through `progress`; a cancel
   * there is passed on (the worker stops after the batch in flight).
   */
  async sync(request: SyncTaskRequest, progress: SyncProgress): Promise<SyncTaskResult> {
    const taskId = this.nextSyncTask++;
    const onProgress = (m: SyncProgressMessage) => {
      if (m.taskId === taskId) progress.report(m.message, m.done, m.total);
    };
    this.client.on('syncProgress', onProgress);
    let cancelSent = false;
    const poll = setInterval(() => {
      if (progress.cancelled && !cancelSent) {
        cancelSent = true;
        void this.client.call('cancelSync', taskId).catch(() => undefined);
      }
    }, 200);
    try {
      return await this.client.call('mlflowSync', taskId, request);
    } finally {
      clearInterval(poll);
      this.client.off('syncProgress', onProgress);
    }
  }

  /** Reads these files soon (merged with other pending work); resolves when they are in the index. */
  ingestSoon(absPaths: string[]): Promise<void> {
    return this.queue.add(absPaths);
  }

  /** Reads every source of the workspace. */
  rescan(): Promise<void> {
    return this.queue.add(undefined);
  }

  /** Stops the full scan that runs (soon: at its next look at the flag) and drops one still waiting. */
  cancelRescan(): void {
    this.queue.dropPendingAll();
    this.runningScan?.cancel();
  }

  private async runIngest(paths: string[] | undefined): Promise<void> {
    if (paths?.length === 0) return;
    if (!this.folderStillThere()) return;
    if (this.folderGone) {
      this.folderGone = false;
      this.log.info(`the workspace folder ${this.workspaceRoot} is back: reading it again`);
      paths = undefined;
    }
    const cancellation = paths === undefined ? new ScanCancellation() : undefined;
    if (cancellation) this.runningScan = cancellation;
    let report: IngestReport;
    try {
      report = await this.client.ingest(paths, cancellation && { cancellation, onProgress: (p) => this.scanProgress.fire(p) });
    } catch (e) {
      this.log.error(`indexing failed: ${(e as Error).message}`);
      return;
    } finally {
      if (cancellation && this.runningScan === cancellation) this.runningScan = undefined;
    }
    if (cancellation) this.noteScan(report);
    this.retryBusy(paths, report.retry ?? []);
    for (const p of report.problems) this.log.problem(p);
    if (report.sourcesRead > 0 || report.problems.length > 0) {
      this.problems.show(await this.client.call('problems'));
      this.changed.fire(report);
    }
  }

  /**
   * A file that could not be read because it was being written is read again a moment later (no
   * further file event may come once its writer is done), up to a minute's worth of attempts.
   */
  private retryBusy(read: string[] | undefined, stillBusy: readonly string[]): void {
    for (const p of read ?? [...this.busy.keys()]) if (!stillBusy.includes(p)) this.busy.delete(p);
    for (const p of stillBusy) {
      const tries = (this.busy.get(p) ?? 0) + 1;
      if (tries > BUSY_ATTEMPTS) {
        this.busy.delete(p);
        this.log.warn(`${toRelPath(this.workspaceRoot, p)} was still being written after ${BUSY_ATTEMPTS} attempts: it is read at its next change`);
      } else {
        this.busy.set(p, tries);
      }
    }
    if (this.busy.size === 0 || this.busyTimer || this.isDisposed) return;
    this.busyTimer = setTimeout(() => {
      this.busyTimer = undefined;
      if (this.busy.size) void this.queue.add([...this.busy.keys()]);
    }, BUSY_RETRY_MS);
  }

  private noteScan(report: IngestReport): void {
    this.lastScan = { summary: report.scan, cancelled: report.cancelled === true };
    if (report.cancelled) this.log.info(scanCancelledMessage(report.scan));
    else if (report.scan) this.log.info(scanSummaryMessage(report.scan));
    if (report.scan?.limitReached !== undefined) this.log.warn(scanLimitMessage(report.scan.limitReached));
  }

  /**
   * A workspace folder deleted or renamed while open: every file seems to vanish at once. The runs
   * already read stay listed (nothing is dropped from the index) and one line says why reading
   * stopped; a Rescan reads the folder again once it is back.
   */
  private folderStillThere(): boolean {
    if (fs.existsSync(this.workspaceRoot)) return true;
    if (!this.folderGone) {
      this.folderGone = true;
      this.log.warn(`the workspace folder ${this.workspaceRoot} is gone (deleted or renamed?): the runs already read stay listed, and reading resumes once it is back (ExpTrack: Rescan Workspace)`);
    }
    return false;
  }

  /** One message for a failure that repeats at every save (a read-only or full disk), not one per save. */
  private onSaveFailed(error: string): void {
    if (error === this.saveFailure) return;
    this.saveFailure = error;
    this.log.error(error);
    if (this.saveWarned) return;
    this.saveWarned = true;
    void vscode.window.showWarningMessage(`ExpTrack: ${error}`);
  }

  override dispose(): void {
    super.dispose();
    void this.client.close().catch(() => undefined);
  }
}
