import * as vscode from 'vscode';
import type { ModelVersionComparison } from '../../shared/modelComparison';
import {
  createModelVersionProtocol, type ModelVersionHostMessage, type ModelVersionProtocol, type ModelVersionWebviewMessage,
} from '../../shared/protocol/modelVersion';
import { Disposable } from '../disposable';
import type { Log } from '../log';
import { gateSettingsFromConfig } from '../models/gateConfig';
import type { RunIndex } from '../store/runIndex';
import { PanelSlot } from '../webview/panelSlot';
import { webviewPanelOptions } from '../webview/webviewHtml';
import { PanelReload } from '../webview/panelReload';
import { WebviewPanelHost } from '../webview/webviewPanelHost';

/** What the panel's buttons do; they live with the Models view's commands. */
export interface ModelVersionActions {
  revealRun(uid: string, label: string): Promise<void>;
  revealArtifact(name: string, version: number): Promise<void>;
  showLineage(name: string, version: number): Promise<void>;
  promote(name: string, version: number): Promise<void>;
}

export interface ModelVersionSubject {
  name: string;
  version: number;
  /** A version to compare with; absent: the champion. */
  against?: number;
}

/** The Model Version panel, one at a time: opening another version reuses it. */
export class ModelVersionPanels extends Disposable {
  private readonly protocol = createModelVersionProtocol();
  private readonly slot = this.register(new PanelSlot<ModelVersionPanel>());

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly index: RunIndex,
    private readonly actions: ModelVersionActions,
    private readonly log: Log,
  ) {
    super();
  }

  /** `preserveFocus`: show it without taking the focus (e.g. beside a question being asked). */
  async open(subject: ModelVersionSubject, opts: { preserveFocus?: boolean } = {}): Promise<ModelVersionPanel> {
    const preserveFocus = opts.preserveFocus ?? false;
    const current = this.slot.getOrCreate(() => {
      return this.create(vscode.window.createWebviewPanel(ModelVersionPanel.viewType, 'Model Version', { viewColumn: vscode.ViewColumn.Active, preserveFocus }, webviewPanelOptions(this.extensionUri)));
    });
    await current.show(subject, preserveFocus);
    return current;
  }

  /** Takes back a panel VS Code kept across a reload, on the subject its page saved; closes it if there is none. */
  async restore(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const subject = this.protocol.subject.safeParse((state as { subject?: unknown } | undefined)?.subject);
    if (!subject.success) {
      panel.dispose();
      return;
    }
    const restored = this.slot.adopt(this.create(panel));
    await restored.show(subject.data, true);
  }

  private create(panel: vscode.WebviewPanel): ModelVersionPanel {
    return new ModelVersionPanel(panel, this.extensionUri, { index: this.index, protocol: this.protocol, actions: this.actions }, this.log);
  }

  get panel(): ModelVersionPanel | undefined {
    return this.slot.panel;
  }
}

interface ModelVersionPanelDeps {
  index: RunIndex;
  protocol: ModelVersionProtocol;
  actions: ModelVersionActions;
}

/**
 * A model version beside the champion (or another version): metrics side by side, the parameter
 * diff of the source runs, drift between their training datasets and the gate's verdict. The
 * host keeps the latest comparison and sends it whole when the page (re)loads.
 */
export class ModelVersionPanel extends WebviewPanelHost<ModelVersionWebviewMessage> {
  static readonly viewType = 'exptrack.modelVersion';
  private subject: ModelVersionSubject | undefined;
  private comparison: ModelVersionComparison | undefined;
  private notice: string | undefined;
  private readonly reload: PanelReload;

  constructor(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, private readonly deps: ModelVersionPanelDeps, log: Log) {
    super(panel, extensionUri, { bundle: 'modelVersion', title: 'Model Version', logName: 'Model Version panel' }, deps.protocol.webviewMessage, log);
    this.reload = this.register(new PanelReload(() => this.load(), () => this.panel.visible,
      (e) => this.log.error(`Model Version panel: ${e.message}`), 300));
    this.register(deps.index.onDidChange(() => this.reload.soon()));
    this.register(vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('exptrack.gate')) this.reload.soon();
    }));
  }

  /** The comparison as last sent (for tests). */
  get currentComparison(): ModelVersionComparison | undefined {
    return this.comparison;
  }

  async show(subject: ModelVersionSubject, preserveFocus = false): Promise<void> {
    this.subject = subject;
    this.comparison = undefined;
    this.panel.title = `Model Version: ${subject.name} v${subject.version}`;
    this.panel.reveal(undefined, preserveFocus);
    await this.reload.now();
  }

  /** Compares in the store worker and sends the comparison (or why there is none). */
  private async load(): Promise<void> {
    if (!this.subject) return;
    if (!this.comparison) void this.post({ type: 'loading', text: `Comparing ${this.subject.name} v${this.subject.version}…` });
    const result = await this.deps.index.call('modelVersionComparison', { ...this.subject, gate: gateSettingsFromConfig() });
    if (result.ok) {
      this.comparison = result.comparison;
      this.notice = undefined;
      const c = result.comparison;
      this.panel.title = `Model Version: ${c.model} v${c.version.version}${c.againstLabel ? ` vs ${c.againstLabel}` : ''}`;
    } else {
      this.comparison = undefined;
      this.notice = result.error;
    }
    this.send();
  }

  private send(): void {
    if (!this.pageReady || this.isDisposed) return;
    if (this.comparison && this.subject) void this.post({ type: 'comparison', comparison: this.comparison, subject: this.subject });
    else if (this.notice) void this.post({ type: 'notice', text: this.notice });
  }

  private post(m: ModelVersionHostMessage): Thenable<boolean> {
    if (!this.pageReady) return Promise.resolve(false);
    return this.panel.webview.postMessage(m);
  }

  protected async onMessage(msg: ModelVersionWebviewMessage): Promise<void> {
    const c = this.comparison;
    switch (msg.type) {
      case 'ready':
        this.pageReady = true;
        if (this.reload.due || (!this.comparison && !this.notice)) await this.reload.now();
        else this.send();
        return;
      case 'compareWith':
        if (!this.subject) return;
        this.subject = { ...this.subject, against: msg.version };
        await this.reload.now();
        return;
      case 'openRun': {
        // Only the two runs the page shows can be opened from it.
        const side = [c?.version, c?.against].find((v) => v?.runUid === msg.uid);
        if (side) await this.deps.actions.revealRun(msg.uid, side.runName ?? msg.uid);
        else this.log.warn(`Model Version panel: run ${msg.uid} is not part of the comparison`);
        return;
      }
      case 'revealArtifact': {
        const v = msg.side === 'version' ? c?.version : c?.against;
        if (v) await this.deps.actions.revealArtifact(v.name, v.version);
        return;
      }
      case 'showLineage':
        if (c) await this.deps.actions.showLineage(c.model, c.version.version);
        return;
      case 'promote':
        if (c) await this.deps.actions.promote(c.model, c.version.version);
        return;
      case 'error':
        this.log.error(`Model Version panel: ${msg.message}`);
        return;
      default:
        this.unhandled(msg);
    }
  }
}
