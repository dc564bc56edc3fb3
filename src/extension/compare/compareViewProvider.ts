import * as vscode from 'vscode';
import { SPARKLINE_BUCKETS } from '../../shared/compare/chartBudget';
import { sparklineKeys } from '../../shared/compare/defaultKeys';
import { NO_SMOOTHING } from '../../shared/compare/smoothing';
import type { CompareHostMessage, CompareProtocol } from '../../shared/protocol/compare';
import { Disposable } from '../disposable';
import type { Log } from '../log';
import type { RunSource } from '../folders/workspaceRunSource';
import type { RunsView } from '../runs/runsView';
import type { CompareActions } from './compareActions';
import { dispatchCompareMessage, type CompareMessageTarget } from './compareMessages';
import { CompareSession, type SeriesShape } from './compareSession';
import type { RunColorSlots } from './runColorSlots';
import { webviewHtml, webviewOptions } from '../webview/webviewHtml';


/** How long the view waits for more ticks before it compares them. */
const TICK_DELAY_MS = 300;

/**
 * The "Compare" view in the Experiments side bar: the runs ticked in the Runs tree side by side.
 * The ticked set lives in the Runs tree; picking or removing runs here ticks them there.
 */
export class CompareViewProvider extends Disposable implements vscode.WebviewViewProvider, CompareMessageTarget {
  static readonly viewId = 'exptrack.compare' as const;
  private readonly session: CompareSession;
  private view: vscode.WebviewView | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    index: RunSource,
    private readonly tree: RunsView,
    private readonly protocol: CompareProtocol,
    private readonly actions: CompareActions,
    private readonly openPanelFor: (uids: readonly string[]) => Promise<void>,
    colors: RunColorSlots,
    private readonly log: Log,
  ) {
    super();
    const post = (m: CompareHostMessage) => this.view?.webview.postMessage(m) ?? Promise.resolve(false);
    this.session = this.register(new CompareSession(index, post, log, {
      label: 'Compare view',
      shape: { buckets: SPARKLINE_BUCKETS, smoothing: NO_SMOOTHING, withTimes: false },
      defaultKeys: (keys) => sparklineKeys(keys),
      colors,
    }));
    this.session.setRuns(tree.checkedRuns);
    // Ticks come in bursts, and a Compare panel opened for them should have the store worker first.
    let timer: NodeJS.Timeout | undefined;
    this.register(tree.onDidChangeChecked((uids) => {
      clearTimeout(timer);
      timer = setTimeout(() => this.session.setRuns(uids), TICK_DELAY_MS);
    }));
    this.register({ dispose: () => clearTimeout(timer) });
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    const subscriptions: vscode.Disposable[] = [];
    view.webview.options = webviewOptions(this.extensionUri);
    subscriptions.push(
      view.webview.onDidReceiveMessage((m) => dispatchCompareMessage(m, this.protocol, this, this.log, 'Compare view')),
      view.onDidChangeVisibility(() => {
        if (!view.visible) this.session.detach();
      }),
    );
    view.onDidDispose(() => {
      this.session.detach();
      if (this.view === view) this.view = undefined;
      for (const d of subscriptions) d.dispose();
    });
    view.webview.html = webviewHtml(view.webview, this.extensionUri, 'compareSidebar', 'Compare');
  }

  ready(): void {
    this.session.attach();
  }

  setRuns(uids: string[]): void {
    this.tree.setChecked(uids);
  }

  async pickRuns(): Promise<void> {
    const uids = await this.actions.pickRuns(this.tree.checkedRuns);
    if (uids) this.tree.setChecked(uids);
  }

  openPanel(): Promise<void> {
    return this.openPanelFor(this.tree.checkedRuns);
  }

  setAtStep(step: number | null): void {
    this.session.setAtStep(step);
  }

  requestSeries(keys: string[], shape: Partial<SeriesShape>): void {
    // Sparklines are small, unsmoothed and drawn by step.
    this.session.requestSeries(keys, { buckets: Math.min(shape.buckets ?? SPARKLINE_BUCKETS, SPARKLINE_BUCKETS) });
  }

  requestDetail(): void {
    // Sparklines do not zoom.
  }

  setDerived(): void {
    // Derived metrics are added in the Compare panel.
  }

  exportTable(format: 'csv' | 'markdown', allParams: boolean, metricKeys: string[] | undefined): Promise<void> {
    return this.actions.exportTable(this.session.current, format, allParams, metricKeys);
  }

  diffCode(uids: [string, string] | undefined): Promise<void> {
    return this.actions.diffCode(uids, this.tree.checkedRuns);
  }

  /** The side bar has no Slices tab; the panel ("Open in Editor") does. */
  requestSlices(): void {
    void this.openPanel();
  }
}
