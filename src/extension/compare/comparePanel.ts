import * as vscode from 'vscode';
import { firstScreenKeys, keysOfTab } from '../../shared/compare/defaultKeys';
import { normalizeSmoothing, smoothingProblem, type Smoothing } from '../../shared/compare/smoothing';
import type { CompareProtocol } from '../../shared/protocol/compare';
import { Disposable } from '../disposable';
import type { Log } from '../log';
import type { RunSource } from '../folders/workspaceRunSource';
import type { CompareActions } from './compareActions';
import { dispatchCompareMessage, type CompareMessageTarget } from './compareMessages';
import { CompareSession, type DetailRequest, type SeriesShape } from './compareSession';
import type { DerivedMetrics } from './derivedMetrics';
import type { RunColorSlots } from './runColorSlots';
import { DEFAULT_GAP_THRESHOLD } from '../../core/slices/sliceReport';
import { webviewHtml, webviewOptions, webviewPanelOptions } from '../webview/webviewHtml';

/**
 * What the panel's page will ask for first, known on the host before the page has loaded (from
 * the state a restored panel kept, else the defaults): its series are fetched meanwhile.
 */
export interface PanelIntent {
  smoothing: Smoothing;
  withTimes: boolean;
  keyFilter: string;
  collapsed: string[];
  /** Pixel columns of its charts; undefined: as wide as the last panel's. */
  buckets?: number;
}

export const DEFAULT_INTENT: PanelIntent = { smoothing: { kind: 'ema', amount: 0.6 }, withTimes: false, keyFilter: '', collapsed: [] };

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
  constructor(private readonly panel: vscode.WebviewPanel, extensionUri: vscode.Uri, private readonly deps: ComparePanelDeps, intent: PanelIntent = DEFAULT_INTENT) {
    super();
    // The page comes first: its script loads while the host fetches what it will show.
    panel.webview.options = webviewOptions(extensionUri);
    panel.webview.html = webviewHtml(panel.webview, extensionUri, 'compare', 'Compare Runs', { module: true });
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'experiments.svg');
    this.session = this.register(new CompareSession(deps.index, (m) => panel.webview.postMessage(m), deps.log, {
      label: 'Compare panel',
      shape: { buckets: intent.buckets ?? deps.chartWidth.buckets, smoothing: intent.smoothing, withTimes: intent.withTimes },
      defaultKeys: (keys, derived) => firstScreenKeys(keysOfTab(keys, 'curves'), derived, intent.keyFilter, intent.collapsed),
      colors: deps.colors,
    }));
    this.session.setDerived(deps.derived.expressions);
    this.register(deps.derived.onDidChange((expressions) => this.session.setDerived(expressions)));
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

  requestSeries(keys: string[], shape: Partial<SeriesShape>): void {
    if (shape.smoothing) {
      const problem = smoothingProblem(shape.smoothing);
      if (problem) {
        this.deps.log.warn(`Compare panel: ignored a smoothing (${problem})`);
        delete shape.smoothing;
      } else {
        shape.smoothing = normalizeSmoothing(shape.smoothing);
      }
    }
    // The next panel's charts are probably as wide: its first series are fetched for that.
    if (shape.buckets !== undefined) this.deps.chartWidth.buckets = shape.buckets;
    this.session.requestSeries(keys, shape);
  }

  requestDetail(request: DetailRequest): void {
    this.session.requestDetail(request);
  }

  setDerived(expressions: string[]): void {
    void this.deps.derived.set(expressions);
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
  index: RunSource;
  protocol: CompareProtocol;
  actions: CompareActions;
  colors: RunColorSlots;
  derived: DerivedMetrics;
  /** The pixel columns panels' charts last asked for. */
  chartWidth: { buckets: number };
  log: Log;
}
