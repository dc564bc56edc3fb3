/**
 * `exptrack models [NAME] [--json] [--history]`: registered models with their versions, aliases,
 * source runs and key metrics; with --history, the audit trail (who moved which alias, when, why).
 */
import { parseArgs } from '../args';
import type { CliContext, CliIo } from '../cliContext';
import { formatMetricValue, formatTimestamp, jsonReplacer } from '../../shared/format';
import type { ModelHistoryEntry, RegisteredModel } from '../../shared/modelTypes';
import { readModelRegistry } from '../../core/registry/modelQueries';
import { keyMetricOf } from '../../core/store/queries';
import { renderTable } from '../table';
import { reportRegistryProblems } from './modelArgs';

export async function modelsCommand(args: string[], io: CliIo, ctx: CliContext): Promise<number> {
  const a = parseArgs(args, { flags: ['json', 'history', 'no-ingest'] });
  const name = a.positionals[0];
  const store = await ctx.openStore();
  try {
    if (!a.flags.has('no-ingest')) {
      store.ingest();
      store.save();
    }
    reportRegistryProblems(store, io);
    const view = readModelRegistry(store.database);
    const models = name === undefined ? view.models : view.models.filter((m) => m.name === name);
    if (name !== undefined && models.length === 0) {
      io.stderr(`no model named "${name}"\n`);
      return 1;
    }
    const history = name === undefined ? view.history : view.history.filter((h) => h.model === name);
    if (a.flags.has('json')) {
      io.stdout(JSON.stringify(a.flags.has('history') ? { models, history } : { models }, jsonReplacer, 2) + '\n');
      return 0;
    }
    if (models.length === 0) io.stdout('No model versions yet: log one with exptrack.log_model() or run "exptrack register".\n');
    else io.stdout(versionTable(models));
    if (a.flags.has('history')) io.stdout('\nhistory\n' + (history.length ? history.map(describeEntry).join('\n') + '\n' : '(no registry events)\n'));
    return 0;
  } finally {
    store.close();
  }
}

function versionTable(models: readonly RegisteredModel[]): string {
  const rows: string[][] = [];
  for (const m of models) {
    for (const v of [...m.versions].reverse()) {
      const metric = keyMetricOf(v.metrics);
      rows.push([
        m.name, `v${v.version}`, v.aliases.join(', '), v.origin, v.framework ?? '', v.runName ?? v.runUid ?? '',
        metric ? `${metric.key}=${formatMetricValue(metric.last)}` : '',
        v.parent ? `${v.parent.name} v${v.parent.version}${v.derivation ? ` (${v.derivation})` : ''}` : v.derivation ?? '',
      ]);
    }
  }
  return renderTable(['MODEL', 'VERSION', 'ALIASES', 'ORIGIN', 'FRAMEWORK', 'RUN', 'METRIC', 'DERIVED FROM'], rows);
}

/** One line per audit event, e.g. `2026-11-22 14:03:07  churn  champion v2 → v3  by Ann <ann@x>: better recall`. */
export function describeEntry(h: ModelHistoryEntry): string {
  const when = formatTimestamp(h.time);
  let what: string;
  switch (h.kind) {
    case 'register': {
      const from = [h.path, h.runUid ? `run ${h.runUid}` : null].filter(Boolean).join(' from ');
      what = h.outcome === 'duplicate' ? `registered ${from} again (already v${h.version})` : `registered v${h.version}${from ? ` — ${from}` : ''}`;
      if (h.parent) what += `, ${h.derivation ?? 'derived'} from ${h.parent.name} v${h.parent.version}`;
      break;
    }
    case 'alias': {
      what = `${h.alias} ${h.from === null ? '(none)' : `v${h.from}`} → v${h.to}: ${h.reason}`;
      if (h.gate) what += ` [gate ${h.gate.passed ? 'passed' : 'failed'}: ${h.gate.reason}]`;
      if (h.overrideReason) what += ` [override: ${h.overrideReason}]`;
      if (!h.applied) what += ' [not applied]';
      break;
    }
    case 'unalias':
      what = `${h.alias} removed${h.from === null ? '' : ` from v${h.from}`}: ${h.reason}`;
      break;
    default: {
      const never: never = h;
      throw new Error(`unhandled history entry ${JSON.stringify(never)}`);
    }
  }
  const note = h.note ? ` (${h.note})` : '';
  return `${when}  ${h.model}  ${what}  by ${h.actor}${note}`;
}
