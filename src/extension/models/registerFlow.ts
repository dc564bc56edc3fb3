import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RegisterOutcome } from '../../core/registry/operations';
import { formatBytes } from '../../shared/format';
import { KNOWN_DERIVATIONS, type ModelVersionRef, type RegisteredModel, type RegistrationCandidate } from '../../shared/modelTypes';
import type { RunSummary } from '../../shared/runTypes';
import type { Log } from '../log';
import type { RunIndex } from '../store/runIndex';
import { pickModelName } from './modelPicks';
import type { ModelsTreeProvider } from './modelsTree';
import type { RegistryWriter } from './registryWriter';

const TITLE = 'Register Model Version';

/** Where the command was started from: a file offered in the Models view, a run in the Runs view, or nothing. */
export interface RegisterStart {
  runUid?: string;
  path?: string;
}

type Item<T> = vscode.QuickPickItem & { value: T };

/**
 * "Register Model Version": pick a run, one of its model files (or any model file of the
 * workspace), a model name and, for a derived model, its parent version and how it was derived.
 */
export class RegisterFlow {
  constructor(
    private readonly index: RunIndex,
    private readonly tree: ModelsTreeProvider,
    private readonly writer: RegistryWriter,
    private readonly log: Log,
  ) {}

  async run(start: RegisterStart = {}): Promise<RegisterOutcome | undefined> {
    const overview = await this.tree.load();
    const runUid = start.runUid ?? (await this.pickRun(overview.candidates));
    if (!runUid) return undefined;
    const file = start.path ?? (await this.pickFile(runUid, overview.candidates));
    if (!file) return undefined;
    const name = await pickModelName(overview.models, TITLE, suggestName(file));
    if (!name) return undefined;
    const lineage = await this.pickParent(overview.models);
    if (!lineage) return undefined;

    let result: RegisterOutcome;
    try {
      result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Registering ${file}` },
        () => this.writer.register({ name, path: file, run: runUid, ...lineage.value }));
    } catch (e) {
      result = { ok: false, error: (e as Error).message };
    }
    if (!result.ok) {
      this.log.error(`register ${file} as ${name}: ${result.error}`);
      void vscode.window.showErrorMessage(`ExpTrack: could not register ${file}: ${result.error}`);
      return result;
    }
    const v = result.version;
    const facts = [v.framework, formatBytes(v.bytes)].filter(Boolean).join(', ');
    const subject = `${v.name} v${v.version} — ${v.path ?? file}${facts ? ` (${facts})` : ''}`;
    if (result.outcome === 'existing' || result.outcome === 'duplicate') {
      void vscode.window.showInformationMessage(`ExpTrack: already registered as ${subject}.`);
    } else {
      const renumbered = result.outcome === 'renumbered' ? ' (another registration took the number first)' : '';
      void vscode.window.showInformationMessage(`ExpTrack: registered ${subject}${renumbered}.`);
    }
    this.tree.refresh();
    return result;
  }

  /** Runs with model files not registered yet come first. */
  private async pickRun(candidates: readonly RegistrationCandidate[]): Promise<string | undefined> {
    const runs: RunSummary[] = await this.index.call('listRuns', {});
    if (runs.length === 0) {
      void vscode.window.showInformationMessage('ExpTrack: there are no runs to register a model from.');
      return undefined;
    }
    const open = new Map<string, number>();
    for (const c of candidates) if (c.registeredAs === null) open.set(c.runUid, (open.get(c.runUid) ?? 0) + 1);
    const items: Item<string>[] = runs.map((r) => {
      const n = open.get(r.uid) ?? 0;
      return {
        label: r.name,
        description: [n > 0 ? `${n} model file${n === 1 ? '' : 's'} to register` : null, r.experiment, r.status].filter(Boolean).join(' · '),
        detail: r.uid,
        value: r.uid,
      };
    });
    const withFiles = items.filter((i) => open.has(i.value));
    const others = items.filter((i) => !open.has(i.value));
    const sorted: (Item<string> | vscode.QuickPickItem)[] = withFiles.length && others.length
      ? [...withFiles, { label: 'other runs', kind: vscode.QuickPickItemKind.Separator }, ...others]
      : items;
    const picked = await vscode.window.showQuickPick(sorted, {
      title: `${TITLE} — run`, placeHolder: 'Which run produced the model?', matchOnDescription: true, matchOnDetail: true,
    });
    return (picked as Item<string> | undefined)?.value;
  }

  /** The run's model files, then any model file of the workspace, then any file at all. */
  private async pickFile(runUid: string, candidates: readonly RegistrationCandidate[]): Promise<string | undefined> {
    const OTHER = Symbol('other');
    const BROWSE = Symbol('browse');
    const items: Item<string | typeof OTHER | typeof BROWSE>[] = candidates.filter((c) => c.runUid === runUid).map((c) => ({
      label: path.posix.basename(c.path),
      description: [c.path, c.framework, formatBytes(c.bytes)].filter(Boolean).join(' · '),
      detail: c.registeredAs ? `already ${c.registeredAs.name} v${c.registeredAs.version}` : undefined,
      value: c.path,
    }));
    items.push(
      { label: '$(search) Other model file in the workspace…', value: OTHER, alwaysShow: true },
      { label: '$(folder-opened) Browse…', value: BROWSE, alwaysShow: true },
    );
    const picked = await vscode.window.showQuickPick(items, {
      title: `${TITLE} — model file`, placeHolder: items.length > 2 ? 'Choose the model file this run produced' : 'This run recorded no model file: find one', matchOnDescription: true,
    });
    if (!picked) return undefined;
    if (picked.value === OTHER) return this.pickWorkspaceModelFile();
    if (picked.value === BROWSE) return this.browse();
    return picked.value;
  }

  private async pickWorkspaceModelFile(): Promise<string | undefined> {
    const files = await this.index.call('modelFiles');
    if (files.length === 0) {
      void vscode.window.showInformationMessage('ExpTrack: no model files (.onnx, .pt, .h5, .keras, .joblib, .pkl, saved_model/ …) in the workspace.');
      return undefined;
    }
    const picked = await vscode.window.showQuickPick(files.map((f) => ({ label: path.posix.basename(f), description: f, value: f })), {
      title: `${TITLE} — model file in the workspace`, placeHolder: 'Choose a model file or saved_model folder', matchOnDescription: true,
    });
    return picked?.value;
  }

  private async browse(): Promise<string | undefined> {
    const picked = await vscode.window.showOpenDialog({
      title: `${TITLE} — model file or saved_model folder`, canSelectFiles: true, canSelectFolders: true, canSelectMany: false,
      defaultUri: vscode.Uri.file(this.index.workspaceRoot),
    });
    return picked?.[0]?.fsPath;
  }

  /** Parent version and derivation, for a model made from another one (quantized, distilled…). */
  private async pickParent(models: readonly RegisteredModel[]): Promise<{ value: { parent?: ModelVersionRef; derivation?: string } } | undefined> {
    if (models.length === 0) return { value: {} };
    const NONE = Symbol('none');
    const items: Item<ModelVersionRef | typeof NONE>[] = [{ label: 'Not derived from another version', value: NONE }];
    for (const m of [...models].sort((a, b) => a.name.localeCompare(b.name))) {
      for (const v of [...m.versions].reverse()) {
        items.push({ label: `${m.name} v${v.version}`, description: [v.aliases.map((a) => `@${a}`).join(' '), v.framework].filter(Boolean).join(' · '), value: { name: m.name, version: v.version } });
      }
    }
    const picked = await vscode.window.showQuickPick(items, {
      title: `${TITLE} — derived from`, placeHolder: 'Was it made from another version (fine-tuned, quantized, distilled…)?', matchOnDescription: true,
    });
    if (!picked) return undefined;
    if (picked.value === NONE) return { value: {} };
    const parent = picked.value;
    const OTHER = Symbol('other');
    const how = await vscode.window.showQuickPick<Item<string | typeof OTHER>>(
      [...KNOWN_DERIVATIONS.map((d) => ({ label: d, value: d as string })), { label: 'Other…', value: OTHER }],
      { title: `${TITLE} — how it was derived from ${parent.name} v${parent.version}` },
    );
    if (!how) return undefined;
    let derivation = how.value === OTHER ? undefined : how.value;
    if (how.value === OTHER) {
      derivation = (await vscode.window.showInputBox({
        title: `${TITLE} — derivation`, prompt: 'How it was made, in a word or phrase', placeHolder: 'e.g. pruned',
        validateInput: (v) => (v.trim() !== '' && v.trim().length <= 100 ? undefined : 'One word or phrase of up to 100 characters'),
      }))?.trim();
      if (!derivation) return undefined;
    }
    return { value: { parent, derivation } };
  }
}

/** `models/churn/model.onnx` → `churn`; `out/churn_v2.pt` → `churn_v2`. */
function suggestName(file: string): string {
  const base = path.basename(file).replace(/\.[^.]+$/, '');
  if (!['model', 'saved_model', 'best', 'final', 'checkpoint'].includes(base.toLowerCase())) return base;
  return path.basename(path.dirname(file)) || base;
}
