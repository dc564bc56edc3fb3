/**
 * `exptrack ingest [PATH…]`: index the workspace's sources (or just the given files and folders).
 * `.gitignore` leaves folders out as in the extension (log folders excepted); `--no-gitignore` reads them.
 */
import * as path from 'node:path';
import { parseArgs } from '../args';
import { formatProblem, type CliContext, type CliIo } from '../cliContext';
import { scanLimitMessage } from '../../core/ingest/scanMessages';
import { jsonReplacer } from '../../shared/format';
import { settledIngest } from '../settledIngest';

export async function ingestCommand(args: string[], io: CliIo, ctx: CliContext): Promise<number> {
  const a = parseArgs(args, { flags: ['json', 'no-gitignore'] });
  const store = await ctx.openStore();
  try {
    if (a.flags.has('no-gitignore')) store.configureSources({ useGitignore: false });
    const paths = a.positionals.map((p) => path.resolve(io.cwd, p));
    const report = await settledIngest(store, paths.length ? paths : undefined);
    store.save();
    for (const p of report.problems) io.stderr(formatProblem(p) + '\n');
    if (report.scan?.limitReached !== undefined) io.stderr(`exptrack: ${scanLimitMessage(report.scan.limitReached)}\n`);
    if (a.flags.has('json')) io.stdout(JSON.stringify(report, jsonReplacer, 2) + '\n');
    else {
      io.stdout(`${report.sourcesRead} of ${report.sourcesSeen} sources read, ${report.runsTouched.length} runs updated, `
        + `${report.points} metric points, ${report.problems.length} problems\n`);
    }
    return report.problems.some((p) => p.severity === 'error') ? 2 : 0;
  } finally {
    store.close();
  }
}
