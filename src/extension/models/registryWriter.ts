import { openRegistryAppender, registryFilePath, type RegistryAppender } from '../../core/registry/registryAppender';
import type { PromoteOutcome, RegisterOutcome } from '../../core/registry/operations';
import type { PromotionRequest } from '../../core/registry/promotion';
import type { RegistrationRequest } from '../../core/registry/registration';
import type { Log } from '../log';
import type { RunIndex } from '../store/runIndex';

/**
 * Registry changes from the editor. The store worker plans them (it hashes files and folds the
 * registry); this side appends the events — single small O_APPEND lines in registry.jsonl, the
 * same as the CLI writes — and then has the index read them, so the outcome reported is the one
 * the fold decided (another writer may have raced for the same version number).
 */
export class RegistryWriter {
  readonly registryPath: string;

  constructor(private readonly index: RunIndex, private readonly log: Log) {
    this.registryPath = registryFilePath(index.workspaceRoot);
  }

  /** Reads what other writers (windows, the CLI, git pulls) appended, before planning a change. */
  private catchUp(): Promise<void> {
    return this.index.ingestSoon([this.registryPath]);
  }

  async register(req: RegistrationRequest): Promise<RegisterOutcome> {
    await this.catchUp();
    const plan = await this.index.call('planModelRegistration', req);
    if (plan.kind === 'error') return { ok: false, error: plan.error };
    if (plan.kind === 'existing') return { ok: true, outcome: 'existing', version: plan.version, eventId: null };
    const appender = await this.appender();
    const written = appender.appendDraft(plan.draft);
    this.log.info(`registered ${written.name} v${written.version} (${written.path ?? ''}) as ${written.id}`);
    await this.catchUp();
    const { entry, version } = await this.index.call('registryEventOutcome', written.id);
    if (!entry || entry.kind !== 'register' || !version) {
      return { ok: false, error: `the registration ${written.id} was written but is not in the index: see the problems of ${this.registryPath}` };
    }
    return { ok: true, outcome: entry.outcome, version, eventId: written.id };
  }

  /** Moves an alias: a refused gate comes back as `refused` with its verdict, nothing written. */
  async promote(req: PromotionRequest): Promise<PromoteOutcome> {
    await this.catchUp();
    const plan = await this.index.call('planModelPromotion', req);
    switch (plan.kind) {
      case 'error':
        return { ok: false, kind: 'error', error: plan.error };
      case 'refused':
        return { ok: false, kind: 'refused', error: plan.error, gate: plan.gate };
      case 'unchanged':
        return { ok: true, kind: 'unchanged', version: plan.target };
      case 'promote': {
        const appender = await this.appender();
        // A run-logged version's number is pinned first, so the alias keeps naming this artifact.
        const pin = plan.pin ? appender.appendDraft(plan.pin) : null;
        const written = appender.appendDraft(pin ? { ...plan.alias, versionEvent: pin.id } : plan.alias);
        this.log.info(`${written.name}: "${written.alias}" → v${written.version}${plan.overridden ? ' (gate overridden)' : ''} as ${written.id}`);
        await this.catchUp();
        const { version } = await this.index.call('registryEventOutcome', written.id);
        return { ok: true, kind: 'promoted', version: version ?? plan.target, from: plan.from, gate: plan.gate, overridden: plan.overridden, eventId: written.id };
      }
      default: {
        const never: never = plan;
        throw new Error(`unhandled promotion plan ${JSON.stringify(never)}`);
      }
    }
  }

  /** A fresh appender per change: the actor (git user) may have changed since the last one. */
  private appender(): Promise<RegistryAppender> {
    return openRegistryAppender(this.index.workspaceRoot);
  }
}
