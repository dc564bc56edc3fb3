import * as vscode from 'vscode';
import { Disposable } from '../disposable';
import type { FolderSessions } from '../folders/folderSessions';
import { FolderTree, type FolderTreeNode } from '../folders/folderTree';
import type { SchemaDiffFeature } from '../schemaDiff/schemaDiffFeature';
import type { SessionViews } from '../startup/deferredViews';
import type { DatasetsTreeNode } from './datasetsTree';

/** The command ids of this feature (declared in package.json). */
export const DATASET_COMMAND_IDS = ['exptrack.diffDatasetWith', 'exptrack.refreshDatasets'] as const;

/**
 * The Datasets view (each folder's datasets; grouped by folder when there are several) and its
 * commands; "Diff with…" hands over to the schema diff, in the dataset's folder.
 */
export class DatasetsFeature extends Disposable {
  readonly tree: FolderTree<DatasetsTreeNode>;
  readonly view: vscode.TreeView<FolderTreeNode<DatasetsTreeNode>>;

  constructor(private readonly sessions: FolderSessions, private readonly schemaDiff: SchemaDiffFeature, views: SessionViews) {
    super();
    this.tree = this.register(new FolderTree<DatasetsTreeNode>(sessions, {
      provider: (session) => session.datasets,
      notice: (_folder, session) => ({ text: session ? 'No datasets recorded here yet' : 'ExpTrack could not start here (see the log)' }),
    }));
    this.view = views.tree('exptrack.datasets', this.tree);
  }

  handlers(): Record<(typeof DATASET_COMMAND_IDS)[number], (...args: unknown[]) => unknown> {
    return {
      'exptrack.diffDatasetWith': async (node) => {
        const selected = (node ?? this.view.selection[0]) as FolderTreeNode<DatasetsTreeNode> | undefined;
        const folder = this.tree.folderOf(selected) ?? this.sessions.folders.first;
        const session = folder && (await this.sessions.start(folder));
        if (session && (selected?.kind === 'version' || selected?.kind === 'use')) return this.schemaDiff.diffVersionWith(selected.version, session);
        if (session && selected?.kind === 'path' && selected.versions.length > 0) return this.schemaDiff.diffVersionWith(selected.versions[selected.versions.length - 1]!, session);
        void vscode.window.showInformationMessage('ExpTrack: choose a dataset version in the Datasets view to diff it.');
        return undefined;
      },
      'exptrack.refreshDatasets': () => this.tree.refresh(),
    };
  }
}
