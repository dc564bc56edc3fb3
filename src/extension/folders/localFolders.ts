/**
 * The workspace folders ExpTrack works in: every folder on the local disk (a multi-root workspace
 * has several; remote or virtual ones are left alone). Each has its own `.exptrack/`, its own run
 * index and its own runs; the list follows folders added and removed while the window is open.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { EXPTRACK_DIR_NAME } from '../../core/exptrackDir';
import { rootHolding } from '../../core/folders/folderOfPath';
import { RunKeys, uniqueFolderId } from '../../core/folders/runKeys';
import { Disposable } from '../disposable';

export interface LocalFolder {
  readonly uri: vscode.Uri;
  /** The name VS Code shows for the folder. */
  readonly name: string;
  /** Names the folder in run keys and tree item ids; unique in the window, and kept while the folder is open. */
  readonly id: string;
  readonly root: string;
  readonly exptrackDir: string;
}

export interface FoldersChange {
  added: readonly LocalFolder[];
  removed: readonly LocalFolder[];
}

export class LocalFolders extends Disposable {
  private list: LocalFolder[] = [];
  private runKeys = new RunKeys([]);
  private readonly changed = this.register(new vscode.EventEmitter<FoldersChange>());
  /** Fires after folders were added to or removed from the workspace. */
  readonly onDidChange = this.changed.event;

  constructor() {
    super();
    this.update();
    this.register(vscode.workspace.onDidChangeWorkspaceFolders(() => {
      const change = this.update();
      if (change.added.length || change.removed.length) this.changed.fire(change);
    }));
  }

  get all(): readonly LocalFolder[] {
    return this.list;
  }

  get first(): LocalFolder | undefined {
    return this.list[0];
  }

  /** More than one folder: views group by folder and commands ask which folder. */
  get multi(): boolean {
    return this.list.length > 1;
  }

  /** How runs are named where several folders' runs meet (src/core/folders/runKeys.ts). */
  get keys(): RunKeys {
    return this.runKeys;
  }

  byId(id: string): LocalFolder | undefined {
    return this.list.find((f) => f.id === id);
  }

  /** The folder holding a file or folder (the deepest, when folders nest). */
  holding(absPath: string): LocalFolder | undefined {
    const root = rootHolding(this.list.map((f) => f.root), absPath);
    return this.list.find((f) => f.root === root);
  }

  /** The folder of a run key (a bare uid: the first folder). */
  ofKey(key: string): { folder: LocalFolder; uid: string } | undefined {
    const ref = this.runKeys.parse(key);
    const folder = ref && this.byId(ref.folderId);
    return folder && { folder, uid: ref.uid };
  }

  /**
   * The folder a command works in: the only one, else the one the user picks (undefined when the
   * pick is dismissed or no folder is open).
   */
  async pick(title: string): Promise<LocalFolder | undefined> {
    if (this.list.length <= 1) return this.list[0];
    const picked = await vscode.window.showQuickPick(this.list.map((folder) => ({ label: folder.name, description: folder.root, folder })), {
      title, placeHolder: 'Which workspace folder?', matchOnDescription: true,
    });
    return picked?.folder;
  }

  /** Reads the workspace's folders again; folders still open keep their ids. */
  private update(): FoldersChange {
    const local = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
    const before = new Map(this.list.map((f) => [f.uri.toString(), f]));
    const taken = new Set<string>();
    const next: LocalFolder[] = [];
    for (const wf of local) {
      const kept = before.get(wf.uri.toString());
      if (kept) taken.add(kept.id);
    }
    for (const wf of local) {
      const kept = before.get(wf.uri.toString());
      if (kept) {
        next.push(kept);
        continue;
      }
      const id = uniqueFolderId(wf.name, taken);
      taken.add(id);
      const root = wf.uri.fsPath;
      next.push({ uri: wf.uri, name: wf.name, id, root, exptrackDir: path.join(root, EXPTRACK_DIR_NAME) });
    }
    const added = next.filter((f) => !before.has(f.uri.toString()));
    const stillOpen = new Set(next.map((f) => f.uri.toString()));
    const removed = this.list.filter((f) => !stillOpen.has(f.uri.toString()));
    this.list = next;
    this.runKeys = new RunKeys(next.map((f) => f.id));
    return { added, removed };
  }
}
