import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { actorName, appendRegistryLine, newEventId } from '../../core/registry/runEditWriter';
import { resolveInsideWorkspace } from '../../core/workspacePaths';
import type { RunAnnotationEvent } from '../../shared/registryEvents';
import type { RunSummary } from '../../shared/runTypes';
import { Disposable } from '../disposable';
import type { Log } from '../log';
import type { RunIndex } from '../store/runIndex';
import type { RunsTreeNode, RunsTreeProvider } from './runsTree';

type AnnotationBody = RunAnnotationEvent extends infer E ? (E extends RunAnnotationEvent ? Omit<E, 'id' | 'time' | 'actor'> : never) : never;

/** The Runs view's context-menu commands. Changes are audit events in registry.jsonl; run files are never touched. */
export class RunCommands extends Disposable {
  constructor(
    private readonly index: RunIndex,
    private readonly tree: RunsTreeProvider,
    private readonly exptrackDir: string,
    private readonly log: Log,
  ) {
    super();
  }

  /** Command id → handler; the extension registers them at activation (see extension.ts). */
  handlers(): Record<string, (...args: unknown[]) => unknown> {
    const forRun = (fn: (run: RunSummary) => Promise<unknown>) => async (node?: unknown) => {
      const given = node as RunsTreeNode | undefined;
      const run = given?.kind === 'run' ? given.run : await this.pickRun();
      if (run) await fn(run);
    };
    return {
      'exptrack.renameRun': forRun((run) => this.rename(run)),
      'exptrack.addNote': forRun((run) => this.addNote(run)),
      'exptrack.addTag': forRun((run) => this.addTag(run)),
      'exptrack.deleteRun': forRun((run) => this.delete(run)),
      'exptrack.openRunOutput': forRun((run) => this.openRunFile(run, 'stdout.log', 'No output was captured for this run.')),
      'exptrack.openCodePatch': forRun((run) => this.openRunFile(run, 'code.patch', 'No code patch: the working tree had no uncommitted changes when this run started.')),
      'exptrack.revealRunSource': forRun((run) => this.revealSource(run)),
      'exptrack.copyRunId': forRun(async (run) => vscode.env.clipboard.writeText(run.uid)),
      'exptrack.showDeletedRuns': () => {
        this.tree.showHidden = !this.tree.showHidden;
        this.tree.refresh();
        void vscode.window.showInformationMessage(this.tree.showHidden ? 'ExpTrack: deleted runs are shown.' : 'ExpTrack: deleted runs are hidden.');
      },
    };
  }

  private async pickRun(): Promise<RunSummary | undefined> {
    const runs = await this.tree.load();
    const pick = await vscode.window.showQuickPick(
      runs.map((r) => ({ label: r.name, description: `${r.status} · ${r.experiment}`, detail: r.uid, run: r })),
      { placeHolder: 'Choose a run', matchOnDescription: true, matchOnDetail: true },
    );
    return pick?.run;
  }

  private async rename(run: RunSummary): Promise<void> {
    const name = await vscode.window.showInputBox({ prompt: `New name for ${run.uid}`, value: run.name, validateInput: (v) => (v.trim() ? undefined : 'A name cannot be empty') });
    if (name !== undefined) await this.append({ t: 'run.rename', run: run.uid, name: name.trim() });
  }

  private async addNote(run: RunSummary): Promise<void> {
    const detail = await this.index.call('getRun', run.uid);
    const text = await vscode.window.showInputBox({ prompt: `Note on ${run.name}`, value: detail?.note ?? '', placeHolder: 'e.g. learning rate too high, diverged after epoch 3' });
    if (text !== undefined) await this.append({ t: 'run.note', run: run.uid, text });
  }

  private async addTag(run: RunSummary): Promise<void> {
    const entry = await vscode.window.showInputBox({
      prompt: `Tag for ${run.name} as key=value (or just a key)`,
      validateInput: (v) => (v.trim() && !v.trim().startsWith('=') ? undefined : 'Give a key, e.g. baseline or owner=ana'),
    });
    if (entry === undefined) return;
    const eq = entry.indexOf('=');
    const key = (eq < 0 ? entry : entry.slice(0, eq)).trim();
    const value = eq < 0 ? '' : entry.slice(eq + 1).trim();
    await this.append({ t: 'run.tag', run: run.uid, key, value });
  }

  private async delete(run: RunSummary): Promise<void> {
    const choice = await vscode.window.showWarningMessage(
      `Delete run "${run.name}"? It is hidden from ExpTrack; its files stay where they are and it can be shown again.`,
      { modal: true }, 'Delete',
    );
    if (choice === 'Delete') await this.append({ t: 'run.delete', run: run.uid });
  }

  private async append(body: AnnotationBody): Promise<void> {
    const event = { id: newEventId(), time: Date.now() / 1000, actor: await actorName(this.index.workspaceRoot), ...body };
    try {
      appendRegistryLine(this.exptrackDir, event);
    } catch (e) {
      const msg = `could not write ${path.join(this.exptrackDir, 'registry.jsonl')}: ${(e as Error).message}`;
      this.log.error(msg);
      void vscode.window.showErrorMessage(`ExpTrack: ${msg}`);
      return;
    }
    this.log.info(`${body.t} ${body.run}`);
    await this.index.ingestSoon([path.join(this.exptrackDir, 'registry.jsonl')]);
  }

  // Paths from run files are opened only inside the workspace (workspacePaths.ts): a stdout.log
  // that is a symlink elsewhere, or a source path of "../../etc/passwd", is refused with the reason.
  private async openRunFile(run: RunSummary, file: string, missing: string): Promise<void> {
    const detail = await this.index.call('getRun', run.uid);
    const rel = detail?.runDir ? path.join(detail.runDir, file) : undefined;
    if (rel === undefined || !fs.existsSync(path.resolve(this.index.workspaceRoot, rel))) {
      void vscode.window.showInformationMessage(`ExpTrack: ${missing}`);
      return;
    }
    const resolved = resolveInsideWorkspace(this.index.workspaceRoot, rel);
    if (!resolved.ok) {
      void vscode.window.showWarningMessage(`ExpTrack: ${rel} is not opened: ${resolved.reason}.`);
      return;
    }
    await vscode.window.showTextDocument(vscode.Uri.file(resolved.absPath), { preview: true });
  }

  private async revealSource(run: RunSummary): Promise<void> {
    if (!run.sourcePath) {
      void vscode.window.showInformationMessage('ExpTrack: this run did not record where it came from.');
      return;
    }
    if (run.sourceKind === 'mlflow-server') {
      // A pulled run's source is its page on the tracking server.
      await vscode.env.openExternal(vscode.Uri.parse(run.sourcePath));
      return;
    }
    const resolved = resolveInsideWorkspace(this.index.workspaceRoot, run.sourcePath);
    if (!resolved.ok) {
      void vscode.window.showWarningMessage(`ExpTrack: ${run.sourcePath} is not opened: ${resolved.reason}.`);
      return;
    }
    const abs = resolved.absPath;
    let stat: fs.Stats | undefined;
    try {
      stat = fs.statSync(abs);
    } catch {
      void vscode.window.showWarningMessage(`ExpTrack: ${run.sourcePath} no longer exists.`);
      return;
    }
    if (stat.isDirectory()) await vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(abs));
    else await vscode.window.showTextDocument(vscode.Uri.file(abs));
  }
}
