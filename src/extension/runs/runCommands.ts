import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { actorName, appendRegistryLine, newEventId } from '../../core/registry/runEditWriter';
import { resolveInsideWorkspace } from '../../core/workspacePaths';
import type { RunAnnotationEvent } from '../../shared/registryEvents';
import type { RunSummary } from '../../shared/runTypes';
import { Disposable } from '../disposable';
import type { FolderSession } from '../folders/folderSession';
import type { Log } from '../log';
import type { RunsView } from './runsView';

type AnnotationBody = RunAnnotationEvent extends infer E ? (E extends RunAnnotationEvent ? Omit<E, 'id' | 'time' | 'actor'> : never) : never;

/** A run and the folder it belongs to (its uid as its folder's index knows it). */
interface FolderRun {
  session: FolderSession;
  run: RunSummary;
}

/**
 * The Runs view's context-menu commands. Changes are audit events in the registry.jsonl of the
 * run's folder; run files are never touched.
 */
export class RunCommands extends Disposable {
  constructor(private readonly tree: RunsView, private readonly log: Log) {
    super();
  }

  /** Command id → handler; the extension registers them at activation (see extension.ts). */
  handlers(): Record<string, (...args: unknown[]) => unknown> {
    const forRun = (fn: (run: RunSummary, session: FolderSession) => Promise<unknown>) => async (node?: unknown) => {
      const found = (await this.tree.locate(node)) ?? (await this.pickRun());
      if (found) await fn(found.run, found.session);
    };
    return {
      'exptrack.renameRun': forRun((run, session) => this.rename(run, session)),
      'exptrack.addNote': forRun((run, session) => this.addNote(run, session)),
      'exptrack.addTag': forRun((run, session) => this.addTag(run, session)),
      'exptrack.deleteRun': forRun((run, session) => this.delete(run, session)),
      'exptrack.openRunOutput': forRun((run, session) => this.openRunFile(run, session, 'stdout.log', 'No output was captured for this run.')),
      'exptrack.openCodePatch': forRun((run, session) => this.openRunFile(run, session, 'code.patch', 'No code patch: the working tree had no uncommitted changes when this run started.')),
      'exptrack.revealRunSource': forRun((run, session) => this.revealSource(run, session)),
      'exptrack.copyRunId': forRun(async (run) => vscode.env.clipboard.writeText(run.uid)),
      'exptrack.showDeletedRuns': () => {
        this.tree.showHidden = !this.tree.showHidden;
        this.tree.refresh();
        void vscode.window.showInformationMessage(this.tree.showHidden ? 'ExpTrack: deleted runs are shown.' : 'ExpTrack: deleted runs are hidden.');
      },
    };
  }

  /** A run picked among every folder's (listed by their keys, which name the folder). */
  private async pickRun(): Promise<FolderRun | undefined> {
    const runs = await this.tree.load();
    const pick = await vscode.window.showQuickPick(
      runs.map((r) => ({ label: r.name, description: `${r.status} · ${r.experiment}`, detail: r.uid, run: r })),
      { placeHolder: 'Choose a run', matchOnDescription: true, matchOnDetail: true },
    );
    const found = pick && (await this.tree.resolve(pick.run.uid));
    return found && { session: found.session, run: { ...pick.run, uid: found.uid } };
  }

  private async rename(run: RunSummary, session: FolderSession): Promise<void> {
    const name = await vscode.window.showInputBox({ prompt: `New name for ${run.uid}`, value: run.name, validateInput: (v) => (v.trim() ? undefined : 'A name cannot be empty') });
    if (name !== undefined) await this.append(session, { t: 'run.rename', run: run.uid, name: name.trim() });
  }

  private async addNote(run: RunSummary, session: FolderSession): Promise<void> {
    const detail = await session.index.call('getRun', run.uid);
    const text = await vscode.window.showInputBox({ prompt: `Note on ${run.name}`, value: detail?.note ?? '', placeHolder: 'e.g. learning rate too high, diverged after epoch 3' });
    if (text !== undefined) await this.append(session, { t: 'run.note', run: run.uid, text });
  }

  private async addTag(run: RunSummary, session: FolderSession): Promise<void> {
    const entry = await vscode.window.showInputBox({
      prompt: `Tag for ${run.name} as key=value (or just a key)`,
      validateInput: (v) => (v.trim() && !v.trim().startsWith('=') ? undefined : 'Give a key, e.g. baseline or owner=ana'),
    });
    if (entry === undefined) return;
    const eq = entry.indexOf('=');
    const key = (eq < 0 ? entry : entry.slice(0, eq)).trim();
    const value = eq < 0 ? '' : entry.slice(eq + 1).trim();
    await this.append(session, { t: 'run.tag', run: run.uid, key, value });
  }

  private async delete(run: RunSummary, session: FolderSession): Promise<void> {
    const choice = await vscode.window.showWarningMessage(
      `Delete run "${run.name}"? It is hidden from ExpTrack; its files stay where they are and it can be shown again.`,
      { modal: true }, 'Delete',
    );
    if (choice === 'Delete') await this.append(session, { t: 'run.delete', run: run.uid });
  }

  private async append(session: FolderSession, body: AnnotationBody): Promise<void> {
    const { exptrackDir } = session.folder;
    const event = { id: newEventId(), time: Date.now() / 1000, actor: await actorName(session.index.workspaceRoot), ...body };
    try {
      appendRegistryLine(exptrackDir, event);
    } catch (e) {
      const msg = `could not write ${path.join(exptrackDir, 'registry.jsonl')}: ${(e as Error).message}`;
      this.log.error(msg);
      void vscode.window.showErrorMessage(`ExpTrack: ${msg}`);
      return;
    }
    this.log.info(`${body.t} ${body.run}`);
    await session.index.ingestSoon([path.join(exptrackDir, 'registry.jsonl')]);
  }

  // Paths from run files are opened only inside the workspace (workspacePaths.ts): a stdout.log
  // that is a symlink elsewhere, or a source path of "../../etc/passwd", is refused with the reason.
  private async openRunFile(run: RunSummary, session: FolderSession, file: string, missing: string): Promise<void> {
    const { index } = session;
    const detail = await index.call('getRun', run.uid);
    const rel = detail?.runDir ? path.join(detail.runDir, file) : undefined;
    if (rel === undefined || !fs.existsSync(path.resolve(index.workspaceRoot, rel))) {
      void vscode.window.showInformationMessage(`ExpTrack: ${missing}`);
      return;
    }
    const resolved = resolveInsideWorkspace(index.workspaceRoot, rel);
    if (!resolved.ok) {
      void vscode.window.showWarningMessage(`ExpTrack: ${rel} is not opened: ${resolved.reason}.`);
      return;
    }
    await vscode.window.showTextDocument(vscode.Uri.file(resolved.absPath), { preview: true });
  }

  private async revealSource(run: RunSummary, session: FolderSession): Promise<void> {
    if (!run.sourcePath) {
      void vscode.window.showInformationMessage('ExpTrack: this run did not record where it came from.');
      return;
    }
    if (run.sourceKind === 'mlflow-server') {
      // A pulled run's source is its page on the tracking server.
      await vscode.env.openExternal(vscode.Uri.parse(run.sourcePath));
      return;
    }
    const resolved = resolveInsideWorkspace(session.index.workspaceRoot, run.sourcePath);
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
