/**
 * Moving an alias to a version, with a reason. Gated aliases (champion, production) first run the
 * champion–challenger gate against the version that holds the alias now; a failed gate refuses the
 * move unless an override reason is given, and both the verdict and the override are recorded.
 * Without a gate metric the gate cannot compare: a move onto an alias that has a holder then also
 * needs an override reason.
 */
import {
  DEFAULT_GATED_ALIASES, type GateResult, type GateSettings, type ModelVersion,
} from '../../shared/modelTypes';
import { AliasName, type AliasRemoved, type AliasSet, type RegistryEnvelopeFields } from '../../shared/registryEvents';
import { evaluateGate, gateRecordOf } from './gate';
import { aliasHolder, findModel, findVersion, type ModelRegistryView } from './modelQueries';
import { pinDraft, type ModelRegisteredDraft } from './registration';

export type AliasSetDraft = Omit<AliasSet, keyof RegistryEnvelopeFields>;
export type AliasRemovedDraft = Omit<AliasRemoved, keyof RegistryEnvelopeFields>;

export interface PromotionRequest {
  name: string;
  version: number;
  alias: string;
  reason: string;
  /** Needed to move a gated alias when the gate fails (or cannot compare). */
  overrideReason?: string;
  /** The gate's metric settings; null when none are configured. */
  gate: GateSettings | null;
  gatedAliases?: readonly string[];
}

export type PromotionPlan =
  | {
    kind: 'promote';
    /** A registration to append first when the target is a run-logged version whose number is not pinned yet. */
    pin: ModelRegisteredDraft | null;
    /** `versionEvent` is left for the caller to fill with the pin's id when there is a pin. */
    alias: AliasSetDraft;
    target: ModelVersion;
    from: number | null;
    gate: GateResult | null;
    overridden: boolean;
  }
  | { kind: 'unchanged'; target: ModelVersion }
  | { kind: 'refused'; error: string; gate: GateResult | null }
  | { kind: 'error'; error: string };

export function isGatedAlias(alias: string, gatedAliases: readonly string[] = DEFAULT_GATED_ALIASES): boolean {
  return gatedAliases.some((a) => a.toLowerCase() === alias.toLowerCase());
}

export function planPromotion(view: ModelRegistryView, req: PromotionRequest): PromotionPlan {
  const alias = AliasName.safeParse(req.alias);
  if (!alias.success) return { kind: 'error', error: `alias ${JSON.stringify(req.alias)}: ${alias.error.issues[0]?.message}` };
  const reason = req.reason.trim();
  if (reason === '') return { kind: 'error', error: 'a reason is required to move an alias' };
  const overrideReason = req.overrideReason?.trim() || undefined;
  if (reason.length > 1000 || (overrideReason?.length ?? 0) > 1000) return { kind: 'error', error: 'reasons are limited to 1000 characters' };
  const model = findModel(view, req.name);
  if (!model) return { kind: 'error', error: `no model named "${req.name}"` };
  const target = findVersion(view, req.name, req.version);
  if (!target) return { kind: 'error', error: `${req.name} has no version ${req.version} (versions: ${model.versions.map((v) => v.version).join(', ')})` };

  const current = model.aliases.find((a) => a.alias === alias.data);
  if (current?.version === target.version) return { kind: 'unchanged', target };

  let gate: GateResult | null = null;
  let overridden = false;
  if (isGatedAlias(alias.data, req.gatedAliases)) {
    // The gate compares with whoever holds the alias, also under another spelling (MLflow's "Production").
    const holderAssignment = aliasHolder(model, alias.data);
    const holder = holderAssignment ? findVersion(view, req.name, holderAssignment.version) ?? null : null;
    if (req.gate) {
      gate = evaluateGate({
        candidate: target, holder: holder && holder.version !== target.version ? holder : null, metric: req.gate.metric,
        mode: req.gate.mode, minDelta: req.gate.minDelta, sliceMaxDrop: req.gate.sliceMaxDrop, holderLabel: holderAssignment?.alias ?? alias.data,
      });
      if (!gate.passed) {
        if (!overrideReason) return { kind: 'refused', error: `the gate failed: ${gate.reason}; give an override reason to promote anyway`, gate };
        overridden = true;
      }
    } else if (holder && holder.version !== target.version) {
      const why = `no gate metric is set (exptrack.gate.metric), so v${target.version} cannot be compared with ${holderAssignment!.alias} v${holder.version}`;
      if (!overrideReason) return { kind: 'refused', error: `${why}; set one or give an override reason`, gate: null };
      overridden = true;
    }
  }

  const pinnable = target.origin === 'run' && target.registrationId === null && (target.sha256 !== null || target.path !== null);
  const draft: AliasSetDraft = { t: 'model.alias', name: req.name, alias: alias.data, version: target.version, from: current?.version ?? null, reason };
  if (target.registrationId !== null) draft.versionEvent = target.registrationId;
  if (gate) draft.gate = gateRecordOf(gate);
  if (overridden) draft.override = { reason: overrideReason! };
  return { kind: 'promote', pin: pinnable ? pinDraft(target) : null, alias: draft, target, from: current?.version ?? null, gate, overridden };
}

export type AliasRemovalPlan = { kind: 'remove'; draft: AliasRemovedDraft; from: number } | { kind: 'error'; error: string };

export function planAliasRemoval(view: ModelRegistryView, req: { name: string; alias: string; reason: string }): AliasRemovalPlan {
  const reason = req.reason.trim();
  if (reason === '') return { kind: 'error', error: 'a reason is required to remove an alias' };
  if (reason.length > 1000) return { kind: 'error', error: 'reasons are limited to 1000 characters' };
  const model = findModel(view, req.name);
  if (!model) return { kind: 'error', error: `no model named "${req.name}"` };
  const current = model.aliases.find((a) => a.alias === req.alias);
  if (!current) return { kind: 'error', error: `${req.name} has no alias "${req.alias}"` };
  return { kind: 'remove', draft: { t: 'model.unalias', name: req.name, alias: req.alias, from: current.version, reason }, from: current.version };
}
