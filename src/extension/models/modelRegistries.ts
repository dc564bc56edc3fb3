/**
 * The model registries of the workspace's folders (each folder's `.exptrack/registry.jsonl`): the
 * Models view over them (grouped by folder when there are several), the registry documents, the
 * Lineage and Model Version panels restored after a reload, and the commands, each run by the
 * registry of the folder it was invoked in, or the folder the user picks.
 */
import * as vscode from 'vscode';
import { Disposable } from '../disposable';
import type { FolderSession } from '../folders/folderSession';
import type { FolderSessions } from '../folders/folderSessions';
import { FolderTree, type FolderTreeNode, type FolderTreeView } from '../folders/folderTree';
import type { LocalFolder } from '../folders/localFolders';
import { LineagePanel } from '../lineage/lineagePanel';
import { ModelVersionPanel } from '../modelVersion/modelVersionPanel';
import type { RunsView } from '../runs/runsView';
import type { SessionViews } from '../startup/deferredViews';
import { MODEL_COMMAND_IDS } from './modelsFeature';
import type { ModelsTreeNode } from './modelsTree';
import { RegistryDocuments, type FolderRegistryDocuments } from './registryDocuments';

/** What each command is called when it asks for a folder. */
const TITLES: Record<(typeof MODEL_COMMAND_IDS)[number], string> = {
  'exptrack.registerModelVersion': 'Register Model Version',
  'exptrack.promoteModelVersion': 'Promote Model Version',
  'exptrack.showModelHistory': 'Show Model History',
  'exptrack.showModelLineage': 'Show Model Lineage',
  'exptrack.compareWithChampion': 'Compare with Champion',
  'exptrack.revealModelArtifact': 'Reveal Model Artifact',
  'exptrack.refreshModels': 'Refresh Models',
};

export class ModelRegistries extends Disposable {
  readonly tree: FolderTree<ModelsTreeNode>;
  readonly view: vscode.TreeView<FolderTreeNode<ModelsTreeNode>>;
  readonly documents: RegistryDocuments;

  constructor(private readonly sessions: FolderSessions, private readonly runs: RunsView, changes: vscode.Event<unknown>, views: SessionViews) {
    super();
    this.tree = this.register(new FolderTree<ModelsTreeNode>(sessions, {
      provider: (session) => session.models.tree,
      notice: (_folder, session) => ({ text: session ? 'No model versions yet' : 'ExpTrack could not start here (see the log)' }),
    }));
    this.view = views.tree('exptrack.models', this.tree);
    this.documents = this.register(new RegistryDocuments({
      indexOf: async (folderId) => {
        const folder = folderId === undefined ? sessions.folders.first : sessions.folders.byId(folderId);
        return folder && (await sessions.start(folder))?.index;
      },
      onDidChange: changes,
    }));
    this.register(vscode.window.registerWebviewPanelSerializer(LineagePanel.viewType, {
      deserializeWebviewPanel: async (panel, state) => {
        const focus = (state as { focus?: { kind?: unknown; name?: unknown } | null } | undefined)?.focus;
        const session = await this.folderOfModel(focus?.kind === 'model' ? focus.name : undefined);
        if (session) await session.models.lineage.restore(panel, state);
        else panel.dispose();
      },
    }));
    this.register(vscode.window.registerWebviewPanelSerializer(ModelVersionPanel.viewType, {
      deserializeWebviewPanel: async (panel, state) => {
        const session = await this.folderOfModel((state as { subject?: { name?: unknown } } | undefined)?.subject?.name);
        if (session) await session.models.modelVersion.restore(panel, state);
        else panel.dispose();
      },
    }));
  }

  /** The Models view as the features of one folder see it. */
  viewFor(folder: LocalFolder): FolderTreeView<ModelsTreeNode> {
    return this.tree.viewFor(folder, this.view);
  }

  documentsFor(folder: LocalFolder): FolderRegistryDocuments {
    return this.documents.forFolder(folder.id);
  }

  /**
   * Each command works in the folder of the node it was invoked on (in the Models view, or a run
   * of the Runs view), else in the only folder, else in the one the user picks.
   */
  handlers(): Record<(typeof MODEL_COMMAND_IDS)[number], (...args: unknown[]) => unknown> {
    const inFolder = (id: (typeof MODEL_COMMAND_IDS)[number]) => async (node?: unknown, ...rest: unknown[]) => {
      // A run of the Runs view (Register Model Version) is handed over as its folder knows it.
      const run = this.tree.folderOf(node) ? undefined : await this.runs.locate(node);
      const folder = this.tree.folderOf(node) ?? run?.session.folder ?? (await this.sessions.folders.pick(TITLES[id]));
      const session = folder && (await this.sessions.start(folder));
      return session?.models.handlers()[id](run ? { kind: 'run', run: run.run } : node, ...rest);
    };
    return {
      'exptrack.registerModelVersion': inFolder('exptrack.registerModelVersion'),
      'exptrack.promoteModelVersion': inFolder('exptrack.promoteModelVersion'),
      'exptrack.showModelHistory': inFolder('exptrack.showModelHistory'),
      'exptrack.showModelLineage': inFolder('exptrack.showModelLineage'),
      'exptrack.compareWithChampion': inFolder('exptrack.compareWithChampion'),
      'exptrack.revealModelArtifact': inFolder('exptrack.revealModelArtifact'),
      'exptrack.refreshModels': () => this.tree.refresh(),
    };
  }

  /** A panel restored after a reload goes to the folder whose registry has its model (else the first folder). */
  private async folderOfModel(name: unknown): Promise<FolderSession | undefined> {
    const folders = this.sessions.folders;
    if (folders.multi && typeof name === 'string') {
      for (const session of await this.sessions.startAll()) {
        if ((await session.models.tree.load()).models.some((m) => m.name === name)) return session;
      }
    }
    return folders.first && this.sessions.start(folders.first);
  }
}
