/**
 * A side-bar tree over every workspace folder: with one folder it is that folder's tree exactly;
 * with several, each folder is a node (its runs, models or datasets below it) that starts the
 * folder's session when it is first expanded, and says what the folder has when it has nothing
 * to list (the view's own welcome text is for a view with no node at all).
 */
import * as vscode from 'vscode';
import { Disposable } from '../disposable';
import type { FolderSession } from './folderSession';
import type { FolderSessions } from './folderSessions';
import type { LocalFolder } from './localFolders';

export interface FolderNode {
  readonly kind: 'folder';
  readonly folder: LocalFolder;
}

/** A line in place of a folder's items when it has none: "Reading runs…", "No runs yet…". */
export interface FolderNotice {
  readonly kind: 'notice';
  readonly folder: LocalFolder;
  readonly text: string;
  readonly command?: vscode.Command;
}

export type FolderTreeNode<T> = T | FolderNode | FolderNotice;

/** A folder's provider; items are made at once, so callers (and tests) read them without waiting. */
export type FolderTreeProvider<T> = Omit<vscode.TreeDataProvider<T>, 'getTreeItem'> & { getTreeItem(node: T): vscode.TreeItem };

/** The view as one folder's features see it: revealing one of its nodes, and what is selected. */
export interface FolderTreeView<T> {
  reveal(node: T, options?: { select?: boolean; focus?: boolean; expand?: boolean | number }): Thenable<void>;
  readonly selection: readonly FolderTreeNode<T>[];
}

export interface FolderTreeOptions<T> {
  provider(session: FolderSession): FolderTreeProvider<T>;
  /** What a folder without items says (several folders only); undefined: nothing. */
  notice(folder: LocalFolder, session: FolderSession | undefined): Pick<FolderNotice, 'text' | 'command'> | undefined;
  /** The folder node's description, e.g. how many runs it has. */
  describe?(folder: LocalFolder, session: FolderSession | undefined): string | undefined;
}

export class FolderTree<T extends object> extends Disposable implements vscode.TreeDataProvider<FolderTreeNode<T>> {
  protected readonly changed = this.register(new vscode.EventEmitter<FolderTreeNode<T> | undefined>());
  readonly onDidChangeTreeData = this.changed.event;
  private readonly folderNodes = new Map<string, FolderNode>();
  private readonly notices = new WeakSet<object>();
  private readonly listening = new Map<FolderSession, vscode.Disposable>();

  constructor(protected readonly sessions: FolderSessions, private readonly options: FolderTreeOptions<T>) {
    super();
    for (const session of sessions.all) this.follow(session);
    this.register(sessions.onDidStart((session) => {
      this.follow(session);
      // A folder's node shows its items, or its notice, from now on (one folder: the view asked already).
      if (this.multi) this.changedIn(session.folder);
    }));
    this.register(sessions.onDidStop((session) => {
      this.listening.get(session)?.dispose();
      this.listening.delete(session);
    }));
    this.register(sessions.folders.onDidChange(({ removed }) => {
      for (const folder of removed) this.folderNodes.delete(folder.id);
      this.changed.fire(undefined);
    }));
    this.register({ dispose: () => [...this.listening.values()].forEach((d) => d.dispose()) });
  }

  protected get multi(): boolean {
    return this.sessions.folders.multi;
  }

  /** The folder a node of this view belongs to (a folder node, a notice, or one of a folder's items). */
  folderOf(node: unknown): LocalFolder | undefined {
    if (this.isOwn(node)) return node.folder;
    return this.sessions.ownerOf(node)?.folder;
  }

  async getChildren(node?: FolderTreeNode<T>): Promise<FolderTreeNode<T>[]> {
    const folders = this.sessions.folders;
    if (!node) {
      if (this.multi) return folders.all.map((f) => this.folderNode(f));
      const only = folders.first;
      return only ? this.folderChildren(only, false) : [];
    }
    if (this.isOwn(node)) return node.kind === 'folder' ? this.folderChildren(node.folder, true) : [];
    const owner = this.sessions.ownerOf(node);
    if (!owner) return [];
    return this.sessions.own(owner, (await this.options.provider(owner).getChildren(node as T)) ?? []);
  }

  getTreeItem(node: FolderTreeNode<T>): vscode.TreeItem {
    if (this.isOwn(node)) return node.kind === 'folder' ? this.folderItem(node.folder) : noticeItem(node);
    const owner = this.sessions.ownerOf(node)!;
    const item = this.options.provider(owner).getTreeItem(node as T);
    // Two folders may hold the same run or model (a copied folder): ids must not meet.
    if (this.multi && item.id !== undefined) item.id = `${owner.folder.id}/${item.id}`;
    return item;
  }

  getParent(node: FolderTreeNode<T>): FolderTreeNode<T> | undefined {
    if (this.isOwn(node)) return node.kind === 'notice' ? this.folderNode(node.folder) : undefined;
    const owner = this.sessions.ownerOf(node);
    const provider = owner && this.options.provider(owner);
    if (!owner || !provider?.getParent) return undefined;
    const parent = provider.getParent(node as T) as T | undefined;
    if (parent) return parent;
    return this.multi ? this.folderNode(owner.folder) : undefined;
  }

  /** `view` (showing this tree) as the features of `folder` see it. */
  viewFor(folder: LocalFolder, view: vscode.TreeView<FolderTreeNode<T>>): FolderTreeView<T> {
    return {
      reveal: (node, options) => {
        // A node revealed before the view listed it: its folder is known from here on, up to its root.
        const session = this.sessions.get(folder);
        const provider = session && this.options.provider(session);
        for (let n: T | undefined = node; session && n; n = provider?.getParent?.(n) as T | undefined) this.sessions.own(session, [n]);
        return view.reveal(node, options);
      },
      get selection() {
        return view.selection;
      },
    };
  }

  /** Every started folder's provider reads again. */
  refresh(): void {
    for (const session of this.sessions.all) {
      const provider = this.options.provider(session) as { refresh?: () => void };
      provider.refresh?.();
    }
  }

  /** Redraws a folder: its node with several folders, the whole view with one. */
  protected changedIn(folder: LocalFolder): void {
    this.changed.fire(this.multi ? this.folderNode(folder) : undefined);
  }

  private async folderChildren(folder: LocalFolder, grouped: boolean): Promise<FolderTreeNode<T>[]> {
    const session = await this.sessions.start(folder);
    if (!session) return grouped ? this.noticeOf(folder, undefined) : [];
    const children = this.sessions.own(session, (await this.options.provider(session).getChildren(undefined)) ?? []);
    return children.length > 0 || !grouped ? children : this.noticeOf(folder, session);
  }

  private noticeOf(folder: LocalFolder, session: FolderSession | undefined): FolderNotice[] {
    const notice = this.options.notice(folder, session);
    if (!notice) return [];
    const node: FolderNotice = { kind: 'notice', folder, ...notice };
    this.notices.add(node);
    return [node];
  }

  private folderNode(folder: LocalFolder): FolderNode {
    let node = this.folderNodes.get(folder.id);
    if (!node) {
      node = { kind: 'folder', folder };
      this.folderNodes.set(folder.id, node);
    }
    return node;
  }

  private folderItem(folder: LocalFolder): vscode.TreeItem {
    const item = new vscode.TreeItem(folder.name, vscode.TreeItemCollapsibleState.Expanded);
    item.id = `folder:${folder.id}`;
    item.iconPath = new vscode.ThemeIcon('root-folder');
    item.tooltip = folder.root;
    item.description = this.options.describe?.(folder, this.sessions.get(folder));
    item.contextValue = 'workspaceFolder';
    return item;
  }

  private isOwn(node: unknown): node is FolderNode | FolderNotice {
    if (!node || typeof node !== 'object') return false;
    const candidate = node as FolderNode;
    return (candidate.kind === 'folder' && this.folderNodes.get(candidate.folder?.id) === node) || this.notices.has(node);
  }

  private follow(session: FolderSession): void {
    const provider = this.options.provider(session);
    const subscriptions: vscode.Disposable[] = [];
    if (provider.onDidChangeTreeData) {
      subscriptions.push(provider.onDidChangeTreeData((e) => {
        const one = Array.isArray(e) ? undefined : e;
        if (one) this.changed.fire(one);
        else this.changedIn(session.folder);
      }));
    }
    // The folder's notice changes once its first scan is done ("Reading…" → what it has).
    void session.ready.then(() => {
      if (this.multi) this.changedIn(session.folder);
    }, () => undefined);
    this.listening.set(session, { dispose: () => subscriptions.forEach((d) => d.dispose()) });
  }
}

function noticeItem(node: FolderNotice): vscode.TreeItem {
  const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
  item.id = `notice:${node.folder.id}`;
  item.iconPath = new vscode.ThemeIcon(node.command ? 'play' : 'info');
  if (node.command) item.command = node.command;
  item.contextValue = 'folderNotice';
  return item;
}
