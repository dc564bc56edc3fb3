/**
 * ExpTrack's side-bar views exist from activation (VS Code must never find one without a
 * provider), while what they show comes from the session — the run index and the features —
 * which is loaded and started the first time a view asks for content. Until the session hands
 * over its providers the views are empty, so their welcome content ("Reading runs…") shows.
 */
import * as vscode from 'vscode';
import { Disposable } from '../disposable';

export type SessionTreeViewId = 'exptrack.runs' | 'exptrack.models' | 'exptrack.datasets';
export type SessionWebviewViewId = 'exptrack.compare';

/** How the session's features take over the views created at activation. */
export interface SessionViews {
  /** The tree view `id`, drawing from `provider` from now on. */
  tree<T>(id: SessionTreeViewId, provider: vscode.TreeDataProvider<T>): vscode.TreeView<T>;
  /** The webview view `id`, resolved by `provider` from now on. */
  webviewView(id: SessionWebviewViewId, provider: vscode.WebviewViewProvider): void;
}

/** Options of each tree view, as they must be given when it is created. */
const TREE_VIEWS: Record<SessionTreeViewId, Omit<vscode.TreeViewOptions<unknown>, 'treeDataProvider'>> = {
  'exptrack.runs': { showCollapseAll: true, manageCheckboxStateManually: true },
  'exptrack.models': { showCollapseAll: true },
  'exptrack.datasets': { showCollapseAll: true },
};

/** Starts the session if it is not running; resolves false when there is none (no folder open). */
export type StartSession = () => Promise<boolean>;

export class DeferredViews extends Disposable implements SessionViews {
  private readonly trees = new Map<SessionTreeViewId, { view: vscode.TreeView<unknown>; provider: DeferredTreeProvider }>();
  private readonly compare: DeferredWebviewView;

  constructor(start: StartSession) {
    super();
    for (const [id, options] of Object.entries(TREE_VIEWS) as Array<[SessionTreeViewId, (typeof TREE_VIEWS)[SessionTreeViewId]]>) {
      const provider = this.register(new DeferredTreeProvider(start));
      const view = this.register(vscode.window.createTreeView(id, { ...options, treeDataProvider: provider }));
      this.trees.set(id, { view, provider });
    }
    this.compare = new DeferredWebviewView(start);
    this.register(vscode.window.registerWebviewViewProvider('exptrack.compare', this.compare));
  }

  tree<T>(id: SessionTreeViewId, provider: vscode.TreeDataProvider<T>): vscode.TreeView<T> {
    const entry = this.trees.get(id)!;
    entry.provider.attach(provider as vscode.TreeDataProvider<unknown>);
    return entry.view as vscode.TreeView<T>;
  }

  webviewView(_id: SessionWebviewViewId, provider: vscode.WebviewViewProvider): void {
    this.compare.attach(provider);
  }
}

/** Waits for the session's provider, then passes every question on to it. */
class DeferredTreeProvider extends Disposable implements vscode.TreeDataProvider<unknown> {
  private target: vscode.TreeDataProvider<unknown> | undefined;
  private readonly handover = handover();
  private readonly changed = this.register(new vscode.EventEmitter<unknown>());
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly start: StartSession) {
    super();
  }

  attach(target: vscode.TreeDataProvider<unknown>): void {
    this.target = target;
    if (target.onDidChangeTreeData) this.register(target.onDidChangeTreeData((e) => this.changed.fire(e)));
    this.handover.done();
    this.changed.fire(undefined);
  }

  async getChildren(element?: unknown): Promise<unknown[]> {
    // The first look at a view is what starts the session in a workspace without runs.
    if (!this.target && !(await this.start().catch(() => false))) return [];
    await this.handover.promise;
    return (await this.target!.getChildren(element)) ?? [];
  }

  getTreeItem(element: unknown): vscode.TreeItem | Thenable<vscode.TreeItem> {
    return this.target!.getTreeItem(element);
  }

  getParent(element: unknown): vscode.ProviderResult<unknown> {
    return this.target?.getParent?.(element);
  }
}

class DeferredWebviewView implements vscode.WebviewViewProvider {
  private target: vscode.WebviewViewProvider | undefined;
  private readonly handover = handover();

  constructor(private readonly start: StartSession) {}

  attach(target: vscode.WebviewViewProvider): void {
    this.target = target;
    this.handover.done();
  }

  async resolveWebviewView(view: vscode.WebviewView, context: vscode.WebviewViewResolveContext, token: vscode.CancellationToken): Promise<void> {
    if (!this.target && !(await this.start().catch(() => false))) return;
    await this.handover.promise;
    await this.target!.resolveWebviewView(view, context, token);
  }
}

function handover(): { promise: Promise<void>; done(): void } {
  let done!: () => void;
  const promise = new Promise<void>((resolve) => (done = resolve));
  return { promise, done };
}
