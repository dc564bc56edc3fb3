import * as vscode from 'vscode';
import { formatMetric } from '../../core/registry/gate';
import type { PromoteOutcome } from '../../core/registry/operations';
import type { GateResult, GateSettings, ModelVersion, RegisteredModel } from '../../shared/modelTypes';
import type { Log } from '../log';
import { gateSettingsFromConfig } from './gateConfig';
import { askReason, pickAlias, pickModel, pickVersion } from './modelPicks';
import type { ModelsTreeProvider } from './modelsTree';
import type { RegistryWriter } from './registryWriter';

const TITLE = 'Promote Model Version';
export const OVERRIDE_GATE = 'Override the gate…';

export interface PromoteStart {
  name?: string;
  version?: number;
  alias?: string;
}

/**
 * "Promote Model Version": model, version, alias and a required reason. Moving a gated alias
 * (champion, production) runs the champion–challenger gate first; when it fails, the comparison is
 * shown and only an explicit override with a reason of its own moves the alias anyway.
 */
export class PromoteFlow {
  constructor(
    private readonly tree: ModelsTreeProvider,
    private readonly writer: RegistryWriter,
    private readonly compare: (name: string, version: number, against: number | undefined) => Promise<void>,
    private readonly log: Log,
  ) {}

  async run(start: PromoteStart = {}): Promise<PromoteOutcome | undefined> {
    const { models } = await this.tree.load();
    const gate = gateSettingsFromConfig();
    const model = start.name !== undefined ? models.find((m) => m.name === start.name) : await pickModel(models, TITLE);
    if (!model) {
      if (start.name !== undefined) void vscode.window.showWarningMessage(`ExpTrack: there is no model named "${start.name}".`);
      return undefined;
    }
    const version = start.version !== undefined ? model.versions.find((v) => v.version === start.version) : await pickVersion(model, TITLE, gate?.metric ?? null);
    if (!version) return undefined;
    const alias = start.alias ?? (await pickAlias(model, version, TITLE, gate));
    if (!alias) return undefined;
    const reason = await askReason(`${TITLE} — reason`, `Why move @${alias} to ${model.name} v${version.version}? (kept in the registry history)`, 'e.g. best validation accuracy, checked on the holdout set');
    if (!reason) return undefined;

    const request = { name: model.name, version: version.version, alias, reason, gate };
    let result = await this.attempt(request);
    if (result?.ok === false && result.kind === 'refused') {
      const overrideReason = await this.askOverride(model, version, alias, result.gate, result.error, gate);
      if (!overrideReason) return result;
      result = await this.attempt({ ...request, overrideReason });
    }
    if (result) this.report(model.name, alias, result);
    return result;
  }

  private async attempt(req: Parameters<RegistryWriter['promote']>[0]): Promise<PromoteOutcome | undefined> {
    try {
      return await this.writer.promote(req);
    } catch (e) {
      const msg = (e as Error).message;
      this.log.error(`promote ${req.name} v${req.version} to ${req.alias}: ${msg}`);
      void vscode.window.showErrorMessage(`ExpTrack: could not promote ${req.name} v${req.version}: ${msg}`);
      return undefined;
    }
  }

  /**
   * Shows why the gate refused — the Model Version panel with both versions side by side, and the
   * verdict in the question — and returns an override reason only when the user insists and gives one.
   */
  private async askOverride(
    model: RegisteredModel, version: ModelVersion, alias: string, gate: GateResult | null, error: string, settings: GateSettings | null,
  ): Promise<string | undefined> {
    this.log.warn(`gate refused ${model.name} v${version.version} as ${alias}: ${error}`);
    const holder = model.aliases.find((a) => a.alias.toLowerCase() === alias.toLowerCase());
    if (holder) await this.compare(model.name, version.version, holder.version);
    const KEEP = 'keep';
    const OVERRIDE = 'override';
    const kept = holder ? `Keep @${holder.alias} on v${holder.version}` : `Do not move @${alias}`;
    const items: (vscode.QuickPickItem & { value?: string })[] = [];
    if (gate) {
      items.push({ label: `FAILED on ${gate.metric}`, kind: vscode.QuickPickItemKind.Separator });
    }
    items.push(
      { label: `$(close) ${kept}`, description: 'nothing is written', detail: gate ? gate.reason : error, value: KEEP },
      { label: `$(warning) ${OVERRIDE_GATE}`, description: `make v${version.version} ${alias} anyway`, detail: 'The failed verdict is recorded together with your reason for overriding it.', value: OVERRIDE },
    );
    const choice = await vscode.window.showQuickPick(items, {
      title: `${TITLE} — the gate stopped ${model.name} v${version.version} from becoming ${alias}`,
      placeHolder: gate ? gateSummary(gate, alias) : error, ignoreFocusOut: true,
    });
    if (choice?.value !== OVERRIDE) return undefined;
    const what = settings ? `the gate on ${settings.metric} failed` : 'no gate metric is set';
    return askReason(`${TITLE} — override the gate`, `Why make ${model.name} v${version.version} ${alias} although ${what}? (kept in the registry history)`,
      'e.g. the metric regressed on noise; latency is what matters for this release');
  }

  private report(name: string, alias: string, result: PromoteOutcome): void {
    if (!result.ok) {
      this.log.warn(`promote ${name} to ${alias}: ${result.error}`);
      if (result.kind === 'error') void vscode.window.showErrorMessage(`ExpTrack: ${result.error}`);
      else void vscode.window.showWarningMessage(`ExpTrack: ${name} was not promoted: ${result.error}`);
      return;
    }
    if (result.kind === 'unchanged') {
      void vscode.window.showInformationMessage(`ExpTrack: ${name} v${result.version.version} already holds @${alias}.`);
      return;
    }
    const from = result.from === null ? '(none)' : `v${result.from}`;
    const gate = result.gate ? ` Gate ${result.gate.passed ? 'passed' : 'failed'}${result.overridden ? ', overridden' : ''}: ${result.gate.reason}.` : result.overridden ? ' (override recorded)' : '';
    void vscode.window.showInformationMessage(`ExpTrack: ${name} @${alias} ${from} → v${result.version.version}.${gate}`);
    this.tree.refresh();
  }
}

/** `v1 0.81 vs champion v2 0.88: improvement -0.07, needs ≥ 0 (higher is better)`. */
function gateSummary(g: GateResult, alias: string): string {
  const v = (n: number | null) => (n === null ? '—' : formatMetric(n));
  const holder = g.holderVersion === null ? `${alias} (none)` : `${alias} v${g.holderVersion} ${v(g.holderValue)}`;
  const delta = g.delta === null ? '' : `: improvement ${g.delta > 0 ? '+' : ''}${v(g.delta)}, needs ≥ ${formatMetric(g.minDelta)}`;
  return `${g.metric}: v${g.candidateVersion} ${v(g.candidateValue)} vs ${holder}${delta} (${g.mode === 'max' ? 'higher' : 'lower'} is better)`;
}
