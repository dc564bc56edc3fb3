/**
 * Records notebooks as runs while their cells execute in VS Code, whatever kernel runs them:
 * VS Code reports each cell's execution order and outcome, and the cell's source and outputs are
 * snapshotted into the run (src/core/notebooks does the rest). Runs are listed in
 * `.exptrack/notebook-runs.json` so that exptrack.py in the kernel joins them.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ensureExptrackDir } from '../../core/exptrackDir';
import type { NotebookRecording } from '../../core/notebooks/notebookRecording';
import { updateNotebookRuns } from '../../core/notebooks/notebookRunsMap';
import { cellLacksClient } from '../../core/pythonClient/kernelQuery';
import { Disposable } from '../disposable';
import type { Log } from '../log';
import { loadDeferred } from '../startup/loadDeferred';
import type { IndexFeed } from '../store/runIndex';
import { cellSnapshot } from './notebookCells';

const NOTEBOOK_TYPES = new Set(['jupyter-notebook']);
const DEFAULT_IDLE_MINUTES = 30;

/** What was last seen of a cell's execution, to tell a new execution from a repeated report. */
interface CellState {
  started?: string;
  finished?: string;
}

export class NotebookRecorder extends Disposable {
  private readonly recordings = new Map<string, NotebookRecording>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly cells = new WeakMap<vscode.NotebookCell, CellState>();
  /** Notebooks whose run cannot be written (a read-only folder): said once, until the notebook closes. */
  private readonly unrecordable = new Set<string>();

  constructor(
    private readonly index: IndexFeed,
    private readonly exptrackDir: string,
    private readonly log: Log,
    /** A recorded cell failed because its kernel cannot import exptrack. */
    private readonly onClientMissing?: (notebook: vscode.Uri) => void,
  ) {
    super();
    this.register(vscode.workspace.onDidChangeNotebookDocument((e) => this.onChange(e)));
    this.register(vscode.workspace.onDidCloseNotebookDocument((doc) => this.closeNotebook(doc.uri.toString())));
  }

  /** The run being recorded for a notebook (tests use it). */
  runIdOf(notebook: vscode.Uri): string | undefined {
    return this.recordings.get(notebook.toString())?.runId;
  }

  /** Resolves when everything recorded so far is written (tests use it). */
  async flushed(): Promise<void> {
    await Promise.all([...this.recordings.values()].map((r) => r.flushed()));
  }

  private onChange(e: vscode.NotebookDocumentChangeEvent): void {
    if (!vscode.workspace.isTrusted || !this.tracks(e.notebook)) return;
    for (const change of e.cellChanges) {
      if (change.executionSummary) this.onExecution(e.notebook, change.cell, change.executionSummary);
    }
  }

  private onExecution(notebook: vscode.NotebookDocument, cell: vscode.NotebookCell, summary: vscode.NotebookCellExecutionSummary): void {
    const now = Date.now();
    const state = this.cells.get(cell) ?? {};
    this.cells.set(cell, state);
    const order = summary.executionOrder ?? null;
    const cellId = cell.document.uri.toString();
    if (summary.success === undefined) {
      // VS Code clears a cell's order when an execution is queued, then the kernel numbers it.
      if (order === null) {
        state.started = state.finished = undefined;
        return;
      }
      const key = `${cellId}#${order}`;
      if (state.started === key) return;
      state.started = key;
      this.recordingFor(notebook)?.cellStarted(key, order, now);
    } else {
      const key = order !== null ? `${cellId}#${order}` : `${cellId}@${summary.timing?.startTime ?? now}`;
      // VS Code reports the summary again when other execution details change (e.g. render time);
      // the start time tells a repeated report from a new execution that got the same number.
      const execution = `${key}@${summary.timing?.startTime ?? ''}`;
      if (state.finished === execution) return;
      state.finished = execution;
      const snapshot = cellSnapshot(cell, summary, now);
      this.recordingFor(notebook)?.cellFinished(key, snapshot, now);
      if (snapshot.success === false && cellLacksClient(snapshot.outputs)) {
        this.log.warn(`${vscode.workspace.asRelativePath(notebook.uri)}: the kernel cannot import exptrack (No module named 'exptrack')`);
        this.onClientMissing?.(notebook.uri);
      }
    }
    this.scheduleIdleEnd(notebook.uri.toString());
  }

  private tracks(notebook: vscode.NotebookDocument): boolean {
    if (notebook.uri.scheme !== 'file' || !NOTEBOOK_TYPES.has(notebook.notebookType)) return false;
    const rel = path.relative(this.index.workspaceRoot, notebook.uri.fsPath);
    return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
  }

  /** The notebook's recording, started now if needed; undefined (said once) when nothing can be written. */
  private recordingFor(notebook: vscode.NotebookDocument): NotebookRecording | undefined {
    const id = notebook.uri.toString();
    let recording = this.recordings.get(id);
    if (recording) return recording;
    if (this.unrecordable.has(id)) return undefined;
    try {
      ensureExptrackDir(this.index.workspaceRoot);
    } catch (e) {
      this.unrecordable.add(id);
      const msg = `cannot record notebook ${path.basename(notebook.uri.fsPath)} as a run: ${(e as Error).message}`;
      this.log.error(msg);
      void vscode.window.showWarningMessage(`ExpTrack ${msg}. Its cells still run.`);
      return undefined;
    }
    const config = vscode.workspace.getConfiguration('exptrack', notebook.uri);
    const idleMinutes = config.get<number>('notebook.idleMinutes', DEFAULT_IDLE_MINUTES);
    const { compileStdoutPatterns, NotebookRecording } = loadDeferred();
    const { patterns, errors } = compileStdoutPatterns(config.get<unknown[]>('stdoutMetricPatterns', []));
    for (const e of errors) this.log.warn(e);
    const notebookPath = notebook.uri.fsPath;
    recording = new NotebookRecording({
      exptrackDir: this.exptrackDir,
      workspaceRoot: this.index.workspaceRoot,
      notebookPath,
      idleMs: Math.max(0, Number.isFinite(idleMinutes) ? idleMinutes : DEFAULT_IDLE_MINUTES) * 60_000,
      experiment: config.get<string>('experiment', '') || undefined,
      patterns,
      onError: (e) => this.log.error(`notebook ${recording!.notebook}: ${e.message}`),
      onRunStarted: (runId, reason) => {
        // Before the kernel's code gets far: exptrack.py reads this file when the notebook calls init().
        updateNotebookRuns(this.exptrackDir, { [notebookPath]: runId });
        this.log.info(`notebook run ${runId} started for ${recording!.notebook}${reason === 'first' ? '' : ` (${reason === 'restart' ? 'kernel restarted' : 'after idle time'})`}`);
      },
      onRunEnded: (runId) => this.log.info(`notebook run ${runId} ended`),
      onWritten: (eventsFile) => void this.index.ingestSoon([eventsFile]),
    });
    this.recordings.set(id, recording);
    return recording;
  }

  private scheduleIdleEnd(id: string): void {
    clearTimeout(this.timers.get(id));
    this.timers.delete(id);
    const deadline = this.recordings.get(id)?.idleDeadline;
    if (deadline === undefined) return;
    const timer = setTimeout(() => {
      this.timers.delete(id);
      const recording = this.recordings.get(id);
      if (recording && !recording.expireIfIdle(Date.now())) this.scheduleIdleEnd(id);
    }, Math.max(0, deadline - Date.now()) + 100);
    this.timers.set(id, timer);
  }

  private closeNotebook(id: string): void {
    this.unrecordable.delete(id);
    clearTimeout(this.timers.get(id));
    this.timers.delete(id);
    this.recordings.get(id)?.close();
    this.recordings.delete(id);
  }

  override dispose(): void {
    for (const id of [...this.recordings.keys()]) this.closeNotebook(id);
    super.dispose();
  }
}
