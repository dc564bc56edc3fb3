/**
 * What ExpTrack runs for one workspace folder once it is used: its run index (a store worker of
 * its own, with the index where startup/indexStorage.ts decides), the providers its part of the
 * Runs, Models and Datasets views draws from, its model registry commands and its first scan.
 */
import * as vscode from 'vscode';
import { DatasetsTreeProvider } from '../datasets/datasetsTree';
import { Disposable } from '../disposable';
import type { Log } from '../log';
import type { ObjectiveChoices } from '../sweeps/objectiveChoices';
import type { FolderRegistryDocuments } from '../models/registryDocuments';
import { ModelsFeature } from '../models/modelsFeature';
import type { ModelsTreeNode } from '../models/modelsTree';
import { RunsTreeProvider } from '../runs/runsTree';
import { rescanWithProgress } from '../sources/rescanProgress';
import { SourceSettingsSync } from '../sources/sourceSettings';
import type { IndexPlan } from '../startup/indexStorage';
import { RunIndex } from '../store/runIndex';
import type { FolderTreeView } from './folderTree';
import type { LocalFolder } from './localFolders';

/** What a folder's session gets from the workspace's. */
export interface FolderServices {
  context: vscode.ExtensionContext;
  log: Log;
  /** More than one folder is open (log lines and progress then name the folder). */
  multi(): boolean;
  plan(folder: LocalFolder): IndexPlan;
  /** Whether a run of this folder is ticked for comparison. */
  isChecked(folder: LocalFolder, uid: string): boolean;
  /** The Runs view's filter and deleted-runs switch, which every folder's runs follow. */
  runsView(): { filter: string; showHidden: boolean };
  /** The Models view (shared by the folders: their models are its nodes). */
  modelsView(): FolderTreeView<ModelsTreeNode>;
  documents(folder: LocalFolder): FolderRegistryDocuments;
  /** The objectives chosen for studies that state none (shared by the folders). */
  choices: ObjectiveChoices;
}

export class FolderSession extends Disposable {
  readonly runs: RunsTreeProvider;
  readonly models: ModelsFeature;
  readonly datasets: DatasetsTreeProvider;
  /** Resolves when the first scan of the folder has finished. */
  readonly ready: Promise<void>;
  private readyNow = false;

  /** Opens the folder's index and sets up its part of the views; the first scan then runs on (see `ready`). */
  static async start(folder: LocalFolder, services: FolderServices): Promise<FolderSession> {
    const started = Date.now();
    const index = await RunIndex.open({ workspaceRoot: folder.root, extensionPath: services.context.extensionPath, ...services.plan(folder), log: services.log });
    try {
      return new FolderSession(folder, index, services, started);
    } catch (e) {
      index.dispose();
      throw e;
    }
  }

  private constructor(readonly folder: LocalFolder, readonly index: RunIndex, services: FolderServices, started: number) {
    super();
    const { context, log } = services;
    this.register(index);
    const runs = (this.runs = this.register(new RunsTreeProvider(index, (uid) => services.isChecked(folder, uid), services.choices)));
    const view = services.runsView();
    runs.setFilter(view.filter);
    runs.showHidden = view.showHidden;
    // Asked before the scan, the saved index fills the tree at once; the scan then refreshes it.
    void runs.load();
    this.models = this.register(new ModelsFeature(context.extensionUri, index, log, services.modelsView(), services.documents(folder)));
    this.datasets = this.register(new DatasetsTreeProvider(index));
    const sources = this.register(new SourceSettingsSync(index, log, folder.uri));
    const named = services.multi() ? ` in ${folder.name}` : '';
    this.ready = (async () => {
      await sources.apply();
      await rescanWithProgress(index, 1000, services.multi() ? folder.name : undefined);
      await runs.refreshIfChanged(); // a view may have loaded the runs before the scan finished
      this.readyNow = true;
      await vscode.commands.executeCommand('setContext', 'exptrack.ready', true);
      log.info(`ready${named}: ${runs.currentRuns.length} runs indexed in ${Date.now() - started} ms${vscode.workspace.isTrusted ? '' : ' (untrusted workspace: capture is off)'}`);
    })();
  }

  /** The first scan has finished. */
  get isReady(): boolean {
    return this.readyNow;
  }
}
