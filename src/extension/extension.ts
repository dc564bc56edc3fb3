/**
 * Activation: only what must exist from the start — the commands, the views (waiting for their
 * providers), the CodeLens, and the watchers that record runs started in terminals, debug
 * sessions, tasks and notebooks. The run index and the features (session.ts) are loaded and
 * started when ExpTrack is first used, or at once when the folder already has runs, so opening a
 * folder with nothing to track costs little and writes nothing.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { EXPTRACK_DIR_NAME } from '../core/exptrackDir';
import { bundledClientDir } from '../core/pythonClient/clientLocation';
import { Disposable } from './disposable';
import { Log } from './log';
import { TrackingCodeLensProvider } from './capture/trackingCodeLens';
import { NotebookRecorder } from './notebooks/notebookRecorder';
import type { ExpTrackSession } from './session';
import { DeferredViews } from './startup/deferredViews';
import { hasKnownRuns, planIndex } from './startup/indexStorage';
import { loadDeferred } from './startup/loadDeferred';
import type { DatasetsFeature } from './datasets/datasetsFeature';
import type { ModelsFeature } from './models/modelsFeature';
import type { PythonClientFeature } from './pythonClient/pythonClientFeature';
import type { RunsTableFeature } from './runsTable/runsTableFeature';
import type { RunsTreeProvider } from './runs/runsTree';
import type { SchemaDiffFeature } from './schemaDiff/schemaDiffFeature';
import type { SweepFeature } from './sweeps/sweepFeature';
import type { IndexFeed, RunIndex } from './store/runIndex';
import { WatchFeature } from './watch/watchFeature';

/** What activate() returns: used by the integration tests and open to other extensions. */
export interface ExpTrackApi {
  /** Resolves when the run index is open and the first scan has finished (asking starts them). */
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

/** Commands that work without the session. */
const OWN_COMMANDS: Record<string, (ext: ExpTrackExtension) => unknown> = {
  'exptrack.showOutput': (ext) => ext.log.channel.show(),
};

/** The one root object in context.subscriptions; everything else hangs off it. */
class ExpTrackExtension extends Disposable {
  readonly log = this.register(new Log());
  notebooks: NotebookRecorder | undefined;
  /** Set once the session has started. */
  session: ExpTrackSession | undefined;
  private starting: Promise<ExpTrackSession | undefined> | undefined;
  private readonly folder: vscode.WorkspaceFolder | undefined;
  private readonly views: DeferredViews;

  constructor(private readonly context: vscode.ExtensionContext) {
    super();
    this.views = this.register(new DeferredViews(async () => (await this.start()) !== undefined));
    // Every command of package.json, registered at once; most need the session and start it.
    const contributed = (context.extension.packageJSON as { contributes?: { commands?: Array<{ command: string }> } }).contributes?.commands ?? [];
    for (const { command: id } of contributed) {
      this.register(vscode.commands.registerCommand(id, async (...args: unknown[]) => {
        const own = OWN_COMMANDS[id];
        if (own) return own(this);
        const session = await this.start();
        const handler = session?.handlers[id];
        if (handler) return handler(...args);
        if (!session) void vscode.window.showInformationMessage('ExpTrack needs a folder open in the workspace.');
        return undefined;
      }));
    }
    this.register(vscode.languages.registerCodeLensProvider({ language: 'python', scheme: 'file' }, new TrackingCodeLensProvider()));

    const folder = vscode.workspace.workspaceFolders?.[0];
    this.folder = folder?.uri.scheme === 'file' ? folder : undefined;
    if (!this.folder) {
      this.log.info('no local workspace folder is open: ExpTrack waits for one');
      return;
    }
    const root = this.folder.uri.fsPath;
    const exptrackDir = path.join(root, EXPTRACK_DIR_NAME);
    // Recording needs the index only to show the run: it starts the session when a run is written.
    const feed: IndexFeed = { workspaceRoot: root, ingestSoon: async (paths) => (await this.start())?.index.ingestSoon(paths) };
    this.register(new WatchFeature(context, exptrackDir, bundledClientDir(context.extensionPath), feed, this.log));
    this.notebooks = this.register(new NotebookRecorder(feed, exptrackDir, this.log,
      (notebook) => void this.start().then((session) => session?.pythonClient.offerForNotebook(notebook))));
    if (hasKnownRuns(root, this.indexPlan(root))) void this.start();
  }

  /** Loads and starts the session (once); undefined when no local folder is open. */
  start(): Promise<ExpTrackSession | undefined> {
    this.starting ??= this.startSession().catch((e: unknown) => {
      const msg = `ExpTrack could not start: ${(e as Error).message}`;
      this.log.error(msg);
      void vscode.window.showErrorMessage(msg);
      return undefined;
    });
    return this.starting;
  }

  /** Resolves when the first scan has finished (starting the session if needed). */
  async ready(): Promise<void> {
    await (await this.start())?.ready.catch(() => undefined); // logged where it failed
  }

  private async startSession(): Promise<ExpTrackSession | undefined> {
    if (!this.folder || this.isDisposed) return undefined;
    const root = this.folder.uri.fsPath;
    const { ExpTrackSession } = loadDeferred();
    const session = await ExpTrackSession.start({
      context: this.context, root, exptrackDir: path.join(root, EXPTRACK_DIR_NAME), index: this.indexPlan(root), views: this.views, log: this.log,
    });
    if (this.isDisposed) {
      session.dispose();
      return undefined;
    }
    this.session = this.register(session);
    session.ready.catch((e: unknown) => this.log.error(`reading the workspace failed: ${(e as Error).message}`));
    return session;
  }

  private indexPlan(root: string) {
    return planIndex(this.context, root, vscode.workspace.getConfiguration('exptrack').get<string>('databasePath', ''));
  }

  async runFileWithTracking(uri: vscode.Uri): Promise<string | undefined> {
    return (await this.start())?.runFile.run(uri);
  }
}

export function activate(context: vscode.ExtensionContext): ExpTrackApi {
  const ext = new ExpTrackExtension(context);
  context.subscriptions.push(ext);
  return {
    get ready() {
      return ext.ready();
    },
    runIndex: () => ext.session?.index,
    runsTree: () => ext.session?.tree,
    models: () => ext.session?.models,
    schemaDiff: () => ext.session?.schemaDiff,
    datasets: () => ext.session?.datasets,
    notebooks: () => ext.notebooks,
    pythonClient: () => ext.session?.pythonClient,
    runsTable: () => ext.session?.runsTable,
    sweeps: () => ext.session?.sweeps,
    runFileWithTracking: (uri) => ext.runFileWithTracking(uri),
  };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
