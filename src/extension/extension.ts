/**
 * Activation: only what must exist from the start — the commands, the views (waiting for their
 * providers), the CodeLens, and the watchers that record runs started in terminals, debug
 * sessions, tasks and notebooks. The features (session.ts) are loaded when ExpTrack is first
 * used, and each workspace folder's run index when that folder is first used, or at once when
 * the folder already has runs, so opening a folder with nothing to track costs little and writes
 * nothing. Every local workspace folder has its own index, `.exptrack/` and runs.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { bundledClientDir } from '../core/pythonClient/clientLocation';
import { Disposable } from './disposable';
import { Log } from './log';
import { TrackingCodeLensProvider } from './capture/trackingCodeLens';
import type { FolderSession } from './folders/folderSession';
import type { FolderTree } from './folders/folderTree';
import { LocalFolders, type LocalFolder } from './folders/localFolders';
import type { RecordingFolder, RecordingFolders } from './folders/recordingFolders';
import type { RunSource } from './folders/workspaceRunSource';
import { NotebookRecorder } from './notebooks/notebookRecorder';
import type { ExpTrackSession } from './session';
import { DeferredViews } from './startup/deferredViews';
import { hasKnownRuns, planIndex, type IndexPlan } from './startup/indexStorage';
import { loadDeferred } from './startup/loadDeferred';
import type { DatasetsFeature } from './datasets/datasetsFeature';
import type { ModelsFeature } from './models/modelsFeature';
import type { ModelsTreeNode } from './models/modelsTree';
import type { PythonClientFeature } from './pythonClient/pythonClientFeature';
import type { RunsTableFeature } from './runsTable/runsTableFeature';
import type { RunsView } from './runs/runsView';
import type { SchemaDiffFeature } from './schemaDiff/schemaDiffFeature';
import type { SweepFeature } from './sweeps/sweepFeature';
import type { IndexFeed, RunIndex } from './store/runIndex';
import { WatchFeature } from './watch/watchFeature';

/** What activate() returns: used by the integration tests and open to other extensions. */
export interface ExpTrackApi {
  /** Resolves when every workspace folder's run index is open and its first scan has finished (asking starts them). */
  readonly ready: Promise<void>;
  /** The run index of the first workspace folder (the only one, in a single-folder workspace). */
  readonly runIndex: () => RunIndex | undefined;
  /** The run index of the workspace folder at `folder`, once that folder is started (`ready` starts every folder). */
  readonly folderIndex: (folder: vscode.Uri) => RunIndex | undefined;
  /** The Runs view over every folder: runs named by keys (`<folder>/<uid>` when several folders are open, else the uid). */
  readonly runsTree: () => RunsView | undefined;
  /** The store calls that name runs by key, answered across folders (what Compare reads). */
  readonly runSource: () => RunSource | undefined;
  /** The Models view over every folder (a node per folder when several are open). */
  readonly modelsTree: () => FolderTree<ModelsTreeNode> | undefined;
  /** The first folder's models: the Models view, the registry commands and the Lineage and Model Version panels. */
  readonly models: () => ModelsFeature | undefined;
  /** Schema diffs: the command, the Schema Diff panel, the findings in Problems. */
  readonly schemaDiff: () => SchemaDiffFeature | undefined;
  /** The Datasets view. */
  readonly datasets: () => DatasetsFeature | undefined;
  /** Records notebooks executed in VS Code as runs. */
  readonly notebooks: () => NotebookRecorder | undefined;
  /** Install Python Client, and its offer for notebooks whose kernel lacks the client. */
  readonly pythonClient: () => PythonClientFeature | undefined;
  /** The Runs table panels. */
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
  readonly folders = this.register(new LocalFolders());
  notebooks: NotebookRecorder | undefined;
  /** Set once the session has started. */
  session: ExpTrackSession | undefined;
  private starting: Promise<ExpTrackSession | undefined> | undefined;
  private readonly views: DeferredViews;
  private readonly recording: RecordingFolders;

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

    // Recording needs an index only to show the run: a run written into a folder starts that folder.
    this.recording = this.recordingFolders();
    this.register(new WatchFeature(context, this.recording, bundledClientDir(context.extensionPath), this.log));
    this.notebooks = this.register(new NotebookRecorder(this.recording, this.log,
      (notebook) => void this.start().then((session) => session?.pythonClient.offerForNotebook(notebook))));
    if (!this.folders.first) this.log.info('no local workspace folder is open: ExpTrack waits for one');
    this.startFoldersWithRuns(this.folders.all);
    this.register(this.folders.onDidChange(({ added }) => this.startFoldersWithRuns(added)));
  }

  /** Loads and starts the session (once); undefined while no local folder is open. */
  start(): Promise<ExpTrackSession | undefined> {
    if (!this.folders.first) return Promise.resolve(undefined);
    this.starting ??= this.startSession().catch((e: unknown) => {
      const msg = `ExpTrack could not start: ${(e as Error).message}`;
      this.log.error(msg);
      void vscode.window.showErrorMessage(msg);
      return undefined;
    });
    return this.starting;
  }

  /** Starts a folder's index (and the session, if needed). */
  async startFolder(folder: LocalFolder): Promise<FolderSession | undefined> {
    return (await this.start())?.folders.start(folder);
  }

  /** Resolves when every folder's first scan has finished (starting the session and the folders if needed). */
  async ready(): Promise<void> {
    await (await this.start())?.ready();
  }

  private async startSession(): Promise<ExpTrackSession | undefined> {
    if (this.isDisposed) return undefined;
    const { ExpTrackSession } = loadDeferred();
    const session = await ExpTrackSession.start({
      context: this.context, folders: this.folders, plan: (folder) => this.indexPlan(folder), recording: this.recording, views: this.views, log: this.log,
    });
    if (this.isDisposed) {
      session.dispose();
      return undefined;
    }
    this.session = this.register(session);
    return session;
  }

  /** Folders that have runs to show start with the extension (or when they are added); the others wait until used. */
  private startFoldersWithRuns(folders: readonly LocalFolder[]): void {
    for (const folder of folders) {
      if (hasKnownRuns(folder.root, this.indexPlan(folder, false))) void this.startFolder(folder);
    }
  }

  /**
   * Where a folder's index goes. A configured `exptrack.databasePath` that names the same file
   * for two folders of a multi-root workspace is used by the first of them only: two indexes
   * must never share a file.
   */
  private indexPlan(folder: LocalFolder, warn = true): IndexPlan {
    const configured = (f: LocalFolder) => vscode.workspace.getConfiguration('exptrack', f.uri).get<string>('databasePath', '');
    const plan = planIndex(this.context, folder.root, configured(folder));
    if (!plan.dbPath) return plan;
    const earlier = this.folders.all.slice(0, this.folders.all.indexOf(folder))
      .find((f) => planIndex(this.context, f.root, configured(f)).dbPath === plan.dbPath);
    if (!earlier) return plan;
    if (warn) this.log.warn(`exptrack.databasePath names ${plan.dbPath} for both ${earlier.name} and ${folder.name}: ${folder.name} keeps its index in its own place`);
    return planIndex(this.context, folder.root, '');
  }

  /** Runs recorded for a file go into the folder holding it (the first folder for a file outside them all). */
  private recordingFolders(): RecordingFolders {
    const feeds = new Map<LocalFolder, RecordingFolder>();
    const feed = (folder: LocalFolder): RecordingFolder => {
      let found = feeds.get(folder);
      if (!found) {
        found = {
          folder, workspaceRoot: folder.root, exptrackDir: folder.exptrackDir,
          ingestSoon: async (paths) => (await this.startFolder(folder))?.index.ingestSoon(paths),
        };
        feeds.set(folder, found);
      }
      return found;
    };
    const folders = this.folders;
    return {
      forPath: (absPath) => {
        const folder = (absPath !== undefined ? folders.holding(absPath) : undefined) ?? folders.first;
        return folder && feed(folder);
      },
      get all() {
        return folders.all.map(feed);
      },
      onDidChange: folders.onDidChange,
    };
  }

  async runFileWithTracking(uri: vscode.Uri): Promise<string | undefined> {
    return (await this.start())?.runFile.run(uri);
  }
}

export function activate(context: vscode.ExtensionContext): ExpTrackApi {
  const ext = new ExpTrackExtension(context);
  context.subscriptions.push(ext);
  const first = () => ext.folders.first && ext.session?.folders.get(ext.folders.first);
  return {
    get ready() {
      return ext.ready();
    },
    runIndex: () => first()?.index,
    folderIndex: (uri) => {
      const folder = ext.folders.all.find((f) => f.uri.toString() === uri.toString()) ?? ext.folders.holding(uri.fsPath);
      return folder && ext.session?.folders.get(folder)?.index;
    },
    runsTree: () => ext.session?.tree,
    runSource: () => ext.session?.runSource,
    modelsTree: () => ext.session?.models.tree,
    models: () => first()?.models,
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
