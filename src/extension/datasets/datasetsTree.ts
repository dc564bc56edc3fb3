import * as vscode from 'vscode';
import { firstUsed, shortHash, type DatasetUse, type DatasetVersion } from '../../shared/datasetVersions';
import { formatTimestamp } from '../../shared/format';
import { formatBytes } from '../../core/datasets/profileOptions';
import { IndexTreeProvider } from '../store/indexTree';

export type DatasetsTreeNode =
  | { kind: 'path'; path: string; versions: DatasetVersion[] }
  | { kind: 'version'; version: DatasetVersion }
  | { kind: 'use'; version: DatasetVersion; use: DatasetUse };

/**
 * The Datasets view: dataset files runs read, grouped by path → the versions seen (content
 * hash, first read earliest) → the runs that read each version. Data comes from the store
 * worker; refreshes after index changes are debounced.
 */
export class DatasetsTreeProvider extends IndexTreeProvider<DatasetsTreeNode> {
  private loaded: Promise<DatasetsTreeNode[]> | undefined;

  protected forget(): void {
    this.loaded = undefined;
  }

  /** The path nodes, loading them first when needed. */
  load(): Promise<DatasetsTreeNode[]> {
    this.loaded ??= this.index.call('datasetVersions').then((versions) => {
      const byPath = new Map<string, DatasetVersion[]>();
      for (const v of versions) byPath.set(v.path, [...(byPath.get(v.path) ?? []), v]);
      return [...byPath].map(([path, list]) => ({ kind: 'path' as const, path, versions: list }));
    });
    return this.loaded;
  }

  async getChildren(node?: DatasetsTreeNode): Promise<DatasetsTreeNode[]> {
    if (!node) return this.load();
    switch (node.kind) {
      case 'path':
        return node.versions.map((version) => ({ kind: 'version' as const, version }));
      case 'version':
        return node.version.uses.map((use) => ({ kind: 'use' as const, version: node.version, use }));
      case 'use':
        return [];
    }
  }

  getTreeItem(node: DatasetsTreeNode): vscode.TreeItem {
    switch (node.kind) {
      case 'path': {
        const item = new vscode.TreeItem(node.path, vscode.TreeItemCollapsibleState.Expanded);
        const runs = new Set(node.versions.flatMap((v) => v.uses.map((u) => u.runUid))).size;
        item.description = `${plural(node.versions.length, 'version')} · ${plural(runs, 'run')}`;
        item.iconPath = new vscode.ThemeIcon('database');
        item.contextValue = 'datasetPath';
        item.id = `path:${node.path}`;
        return item;
      }
      case 'version': {
        const v = node.version;
        const item = new vscode.TreeItem(shortHash(v.sha256), vscode.TreeItemCollapsibleState.Collapsed);
        const first = firstUsed(v);
        item.description = [v.rows !== null ? `${v.rows} rows` : null, plural(v.uses.length, 'run'), first !== null ? formatTimestamp(first) : null]
          .filter(Boolean).join(' · ');
        item.tooltip = versionTooltip(v);
        item.iconPath = new vscode.ThemeIcon('versions');
        item.contextValue = 'datasetVersion';
        item.id = `version:${v.path}\u0000${v.sha256 ?? ''}`;
        return item;
      }
      case 'use': {
        const u = node.use;
        const item = new vscode.TreeItem(u.runName, vscode.TreeItemCollapsibleState.None);
        item.description = [u.role, u.experiment, u.started !== null ? formatTimestamp(u.started) : null].filter(Boolean).join(' · ');
        item.tooltip = `Run ${u.runName} (${u.runUid})${u.gitCommit ? `\ngit ${u.gitCommit.slice(0, 10)}` : ''}`;
        item.iconPath = new vscode.ThemeIcon('beaker');
        item.contextValue = 'datasetUse';
        item.id = `use:${node.version.path}\u0000${node.version.sha256 ?? ''}\u0000${u.runUid}\u0000${u.role ?? ''}`;
        return item;
      }
    }
  }
}

function versionTooltip(v: DatasetVersion): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  md.appendText(`${v.path}\n\nsha256 ${v.sha256 ?? '(not recorded)'}\n`);
  const facts = [v.rows !== null ? `${v.rows} rows` : null, v.bytes !== null ? formatBytes(v.bytes) : null].filter(Boolean);
  if (facts.length) md.appendText(`\n${facts.join(', ')}\n`);
  md.appendText(`\nRead by: ${v.uses.map((u) => u.runName).join(', ')}`);
  return md;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
