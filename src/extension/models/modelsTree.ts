import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ModelRegistryOverview } from '../../core/store/storeTypes';
import { formatBytes, formatMetricValue, formatTimestamp } from '../../shared/format';
import { DEFAULT_GATED_ALIASES, type ModelVersion, type RegisteredModel, type RegistrationCandidate } from '../../shared/modelTypes';
import { IndexTreeProvider } from '../store/indexTree';
import type { RunIndex } from '../store/runIndex';
import { aliasBadges, versionSummary } from './modelText';

export type ModelsTreeNode =
  | { kind: 'model'; model: RegisteredModel }
  | { kind: 'version'; model: RegisteredModel; version: ModelVersion }
  | { kind: 'candidates'; candidates: RegistrationCandidate[] }
  | { kind: 'candidate'; candidate: RegistrationCandidate };

/**
 * The Models view: registered models → their versions (newest first) with alias badges, framework
 * and source run, and the model files runs produced that are not registered yet. Data comes from
 * the store worker; refreshes after index changes are debounced.
 */
export class ModelsTreeProvider extends IndexTreeProvider<ModelsTreeNode> {
  private loaded: Promise<void> | undefined;
  private overview: ModelRegistryOverview = { models: [], candidates: [] };
  /** Nodes of the last load, so reveal() gets the very objects the view knows. */
  private roots: ModelsTreeNode[] = [];
  private readonly versionNodes = new Map<string, ModelsTreeNode & { kind: 'version' }>();
  private readonly modelNodes = new Map<string, ModelsTreeNode & { kind: 'model' }>();

  constructor(index: RunIndex, private readonly gateMetric: () => string | null) {
    super(index);
  }

  protected forget(): void {
    this.loaded = undefined;
  }

  /** The registry as last loaded (loading it first if needed). */
  async load(): Promise<ModelRegistryOverview> {
    this.loaded ??= this.index.call('modelRegistry').then((overview) => {
      this.overview = overview;
      this.buildNodes();
    });
    await this.loaded;
    return this.overview;
  }

  /** The tree node of a version (for reveal), after loading. */
  async versionNode(name: string, version: number): Promise<ModelsTreeNode | undefined> {
    await this.load();
    return this.versionNodes.get(key(name, version));
  }

  async modelNode(name: string): Promise<ModelsTreeNode | undefined> {
    await this.load();
    return this.modelNodes.get(name);
  }

  async getChildren(node?: ModelsTreeNode): Promise<ModelsTreeNode[]> {
    if (!node) {
      await this.load();
      return this.roots;
    }
    switch (node.kind) {
      case 'model':
        return [...node.model.versions].reverse().map((v) => this.versionNodes.get(key(v.name, v.version))!).filter(Boolean);
      case 'candidates':
        return node.candidates.map((candidate) => ({ kind: 'candidate', candidate }));
      case 'version':
      case 'candidate':
        return [];
    }
  }

  getParent(node: ModelsTreeNode): ModelsTreeNode | undefined {
    if (node.kind === 'version') return this.modelNodes.get(node.model.name);
    if (node.kind === 'candidate') return this.roots.find((r) => r.kind === 'candidates');
    return undefined;
  }

  getTreeItem(node: ModelsTreeNode): vscode.TreeItem {
    switch (node.kind) {
      case 'model':
        return modelItem(node.model);
      case 'version':
        return versionItem(node.version, this.gateMetric());
      case 'candidates': {
        const item = new vscode.TreeItem('Model files to register', this.overview.models.length === 0
          ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
        item.id = 'candidates';
        item.description = String(node.candidates.length);
        item.tooltip = 'Model files that runs recorded as artifacts and that are not a model version yet';
        item.iconPath = new vscode.ThemeIcon('file-add');
        item.contextValue = 'modelCandidates';
        return item;
      }
      case 'candidate':
        return candidateItem(node.candidate);
    }
  }

  private buildNodes(): void {
    this.versionNodes.clear();
    this.modelNodes.clear();
    const models = [...this.overview.models].sort((a, b) => a.name.localeCompare(b.name));
    for (const model of models) {
      this.modelNodes.set(model.name, { kind: 'model', model });
      for (const version of model.versions) this.versionNodes.set(key(model.name, version.version), { kind: 'version', model, version });
    }
    const open = this.overview.candidates.filter((c) => c.registeredAs === null);
    this.roots = [...this.modelNodes.values(), ...(open.length > 0 ? [{ kind: 'candidates' as const, candidates: open }] : [])];
  }
}

function key(name: string, version: number): string {
  return `${name}\u0000${version}`;
}

function holdsGatedAlias(v: ModelVersion): boolean {
  return v.aliases.some((a) => DEFAULT_GATED_ALIASES.includes(a.toLowerCase()));
}

function modelItem(model: RegisteredModel): vscode.TreeItem {
  const item = new vscode.TreeItem(model.name, vscode.TreeItemCollapsibleState.Expanded);
  item.id = `model:${model.name}`;
  const n = model.versions.length;
  const aliases = model.aliases.map((a) => `@${a.alias} v${a.version}`).join(' ');
  item.description = [`${n} version${n === 1 ? '' : 's'}`, aliases].filter(Boolean).join(' · ');
  item.iconPath = new vscode.ThemeIcon('package');
  item.contextValue = 'model';
  item.accessibilityInformation = { label: `model ${model.name}, ${item.description}` };
  return item;
}

function versionItem(v: ModelVersion, gateMetric: string | null): vscode.TreeItem {
  const item = new vscode.TreeItem(`v${v.version}`, vscode.TreeItemCollapsibleState.None);
  item.id = `model:${v.name}@${v.version}`;
  item.description = versionSummary(v);
  item.iconPath = holdsGatedAlias(v) ? new vscode.ThemeIcon('star-full', new vscode.ThemeColor('charts.yellow')) : new vscode.ThemeIcon('versions');

  const tooltip = new vscode.MarkdownString(undefined, true);
  tooltip.appendText(`${v.name} v${v.version}${v.aliases.length ? `  ${aliasBadges(v.aliases)}` : ''}`);
  const lines: string[] = [];
  if (v.path) lines.push(`${v.path}${v.bytes !== null ? ` (${formatBytes(v.bytes)})` : ''}`);
  if (v.framework) lines.push(`framework: ${v.framework}`);
  if (v.runUid) lines.push(`run: ${v.runName ?? v.runUid} (${v.runUid})`);
  if (v.parent) lines.push(`${v.derivation ?? 'derived'} from ${v.parent.name} v${v.parent.version}`);
  const gateValue = gateMetric ? v.metrics.find((m) => m.key === gateMetric) : undefined;
  if (gateValue) lines.push(`${gateMetric}: ${formatMetricValue(gateValue.last)}`);
  if (v.blessed !== undefined && v.blessed !== null) lines.push(v.blessed ? 'TFMA evaluation: BLESSED' : 'TFMA evaluation: NOT_BLESSED');
  lines.push(`${originText(v)}${v.created !== null ? ` ${formatTimestamp(v.created)}` : ''}${v.createdBy ? ` by ${v.createdBy}` : ''}`);
  if (v.description) lines.push(v.description);
  for (const line of lines) {
    tooltip.appendMarkdown('\n\n');
    tooltip.appendText(line);
  }
  item.tooltip = tooltip;
  // Words of the context value drive the context menu's `when` clauses (package.json).
  item.contextValue = ['modelVersion', v.path ? 'hasPath' : '', v.runUid ? 'hasRun' : '', v.origin].filter(Boolean).join(' ');
  item.accessibilityInformation = { label: `${v.name} version ${v.version}${v.aliases.length ? `, ${v.aliases.join(', ')}` : ''}` };
  return item;
}

function originText(v: ModelVersion): string {
  switch (v.origin) {
    case 'registered':
      return 'registered';
    case 'run':
      return 'logged by its run';
    case 'external':
      return 'from the MLflow registry';
  }
}

function candidateItem(c: RegistrationCandidate): vscode.TreeItem {
  const item = new vscode.TreeItem(path.posix.basename(c.path), vscode.TreeItemCollapsibleState.None);
  item.id = `candidate:${c.runUid}:${c.path}`;
  item.description = [c.runName ?? c.runUid, c.framework].filter(Boolean).join(' · ');
  const tooltip = new vscode.MarkdownString(undefined, true);
  tooltip.appendText(c.path);
  tooltip.appendMarkdown('\n\n');
  tooltip.appendText(`from run ${c.runName ?? c.runUid} (${c.runUid})${c.bytes !== null ? ` · ${formatBytes(c.bytes)}` : ''}`);
  item.tooltip = tooltip;
  item.iconPath = new vscode.ThemeIcon('file-binary');
  item.contextValue = 'modelCandidate';
  return item;
}
