import * as vscode from 'vscode';
import { createSweepProtocol } from '../../shared/protocol/sweep';
import { countsText, type StudySummary } from '../../shared/sweepTypes';
import { Disposable } from '../disposable';
import type { Log } from '../log';
import { bestText } from '../../shared/sweepText';
import type { FolderSession } from '../folders/folderSession';
import type { FolderSessions } from '../folders/folderSessions';
import type { RunsTreeNode } from '../runs/runsTree';
import type { RunsView } from '../runs/runsView';
import { PanelSlot } from '../webview/panelSlot';
import { webviewPanelOptions } from '../webview/webviewHtml';
import type { ObjectiveChoices } from './objectiveChoices';
import { SweepPanel } from './sweepPanel';

/** The command ids of this feature (declared in package.json). */
export const SWEEP_COMMAND_IDS = ['exptrack.openSweep'] as const;

/**
 * Sweeps: the Sweep panel of a study, opened from a study in the Runs view (its context menu) or
 * with **ExpTrack: Open Sweep**, and restored after a reload on the study it showed. A study
 * belongs to the workspace folder whose index read it; the panel reads that folder's index.
 */
export class SweepFeature extends Disposable {
  private readonly protocol = createSweepProtocol();
  private readonly slot = this.register(new PanelSlot<SweepPanel>());
  /** The folder of the study the panel shows. */
  private panelSession: FolderSession | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly folders: FolderSessions,
    private readonly tree: RunsView,
    private readonly choices: ObjectiveChoices,
    private readonly log: Log,
  ) {
    super();
    this.register(vscode.window.registerWebviewPanelSerializer(SweepPanel.viewType, {
      deserializeWebviewPanel: async (panel, state: unknown) => {
        const uid = (state as { studyUid?: unknown } | undefined)?.studyUid;
        const session = typeof uid === 'string' && uid !== '' ? await this.folderOf(uid) : undefined;
        if (session) this.slot.adopt(this.create(panel, session, uid as string));
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
    const uid = typeof target === 'string' ? target
      : node?.kind === 'study' ? node.placed.study.uid
        : node?.kind === 'run' ? (node.study?.study.uid ?? node.trial?.study.uid) : undefined;
    if (uid === undefined) {
      const picked = await this.pick();
      return picked && this.open(picked.session, picked.uid);
    }
    const session = this.folders.ownerOf(target) ?? (await this.folderOf(uid));
    return session && this.open(session, uid);
  }

  open(session: FolderSession, studyUid: string): SweepPanel {
    // A study of another folder reads another index: its own panel.
    if (this.panelSession !== session) this.slot.panel?.dispose();
    const panel = this.slot.getOrCreate(() => this.create(
      vscode.window.createWebviewPanel(SweepPanel.viewType, 'Sweep', vscode.ViewColumn.Active, webviewPanelOptions(this.extensionUri)), session, studyUid));
    panel.show(studyUid);
    return panel;
  }

  /** The first folder (in the workspace's order) whose index has this study. */
  private async folderOf(studyUid: string): Promise<FolderSession | undefined> {
    for (const session of await this.folders.startAll()) {
      const studies = await session.index.call('listStudies', this.choices.all());
      if (studies.some((s) => s.uid === studyUid)) return session;
    }
    return undefined;
  }

  private async pick(): Promise<{ session: FolderSession; uid: string } | undefined> {
    const sessions = await this.folders.startAll();
    const lists = await Promise.all(sessions.map(async (session) => ({ session, studies: await session.index.call('listStudies', this.choices.all()) })));
    if (lists.every((l) => l.studies.length === 0)) {
      void vscode.window.showInformationMessage('ExpTrack: no sweeps in this workspace yet (Optuna storages, KerasTuner projects, MLflow parent runs, Hydra multiruns, runs started with a sweep name).');
      return undefined;
    }
    const multi = this.folders.folders.multi;
    type Item = vscode.QuickPickItem & { session: FolderSession; uid: string };
    const items = lists.flatMap(({ session, studies }) => studies.map((s): Item => ({
      label: s.name,
      description: [kindText(s), countsText(s.counts), multi ? session.folder.name : ''].filter(Boolean).join(' · '),
      detail: [bestText(s), s.path].filter(Boolean).join(' · '),
      session, uid: s.uid,
    })));
    const picked = await vscode.window.showQuickPick(items, { title: 'Open Sweep', placeHolder: 'Study to show', matchOnDescription: true, matchOnDetail: true });
    return picked && { session: picked.session, uid: picked.uid };
  }

  private create(panel: vscode.WebviewPanel, session: FolderSession, studyUid: string): SweepPanel {
    this.panelSession = session;
    const deps = { index: session.index, tree: this.tree.ticksOf(session.folder), choices: this.choices, protocol: this.protocol, log: this.log };
    return new SweepPanel(panel, this.extensionUri, deps, studyUid);
  }
}

function kindText(s: StudySummary): string {
  return { optuna: 'Optuna', 'keras-tuner': 'KerasTuner', mlflow: 'MLflow', hydra: 'Hydra', sweep: 'sweep' }[s.kind] + (s.tuner ? ` ${s.tuner}` : '');
}
