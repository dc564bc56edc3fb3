import * as vscode from 'vscode';
import { differingFiles, RunCode } from '../../core/compare/runCode';
import { Disposable } from '../disposable';
import type { Log } from '../log';
import type { WorkspaceRunSource } from '../folders/workspaceRunSource';

/** Read-only documents holding a file as one run saw it: `exptrack-code:/<path>?run=<uid>`. */
export const RUN_CODE_SCHEME = 'exptrack-code';

/** How many runs' rebuilt code is kept (git show results included). */
const CACHED_RUNS = 8;

export function runCodeUri(uid: string, file: string): vscode.Uri {
  return vscode.Uri.from({ scheme: RUN_CODE_SCHEME, path: `/${file}`, query: new URLSearchParams({ run: uid }).toString() });
}

/**
 * "ExpTrack: Diff Run Code": VS Code's own diff editor between the code of two runs, each side
 * rebuilt in memory from the run's commit and its code.patch (or its notebook cell snapshots).
 */
export class CodeDiff extends Disposable implements vscode.TextDocumentContentProvider {
  private readonly code = new Map<string, Promise<RunCode | undefined>>();

  constructor(private readonly index: WorkspaceRunSource, private readonly log: Log) {
    super();
    this.register(vscode.workspace.registerTextDocumentContentProvider(RUN_CODE_SCHEME, this));
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    if (!vscode.workspace.isTrusted) return '';
    const uid = new URLSearchParams(uri.query).get('run');
    const code = uid ? await this.runCode(uid) : undefined;
    if (!code) return '';
    const content = await code.content(uri.path.replace(/^\//, ''));
    for (const note of content.notes) this.log.warn(`run ${uid}: ${note}`);
    return content.text;
  }

  /** Opens the diff editor: one file directly, several in the multi-file diff editor. */
  async open(leftUid: string, rightUid: string): Promise<void> {
    // Rebuilding a run's code runs git in the workspace; an untrusted workspace runs nothing.
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showInformationMessage('ExpTrack: Diff Run Code reads the runs\' commits with git, which ExpTrack does not run in an untrusted workspace.');
      return;
    }
    const [left, right] = await Promise.all([this.runCode(leftUid), this.runCode(rightUid)]);
    const [leftName, rightName] = await Promise.all([this.runName(leftUid), this.runName(rightUid)]);
    if (!left || !right) {
      void vscode.window.showWarningMessage(`ExpTrack: run ${!left ? leftUid : rightUid} is not in the index.`);
      return;
    }
    const without = [left, right].filter((c) => !c.hasCode);
    if (without.length) {
      void vscode.window.showInformationMessage(
        `ExpTrack: ${without.map((c) => (c === left ? leftName : rightName)).join(' and ')} recorded no code (no git commit, code.patch or notebook cells).`);
      if (without.length === 2) return;
    }
    const files = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: 'ExpTrack: comparing run code' }, () => differingFiles(left, right));
    const notes: string[] = [];
    for (const file of files) {
      for (const c of [left, right]) notes.push(...(await c.content(file)).notes);
    }
    if (notes.length) {
      for (const n of notes) this.log.warn(n);
      void vscode.window.showWarningMessage(`ExpTrack: part of a run's code could not be rebuilt exactly: ${notes[0]}${notes.length > 1 ? ` (and ${notes.length - 1} more; see the log)` : ''}`);
    }
    if (files.length === 0) {
      void vscode.window.showInformationMessage(`ExpTrack: ${leftName} and ${rightName} ran the same code.`);
      return;
    }
    const title = `${leftName} ↔ ${rightName}`;
    if (files.length === 1) {
      const file = files[0]!;
      await vscode.commands.executeCommand('vscode.diff', runCodeUri(leftUid, file), runCodeUri(rightUid, file), `${file} (${title})`, { preview: true });
      return;
    }
    await vscode.commands.executeCommand('vscode.changes', `Code: ${title}`,
      files.map((file) => [runCodeUri(rightUid, file), runCodeUri(leftUid, file), runCodeUri(rightUid, file)]));
  }

  /** The run's code, loaded once and kept for the last few runs. */
  private runCode(uid: string): Promise<RunCode | undefined> {
    let code = this.code.get(uid);
    if (code) {
      this.code.delete(uid); // re-inserted below: most recent last
    } else {
      // A run's files and commit are its folder's.
      const root = this.index.rootOf(uid);
      code = this.index.call('getRun', uid).then((run) => run && root !== undefined
        ? RunCode.load(root, { uid, runDir: run.runDir, gitCommit: run.git.commit })
        : undefined);
      code.catch(() => this.code.delete(uid));
    }
    this.code.set(uid, code);
    while (this.code.size > CACHED_RUNS) this.code.delete(this.code.keys().next().value!);
    return code;
  }

  private async runName(uid: string): Promise<string> {
    return (await this.index.call('getRun', uid).catch(() => undefined))?.name ?? uid;
  }
}
