import * as vscode from 'vscode';
import type { SweepHostMessage, SweepProtocol, SweepWebviewMessage } from '../../shared/protocol/sweep';
import { packSeries } from '../compare/packSeries';
import type { Log } from '../log';
import type { FolderTicks } from '../runs/runsView';
import type { RunIndex } from '../store/runIndex';
import { PanelReload } from '../webview/panelReload';
import { WebviewPanelHost } from '../webview/webviewPanelHost';
import type { ObjectiveChoices } from './objectiveChoices';
import { sweepView } from './sweepView';

export interface SweepPanelDeps {
  index: RunIndex;
  /** The Runs view's ticks of the study's folder. */
  tree: FolderTicks;
  choices: ObjectiveChoices;
  protocol: SweepProtocol;
  log: Log;
}

/** Points per trial curve: enough for the shape of hundreds of overlaid curves. */
const CURVE_POINTS = 300;

/**
 * The Sweep panel of one study: the store worker assembles the study and its importance
 * (src/core/sweeps), the page draws it. Live: a change to the index redraws it, debounced. Ticks
 * are the Runs view's, so trials picked here compare in the Compare panel.
 */
export class SweepPanel extends WebviewPanelHost<SweepWebviewMessage> {
  static readonly viewType = 'exptrack.sweep';
  private importanceObjective = 0;
  private readonly reload: PanelReload;
  private lastView: ReturnType<typeof sweepView> | undefined;

  constructor(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, private readonly deps: SweepPanelDeps, private studyUid: string) {
    super(panel, extensionUri, { bundle: 'sweep', title: 'Sweep', logName: 'Sweep panel' }, deps.protocol.webviewMessage, deps.log);
    this.reload = this.register(new PanelReload(() => this.sendOnce(), () => this.panel.visible && this.pageReady,
      (e) => this.log.error(`Sweep panel: could not read the study: ${e.message}`), 500));
    this.register(deps.index.onDidChange(() => this.reload.soon()));
    this.register(deps.choices.onDidChange((uid) => uid === this.studyUid && this.reload.soon(0)));
    this.register(deps.tree.onDidChangeChecked((uids) => this.post({ type: 'ticked', uids: [...uids] })));
    // A change while the panel was hidden is drawn when it is shown again.
    this.register(panel.onDidChangeViewState(() => panel.visible && this.reload.due && this.pageReady && void this.reload.now()));
  }

  get study(): string {
    return this.studyUid;
  }

  /** The study last sent (for tests). */
  get current(): ReturnType<typeof sweepView> | undefined {
    return this.lastView;
  }

  /** Shows this study (the panel is reused for another). */
  show(studyUid: string): void {
    if (studyUid !== this.studyUid) {
      this.studyUid = studyUid;
      this.importanceObjective = 0;
      this.lastView = undefined;
      this.reload.markStale();
      if (this.pageReady) void this.reload.now();
    }
    this.panel.reveal(undefined, false);
  }

  protected async onMessage(msg: SweepWebviewMessage): Promise<void> {
    switch (msg.type) {
      case 'ready':
        this.pageReady = true;
        this.post({ type: 'ticked', uids: [...this.deps.tree.checkedRuns] });
        return this.reload.now();
      case 'setObjective':
        return this.deps.choices.set(this.studyUid, msg.choice ?? undefined);
      case 'setImportanceObjective':
        this.importanceObjective = msg.objective;
        return this.reload.now();
      case 'setTicked': {
        const ticked = this.deps.tree.checkedRuns.filter((u) => u !== msg.uid);
        this.deps.tree.setChecked(msg.ticked ? [...ticked, msg.uid] : ticked);
        return;
      }
      case 'compareTicked':
        await vscode.commands.executeCommand('exptrack.compareSelectedRuns');
        return;
      case 'error':
        this.log.error(`Sweep panel: ${msg.message}`);
        return;
      default:
        this.unhandled(msg);
    }
  }

  /** Reads the study and its curves in the worker and posts them. */
  private async sendOnce(): Promise<void> {
    const uid = this.studyUid;
    const choice = this.deps.choices.get(uid);
    const detail = await this.deps.index.call('studyDetail', uid, { choice, objective: this.importanceObjective });
    if (uid !== this.studyUid) return;
    if (!detail) {
      this.post({ type: 'notice', text: 'This study is no longer in the index (its files were removed or its trials deleted).' });
      return;
    }
    this.panel.title = `Sweep: ${detail.name}`;
    this.lastView = sweepView(detail, choice);
    this.post({ type: 'study', view: this.lastView });
    if (!detail.curveKey) return;
    const series = await this.deps.index.call('metricSeries', detail.trials.map((t) => t.uid), [detail.curveKey], CURVE_POINTS, false);
    if (uid !== this.studyUid) return;
    this.post({ type: 'curves', key: detail.curveKey, curves: packSeries(series, false).map((s) => ({ uid: s.uid, steps: s.steps, values: s.values })) });
  }

  private post(message: SweepHostMessage): void {
    if (this.pageReady && !this.isDisposed) void this.panel.webview.postMessage(message);
  }
}
