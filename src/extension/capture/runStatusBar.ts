import * as vscode from 'vscode';
import { Disposable } from '../disposable';
import type { ActiveRuns } from './activeRuns';

/** A status-bar item while tracked runs are in progress: the newest metric, a click shows the terminal. */
export class RunStatusBar extends Disposable {
  private readonly item = this.register(vscode.window.createStatusBarItem('exptrack.runInProgress', vscode.StatusBarAlignment.Left, 50));

  constructor(private readonly active: ActiveRuns) {
    super();
    this.item.name = 'ExpTrack Run in Progress';
    this.register(active.onDidChange(() => this.update()));
    this.register(vscode.commands.registerCommand('exptrack.showRunTerminal', () => active.all[0]?.terminal.show()));
    this.update();
  }

  private update(): void {
    const runs = this.active.all;
    if (runs.length === 0) {
      this.item.hide();
      return;
    }
    const first = runs[0]!;
    this.item.text = `$(sync~spin) ${this.active.describe(first)}${runs.length > 1 ? ` (+${runs.length - 1})` : ''}`;
    this.item.tooltip = runs.map((r) => `${this.active.describe(r)} — ${r.runId}`).join('\n');
    this.item.command = 'exptrack.showRunTerminal';
    this.item.show();
  }
}
