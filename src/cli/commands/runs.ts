/**
 * `exptrack runs [--filter EXPR] [--order-by KEYS] [--max N] [--json] [--all]`: the runs of the
 * workspace, newest first, or those a filter in MLflow's search syntax matches, in the order asked
 * for — the same runs, in the same order, as the Runs table shows for that filter and sort.
 */
import { parseArgs, UsageError } from '../args';
import type { CliContext, CliIo } from '../cliContext';
import { formatMetricValue, formatTimestamp, jsonReplacer } from '../../shared/format';
import { syntaxProblemText } from '../../core/runs/syntaxProblemText';
import { renderTable } from '../table';

export async function runsCommand(args: string[], io: CliIo, ctx: CliContext): Promise<number> {
  const a = parseArgs(args, { flags: ['json', 'all', 'no-ingest'], options: ['filter', 'order-by', 'max'] });
  const filter = a.options.get('filter') ?? '';
  const orderBy = a.options.get('order-by') ?? '';
  const max = a.options.get('max');
  if (max !== undefined && !/^\d+$/.test(max)) throw new UsageError(`--max needs a whole number, not "${max}"`);
  const store = await ctx.openStore();
  try {
    if (!a.flags.has('no-ingest')) {
      store.ingest();
      store.save();
    }
    const found = store.searchRuns({ filter, orderBy, maxResults: max === undefined ? undefined : Number(max), includeHidden: a.flags.has('all') });
    if (!found.ok) {
      io.stderr(`exptrack runs: ${syntaxProblemText(found.error.input === 'filter' ? filter : orderBy, found.error)}\n`);
      return 64;
    }
    const runs = found.runs;
    if (a.flags.has('json')) {
      io.stdout(JSON.stringify(runs, jsonReplacer, 2) + '\n');
      return 0;
    }
    io.stdout(renderTable(
      ['ID', 'STATUS', 'EXPERIMENT', 'NAME', 'STARTED', 'METRIC'],
      runs.map((r) => [
        r.uid, r.status, r.experiment, r.name, formatTimestamp(r.started),
        r.keyMetric ? `${r.keyMetric.key}=${formatMetricValue(r.keyMetric.last)}` : '',
      ]),
    ));
    if (filter || max !== undefined) io.stderr(`${runs.length} of ${found.total} runs${found.matched > runs.length ? ` (${found.matched} match)` : ''}\n`);
    return 0;
  } finally {
    store.close();
  }
}
