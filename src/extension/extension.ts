import * as path from 'node:path';
import * as vscode from 'vscode';
import { Disposable } from './disposable';
import { Log } from './log';
import { ActiveRuns } from './capture/activeRuns';
import { RunFileCommand } from './capture/runFileCommand';
import { RunStatusBar } from './capture/runStatusBar';
import { TrackingCodeLensProvider } from './capture/trackingCodeLens';
import { COMPARE_COMMAND_IDS, CompareFeature } from './compare/compareFeature';
import { MODEL_COMMAND_IDS, ModelsFeature } from './models/modelsFeature';
import { DATASET_COMMAND_IDS, DatasetsFeature } from './datasets/datasetsFeature';
import { MLFLOW_COMMAND_IDS, MlflowSyncFeature } from './mlflow/mlflowSyncFeature';
import { SCHEMA_DIFF_COMMAND_IDS, SchemaDiffFeature } from './schemaDiff/schemaDiffFeature';
import { NotebookRecorder } from './notebooks/notebookRecorder';
import { PYTHON_CLIENT_COMMAND_IDS, PythonClientFeature } from './pythonClient/pythonClientFeature';
import { RunCommands } from './runs/runCommands';
import { RunsTreeProvider } from './runs/runsTree';
import { rescanWithProgress } from './sources/rescanProgress';
import { RUNS_FILTER_COMMAND_IDS, RunsFilter } from './runs/runsFilter';
import { RUNS_TABLE_COMMAND_IDS, RunsTableFeature } from './runsTable/runsTableFeature';
import { SourceSettingsSync } from './sources/sourceSettings';
import { ObjectiveChoices } from './sweeps/objectiveChoices';
import { SWEEP_COMMAND_IDS, SweepFeature } from './sweeps/sweepFeature';
import { RunIndex } from './store/runIndex';
import { WatchFeature } from './watch/watchFeature';
import { bundledClientDir } from '../core/pythonClient/clientLocation';

/** What activate() returns: used by the integration tests and open to other extensions. */
export interface ExpTrackApi {
  /** Resolves when the run index is open and the first scan has finished. */
  readonly ready: Promise<void>;
  readonly runIndex: () => RunIndex | undefined;
  readonly runsTree: () => RunsTreeProvider | undefined;
  /** The Models view, the registry commands and the Lineage and Model Version panels. */
  readonly models: () => ModelsFeature | undefined;
  /** Schema diffs: the command, the Schema Diff panel, the findings in Problems. */
  readonly schemaDiff: () => SchemaDiffFeature | undefined;
  /** The Datasets view. */
  readonly datasets: () => DatasetsFeature | undefined;
  /** Records notebooks executed in VS Code as runs. */
  readonly notebooks: () => NotebookRecorder | undefined;
  /** Install Python Client, and its offer for notebooks whose kernel lacks the client. */
  readonly pythonClient: () => PythonClientFeature | undefined;
  /** The Runs table panel. */
  readonly runsTable: () => RunsTableFeature | undefined;
  /** The Sweep panel. */
  readonly sweeps: () => SweepFeature | undefined;
  runFileWithTracking(uri: vscode.Uri): Promise<string | undefined>;
}

type Handlers = Record<string, (...args: unknown[]) => unknown>;

/** Every command of package.json; registered at once so they work while the index still opens. */
const COMMAND_IDS = [
  'exptrack.runFileWithTracking', 'exptrack.stopRun', 'exptrack.refreshRuns', 'exptrack.rescanWorkspace', 'exptrack.renameRun',
  'exptrack.addNote', 'exptrack.addTag', 'exptrack.deleteRun', 'exptrack.showDeletedRuns', 'exptrack.openRunOutput',
  'exptrack.openCodePatch', 'exptrack.revealRunSource', 'exptrack.copyRunId',
  ...COMPARE_COMMAND_IDS,
  ...MODEL_COMMAND_IDS,
  ...SCHEMA_DIFF_COMMAND_IDS,
  ...DATASET_COMMAND_IDS,
  ...MLFLOW_COMMAND_IDS,
  ...PYTHON_CLIENT_COMMAND_IDS,
  ...RUNS_TABLE_COMMAND_IDS,
  ...RUNS_FILTER_COMMAND_IDS,
  ...SWEEP_COMMAND_IDS,
];

/** The one root object in context.subscriptions; everything else hangs off it. */
class ExpTrackExtension extends Disposable {
  readonly log = this.register(new Log());
  index: RunIndex | undefined;
  tree: RunsTreeProvider | undefined;
  models: ModelsFeature | undefined;
  schemaDiff: SchemaDiffFeature | undefined;
  datasets: DatasetsFeature | undefined;
  notebooks: NotebookRecorder | undefined;
  pythonClient: PythonClientFeature | undefined;
  runsTable: RunsTableFeature | undefined;
  sweeps: SweepFeature | undefined;
  runFile: RunFileCommand | undefined;
  private handlers: Handlers = {};
  readonly ready: Promise<void>;

  constructor(private readonly context: vscode.ExtensionContext) {
    super();
    this.register(vscode.commands.registerCommand('exptrack.showOutput', () => this.log.channel.show()));
    for (const id of COMMAND_IDS) {
      this.register(vscode.commands.registerCommand(id, async (...args: unknown[]) => {
        await this.ready.catch(() => undefined);
        const handler = this.handlers[id];
        if (handler) return handler(...args);
        void vscode.window.showInformationMessage('ExpTrack needs a folder open in the workspace.');
        return undefined;
      }));
    }
    this.ready = this.start();
  }

  private async start(): Promise<void> {
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (!folder || folder.uri.scheme !== 'file') {
      this.log.info('no local workspace folder is open: ExpTrack waits for one');
      return;
    }
    const root = folder.uri.fsPath;
    const exptrackDir = path.join(root, '.exptrack');
    const configuredDb = vscode.workspace.getConfiguration('exptrack').get<string>('databasePath', '');
    const started = Date.now();
    const index = (this.index = this.register(await RunIndex.open({
      workspaceRoot: root,
      extensionPath: this.context.extensionPath,
      dbPath: configuredDb ? path.resolve(root, configuredDb) : undefined,
      log: this.log,
    })));
    if (this.isDisposed) return;

    const choices = this.register(new ObjectiveChoices(this.context.workspaceState));
    const tree = (this.tree = this.register(new RunsTreeProvider(index, choices)));
    // Asked before the scan, the saved index fills the tree at once; the scan then refreshes it.
    void tree.load();
    const treeView = this.register(vscode.window.createTreeView('exptrack.runs', { treeDataProvider: tree, showCollapseAll: true, manageCheckboxStateManually: true }));
    this.explainRestrictedMode(treeView);
    this.register(tree.bindCheckboxes(treeView));
    const runsFilter = this.register(new RunsFilter(tree, treeView, this.context.workspaceState));
    const runsTable = (this.runsTable = this.register(new RunsTableFeature(this.context.extensionUri, this.context.workspaceState, index, tree, this.log)));
    const compare = this.register(new CompareFeature(this.context.extensionUri, index, tree, this.log));
    const sweeps = (this.sweeps = this.register(new SweepFeature(this.context.extensionUri, index, tree, choices, this.log)));
    const models = (this.models = this.register(new ModelsFeature(this.context.extensionUri, index, this.log)));
    const schemaDiff = (this.schemaDiff = this.register(new SchemaDiffFeature(this.context.extensionUri, index, root, this.log)));
    const datasets = (this.datasets = this.register(new DatasetsFeature(index, schemaDiff)));
    const active = this.register(new ActiveRuns());
    this.register(new RunStatusBar(active));
    const clientDir = bundledClientDir(this.context.extensionPath);
    const pythonClient = (this.pythonClient = this.register(new PythonClientFeature(
      this.context.extensionPath, String(this.context.extension.packageJSON.version), root, this.log)));
    const runFile = (this.runFile = this.register(new RunFileCommand(index, active, exptrackDir, clientDir, this.log)));
    this.register(vscode.languages.registerCodeLensProvider({ language: 'python', scheme: 'file' }, new TrackingCodeLensProvider()));
    this.register(new WatchFeature(this.context, exptrackDir, clientDir, index, this.log));
    this.notebooks = this.register(new NotebookRecorder(index, exptrackDir, this.log, (notebook) => void pythonClient.offerForNotebook(notebook)));
    await this.register(new SourceSettingsSync(index, this.log)).apply();

    this.handlers = {
      ...this.register(new RunCommands(index, tree, exptrackDir, this.log)).handlers(),
      ...compare.handlers(),
      ...runsTable.handlers(),
      ...runsFilter.handlers(),
      ...sweeps.handlers(),
      ...models.handlers(),
      ...schemaDiff.handlers(),
      ...datasets.handlers(),
      ...this.register(new MlflowSyncFeature(this.context.secrets, index, tree, this.log)).handlers(),
      ...pythonClient.handlers(),
      'exptrack.runFileWithTracking': (uri) => runFile.run(uri as vscode.Uri | undefined),
      'exptrack.stopRun': () => runFile.stop(),
      'exptrack.refreshRuns': () => tree.refresh(),
      'exptrack.rescanWorkspace': () => rescanWithProgress(index, 0),
    };

    await rescanWithProgress(index, 1000);
    await tree.refreshIfChanged(); // a view may have loaded the runs before the scan finished
    const runs = tree.currentRuns;
    await vscode.commands.executeCommand('setContext', 'exptrack.ready', true);
    this.log.info(`ready: ${runs.length} runs indexed in ${Date.now() - started} ms${vscode.workspace.isTrusted ? '' : ' (untrusted workspace: capture is off)'}`);
  }

  /** In Restricted Mode runs are shown but nothing runs: the Runs view says so until trust is granted. */
  private explainRestrictedMode(view: vscode.TreeView<unknown>): void {
    if (vscode.workspace.isTrusted) return;
    view.message = 'Restricted Mode: recorded runs are shown, but ExpTrack starts no scripts until this workspace is trusted.';
    this.register(vscode.workspace.onDidGrantWorkspaceTrust(() => (view.message = undefined)));
  }

  async runFileWithTracking(uri: vscode.Uri): Promise<string | undefined> {
    await this.ready;
    return this.runFile?.run(uri);
  }
}

export function activate(context: vscode.ExtensionContext): ExpTrackApi {
  const ext = new ExpTrackExtension(context);
  context.subscriptions.push(ext);
  const ready = ext.ready.catch((e: unknown) => {
    const msg = `ExpTrack could not start: ${(e as Error).message}`;
    ext.log.error(msg);
    void vscode.window.showErrorMessage(msg);
  });
  return {
    ready,
    runIndex: () => ext.index,
    runsTree: () => ext.tree,
    models: () => ext.models,
    schemaDiff: () => ext.schemaDiff,
    datasets: () => ext.datasets,
    notebooks: () => ext.notebooks,
    pythonClient: () => ext.pythonClient,
    runsTable: () => ext.runsTable,
    sweeps: () => ext.sweeps,
    runFileWithTracking: (uri) => ext.runFileWithTracking(uri),
  };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
