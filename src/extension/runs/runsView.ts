/**
 * The Runs view over every workspace folder (folders/folderTree.ts: one folder shows its
 * experiments at the top, several a node each), and what spans folders: the runs ticked for
 * comparison (named by run keys, src/core/folders/runKeys.ts), the search filter every folder's
 * runs follow, and the counts the view's title and welcome text go by.
 */
import * as vscode from 'vscode';
import type { RunRef } from '../../core/folders/runKeys';
import type { RunSummary } from '../../shared/runTypes';
import type { FolderSession } from '../folders/folderSession';
import type { FolderSessions } from '../folders/folderSessions';
import { FolderTree, type FolderTreeNode } from '../folders/folderTree';
import type { LocalFolder } from '../folders/localFolders';
import type { RunsTreeNode } from './runsTree';

export type RunsViewNode = FolderTreeNode<RunsTreeNode>;

/** The ticks of one folder's runs (by uid), for a view of that folder alone: its Runs table. */
export interface FolderTicks {
  readonly checkedRuns: readonly string[];
  /** Ticks exactly these runs of the folder; other folders' ticks stay. */
  setChecked(uids: readonly string[]): void;
  readonly onDidChangeChecked: vscode.Event<readonly string[]>;
}

interface LoadCounts {
  shown: number;
  total: number;
  error?: string;
}

export class RunsView extends FolderTree<RunsTreeNode> {
  /** Runs ticked for comparison, in the order they were ticked. */
  private checked: RunRef[] = [];
  private readonly checkedChanged = this.register(new vscode.EventEmitter<readonly string[]>());
  /** Fires with the ticked runs' keys whenever a run is ticked or unticked, here or through setChecked. */
  readonly onDidChangeChecked = this.checkedChanged.event;
  private filterText = '';
  private hidden = false;
  private readonly counts = new Map<string, LoadCounts>();
  private readonly loadedEmitter = this.register(new vscode.EventEmitter<LoadCounts>());
  /** Fires after a folder's runs were read: how many are shown, of how many, over all folders. */
  readonly onDidLoad = this.loadedEmitter.event;

  constructor(sessions: FolderSessions) {
    super(sessions, {
      provider: (session) => session.runs,
      notice: (folder, session) => this.notice(folder, session),
      describe: (folder) => {
        const counts = this.counts.get(folder.id);
        return counts && `${counts.total} run${counts.total === 1 ? '' : 's'}`;
      },
    });
    for (const session of sessions.all) this.followLoads(session);
    this.register(sessions.onDidStart((session) => this.followLoads(session)));
    this.register(sessions.onDidStop((session) => {
      this.counts.delete(session.folder.id);
      this.loaded();
      const kept = this.checked.filter((r) => r.folderId !== session.folder.id);
      if (kept.length !== this.checked.length) this.setRefs(kept);
    }));
  }

  /** Keys of the runs ticked for comparison. */
  get checkedRuns(): readonly string[] {
    const keys = this.sessions.folders.keys;
    return this.checked.map((r) => keys.key(r.folderId, r.uid));
  }

  isChecked(folder: LocalFolder, uid: string): boolean {
    return this.checked.some((r) => r.folderId === folder.id && r.uid === uid);
  }

  /** Ticks exactly these runs (e.g. picked in the Compare view) and unticks the others. */
  setChecked(keys: readonly string[]): void {
    const refs: RunRef[] = [];
    for (const key of new Set(keys)) {
      const ref = this.sessions.folders.keys.parse(key);
      if (ref) refs.push(ref);
    }
    if (sameRefs(refs, this.checked)) return;
    this.setRefs(refs);
    this.changed.fire(undefined);
  }

  ticksOf(folder: LocalFolder): FolderTicks {
    const mine = () => this.checked.filter((r) => r.folderId === folder.id).map((r) => r.uid);
    return {
      get checkedRuns() {
        return mine();
      },
      setChecked: (uids) => {
        const others = this.checked.filter((r) => r.folderId !== folder.id);
        const next = [...others, ...[...new Set(uids)].map((uid) => ({ folderId: folder.id, uid }))];
        // Kept in tick order: runs still ticked stay where they were.
        const ordered = [...this.checked.filter((r) => next.some((n) => n.folderId === r.folderId && n.uid === r.uid)),
          ...next.filter((n) => !this.checked.some((r) => r.folderId === n.folderId && r.uid === n.uid))];
        if (sameRefs(ordered, this.checked)) return;
        this.setRefs(ordered);
        this.changed.fire(undefined);
      },
      onDidChangeChecked: (listener, thisArgs, disposables) => this.onDidChangeChecked(() => listener.call(thisArgs, mine()), undefined, disposables),
    };
  }

  /** Follows the checkboxes of the tree view showing this provider (no redraw: VS Code drops clicks made during one). */
  bindCheckboxes(view: vscode.TreeView<RunsViewNode>): vscode.Disposable {
    return view.onDidChangeCheckboxState((e) => {
      const next = [...this.checked];
      for (const [node, state] of e.items) {
        const folder = this.folderOf(node);
        if (node.kind !== 'run' || !folder) continue;
        const at = next.findIndex((r) => r.folderId === folder.id && r.uid === node.run.uid);
        if (state === vscode.TreeItemCheckboxState.Checked && at < 0) next.push({ folderId: folder.id, uid: node.run.uid });
        if (state === vscode.TreeItemCheckboxState.Unchecked && at >= 0) next.splice(at, 1);
      }
      if (!sameRefs(next, this.checked)) this.setRefs(next);
    });
  }

  /** Runs as last loaded, every started folder's (named by their keys), newest first in each folder. */
  get currentRuns(): readonly RunSummary[] {
    return this.sessions.all.flatMap((session) => this.keyed(session, session.runs.currentRuns));
  }

  /** Every folder's runs (starting the folders), named by their keys; for pickers, commands and tests. */
  async load(): Promise<readonly RunSummary[]> {
    const sessions = await this.sessions.startAll();
    const lists = await Promise.all(sessions.map(async (session) => this.keyed(session, await session.runs.load())));
    return lists.flat();
  }

  /** The run a command was invoked on in this view, with its folder (its uid as its folder knows it). */
  runOf(node: unknown): { session: FolderSession; run: RunSummary } | undefined {
    const session = this.sessions.ownerOf(node);
    const n = node as RunsTreeNode | undefined;
    return session && n?.kind === 'run' ? { session, run: n.run } : undefined;
  }

  /**
   * The run of a run node: one of this view's, or one made elsewhere (a test, another extension)
   * whose uid is taken as a run key.
   */
  async locate(node: unknown): Promise<{ session: FolderSession; run: RunSummary } | undefined> {
    const own = this.runOf(node);
    if (own) return own;
    const n = node as RunsTreeNode | undefined;
    if (n?.kind !== 'run' || typeof n.run?.uid !== 'string') return undefined;
    const found = await this.resolve(n.run.uid);
    return found && { session: found.session, run: { ...n.run, uid: found.uid } };
  }

  /** The key of a run node of this view (a run node made elsewhere: its uid, a bare key). */
  keyOf(node: unknown): string | undefined {
    const found = this.runOf(node);
    if (found) return this.sessions.folders.keys.key(found.session.folder.id, found.run.uid);
    const n = node as RunsTreeNode | undefined;
    return n?.kind === 'run' ? n.run.uid : undefined;
  }

  /** The folder (started) and uid a run key names. */
  async resolve(key: string): Promise<{ session: FolderSession; uid: string } | undefined> {
    const found = this.sessions.folders.ofKey(key);
    const session = found && (await this.sessions.start(found.folder));
    return session && { session, uid: found.uid };
  }

  get filter(): string {
    return this.filterText;
  }

  /** Shows only the runs this filter matches ('' : all) in every folder; the text is checked by the caller (compileQuery). */
  setFilter(filter: string): void {
    this.filterText = filter;
    for (const session of this.sessions.all) session.runs.setFilter(filter);
  }

  get showHidden(): boolean {
    return this.hidden;
  }

  set showHidden(show: boolean) {
    this.hidden = show;
    for (const session of this.sessions.all) session.runs.showHidden = show;
  }

  override refresh(): void {
    for (const session of this.sessions.all) session.runs.refresh();
  }

  async refreshIfChanged(): Promise<void> {
    await Promise.all(this.sessions.all.map((session) => session.runs.refreshIfChanged()));
  }

  private keyed(session: FolderSession, runs: readonly RunSummary[]): RunSummary[] {
    const keys = this.sessions.folders.keys;
    if (!keys.multi) return [...runs];
    return runs.map((run) => ({ ...run, uid: keys.key(session.folder.id, run.uid) }));
  }

  private setRefs(refs: RunRef[]): void {
    this.checked = refs;
    this.checkedChanged.fire(this.checkedRuns);
  }

  private followLoads(session: FolderSession): void {
    this.register(session.runs.onDidLoad((counts) => {
      if (this.sessions.get(session.folder) !== session) return;
      this.counts.set(session.folder.id, counts);
      this.loaded();
    }));
  }

  private loaded(): void {
    const all = [...this.counts.values()];
    const error = all.find((c) => c.error !== undefined)?.error;
    this.loadedEmitter.fire({ shown: sum(all, 'shown'), total: sum(all, 'total'), ...(error !== undefined && { error }) });
    // "No runs yet" is for a workspace without runs, not for a filter that matches none.
    void vscode.commands.executeCommand('setContext', 'exptrack.hasRuns', all.some((c) => c.error !== undefined || c.total > 0));
  }

  private notice(folder: LocalFolder, session: FolderSession | undefined): { text: string; command?: vscode.Command } {
    if (!session) return { text: 'ExpTrack could not start here (see the log)', command: { command: 'exptrack.showOutput', title: 'Show Log' } };
    if (!session.isReady) return { text: 'Reading runs…' };
    if (this.filterText && (this.counts.get(folder.id)?.total ?? 0) > 0) return { text: 'No run here matches the filter' };
    if (!vscode.workspace.isTrusted) return { text: 'No runs recorded here' };
    return { text: 'No runs yet: run a script with tracking', command: { command: 'exptrack.runFileWithTracking', title: 'Run Python File with Tracking' } };
  }
}

function sameRefs(a: readonly RunRef[], b: readonly RunRef[]): boolean {
  return a.length === b.length && a.every((r, i) => r.folderId === b[i]!.folderId && r.uid === b[i]!.uid);
}

function sum(counts: readonly LoadCounts[], field: 'shown' | 'total'): number {
  return counts.reduce((n, c) => n + c[field], 0);
}
