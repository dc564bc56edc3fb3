/**
 * The run index and per-folder features of each workspace folder, started the first time the
 * folder is used (its node in a view expanded, a command working on it, a run recorded in it, or
 * at once when it has runs), and ended when the folder leaves the workspace. A folder nobody
 * uses costs nothing.
 */
import * as vscode from 'vscode';
import { Disposable } from '../disposable';
import type { Log } from '../log';
import type { FolderSession } from './folderSession';
import type { LocalFolder, LocalFolders } from './localFolders';

export class FolderSessions extends Disposable {
  private readonly sessions = new Map<string, FolderSession>();
  private readonly starting = new Map<string, Promise<FolderSession | undefined>>();
  /** Which folder's view or list made a node: commands invoked on a node work in that folder. */
  private readonly owners = new WeakMap<object, FolderSession>();
  private readonly started = this.register(new vscode.EventEmitter<FolderSession>());
  /** Fires when a folder's session has started (its index is open; its first scan may still run). */
  readonly onDidStart = this.started.event;
  private readonly stopped = this.register(new vscode.EventEmitter<FolderSession>());
  /** Fires when a folder's session ended because the folder left the workspace. */
  readonly onDidStop = this.stopped.event;

  constructor(
    readonly folders: LocalFolders,
    private readonly create: (folder: LocalFolder) => Promise<FolderSession>,
    private readonly log: Log,
  ) {
    super();
    this.register(folders.onDidChange(({ removed }) => {
      for (const folder of removed) this.stop(folder);
    }));
    this.register({ dispose: () => {
      for (const session of this.sessions.values()) session.dispose();
      this.sessions.clear();
    } });
  }

  /** Sessions started so far, in the workspace's folder order. */
  get all(): FolderSession[] {
    return this.folders.all.flatMap((f) => this.sessions.get(f.id) ?? []);
  }

  get(folder: LocalFolder | string): FolderSession | undefined {
    return this.sessions.get(typeof folder === 'string' ? folder : folder.id);
  }

  /** Starts the folder's session once; undefined when it could not start (said once) or the folder left meanwhile. */
  start(folder: LocalFolder): Promise<FolderSession | undefined> {
    let starting = this.starting.get(folder.id);
    if (!starting) {
      starting = this.open(folder);
      this.starting.set(folder.id, starting);
    }
    return starting;
  }

  /** Starts every folder's session. */
  async startAll(): Promise<FolderSession[]> {
    const sessions = await Promise.all(this.folders.all.map((f) => this.start(f)));
    return sessions.filter((s): s is FolderSession => s !== undefined);
  }

  /** Marks nodes a folder's view made, so a command given one knows its folder. */
  own<T>(session: FolderSession, nodes: T[]): T[] {
    for (const node of nodes) if (node && typeof node === 'object') this.owners.set(node, session);
    return nodes;
  }

  ownerOf(node: unknown): FolderSession | undefined {
    return node && typeof node === 'object' ? this.owners.get(node) : undefined;
  }

  private async open(folder: LocalFolder): Promise<FolderSession | undefined> {
    let session: FolderSession;
    try {
      session = await this.create(folder);
    } catch (e) {
      const msg = `ExpTrack could not start${this.folders.multi ? ` in ${folder.name}` : ''}: ${(e as Error).message}`;
      this.log.error(msg);
      void vscode.window.showErrorMessage(msg);
      return undefined;
    }
    if (this.isDisposed || this.folders.byId(folder.id) !== folder) {
      session.dispose();
      return undefined;
    }
    this.sessions.set(folder.id, session);
    session.ready.catch((e: unknown) => this.log.error(`reading ${folder.root} failed: ${(e as Error).message}`));
    this.started.fire(session);
    return session;
  }

  private stop(folder: LocalFolder): void {
    this.starting.delete(folder.id);
    const session = this.sessions.get(folder.id);
    if (!session) return;
    this.sessions.delete(folder.id);
    this.log.info(`${folder.root} left the workspace: its runs are no longer shown`);
    this.stopped.fire(session);
    session.dispose();
  }
}
