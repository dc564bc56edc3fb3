/** `exptrack runs [--json] [--all]`: the runs of the workspace, newest first. */
import { parseArgs } from '../args';
import type { CliContext, CliIo } from '../cliContext';
import { formatMetricValue, formatTimestamp, jsonReplacer } from '../../shared/format';
import { renderTable } from '../table';

export async function runsCommand(args: string[], io: CliIo, ctx: CliContext): Promise<number> {
  const a = parseArgs(args, { flags: ['json', 'all', 'no-ingest'] });
  const store = await ctx.openStore();
  try {
    if (!a.flags.has('no-ingest')) {
      store.ingest();
      store.save();
    }
    const runs = store.listRuns({ includeHidden: a.flags.has('all') });
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
    return 0;
  } finally {
    store.close();
  }
}
