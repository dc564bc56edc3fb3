/**
 * What ExpTrack runs for a workspace folder once it is used: the run index (a store worker), the
 * views' providers and every feature's commands. Loaded and started on first use (a view shown, a
 * command, a run recorded) or at activation when the folder already has runs; see extension.ts.
 */
import * as vscode from 'vscode';
import { Disposable } from './disposable';
import type { Log } from './log';
import { ActiveRuns } from './capture/activeRuns';
import { RunFileCommand } from './capture/runFileCommand';
import { RunStatusBar } from './capture/runStatusBar';
import { CompareFeature } from './compare/compareFeature';
import { DatasetsFeature } from './datasets/datasetsFeature';
import { MlflowSyncFeature } from './mlflow/mlflowSyncFeature';
import { ModelsFeature } from './models/modelsFeature';
import { bundledClientDir } from '../core/pythonClient/clientLocation';
import { PythonClientFeature } from './pythonClient/pythonClientFeature';
import { RunCommands } from './runs/runCommands';
import { RunsFilter } from './runs/runsFilter';
import { RunsTreeProvider } from './runs/runsTree';
import { RunsTableFeature } from './runsTable/runsTableFeature';
import { SchemaDiffFeature } from './schemaDiff/schemaDiffFeature';
import { rescanWithProgress } from './sources/rescanProgress';
import { SourceSettingsSync } from './sources/sourceSettings';
import { ObjectiveChoices } from './sweeps/objectiveChoices';
import { SweepFeature } from './sweeps/sweepFeature';
import type { SessionViews } from './startup/deferredViews';
import type { IndexPlan } from './startup/indexStorage';
import { RunIndex } from './store/runIndex';

export interface SessionOptions {
  context: vscode.ExtensionContext;
  root: string;
  exptrackDir: string;
  index: IndexPlan;
  views: SessionViews;
  log: Log;
}

export class ExpTrackSession extends Disposable {
  readonly tree: RunsTreeProvider;
  readonly models: ModelsFeature;
  readonly schemaDiff: SchemaDiffFeature;
  readonly datasets: DatasetsFeature;
  readonly runsTable: RunsTableFeature;
  readonly sweeps: SweepFeature;
  readonly pythonClient: PythonClientFeature;
  readonly runFile: RunFileCommand;
  /** Command id → handler, for the commands the extension registered at activation. */
  readonly handlers: Record<string, (...args: unknown[]) => unknown>;
  /** Resolves when the first scan of the folder has finished. */
  readonly ready: Promise<void>;

  /** Opens the index and sets up the features; the first scan then runs on (see `ready`). */
  static async start(opts: SessionOptions): Promise<ExpTrackSession> {
    const started = Date.now();
    const index = await RunIndex.open({ workspaceRoot: opts.root, extensionPath: opts.context.extensionPath, ...opts.index, log: opts.log });
    try {
      return new ExpTrackSession(index, opts, started);
    } catch (e) {
      index.dispose();
      throw e;
    }
  }

  private constructor(readonly index: RunIndex, opts: SessionOptions, started: number) {
    super();
    const { context, root, exptrackDir, views, log } = opts;
    this.register(index);
    const choices = this.register(new ObjectiveChoices(context.workspaceState));
    const tree = (this.tree = this.register(new RunsTreeProvider(index, choices)));
    // Asked before the scan, the saved index fills the tree at once; the scan then refreshes it.
    void tree.load();
    const treeView = views.tree('exptrack.runs', tree);
    this.explainRestrictedMode(treeView);
    this.register(tree.bindCheckboxes(treeView));
    const runsFilter = this.register(new RunsFilter(tree, treeView, context.workspaceState));
    this.runsTable = this.register(new RunsTableFeature(context.extensionUri, context.workspaceState, index, tree, log));
    const compare = this.register(new CompareFeature(context.extensionUri, index, tree, log, views));
    this.sweeps = this.register(new SweepFeature(context.extensionUri, index, tree, choices, log));
    this.models = this.register(new ModelsFeature(context.extensionUri, index, log, views));
    this.schemaDiff = this.register(new SchemaDiffFeature(context.extensionUri, index, root, log));
    this.datasets = this.register(new DatasetsFeature(index, this.schemaDiff, views));
    const active = this.register(new ActiveRuns());
    this.register(new RunStatusBar(active));
    this.pythonClient = this.register(new PythonClientFeature(context.extensionPath, String(context.extension.packageJSON.version), root, log));
    const runFile = (this.runFile = this.register(new RunFileCommand(index, active, exptrackDir, bundledClientDir(context.extensionPath), log)));
    const sources = this.register(new SourceSettingsSync(index, log));
    this.handlers = {
      ...this.register(new RunCommands(index, tree, exptrackDir, log)).handlers(),
      ...compare.handlers(),
      ...this.runsTable.handlers(),
      ...runsFilter.handlers(),
      ...this.sweeps.handlers(),
      ...this.models.handlers(),
      ...this.schemaDiff.handlers(),
      ...this.datasets.handlers(),
      ...this.register(new MlflowSyncFeature(context.secrets, index, tree, log)).handlers(),
      ...this.pythonClient.handlers(),
      'exptrack.runFileWithTracking': (uri) => runFile.run(uri as vscode.Uri | undefined),
      'exptrack.stopRun': () => runFile.stop(),
      'exptrack.refreshRuns': () => tree.refresh(),
      'exptrack.rescanWorkspace': () => rescanWithProgress(index, 0),
    };
    this.ready = (async () => {
      await sources.apply();
      await rescanWithProgress(index, 1000);
      await tree.refreshIfChanged(); // a view may have loaded the runs before the scan finished
      await vscode.commands.executeCommand('setContext', 'exptrack.ready', true);
      log.info(`ready: ${tree.currentRuns.length} runs indexed in ${Date.now() - started} ms${vscode.workspace.isTrusted ? '' : ' (untrusted workspace: capture is off)'}`);
    })();
  }

  /** In Restricted Mode runs are shown but nothing runs: the Runs view says so until trust is granted. */
  private explainRestrictedMode(view: vscode.TreeView<unknown>): void {
    if (vscode.workspace.isTrusted) return;
    view.message = 'Restricted Mode: recorded runs are shown, but ExpTrack starts no scripts until this workspace is trusted.';
    this.register(vscode.workspace.onDidGrantWorkspaceTrust(() => (view.message = undefined)));
  }
}
