import * as vscode from 'vscode';

/** Files that look like something one runs (a main guard, or ML imports) get the lens; libraries do not. */
const RUNNABLE = /^\s*if\s+__name__\s*==\s*['"]__main__['"]|^\s*(?:import|from)\s+(?:torch|tensorflow|keras|sklearn|lightning|pytorch_lightning|xgboost|lightgbm|transformers|jax|exptrack|mlflow)\b/m;

/** "Run with Tracking" at the top of runnable Python files. */
export class TrackingCodeLensProvider implements vscode.CodeLensProvider {
  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (!vscode.workspace.isTrusted || !vscode.workspace.getConfiguration('exptrack').get<boolean>('codeLens', true)) return [];
    if (!RUNNABLE.test(document.getText())) return [];
    return [new vscode.CodeLens(new vscode.Range(0, 0, 0, 0), {
      title: '$(play) Run with Tracking',
      tooltip: 'Run this script in a terminal and record its parameters, metrics, git state and output',
      command: 'exptrack.runFileWithTracking',
      arguments: [document.uri],
    })];
  }
}
