import * as vscode from 'vscode';
import { formatMetricValue } from '../../shared/format';

export interface ActiveRun {
  runId: string;
  label: string;
  terminal: vscode.Terminal;
  stop(): void;
  /** The newest metric value seen on its output, for the status bar. */
  lastMetric?: { key: string; value: number };
}

/** Tracked runs in progress in this window: the status bar and the Stop command read them. */
export class ActiveRuns implements vscode.Disposable {
  private readonly runs = new Map<string, ActiveRun>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  add(run: ActiveRun): void {
    this.runs.set(run.runId, run);
    this.update();
  }

  remove(runId: string): void {
    this.runs.delete(runId);
    this.update();
  }

  noteMetric(runId: string, key: string, value: number): void {
    const run = this.runs.get(runId);
    if (!run) return;
    run.lastMetric = { key, value };
    this.changed.fire();
  }

  get all(): ActiveRun[] {
    return [...this.runs.values()];
  }

  describe(run: ActiveRun): string {
    return run.lastMetric ? `${run.label} · ${run.lastMetric.key}=${formatMetricValue(run.lastMetric.value)}` : run.label;
  }

  private update(): void {
    void vscode.commands.executeCommand('setContext', 'exptrack.runInProgress', this.runs.size > 0);
    this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
  }
}
