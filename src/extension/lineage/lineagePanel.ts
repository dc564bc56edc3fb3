import * as vscode from 'vscode';
import * as z from 'zod/mini';
import type { LineageFocus, LineageGraph, LineageNode } from '../../shared/modelTypes';
import { createLineageProtocol, type LineageHostMessage, type LineageProtocol, type LineageWebviewMessage } from '../../shared/protocol/lineage';
import { Disposable } from '../disposable';
import type { Log } from '../log';
import type { RunIndex } from '../store/runIndex';
import { PanelSlot } from '../webview/panelSlot';
import { webviewPanelOptions } from '../webview/webviewHtml';
import { PanelReload } from '../webview/panelReload';
import { WebviewPanelHost } from '../webview/webviewPanelHost';

/** What a click on a node does; the panel only knows the graph. */
export interface LineageActions {
  revealRun(uid: string, label: string): Promise<void>;
  revealModel(name: string, version: number): Promise<void>;
  openDataset(path: string): Promise<void>;
}

/** The Lineage panel, one at a time: opening it again refocuses the one that is open. */
export class LineagePanels extends Disposable {
  private readonly protocol = createLineageProtocol();
  private readonly slot = this.register(new PanelSlot<LineagePanel>());

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly index: RunIndex,
    private readonly actions: LineageActions,
    private readonly log: Log,
  ) {
    super();
  }

  /** Opens (or refocuses) the panel on the lineage of `focus`, or of every model version. */
  async open(focus?: LineageFocus): Promise<LineagePanel> {
    const current = this.slot.getOrCreate(() => {
      return this.create(vscode.window.createWebviewPanel(LineagePanel.viewType, 'Lineage', vscode.ViewColumn.Active, webviewPanelOptions(this.extensionUri)));
    });
    await current.show(focus);
    return current;
  }

  /** Takes back a panel VS Code kept across a reload, on the focus its page saved (null: every version); closes it if there is none. */
  async restore(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const saved = (state as { focus?: unknown } | undefined)?.focus;
    const focus = z.nullable(this.protocol.focus).safeParse(saved);
    if (saved === undefined || !focus.success) {
      panel.dispose();
      return;
    }
    const restored = this.slot.adopt(this.create(panel));
    await restored.show(focus.data ?? undefined, true);
  }

  private create(panel: vscode.WebviewPanel): LineagePanel {
    return new LineagePanel(panel, this.extensionUri, { index: this.index, protocol: this.protocol, actions: this.actions }, this.log);
  }

  get panel(): LineagePanel | undefined {
    return this.slot.panel;
  }
}

interface LineagePanelDeps {
  index: RunIndex;
  protocol: LineageProtocol;
  actions: LineageActions;
}

/**
 * The graph dataset version → run → model version → derived version. The host keeps the latest
 * graph and sends it whole whenever the page (re)loads — with retainContextWhenHidden off, a
 * hidden panel's page is discarded and says `ready` again when shown.
 */
export class LineagePanel extends WebviewPanelHost<LineageWebviewMessage> {
  static readonly viewType = 'exptrack.lineage';
  private focus: LineageFocus | undefined;
  private graph: LineageGraph | undefined;
  private selected: string | undefined;
  private readonly reload: PanelReload;

  constructor(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, private readonly deps: LineagePanelDeps, log: Log) {
    super(panel, extensionUri, { bundle: 'lineage', title: 'Lineage', logName: 'Lineage panel' }, deps.protocol.webviewMessage, log);
    this.reload = this.register(new PanelReload(() => this.load(), () => this.panel.visible,
      (e) => this.log.error(`Lineage panel: could not build the graph: ${e.message}`), 200));
    this.register(deps.index.onDidChange(() => this.reload.soon()));
  }

  /** The graph as last sent (for tests and for resolving clicked node ids). */
  get currentGraph(): LineageGraph | undefined {
    return this.graph;
  }

  async show(focus: LineageFocus | undefined, preserveFocus = false): Promise<void> {
    this.focus = focus;
    this.selected = focus ? undefined : this.selected;
    this.panel.title = focus ? `Lineage: ${focusLabel(focus)}` : 'Lineage';
    this.panel.reveal(undefined, preserveFocus);
    await this.reload.now();
  }

  /** Fetches the graph from the store worker and sends it if the page listens. */
  private async load(): Promise<void> {
    this.graph = await this.deps.index.call('lineageGraph', this.focus);
    this.send();
  }

  private send(): void {
    if (!this.pageReady || !this.graph || this.isDisposed) return;
    void this.post({ type: 'graph', graph: this.graph, focusLabel: this.focus ? focusLabel(this.focus) : null, focus: this.focus ?? null });
    const select = this.selected ?? this.graph.focus[0];
    if (select) void this.post({ type: 'select', id: select });
  }

  private post(m: LineageHostMessage): Thenable<boolean> {
    return this.panel.webview.postMessage(m);
  }

  protected async onMessage(msg: LineageWebviewMessage): Promise<void> {
    switch (msg.type) {
      case 'ready':
        this.pageReady = true;
        if (this.reload.due || !this.graph) await this.reload.now();
        else this.send();
        return;
      case 'openNode': {
        const node = this.node(msg.id);
        if (node) {
          this.selected = node.id;
          await this.open(node);
        }
        return;
      }
      case 'focusNode': {
        const node = this.node(msg.id);
        if (node) await this.show(focusOf(node));
        return;
      }
      case 'showAll':
        await this.show(undefined);
        return;
      case 'error':
        this.log.error(`Lineage panel: ${msg.message}`);
        return;
      default:
        this.unhandled(msg);
    }
  }

  /** Ids from the page are looked up in the graph the host sent: the page cannot name anything else. */
  private node(id: string): LineageNode | undefined {
    const node = this.graph?.nodes.find((n) => n.id === id);
    if (!node) this.log.warn(`Lineage panel: no node ${id} in the graph`);
    return node;
  }

  private open(node: LineageNode): Promise<void> {
    switch (node.kind) {
      case 'run':
        return this.deps.actions.revealRun(node.uid, node.label);
      case 'model':
        return this.deps.actions.revealModel(node.name, node.version);
      case 'dataset':
        return this.deps.actions.openDataset(node.path);
    }
  }
}

function focusOf(node: LineageNode): LineageFocus {
  switch (node.kind) {
    case 'run':
      return { kind: 'run', uid: node.uid };
    case 'model':
      return { kind: 'model', name: node.name, version: node.version };
    case 'dataset':
      return node.sha256 === null ? { kind: 'dataset', path: node.path } : { kind: 'dataset', path: node.path, sha256: node.sha256 };
  }
}

export function focusLabel(focus: LineageFocus): string {
  switch (focus.kind) {
    case 'run':
      return `run ${focus.uid}`;
    case 'model':
      return focus.version === undefined ? focus.name : `${focus.name} v${focus.version}`;
    case 'dataset':
      return focus.path;
  }
}
