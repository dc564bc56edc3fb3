import * as path from 'node:path';
import * as vscode from 'vscode';
import { tableToCsv, tableToMarkdown } from '../../core/compare/tableExport';
import { buildCompareTable } from '../../shared/compare/compareTable';
import type { CompareSnapshot } from '../../shared/compare/compareTypes';
import { formatTimestamp } from '../../shared/format';
import type { RunSummary } from '../../shared/runTypes';
import type { Log } from '../log';
import type { WorkspaceRunSource } from '../folders/workspaceRunSource';
import type { RunsView } from '../runs/runsView';
import type { CodeDiff } from './codeDiff';

/** What the Compare view, the Compare panel and the commands do on the user's behalf. */
export class CompareActions {
  constructor(
    private readonly index: WorkspaceRunSource,
    private readonly tree: RunsView,
    private readonly codeDiff: CodeDiff,
    private readonly log: Log,
  ) {}

  /** A multi-select quick pick of all runs, with `initial` ticked; undefined when cancelled. */
  async pickRuns(initial: readonly string[], title = 'Runs to compare'): Promise<string[] | undefined> {
    const runs = await this.tree.load();
    if (runs.length === 0) {
      void vscode.window.showInformationMessage('ExpTrack: there are no runs to compare yet.');
      return undefined;
    }
    const ticked = new Set(initial);
    const picked = await vscode.window.showQuickPick(runs.map((r) => ({ ...runPickItem(r), picked: ticked.has(r.uid) })), {
      title, canPickMany: true, matchOnDescription: true, matchOnDetail: true, placeHolder: 'Tick the runs to compare',
    });
    return picked?.map((p) => p.uid);
  }

  /**
   * Two runs for a code diff: the given pair; else the candidates when there are exactly two;
   * else the user picks two (among the candidates when there are more, else among all runs).
   */
  async diffCode(uids: readonly string[] | undefined, candidates: readonly string[]): Promise<void> {
    let pair = uids?.length === 2 ? [uids[0]!, uids[1]!] : candidates.length === 2 ? [candidates[0]!, candidates[1]!] : undefined;
    if (!pair) {
      const all = await this.tree.load();
      const pool = candidates.length > 2 ? all.filter((r) => candidates.includes(r.uid)) : all;
      const first = await vscode.window.showQuickPick(pool.map(runPickItem), { title: 'Diff Run Code (1/2): the run on the left' });
      if (!first) return;
      const second = await vscode.window.showQuickPick(pool.filter((r) => r.uid !== first.uid).map(runPickItem), { title: 'Diff Run Code (2/2): the run on the right' });
      if (!second) return;
      pair = [first.uid, second.uid];
    }
    await this.codeDiff.open(pair[0]!, pair[1]!);
  }

  async exportTable(snapshot: CompareSnapshot | undefined, format: 'csv' | 'markdown', allParams: boolean, metricKeys?: readonly string[]): Promise<void> {
    if (!snapshot || snapshot.runs.length === 0) {
      void vscode.window.showInformationMessage('ExpTrack: choose runs to compare first.');
      return;
    }
    const table = buildCompareTable(snapshot, { allParams, metricKeys });
    if (format === 'markdown') {
      await vscode.env.clipboard.writeText(tableToMarkdown(table));
      void vscode.window.showInformationMessage(`ExpTrack: copied the comparison of ${snapshot.runs.length} runs as Markdown.`);
      return;
    }
    const target = await vscode.window.showSaveDialog({
      defaultUri: vscode.Uri.file(path.join(this.index.workspaceRoot ?? '', 'compare-runs.csv')),
      filters: { 'CSV': ['csv'] },
      title: 'Export the comparison as CSV',
    });
    if (!target) return;
    await vscode.workspace.fs.writeFile(target, Buffer.from(tableToCsv(table), 'utf8'));
    this.log.info(`exported the comparison of ${snapshot.runs.length} runs to ${target.fsPath}`);
    void vscode.window.showInformationMessage(`ExpTrack: saved ${path.basename(target.fsPath)}.`);
  }
}

function runPickItem(r: RunSummary): vscode.QuickPickItem & { uid: string } {
  return {
    label: r.name,
    description: `${r.status} · ${r.experiment}${r.started !== null ? ` · ${formatTimestamp(r.started)}` : ''}`,
    detail: r.uid,
    uid: r.uid,
  };
}
