import * as vscode from 'vscode';
import { defaultChartKeys } from '../../shared/compare/defaultKeys';
import type { CompareProtocol } from '../../shared/protocol/compare';
import { Disposable } from '../disposable';
import type { Log } from '../log';
import type { RunIndex } from '../store/runIndex';
import type { CompareActions } from './compareActions';
import { dispatchCompareMessage, type CompareMessageTarget } from './compareMessages';
import { CompareSession } from './compareSession';
import type { RunColorSlots } from './runColorSlots';
import { DEFAULT_SERIES_POINTS } from '../../core/compare/seriesQuery';
import { DEFAULT_GAP_THRESHOLD } from '../../core/slices/sliceReport';
import { webviewHtml, webviewOptions, webviewPanelOptions } from '../webview/webviewHtml';

/** The full comparison in an editor tab: overlaid curves, parallel coordinates, scatter, table. */
export class ComparePanel extends Disposable implements CompareMessageTarget {
  static readonly viewType = 'exptrack.comparePanel';
  private readonly session: CompareSession;
  private listening = false;
  private slicesShown = false;
  private pendingTab: 'slices' | 'system' | undefined;

  /** A new panel in the active editor group. */
  static create(extensionUri: vscode.Uri, deps: ComparePanelDeps): ComparePanel {
    const panel = vscode.window.createWebviewPanel(ComparePanel.viewType, 'Compare Runs', vscode.ViewColumn.Active, webviewPanelOptions(extensionUri));
    return new ComparePanel(panel, extensionUri, deps);
  }

  /** Takes over a panel VS Code restored after a reload (see the serializer in compareFeature.ts). */
  constructor(private readonly panel: vscode.WebviewPanel, extensionUri: vscode.Uri, private readonly deps: ComparePanelDeps) {
    super();
    panel.webview.options = webviewOptions(extensionUri);
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'experiments.svg');
    this.session = this.register(new CompareSession(deps.index, (m) => panel.webview.postMessage(m), deps.log, 'Compare panel', DEFAULT_SERIES_POINTS, deps.colors, defaultChartKeys));
    this.register(panel.webview.onDidReceiveMessage((m) => dispatchCompareMessage(m, deps.protocol, this, deps.log, 'Compare panel')));
    this.register(panel.onDidChangeViewState(() => {
      if (!panel.visible) {
        this.listening = false;
        this.session.detach();
      }
    }));
    this.register(vscode.workspace.onDidChangeConfiguration((e) => {
      if (this.slicesShown && e.affectsConfiguration('exptrack.slices.gapThreshold')) this.session.requestSlices(sliceGapThreshold());
    }));
    this.register(panel.onDidDispose(() => this.dispose()));
    this.register({ dispose: () => panel.dispose() });
    panel.webview.html = webviewHtml(panel.webview, extensionUri, 'compare', 'Compare Runs');
  }

  /** Shows these runs and brings the panel to the front. */
  show(uids: readonly string[]): void {
    this.setRuns([...uids]);
    this.panel.reveal(undefined, false);
  }

  ready(): void {
    this.listening = true;
    this.session.attach();
    if (this.pendingTab) void this.panel.webview.postMessage({ type: 'showTab', tab: this.pendingTab });
  }

  setRuns(uids: string[]): void {
    this.session.setRuns(uids);
    this.panel.title = uids.length === 1 ? 'Compare: 1 run' : `Compare: ${uids.length} runs`;
  }

  async pickRuns(): Promise<void> {
    const uids = await this.deps.actions.pickRuns(this.session.runs);
    if (uids) this.setRuns(uids);
  }

  async openPanel(): Promise<void> {
    this.panel.reveal(undefined, false);
  }

  setAtStep(step: number | null): void {
    this.session.setAtStep(step);
  }

  requestSeries(keys: string[], maxPoints: number | undefined, withTimes: boolean): void {
    this.session.requestSeries(keys, maxPoints ?? DEFAULT_SERIES_POINTS, withTimes);
  }

  exportTable(format: 'csv' | 'markdown', allParams: boolean, metricKeys: string[] | undefined): Promise<void> {
    return this.deps.actions.exportTable(this.session.current, format, allParams, metricKeys);
  }

  diffCode(uids: [string, string] | undefined): Promise<void> {
    return this.deps.actions.diffCode(uids, this.session.runs);
  }

  requestSlices(): void {
    this.slicesShown = true;
    this.session.requestSlices(sliceGapThreshold());
  }

  /** Brings a tab to the front once the page listens (it may still be loading). */
  showTab(tab: 'slices' | 'system'): void {
    this.pendingTab = tab;
    if (this.listening) void this.panel.webview.postMessage({ type: 'showTab', tab });
  }

  /** Fires once when the panel is closed. */
  get onDidDispose(): vscode.Event<void> {
    return this.panel.onDidDispose;
  }
}

/** `exptrack.slices.gapThreshold`: a slice whose metric is further than this from the overall value is flagged. */
function sliceGapThreshold(): number {
  const value = vscode.workspace.getConfiguration('exptrack.slices').get<number>('gapThreshold', DEFAULT_GAP_THRESHOLD);
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : DEFAULT_GAP_THRESHOLD;
}

export interface ComparePanelDeps {
  index: RunIndex;
  protocol: CompareProtocol;
  actions: CompareActions;
  colors: RunColorSlots;
  log: Log;
}
