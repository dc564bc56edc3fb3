import * as vscode from 'vscode';
import { createSweepProtocol } from '../../shared/protocol/sweep';
import { countsText, type StudySummary } from '../../shared/sweepTypes';
import { Disposable } from '../disposable';
import type { Log } from '../log';
import { bestText } from '../../shared/sweepText';
import type { RunsTreeNode, RunsTreeProvider } from '../runs/runsTree';
import type { RunIndex } from '../store/runIndex';
import { PanelSlot } from '../webview/panelSlot';
import { webviewPanelOptions } from '../webview/webviewHtml';
import type { ObjectiveChoices } from './objectiveChoices';
import { SweepPanel } from './sweepPanel';

/** The command ids of this feature (declared in package.json). */
export const SWEEP_COMMAND_IDS = ['exptrack.openSweep'] as const;

/**
 * Sweeps: the Sweep panel of a study, opened from a study in the Runs view (its context menu) or
 * with **ExpTrack: Open Sweep**, and restored after a reload on the study it showed.
 */
export class SweepFeature extends Disposable {
  private readonly protocol = createSweepProtocol();
  private readonly slot = this.register(new PanelSlot<SweepPanel>());

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly index: RunIndex,
    private readonly tree: RunsTreeProvider,
    private readonly choices: ObjectiveChoices,
    private readonly log: Log,
  ) {
    super();
    this.register(vscode.window.registerWebviewPanelSerializer(SweepPanel.viewType, {
      deserializeWebviewPanel: async (panel, state: unknown) => {
        const uid = (state as { studyUid?: unknown } | undefined)?.studyUid;
        if (typeof uid === 'string' && uid !== '') this.slot.adopt(this.create(panel, uid));
        else panel.dispose();
      },
    }));
  }

  handlers(): Record<(typeof SWEEP_COMMAND_IDS)[number], (...args: unknown[]) => unknown> {
    return { 'exptrack.openSweep': (node) => this.openFor(node) };
  }

  /** The open panel (for tests). */
  get panel(): SweepPanel | undefined {
    return this.slot.panel;
  }

  /** Opens the study a Runs view node stands for, the study with this uid, or one picked from a list. */
  async openFor(target?: unknown): Promise<SweepPanel | undefined> {
    const node = target as RunsTreeNode | undefined;
    let uid = typeof target === 'string' ? target
      : node?.kind === 'study' ? node.placed.study.uid
        : node?.kind === 'run' ? (node.study?.study.uid ?? node.trial?.study.uid) : undefined;
    uid ??= await this.pick();
    return uid === undefined ? undefined : this.open(uid);
  }

  open(studyUid: string): SweepPanel {
    const panel = this.slot.getOrCreate(() => this.create(
      vscode.window.createWebviewPanel(SweepPanel.viewType, 'Sweep', vscode.ViewColumn.Active, webviewPanelOptions(this.extensionUri)), studyUid));
    panel.show(studyUid);
    return panel;
  }

  private async pick(): Promise<string | undefined> {
    const studies = await this.index.call('listStudies', this.choices.all());
    if (studies.length === 0) {
      void vscode.window.showInformationMessage('ExpTrack: no sweeps in this workspace yet (Optuna storages, KerasTuner projects, MLflow parent runs, Hydra multiruns, runs started with a sweep name).');
      return undefined;
    }
    type Item = vscode.QuickPickItem & { uid: string };
    const picked = await vscode.window.showQuickPick(studies.map((s): Item => ({
      label: s.name, description: `${kindText(s)} · ${countsText(s.counts)}`, detail: [bestText(s), s.path].filter(Boolean).join(' · '), uid: s.uid,
    })), { title: 'Open Sweep', placeHolder: 'Study to show', matchOnDescription: true, matchOnDetail: true });
    return picked?.uid;
  }

  private create(panel: vscode.WebviewPanel, studyUid: string): SweepPanel {
    return new SweepPanel(panel, this.extensionUri, { index: this.index, tree: this.tree, choices: this.choices, protocol: this.protocol, log: this.log }, studyUid);
  }
}

function kindText(s: StudySummary): string {
  return { optuna: 'Optuna', 'keras-tuner': 'KerasTuner', mlflow: 'MLflow', hydra: 'Hydra', sweep: 'sweep' }[s.kind] + (s.tuner ? ` ${s.tuner}` : '');
}
