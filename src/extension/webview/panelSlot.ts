import type * as vscode from 'vscode';

/** A panel that says when it closes. */
export interface ClosablePanel extends vscode.Disposable {
  readonly onDidDispose: vscode.Event<void>;
}

/** The one open panel of a kind: opening it again reuses it; it is forgotten when it closes. */
export class PanelSlot<P extends ClosablePanel> implements vscode.Disposable {
  private current: P | undefined;

  get panel(): P | undefined {
    return this.current;
  }

  /** The open panel, or a new one from `create`. */
  getOrCreate(create: () => P): P {
    if (!this.current) {
      const created = create();
      this.current = created;
      created.onDidDispose(() => {
        if (this.current === created) this.current = undefined;
      });
    }
    return this.current;
  }

  dispose(): void {
    this.current?.dispose();
  }
}
