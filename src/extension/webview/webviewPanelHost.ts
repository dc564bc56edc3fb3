import * as vscode from 'vscode';
import { Disposable } from '../disposable';
import type { Log } from '../log';
import { webviewHtml, webviewOptions } from './webviewHtml';
import { preview, receiveWebviewMessage, type WebviewMessageSchema } from './webviewMessages';

/** What a panel is called: its bundle under dist/webview/, its tab title and the name its log lines start with. */
export interface WebviewPage {
  bundle: string;
  title: string;
  logName: string;
}

/**
 * The lifecycle the editor-tab panels share: the page and its icon, messages from the page
 * validated before `onMessage` sees them, `pageReady` dropped while hidden (retainContextWhenHidden
 * is off: a hidden page is discarded and says `ready` again when shown), and closing the tab and
 * disposing the owner ending each other.
 */
export abstract class WebviewPanelHost<M extends { type: string }> extends Disposable {
  protected pageReady = false;
  private readonly closed = new vscode.EventEmitter<void>();
  /** Fires once when the panel is closed. */
  readonly onDidDispose = this.closed.event;

  protected constructor(
    protected readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly page: WebviewPage,
    messages: WebviewMessageSchema<M>,
    protected readonly log: Log,
  ) {
    super();
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'experiments.svg');
    panel.webview.options = webviewOptions(extensionUri); // a panel restored after a reload comes with the options it had
    this.register(panel.webview.onDidReceiveMessage((m) => receiveWebviewMessage(m, messages, page.logName, log, (msg) => this.onMessage(msg))));
    this.register(panel.onDidChangeViewState(() => {
      if (!panel.visible) this.pageReady = false;
    }));
    this.register(panel.onDidDispose(() => this.dispose()));
    this.register({ dispose: () => panel.dispose() });
    this.register(this.closed);
    panel.webview.html = webviewHtml(panel.webview, extensionUri, page.bundle, page.title);
  }

  /** Handles one valid message; what it throws is logged. */
  protected abstract onMessage(msg: M): Promise<void>;

  /** For the `default` branch of an exhaustive switch over the message types. */
  protected unhandled(never: never): void {
    this.log.warn(`${this.page.logName}: unhandled message ${preview(never)}`);
  }

  override dispose(): void {
    if (this.isDisposed) return;
    this.closed.fire();
    super.dispose();
  }
}
