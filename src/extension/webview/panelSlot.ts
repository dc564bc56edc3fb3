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
    return this.current ?? this.adopt(create());
  }

  /** Makes `panel` the open one (e.g. restored after a reload), closing any other. */
  adopt(panel: P): P {
    if (this.current !== panel) this.current?.dispose();
    this.current = panel;
    panel.onDidDispose(() => {
      if (this.current === panel) this.current = undefined;
    });
    return panel;
  }

  dispose(): void {
    this.current?.dispose();
  }
}
