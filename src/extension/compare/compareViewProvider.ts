import * as vscode from 'vscode';
import { sparklineKeys } from '../../shared/compare/defaultKeys';
import type { CompareHostMessage, CompareProtocol } from '../../shared/protocol/compare';
import { Disposable } from '../disposable';
import type { Log } from '../log';
import type { RunsTreeProvider } from '../runs/runsTree';
import type { RunIndex } from '../store/runIndex';
import type { CompareActions } from './compareActions';
import { dispatchCompareMessage, type CompareMessageTarget } from './compareMessages';
import { CompareSession } from './compareSession';
import type { RunColorSlots } from './runColorSlots';
import { webviewHtml, webviewOptions } from '../webview/webviewHtml';

/** Points per sparkline in the side bar: a small curve needs no more. */
const SPARKLINE_POINTS = 120;

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
    index: RunIndex,
    private readonly tree: RunsTreeProvider,
    private readonly protocol: CompareProtocol,
    private readonly actions: CompareActions,
    private readonly openPanelFor: (uids: readonly string[]) => Promise<void>,
    colors: RunColorSlots,
    private readonly log: Log,
  ) {
    super();
    const post = (m: CompareHostMessage) => this.view?.webview.postMessage(m) ?? Promise.resolve(false);
    this.session = this.register(new CompareSession(index, post, log, 'Compare view', SPARKLINE_POINTS, colors, sparklineKeys));
    this.session.setRuns(tree.checkedRuns);
    this.register(tree.onDidChangeChecked((uids) => this.session.setRuns(uids)));
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

  requestSeries(keys: string[], maxPoints: number | undefined): void {
    // Sparklines are drawn by step: no wall times.
    this.session.requestSeries(keys, Math.min(maxPoints ?? SPARKLINE_POINTS, SPARKLINE_POINTS), false);
  }

  exportTable(format: 'csv' | 'markdown', allParams: boolean, metricKeys: string[] | undefined): Promise<void> {
    return this.actions.exportTable(this.session.current, format, allParams, metricKeys);
  }

  diffCode(uids: [string, string] | undefined): Promise<void> {
    return this.actions.diffCode(uids, this.tree.checkedRuns);
  }
}
