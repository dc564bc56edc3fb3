import * as path from 'node:path';
import * as vscode from 'vscode';
import type { SourceProblem } from '../../shared/runTypes';

/** Puts what sources could not say clearly into the Problems panel, on the file and line. */
export class ProblemsReporter implements vscode.Disposable {
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('exptrack');

  constructor(private readonly workspaceRoot: string) {}

  show(problems: readonly SourceProblem[]): void {
    const byFile = new Map<string, vscode.Diagnostic[]>();
    for (const p of problems) {
      const line = Math.max(0, (p.line ?? 1) - 1);
      const d = new vscode.Diagnostic(new vscode.Range(line, 0, line, Number.MAX_SAFE_INTEGER), p.message, severityOf(p.severity));
      d.source = 'ExpTrack';
      const list = byFile.get(p.path) ?? [];
      list.push(d);
      byFile.set(p.path, list);
    }
    this.diagnostics.clear();
    for (const [rel, list] of byFile) this.diagnostics.set(vscode.Uri.file(path.join(this.workspaceRoot, rel)), list);
  }

  dispose(): void {
    this.diagnostics.dispose();
  }
}

function severityOf(s: SourceProblem['severity']): vscode.DiagnosticSeverity {
  return s === 'error' ? vscode.DiagnosticSeverity.Error : s === 'warning' ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Information;
}
