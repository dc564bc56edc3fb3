/**
 * The quick picks and input boxes of the model commands. Every step has a title naming the command
 * and the step, so a person (and a UI test) can tell which question is being asked.
 */
import * as vscode from 'vscode';
import { evaluateGate, formatMetric } from '../../core/registry/gate';
import { aliasHolder } from '../../core/registry/modelQueries';
import { isGatedAlias } from '../../core/registry/promotion';
import { formatMetricValue } from '../../shared/format';
import { CONVENTIONAL_ALIASES, type GateSettings, type ModelVersion, type RegisteredModel } from '../../shared/modelTypes';
import { AliasName, ModelName } from '../../shared/registryEvents';
import { versionSummary } from './modelText';

export const MAX_REASON_LENGTH = 1000;

type Item<T> = vscode.QuickPickItem & { value: T };

export async function pickModel(models: readonly RegisteredModel[], title: string): Promise<RegisteredModel | undefined> {
  if (models.length === 0) {
    void vscode.window.showInformationMessage('ExpTrack: there are no model versions yet. Register one with "ExpTrack: Register Model Version".');
    return undefined;
  }
  const items: Item<RegisteredModel>[] = [...models].sort((a, b) => a.name.localeCompare(b.name)).map((m) => ({
    label: m.name,
    description: [`${m.versions.length} version${m.versions.length === 1 ? '' : 's'}`, ...m.aliases.map((a) => `@${a.alias} v${a.version}`)].join(' · '),
    value: m,
  }));
  return (await vscode.window.showQuickPick(items, { title: `${title} — model`, placeHolder: 'Choose a model', matchOnDescription: true }))?.value;
}

export async function pickVersion(model: RegisteredModel, title: string, gateMetric: string | null): Promise<ModelVersion | undefined> {
  const items: Item<ModelVersion>[] = [...model.versions].reverse().map((v) => {
    const metric = gateMetric ? v.metrics.find((m) => m.key === gateMetric) : undefined;
    return {
      label: `v${v.version}`,
      description: versionSummary(v),
      detail: [v.path, metric ? `${gateMetric} ${formatMetricValue(metric.last)}` : null].filter(Boolean).join(' · ') || undefined,
      value: v,
    };
  });
  return (await vscode.window.showQuickPick(items, {
    title: `${title} — version of ${model.name}`, placeHolder: 'Choose a version', matchOnDescription: true, matchOnDetail: true,
  }))?.value;
}

/**
 * The alias to move: the conventional ones and those the model has, each with its holder and, for
 * gated aliases, what the gate would say; or a new name typed in.
 */
export async function pickAlias(model: RegisteredModel, version: ModelVersion, title: string, gate: GateSettings | null): Promise<string | undefined> {
  const names = [...new Set([...CONVENTIONAL_ALIASES, ...model.aliases.map((a) => a.alias)])];
  const NEW = Symbol('new alias');
  const items: Item<string | typeof NEW>[] = names.map((alias) => {
    const holder = model.aliases.find((a) => a.alias === alias);
    return {
      label: alias,
      description: holder ? (holder.version === version.version ? `already on v${holder.version}` : `now v${holder.version}`) : 'not set',
      detail: isGatedAlias(alias) ? gatePreview(model, version, alias, gate) : undefined,
      value: alias,
    };
  });
  items.push({ label: '$(add) New alias…', description: 'type a name', value: NEW, alwaysShow: true });
  const picked = await vscode.window.showQuickPick(items, {
    title: `${title} — alias for ${model.name} v${version.version}`, placeHolder: 'Choose the alias to move to this version', matchOnDescription: true,
  });
  if (!picked) return undefined;
  if (picked.value !== NEW) return picked.value;
  const typed = await vscode.window.showInputBox({
    title: `${title} — new alias`, prompt: `A new alias for ${model.name} v${version.version}`, placeHolder: 'e.g. canary',
    validateInput: (v) => {
      const parsed = AliasName.safeParse(v.trim());
      return parsed.success ? undefined : parsed.error.issues[0]?.message;
    },
  });
  return typed?.trim() || undefined;
}

/** What the champion–challenger gate would decide, shown before the move is made. */
function gatePreview(model: RegisteredModel, version: ModelVersion, alias: string, gate: GateSettings | null): string {
  const holderAssignment = aliasHolder(model, alias);
  const holder = holderAssignment ? model.versions.find((v) => v.version === holderAssignment.version) ?? null : null;
  if (!gate) {
    return holder && holder.version !== version.version
      ? `gated: no gate metric is set (exptrack.gate.metric), so moving it needs an override reason`
      : 'gated: nothing holds it, so no comparison is needed';
  }
  const result = evaluateGate({
    candidate: version, holder: holder && holder.version !== version.version ? holder : null, metric: gate.metric, mode: gate.mode,
    minDelta: gate.minDelta, sliceMaxDrop: gate.sliceMaxDrop, holderLabel: holderAssignment?.alias ?? alias,
  });
  return `gate on ${gate.metric} (${gate.mode}, min delta ${formatMetric(gate.minDelta)}): ${result.passed ? 'passes' : 'fails'} — ${result.reason}`;
}

/** A required reason (for the audit trail): not blank, at most 1000 characters. */
export async function askReason(title: string, prompt: string, placeHolder: string): Promise<string | undefined> {
  const reason = await vscode.window.showInputBox({
    title, prompt, placeHolder, ignoreFocusOut: true,
    validateInput: (v) => {
      if (v.trim() === '') return 'A reason is required: it is kept in the registry history';
      if (v.trim().length > MAX_REASON_LENGTH) return `At most ${MAX_REASON_LENGTH} characters`;
      return undefined;
    },
  });
  return reason?.trim() || undefined;
}

/** A model name: an existing one, or a new one typed in (suggested from the file name). */
export async function pickModelName(models: readonly RegisteredModel[], title: string, suggestion: string): Promise<string | undefined> {
  const NEW = Symbol('new model');
  if (models.length > 0) {
    const items: Item<string | typeof NEW>[] = [...models].sort((a, b) => a.name.localeCompare(b.name))
      .map((m) => ({ label: m.name, description: `becomes v${m.latestVersion + 1}`, value: m.name }));
    items.unshift({ label: '$(add) New model…', description: 'type a name', value: NEW, alwaysShow: true });
    const picked = await vscode.window.showQuickPick(items, { title: `${title} — model name`, placeHolder: 'Register as a new version of…' });
    if (!picked) return undefined;
    if (picked.value !== NEW) return picked.value;
  }
  const name = await vscode.window.showInputBox({
    title: `${title} — new model name`, prompt: 'Name of the registered model', value: suggestion,
    validateInput: (v) => {
      const parsed = ModelName.safeParse(v.trim());
      return parsed.success ? undefined : parsed.error.issues[0]?.message;
    },
  });
  return name?.trim() || undefined;
}
