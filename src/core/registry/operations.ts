/**
 * Registry changes end to end, for the CLI and the store worker: read the newest registry file,
 * plan the change, append its events, read the file again and report the outcome as the fold sees
 * it (which may differ from what was written if another writer raced, see modelVersionsFold.ts).
 */
import type { GateResult, ModelVersion, RegistrationOutcome } from '../../shared/modelTypes';
import type { Store } from '../store/store';
import { registryFilePath, type RegistryAppender } from './registryAppender';
import { findVersion, readModelRegistry, type ModelRegistryView } from './modelQueries';
import { planAliasRemoval, planPromotion, type PromotionRequest } from './promotion';
import { planRegistration, type RegistrationRequest } from './registration';

export interface RegistryContext {
  store: Store;
  appender: RegistryAppender;
}

export type RegisterOutcome =
  | { ok: true; outcome: RegistrationOutcome | 'existing'; version: ModelVersion; eventId: string | null }
  | { ok: false; error: string };

export type PromoteOutcome =
  | { ok: true; kind: 'promoted'; version: ModelVersion; from: number | null; gate: GateResult | null; overridden: boolean; eventId: string }
  | { ok: true; kind: 'unchanged'; version: ModelVersion }
  | { ok: false; kind: 'refused'; error: string; gate: GateResult | null }
  | { ok: false; kind: 'error'; error: string };

/**
 * Only the registry file needs to be current: run-logged versions never take a number that a
 * registration claims (they take the lowest free one after registrations have claimed theirs).
 */
function freshView(ctx: RegistryContext): ModelRegistryView {
  ctx.store.ingest([registryFilePath(ctx.store.workspaceRoot)]);
  return readModelRegistry(ctx.store.database);
}

export async function registerModelVersion(ctx: RegistryContext, req: RegistrationRequest): Promise<RegisterOutcome> {
  const plan = await planRegistration(ctx.store.database, freshView(ctx), ctx.store.workspaceRoot, req);
  if (plan.kind === 'error') return { ok: false, error: plan.error };
  if (plan.kind === 'existing') return { ok: true, outcome: 'existing', version: plan.version, eventId: null };
  const written = ctx.appender.appendDraft(plan.draft);
  const view = freshView(ctx);
  const entry = view.history.find((h) => h.id === written.id);
  if (!entry || entry.kind !== 'register') return { ok: false, error: `the registration ${written.id} was written but is not in the registry: check the problems of ${registryFilePath(ctx.store.workspaceRoot)}` };
  const version = findVersion(view, entry.model, entry.version)!;
  return { ok: true, outcome: entry.outcome, version, eventId: written.id };
}

export function promoteModelVersion(ctx: RegistryContext, req: PromotionRequest): PromoteOutcome {
  const plan = planPromotion(freshView(ctx), req);
  switch (plan.kind) {
    case 'error':
      return { ok: false, kind: 'error', error: plan.error };
    case 'refused':
      return { ok: false, kind: 'refused', error: plan.error, gate: plan.gate };
    case 'unchanged':
      return { ok: true, kind: 'unchanged', version: plan.target };
    case 'promote': {
      const pin = plan.pin ? ctx.appender.appendDraft(plan.pin) : null;
      const written = ctx.appender.appendDraft(pin ? { ...plan.alias, versionEvent: pin.id } : plan.alias);
      const view = freshView(ctx);
      const entry = view.history.find((h) => h.id === written.id);
      const version = entry?.kind === 'alias' ? findVersion(view, entry.model, entry.to) : undefined;
      return { ok: true, kind: 'promoted', version: version ?? plan.target, from: plan.from, gate: plan.gate, overridden: plan.overridden, eventId: written.id };
    }
    default: {
      const never: never = plan;
      throw new Error(`unhandled plan ${JSON.stringify(never)}`);
    }
  }
}

export function removeAlias(ctx: RegistryContext, req: { name: string; alias: string; reason: string }): { ok: true; from: number; eventId: string } | { ok: false; error: string } {
  const plan = planAliasRemoval(freshView(ctx), req);
  if (plan.kind === 'error') return { ok: false, error: plan.error };
  const written = ctx.appender.appendDraft(plan.draft);
  freshView(ctx);
  return { ok: true, from: plan.from, eventId: written.id };
}
