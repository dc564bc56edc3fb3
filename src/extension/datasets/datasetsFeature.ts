import * as vscode from 'vscode';
import { Disposable } from '../disposable';
import type { SchemaDiffFeature } from '../schemaDiff/schemaDiffFeature';
import type { SessionViews } from '../startup/deferredViews';
import type { RunIndex } from '../store/runIndex';
import { DatasetsTreeProvider, type DatasetsTreeNode } from './datasetsTree';

/** The command ids of this feature (declared in package.json). */
export const DATASET_COMMAND_IDS = ['exptrack.diffDatasetWith', 'exptrack.refreshDatasets'] as const;

/** The Datasets view and its commands; "Diff with…" hands over to the schema diff. */
export class DatasetsFeature extends Disposable {
  readonly tree: DatasetsTreeProvider;
  readonly view: vscode.TreeView<DatasetsTreeNode>;

  constructor(index: RunIndex, private readonly schemaDiff: SchemaDiffFeature, views: SessionViews) {
    super();
    this.tree = this.register(new DatasetsTreeProvider(index));
    this.view = views.tree('exptrack.datasets', this.tree);
  }

  handlers(): Record<(typeof DATASET_COMMAND_IDS)[number], (...args: unknown[]) => unknown> {
    return {
      'exptrack.diffDatasetWith': (node) => {
        const n = node as DatasetsTreeNode | undefined;
        const selected = n ?? this.view.selection[0];
        if (selected?.kind === 'version' || selected?.kind === 'use') return this.schemaDiff.diffVersionWith(selected.version);
        if (selected?.kind === 'path' && selected.versions.length > 0) return this.schemaDiff.diffVersionWith(selected.versions[selected.versions.length - 1]!);
        void vscode.window.showInformationMessage('ExpTrack: choose a dataset version in the Datasets view to diff it.');
        return undefined;
      },
      'exptrack.refreshDatasets': () => this.tree.refresh(),
    };
  }
}
