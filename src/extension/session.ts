/**
 * What ExpTrack runs for the workspace once it is used: the views' providers and every feature's
 * commands, over the workspace's folders, each of which starts its own run index when it is
 * first used (folders/folderSessions.ts). Loaded and started on first use (a view shown, a
 * command, a run recorded) or at activation when a folder already has runs; see extension.ts.
 */
import * as vscode from 'vscode';
import { Disposable } from './disposable';
import type { Log } from './log';
import { ActiveRuns } from './capture/activeRuns';
import { RunFileCommand } from './capture/runFileCommand';
import { RunStatusBar } from './capture/runStatusBar';
import { CompareFeature } from './compare/compareFeature';
import { DatasetsFeature } from './datasets/datasetsFeature';
import { FolderSession } from './folders/folderSession';
import { FolderSessions } from './folders/folderSessions';
import type { LocalFolder, LocalFolders } from './folders/localFolders';
import type { RecordingFolders } from './folders/recordingFolders';
import { WorkspaceRunSource } from './folders/workspaceRunSource';
import { MlflowSyncFeature } from './mlflow/mlflowSyncFeature';
import { ModelRegistries } from './models/modelRegistries';
import { bundledClientDir } from '../core/pythonClient/clientLocation';
import { PythonClientFeature } from './pythonClient/pythonClientFeature';
import { RunCommands } from './runs/runCommands';
import { RunsFilter } from './runs/runsFilter';
import { RunsView } from './runs/runsView';
import { RunsTableFeature } from './runsTable/runsTableFeature';
import { SchemaDiffFeature } from './schemaDiff/schemaDiffFeature';
import { rescanWithProgress } from './sources/rescanProgress';
import { ObjectiveChoices } from './sweeps/objectiveChoices';
import { SweepFeature } from './sweeps/sweepFeature';
import type { SessionViews } from './startup/deferredViews';
import type { IndexPlan } from './startup/indexStorage';

export interface SessionOptions {
  context: vscode.ExtensionContext;
  folders: LocalFolders;
  /** Where a folder's index goes (startup/indexStorage.ts). */
  plan(folder: LocalFolder): IndexPlan;
  /** Where a run of a script is recorded (its folder, asked when it could be any). */
  recording: RecordingFolders;
  views: SessionViews;
  log: Log;
}

export class ExpTrackSession extends Disposable {
  readonly folders: FolderSessions;
  readonly tree: RunsView;
  readonly runSource: WorkspaceRunSource;
  readonly models: ModelRegistries;
  readonly schemaDiff: SchemaDiffFeature;
  readonly datasets: DatasetsFeature;
  readonly runsTable: RunsTableFeature;
  readonly sweeps: SweepFeature;
  readonly pythonClient: PythonClientFeature;
  readonly runFile: RunFileCommand;
  /** Command id → handler, for the commands the extension registered at activation. */
  readonly handlers: Record<string, (...args: unknown[]) => unknown>;

  /** Sets up the views and features; a single folder's index starts at once, several folders' when each is used. */
  static async start(opts: SessionOptions): Promise<ExpTrackSession> {
    const session = new ExpTrackSession(opts);
    if (!opts.folders.multi && opts.folders.first) await session.folders.start(opts.folders.first);
    return session;
  }

  private constructor(opts: SessionOptions) {
    super();
    const { context, folders, views, log } = opts;
    let models: ModelRegistries | undefined;
    // A study's chosen objective (for studies that state none), kept per workspace.
    const choices = this.register(new ObjectiveChoices(context.workspaceState));
    let tree: RunsView | undefined;
    this.folders = this.register(new FolderSessions(folders, (folder) => FolderSession.start(folder, {
      context, log, choices,
      multi: () => folders.multi,
      plan: opts.plan,
      isChecked: (f, uid) => tree?.isChecked(f, uid) ?? false,
      runsView: () => ({ filter: tree?.filter ?? '', showHidden: tree?.showHidden ?? false }),
      modelsView: () => models!.viewFor(folder),
      documents: (f) => models!.documentsFor(f),
    }), log));
    tree = this.tree = this.register(new RunsView(this.folders));
    const treeView = views.tree('exptrack.runs', tree);
    this.explainRestrictedMode(treeView);
    this.register(tree.bindCheckboxes(treeView));
    this.runSource = this.register(new WorkspaceRunSource(this.folders));
    models = this.models = this.register(new ModelRegistries(this.folders, tree, this.runSource.onDidChange, views));
    const runsFilter = this.register(new RunsFilter(tree, treeView, context.workspaceState));
    this.runsTable = this.register(new RunsTableFeature(context.extensionUri, context.workspaceState, this.folders, tree, log));
    const compare = this.register(new CompareFeature(context.extensionUri, context.workspaceState, this.runSource, tree, log, views));
    this.sweeps = this.register(new SweepFeature(context.extensionUri, this.folders, tree, choices, log));
    this.schemaDiff = this.register(new SchemaDiffFeature(context.extensionUri, (title) => this.pickFolder(title), () => folders.first?.root, log));
    this.datasets = this.register(new DatasetsFeature(this.folders, this.schemaDiff, views));
    const active = this.register(new ActiveRuns());
    this.register(new RunStatusBar(active));
    this.pythonClient = this.register(new PythonClientFeature(context.extensionPath, String(context.extension.packageJSON.version), async (resource, title) => {
      const holding = resource && folders.holding(resource.fsPath);
      return (holding ?? (await folders.pick(title)))?.uri;
    }, log));
    const runFile = (this.runFile = this.register(new RunFileCommand((script) => this.recordingFolderFor(script, opts.recording), active, bundledClientDir(context.extensionPath), log)));
    this.handlers = {
      ...this.register(new RunCommands(tree, log)).handlers(),
      ...compare.handlers(),
      ...this.runsTable.handlers(),
      ...runsFilter.handlers(),
      ...this.sweeps.handlers(),
      ...this.models.handlers(),
      ...this.schemaDiff.handlers(),
      ...this.datasets.handlers(),
      ...this.register(new MlflowSyncFeature(context.secrets, this.folders, tree, log)).handlers(),
      ...this.pythonClient.handlers(),
      'exptrack.runFileWithTracking': (uri) => runFile.run(uri as vscode.Uri | undefined),
      'exptrack.stopRun': () => runFile.stop(),
      'exptrack.refreshRuns': () => tree.refresh(),
      'exptrack.rescanWorkspace': (node) => this.rescan(node),
    };
  }

  /** Resolves when every folder's index is open and its first scan has finished (starting them). */
  async ready(): Promise<void> {
    const sessions = await this.folders.startAll();
    await Promise.all(sessions.map((s) => s.ready.catch(() => undefined))); // logged where it failed
  }

  /** A folder's session (started), the only one's or the one picked. */
  private async pickFolder(title: string): Promise<FolderSession | undefined> {
    const folder = await this.folders.folders.pick(title);
    return folder && this.folders.start(folder);
  }

  /** A script's run goes into the folder holding it; one outside every folder, into the folder picked (several) or the only one. */
  private async recordingFolderFor(script: string, recording: RecordingFolders) {
    const folders = this.folders.folders;
    const holding = folders.holding(script);
    const folder = holding ?? (await folders.pick('Record the run in which workspace folder?'));
    return folder && recording.forPath(folder.root);
  }

  /** Reads every folder again (each with a progress notification of its own), or the folder whose node it was invoked on. */
  private async rescan(node: unknown): Promise<void> {
    const folders = this.folders.folders;
    const one = this.tree.folderOf(node);
    const sessions = one ? [await this.folders.start(one)].filter((s) => s !== undefined) : await this.folders.startAll();
    await Promise.all(sessions.map((s) => rescanWithProgress(s.index, 0, folders.multi ? s.folder.name : undefined)));
  }

  /** In Restricted Mode runs are shown but nothing runs: the Runs view says so until trust is granted. */
  private explainRestrictedMode(view: vscode.TreeView<unknown>): void {
    if (vscode.workspace.isTrusted) return;
    view.message = 'Restricted Mode: recorded runs are shown, but ExpTrack starts no scripts until this workspace is trusted.';
    this.register(vscode.workspace.onDidGrantWorkspaceTrust(() => (view.message = undefined)));
  }
}
