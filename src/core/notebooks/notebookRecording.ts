/**
 * Records the cells of one notebook as runs while they execute: the session rules
 * (notebookSession.ts) say when a run starts and ends, NotebookRunLog writes its files.
 * The editor integration only reports executions and owns the idle timer; everything here is
 * plain Node, so it is tested without VS Code.
 *
 * Writes happen in order on one queue: the run event (which waits for git) comes before the cells'
 * metrics, and a run's end after its last cell.
 */
import * as path from 'node:path';
import type { RunStartEvent } from '../../shared/runEvents';
import { newRunId } from '../capture/runId';
import { prepareRunStart } from '../capture/runStart';
import type { CompiledStdoutPattern } from '../capture/stdoutPatterns';
import type { CellSnapshot } from './cellSnapshot';
import { NotebookRunLog } from './notebookRunLog';
import { NotebookSession, type NewRunReason, type RunBoundary } from './notebookSession';

export interface NotebookRunDescription {
  runId: string;
  exptrackDir: string;
  workspaceRoot: string;
  notebookPath: string;
  notebook: string;
  startedMs: number;
  experiment?: string;
}

export interface NotebookRecordingOptions {
  exptrackDir: string;
  workspaceRoot: string;
  /** Absolute path of the notebook file. */
  notebookPath: string;
  idleMs: number;
  /** The experiment of its runs; default: the notebook's folder (workspace-relative). */
  experiment?: string;
  patterns?: readonly CompiledStdoutPattern[];
  newRunId?: (now: Date) => string;
  /** Builds the run event; by default with the git state of the notebook's folder. */
  describeRun?: (d: NotebookRunDescription) => Promise<RunStartEvent>;
  onError(e: Error): void;
  /** Called at once when a run begins, before any of its files is written (the run map is updated here). */
  onRunStarted?(runId: string, reason: NewRunReason): void;
  /** Called once a run's end event is written. */
  onRunEnded?(runId: string): void;
  /** Called after events were appended to a run's log. */
  onWritten?(eventsFile: string): void;
}

export class NotebookRecording {
  private readonly session: NotebookSession;
  private log: NotebookRunLog | undefined;
  private queue: Promise<void> = Promise.resolve();
  /** The notebook, workspace-relative with `/`. */
  readonly notebook: string;

  constructor(private readonly opts: NotebookRecordingOptions) {
    this.session = new NotebookSession(opts.idleMs);
    this.notebook = path.relative(opts.workspaceRoot, opts.notebookPath).split(path.sep).join('/');
  }

  /** The run cells are recorded into now, if one is open. */
  get runId(): string | undefined {
    return this.log?.runId;
  }

  /** When the open run ends for idleness (ms), unless a cell runs first. */
  get idleDeadline(): number | undefined {
    return this.session.idleDeadline();
  }

  /** A cell began executing with this execution order (`key` names the execution). */
  cellStarted(key: string, order: number | null, now: number): void {
    if (this.session.isRunning(key)) return;
    this.apply(this.session.begin(key, order, now), now);
  }

  /** A cell finished: its snapshot is saved and its printed metrics are appended. */
  cellFinished(key: string, cell: CellSnapshot, now: number): void {
    if (!this.session.isRunning(key)) {
      const began = cell.started !== null ? cell.started * 1000 : now;
      this.apply(this.session.begin(key, cell.executionOrder, began), began);
    }
    this.session.finish(key, now);
    const log = this.log!;
    this.enqueue(() => {
      log.recordCell(cell);
      return log.eventsFile;
    });
  }

  /** Ends the open run if it has been idle for long enough; true when it ended. */
  expireIfIdle(now: number): boolean {
    const last = this.session.expire(now);
    if (last === null) return false;
    this.endRun(last);
    return true;
  }

  /** Ends the open run (the notebook closed, or the editor is going away). */
  close(): void {
    const last = this.session.close();
    if (last !== null) this.endRun(last);
  }

  /** Resolves once everything asked for so far is written. */
  flushed(): Promise<void> {
    return this.queue;
  }

  private apply(boundary: RunBoundary, now: number): void {
    if (boundary.kind === 'same') return;
    if (boundary.previousLastActivity !== null) this.endRun(boundary.previousLastActivity);
    this.startRun(now, boundary.reason);
  }

  private startRun(now: number, reason: NewRunReason): void {
    const runId = (this.opts.newRunId ?? newRunId)(new Date(now));
    const log = new NotebookRunLog(this.opts.exptrackDir, runId, this.notebook, this.opts.onError, this.opts.patterns);
    this.log = log;
    try {
      this.opts.onRunStarted?.(runId, reason);
    } catch (e) {
      this.opts.onError(e as Error);
    }
    const folder = path.posix.dirname(this.notebook);
    const description: NotebookRunDescription = {
      runId, exptrackDir: this.opts.exptrackDir, workspaceRoot: this.opts.workspaceRoot, notebookPath: this.opts.notebookPath,
      notebook: this.notebook, startedMs: now, experiment: this.opts.experiment ?? (folder === '.' ? undefined : folder),
    };
    const describe = this.opts.describeRun ?? ((d) => describeNotebookRun(d, this.opts.onError));
    this.enqueue(async () => {
      log.writeStart(await describe(description));
      return log.eventsFile;
    });
  }

  private endRun(lastActivity: number): void {
    const log = this.log;
    if (!log) return;
    this.log = undefined;
    this.enqueue(() => {
      log.end(lastActivity / 1000);
      this.opts.onRunEnded?.(log.runId);
      return log.eventsFile;
    });
  }

  private enqueue(step: () => string | Promise<string>): void {
    this.queue = this.queue.then(async () => {
      try {
        const written = await step();
        this.opts.onWritten?.(written);
      } catch (e) {
        this.opts.onError(e as Error);
      }
    });
  }
}

/** The run event of a notebook run: named after the notebook, with the git state of its folder. */
export async function describeNotebookRun(d: NotebookRunDescription, onError: (e: Error) => void): Promise<RunStartEvent> {
  const { runEvent } = await prepareRunStart({
    runId: d.runId,
    exptrackDir: d.exptrackDir,
    workspaceRoot: d.workspaceRoot,
    command: [],
    cwd: path.dirname(d.notebookPath),
    startedMs: d.startedMs,
    sourceKind: 'notebook',
    sourcePath: d.notebook,
    name: path.posix.basename(d.notebook),
    experiment: d.experiment,
  }, onError);
  // A notebook has no command line; its cells are in cells/.
  delete runEvent.command;
  return runEvent;
}
