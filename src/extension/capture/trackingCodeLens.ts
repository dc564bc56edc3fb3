import * as vscode from 'vscode';
import { looksRunnable } from '../../core/capture/runnableScript';

/** "Run with Tracking" at the top of runnable Python files; libraries do not get it. */
export class TrackingCodeLensProvider implements vscode.CodeLensProvider {
  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (!vscode.workspace.isTrusted || !vscode.workspace.getConfiguration('exptrack').get<boolean>('codeLens', true)) return [];
    if (!looksRunnable(document.getText())) return [];
    return [new vscode.CodeLens(new vscode.Range(0, 0, 0, 0), {
      title: '$(play) Run with Tracking',
      tooltip: 'Run this script in a terminal and record its parameters, metrics, git state and output',
      command: 'exptrack.runFileWithTracking',
      arguments: [document.uri],
    })];
  }
}
