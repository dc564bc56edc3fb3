import type * as vscode from 'vscode';

/** Owns child disposables and disposes them with itself, last registered first. */
export class Disposable implements vscode.Disposable {
  private readonly children: vscode.Disposable[] = [];
  private disposed = false;

  /** Registers a child; if this owner is already gone, the child is disposed at once. */
  protected register<T extends vscode.Disposable>(child: T): T {
    if (this.disposed) child.dispose();
    else this.children.push(child);
    return child;
  }

  protected get isDisposed(): boolean {
    return this.disposed;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const child of this.children.splice(0).reverse()) {
      try {
        child.dispose();
      } catch {
        // One failing child must not keep the others alive.
      }
    }
  }
}
