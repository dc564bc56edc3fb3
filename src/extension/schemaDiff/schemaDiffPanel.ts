import * as vscode from 'vscode';
import type { SchemaDiffDiffMessage, SchemaDiffHostMessage, SchemaDiffProtocol, SchemaDiffWebviewMessage } from '../../shared/protocol/schemaDiff';
import type { Log } from '../log';
import { webviewPanelOptions } from '../webview/webviewHtml';
import { WebviewPanelHost } from '../webview/webviewPanelHost';

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
export class SchemaDiffPanel extends WebviewPanelHost<SchemaDiffWebviewMessage> {
  static readonly viewType = 'exptrack.schemaDiff';
  private snapshot: SchemaDiffDiffMessage | undefined;

  static create(extensionUri: vscode.Uri, protocol: SchemaDiffProtocol, actions: SchemaDiffPanelActions, log: Log): SchemaDiffPanel {
    const panel = vscode.window.createWebviewPanel(SchemaDiffPanel.viewType, 'Schema Diff', vscode.ViewColumn.Active, webviewPanelOptions(extensionUri));
    return new SchemaDiffPanel(panel, extensionUri, protocol, actions, log);
  }

  private constructor(
    panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    protocol: SchemaDiffProtocol,
    private readonly actions: SchemaDiffPanelActions,
    log: Log,
  ) {
    super(panel, extensionUri, { bundle: 'schemaDiff', title: 'Schema Diff', logName: 'Schema Diff panel' }, protocol.webviewMessage, log);
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

  protected async onMessage(msg: SchemaDiffWebviewMessage): Promise<void> {
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
      default:
        this.unhandled(msg);
    }
  }
}
