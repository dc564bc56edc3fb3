import * as vscode from 'vscode';
import { z } from 'zod';
import type { SchemaDiffDiffMessage, SchemaDiffHostMessage, SchemaDiffProtocol, SchemaDiffWebviewMessage } from '../../shared/protocol/schemaDiff';
import { webviewHtml, webviewOptions } from '../compare/webviewHtml';
import { Disposable } from '../disposable';
import type { Log } from '../log';

/** What the panel's buttons do; the feature that owns the diff implements them. */
export interface SchemaDiffPanelActions {
  exportDiff(format: 'markdown' | 'json'): Promise<void>;
  openSide(side: 'a' | 'b'): Promise<void>;
  rerun(): Promise<void>;
}

/**
 * The Schema Diff panel: the latest diff, kept here and sent whole whenever the page (re)loads
 * (the page keeps no data: retainContextWhenHidden is off).
 */
export class SchemaDiffPanel extends Disposable {
  static readonly viewType = 'exptrack.schemaDiff';
  private snapshot: SchemaDiffDiffMessage | undefined;
  private pageReady = false;
  private readonly closed = new vscode.EventEmitter<void>();
  /** Fires once when the panel is closed. */
  readonly onDidDispose = this.closed.event;

  static create(extensionUri: vscode.Uri, protocol: SchemaDiffProtocol, actions: SchemaDiffPanelActions, log: Log): SchemaDiffPanel {
    const panel = vscode.window.createWebviewPanel(SchemaDiffPanel.viewType, 'Schema Diff', vscode.ViewColumn.Active, {
      ...webviewOptions(extensionUri),
      retainContextWhenHidden: false,
    });
    return new SchemaDiffPanel(panel, extensionUri, protocol, actions, log);
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly protocol: SchemaDiffProtocol,
    private readonly actions: SchemaDiffPanelActions,
    private readonly log: Log,
  ) {
    super();
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'experiments.svg');
    this.register(panel.webview.onDidReceiveMessage((m) => this.onMessage(m)));
    // A hidden page is gone (no retained context); the next `ready` gets the snapshot again.
    this.register(panel.onDidChangeViewState(() => {
      if (!panel.visible) this.pageReady = false;
    }));
    this.register(panel.onDidDispose(() => this.dispose()));
    this.register({ dispose: () => panel.dispose() });
    this.register(this.closed);
    panel.webview.html = webviewHtml(panel.webview, extensionUri, 'schemaDiff', 'Schema Diff');
  }

  /** The diff last sent or waiting to be sent (for tests). */
  get current(): SchemaDiffDiffMessage | undefined {
    return this.snapshot;
  }

  showDiff(message: Omit<SchemaDiffDiffMessage, 'type'>): void {
    this.panel.title = `Schema Diff: ${message.labels.a.title} ↔ ${message.labels.b.title}`;
    this.snapshot = { type: 'diff', ...message };
    this.send();
  }

  showBusy(text: string): void {
    // Keeps the diff on screen; the page shows the text beside it.
    void this.post({ type: 'busy', text });
  }

  reveal(): void {
    this.panel.reveal(undefined, false);
  }

  private send(): void {
    if (this.snapshot) void this.post(this.snapshot);
  }

  private post(message: SchemaDiffHostMessage): Thenable<boolean> {
    if (!this.pageReady || this.isDisposed) return Promise.resolve(false);
    return this.panel.webview.postMessage(message);
  }

  private async onMessage(raw: unknown): Promise<void> {
    const parsed = this.protocol.webviewMessage.safeParse(raw);
    if (!parsed.success) {
      this.log.warn(`Schema Diff panel: ignored an invalid message (${z.prettifyError(parsed.error).replace(/\s+/g, ' ')})`);
      return;
    }
    const msg: SchemaDiffWebviewMessage = parsed.data;
    try {
      switch (msg.type) {
        case 'ready':
          this.pageReady = true;
          this.send();
          return;
        case 'export':
          return await this.actions.exportDiff(msg.format);
        case 'openSide':
          return await this.actions.openSide(msg.side);
        case 'rerun':
          return await this.actions.rerun();
        case 'error':
          this.log.error(`Schema Diff panel: ${msg.message}`);
          return;
        default: {
          const never: never = msg;
          this.log.warn(`Schema Diff panel: unhandled message ${JSON.stringify(never)}`);
        }
      }
    } catch (e) {
      this.log.error(`Schema Diff panel: ${msg.type} failed: ${(e as Error).message}`);
    }
  }

  override dispose(): void {
    if (this.isDisposed) return;
    this.closed.fire();
    super.dispose();
  }
}
