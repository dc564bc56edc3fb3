/** `exptrack show RUN [--json]`: one run's params, metric summaries, git state, status and times. */
import { parseArgs, UsageError } from '../args';
import type { CliContext, CliIo } from '../cliContext';
import { formatDuration, formatMetricValue, formatParamValue, formatTimestamp, jsonReplacer } from '../../shared/format';
import type { RunSummary } from '../../shared/runTypes';
import type { Store } from '../../core/store/store';
import { renderTable } from '../table';

export async function showCommand(args: string[], io: CliIo, ctx: CliContext): Promise<number> {
  const a = parseArgs(args, { flags: ['json', 'no-ingest'] });
  const query = a.positionals[0];
  if (!query) throw new UsageError('show needs a run id (or a unique prefix, or a name)');
  const store = await ctx.openStore();
  try {
    const match = findOneRun(store, query, io, !a.flags.has('no-ingest'));
    if (!match) return 1;
    const run = store.getRun(match.uid)!;
    if (a.flags.has('json')) {
      io.stdout(JSON.stringify(run, jsonReplacer, 2) + '\n');
      return 0;
    }
    const lines = [
      `run        ${run.uid}`,
      `name       ${run.name}`,
      `experiment ${run.experiment}`,
      `status     ${run.status}${run.exitCode !== null ? ` (exit ${run.exitCode})` : ''}`,
      `source     ${run.sourceKind ?? ''}${run.sourcePath ? ` ${run.sourcePath}` : ''}`,
      `started    ${formatTimestamp(run.started)}`,
      `ended      ${formatTimestamp(run.ended)}${run.started !== null && run.ended !== null ? ` (${formatDuration(run.ended - run.started)})` : ''}`,
      `command    ${run.command ? run.command.join(' ') : ''}`,
      `git        ${run.git.commit ?? ''}${run.git.branch ? ` on ${run.git.branch}` : ''}${run.git.dirty ? ' (uncommitted changes)' : ''}`,
    ];
    if (run.note) lines.push(`note       ${run.note}`);
    io.stdout(lines.join('\n') + '\n');
    const params = Object.entries(run.params);
    if (params.length) io.stdout('\nparams\n' + renderTable(['KEY', 'VALUE'], params.map(([k, v]) => [k, formatParamValue(v)])));
    if (run.metrics.length) {
      io.stdout('\nmetrics\n' + renderTable(['KEY', 'LAST', 'STEP', 'MIN', 'MAX', 'COUNT'], run.metrics.map((m) => [
        m.key, formatMetricValue(m.last), m.lastStep === null ? '' : String(m.lastStep), formatMetricValue(m.min), formatMetricValue(m.max), String(m.count),
      ])));
    }
    const tags = Object.entries(run.tags);
    if (tags.length) io.stdout('\ntags\n' + renderTable(['KEY', 'VALUE'], tags));
    return 0;
  } finally {
    store.close();
  }
}

/** The one run `query` names (see findRuns), after an ingest if asked; undefined, said on stderr, when none or several match. */
export function findOneRun(store: Store, query: string, io: CliIo, ingest: boolean): RunSummary | undefined {
  if (ingest) {
    store.ingest();
    store.save();
  }
  const matches = findRuns(store.listRuns({ includeHidden: true }), query);
  if (matches.length === 1) return matches[0];
  io.stderr(matches.length === 0 ? `no run matches "${query}"\n` : `"${query}" matches ${matches.length} runs: ${matches.map((r) => r.uid).join(', ')}\n`);
  return undefined;
}

/** An exact id, else a unique id prefix, else an exact name. */
export function findRuns(runs: readonly RunSummary[], query: string): RunSummary[] {
  const exact = runs.filter((r) => r.uid === query);
  if (exact.length) return exact;
  const prefix = runs.filter((r) => r.uid.startsWith(query));
  if (prefix.length) return prefix;
  return runs.filter((r) => r.name === query);
}
