import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { resolveInsideWorkspace } from '../../core/workspacePaths';
import type { LineageFocus, ModelVersion } from '../../shared/modelTypes';
import { Disposable } from '../disposable';
import { LineagePanel, LineagePanels } from '../lineage/lineagePanel';
import type { Log } from '../log';
import { ModelVersionPanel, ModelVersionPanels } from '../modelVersion/modelVersionPanel';
import type { SessionViews } from '../startup/deferredViews';
import type { RunIndex } from '../store/runIndex';
import { gateSettingsFromConfig } from './gateConfig';
import { pickModel, pickVersion } from './modelPicks';
import { ModelsTreeProvider, type ModelsTreeNode } from './modelsTree';
import { PromoteFlow } from './promoteFlow';
import { RegisterFlow, type RegisterStart } from './registerFlow';
import { RegistryDocuments } from './registryDocuments';
import { RegistryWriter } from './registryWriter';

/** The command ids of this feature (declared in package.json). */
export const MODEL_COMMAND_IDS = [
  'exptrack.registerModelVersion', 'exptrack.promoteModelVersion', 'exptrack.showModelHistory', 'exptrack.showModelLineage',
  'exptrack.compareWithChampion', 'exptrack.revealModelArtifact', 'exptrack.refreshModels',
] as const;

/**
 * The model registry in the editor: the Models view, registering and promoting versions (with the
 * champion–challenger gate), the registry history, and the Lineage and Model Version panels.
 */
export class ModelsFeature extends Disposable {
  readonly tree: ModelsTreeProvider;
  readonly view: vscode.TreeView<ModelsTreeNode>;
  readonly documents: RegistryDocuments;
  readonly lineage: LineagePanels;
  readonly modelVersion: ModelVersionPanels;
  readonly registerFlow: RegisterFlow;
  readonly promoteFlow: PromoteFlow;

  constructor(extensionUri: vscode.Uri, private readonly index: RunIndex, private readonly log: Log, views: SessionViews) {
    super();
    this.tree = this.register(new ModelsTreeProvider(index, () => gateSettingsFromConfig()?.metric ?? null));
    this.view = views.tree('exptrack.models', this.tree);
    this.register(vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('exptrack.gate')) this.tree.refresh();
    }));
    this.documents = this.register(new RegistryDocuments(index));
    const writer = new RegistryWriter(index, log);
    this.registerFlow = new RegisterFlow(index, this.tree, writer, log);
    // A refused promotion shows both versions side by side while it asks whether to override.
    this.promoteFlow = new PromoteFlow(this.tree, writer, (name, version, against) => this.compare(name, version, against, true), log);
    this.lineage = this.register(new LineagePanels(extensionUri, index, {
      revealRun: (uid, label) => this.revealRun(uid, label),
      revealModel: (name, version) => this.revealVersion(name, version),
      openDataset: (path) => this.openDataset(path),
    }, log));
    this.modelVersion = this.register(new ModelVersionPanels(extensionUri, index, {
      revealRun: (uid, label) => this.revealRun(uid, label),
      revealArtifact: (name, version) => this.revealArtifactOf(name, version),
      showLineage: async (name, version) => void (await this.lineage.open({ kind: 'model', name, version })),
      promote: async (name, version) => void (await this.promoteFlow.run({ name, version })),
    }, log));
    this.register(vscode.window.registerWebviewPanelSerializer(LineagePanel.viewType, { deserializeWebviewPanel: (panel, state) => this.lineage.restore(panel, state) }));
    this.register(vscode.window.registerWebviewPanelSerializer(ModelVersionPanel.viewType, { deserializeWebviewPanel: (panel, state) => this.modelVersion.restore(panel, state) }));
  }

  handlers(): Record<(typeof MODEL_COMMAND_IDS)[number], (...args: unknown[]) => unknown> {
    return {
      'exptrack.registerModelVersion': (node) => this.registerFlow.run(registerStartOf(node)),
      'exptrack.promoteModelVersion': (node) => {
        const n = asModelsNode(node);
        return this.promoteFlow.run(n?.kind === 'version' ? { name: n.version.name, version: n.version.version } : n?.kind === 'model' ? { name: n.model.name } : {});
      },
      'exptrack.showModelHistory': (node) => {
        const n = asModelsNode(node);
        return this.documents.showHistory(n?.kind === 'model' ? n.model.name : n?.kind === 'version' ? n.version.name : undefined);
      },
      'exptrack.showModelLineage': (node) => this.lineage.open(lineageFocusOf(asModelsNode(node))),
      'exptrack.compareWithChampion': async (node) => {
        const v = await this.versionOf(node, 'Compare with Champion');
        if (v) await this.compare(v.name, v.version, undefined);
      },
      'exptrack.revealModelArtifact': async (node) => {
        const v = await this.versionOf(node, 'Reveal Model Artifact');
        if (v) await this.revealArtifact(v);
      },
      'exptrack.refreshModels': () => this.tree.refresh(),
    };
  }

  private async compare(name: string, version: number, against: number | undefined, preserveFocus = false): Promise<void> {
    await this.modelVersion.open({ name, version, ...(against !== undefined && { against }) }, { preserveFocus });
  }

  /** The version a command was invoked on, or one picked. */
  private async versionOf(node: unknown, title: string): Promise<ModelVersion | undefined> {
    const n = asModelsNode(node);
    if (n?.kind === 'version') return n.version;
    const { models } = await this.tree.load();
    const model = n?.kind === 'model' ? n.model : await pickModel(models, title);
    return model ? pickVersion(model, title, gateSettingsFromConfig()?.metric ?? null) : undefined;
  }

  /** Selects a version in the Models view. */
  async revealVersion(name: string, version: number): Promise<void> {
    const node = await this.tree.versionNode(name, version);
    if (!node) {
      void vscode.window.showWarningMessage(`ExpTrack: ${name} v${version} is not in the registry.`);
      return;
    }
    await this.view.reveal(node, { select: true, focus: true, expand: true });
  }

  /** A run's details (parameters, metrics, datasets, models) in a read-only document beside the panel that asked. */
  private async revealRun(uid: string, label: string): Promise<void> {
    await this.documents.showRun(uid, label, { beside: true });
  }

  private async revealArtifactOf(name: string, version: number): Promise<void> {
    const { models } = await this.tree.load();
    const v = models.find((m) => m.name === name)?.versions.find((x) => x.version === version);
    if (v) await this.revealArtifact(v);
  }

  private async revealArtifact(v: ModelVersion): Promise<void> {
    if (!v.path) {
      void vscode.window.showInformationMessage(`ExpTrack: ${v.name} v${v.version} has no file recorded.`);
      return;
    }
    const resolved = resolveInsideWorkspace(this.index.workspaceRoot, v.path);
    if (!resolved.ok) {
      void vscode.window.showWarningMessage(`ExpTrack: ${v.name} v${v.version}'s file ${v.path} cannot be shown: ${resolved.reason}.`);
      return;
    }
    await vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(resolved.absPath));
  }

  private async openDataset(path: string): Promise<void> {
    const resolved = resolveInsideWorkspace(this.index.workspaceRoot, path);
    if (!resolved.ok) {
      void vscode.window.showWarningMessage(`ExpTrack: the dataset ${path} cannot be opened: ${resolved.reason}.`);
      return;
    }
    const uri = vscode.Uri.file(resolved.absPath);
    let isDirectory = false;
    try {
      isDirectory = (await fs.promises.stat(resolved.absPath)).isDirectory();
    } catch (e) {
      this.log.warn(`dataset ${path}: ${(e as Error).message}`);
    }
    if (isDirectory) await vscode.commands.executeCommand('revealInExplorer', uri);
    // Beside the lineage panel, which stays in view.
    else await vscode.commands.executeCommand('vscode.open', uri, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true, preview: true });
  }
}

const MODEL_NODE_KINDS = new Set(['model', 'version', 'candidates', 'candidate']);

/** Commands get the clicked tree node as their argument; anything else (palette, keybinding) is ignored. */
function asModelsNode(arg: unknown): ModelsTreeNode | undefined {
  const kind = (arg as { kind?: unknown } | undefined)?.kind;
  return typeof kind === 'string' && MODEL_NODE_KINDS.has(kind) ? (arg as ModelsTreeNode) : undefined;
}

/** A file offered in the Models view, or a run of the Runs view, starts the registration there. */
function registerStartOf(arg: unknown): RegisterStart {
  const n = asModelsNode(arg);
  if (n?.kind === 'candidate') return { runUid: n.candidate.runUid, path: n.candidate.path };
  const run = arg as { kind?: unknown; run?: { uid?: unknown } } | undefined;
  if (run?.kind === 'run' && typeof run.run?.uid === 'string') return { runUid: run.run.uid };
  return {};
}

function lineageFocusOf(n: ModelsTreeNode | undefined): LineageFocus | undefined {
  if (n?.kind === 'version') return { kind: 'model', name: n.version.name, version: n.version.version };
  if (n?.kind === 'model') return { kind: 'model', name: n.model.name };
  return undefined;
}
