import * as vscode from 'vscode';
import { Disposable } from '../disposable';
import type { RunIndex } from './runIndex';

/**
 * A tree view of one folder's index (Models, Datasets): redrawn after the index changes, the
 * changes of `delayMs` gathered into one redraw. The subclass reads the index in its
 * `getChildren` and drops what it read in `forget`.
 */
export abstract class IndexTreeProvider<N> extends Disposable implements vscode.TreeDataProvider<N> {
  private readonly changed = this.register(new vscode.EventEmitter<N | undefined>());
  readonly onDidChangeTreeData = this.changed.event;
  private refreshTimer: NodeJS.Timeout | undefined;

  constructor(protected readonly index: RunIndex) {
    super();
    this.register(index.onDidChange(() => this.refreshSoon()));
    this.register({ dispose: () => clearTimeout(this.refreshTimer) });
  }

  refreshSoon(delayMs = 150): void {
    if (this.refreshTimer) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      this.refresh();
    }, delayMs);
  }

  refresh(): void {
    this.forget();
    this.changed.fire(undefined);
  }

  /** Drops what was read, so the next look reads the index again. */
  protected abstract forget(): void;

  abstract getTreeItem(node: N): vscode.TreeItem;

  abstract getChildren(node?: N): vscode.ProviderResult<N[]>;
}
