/**
 * `exptrack promote NAME VERSION --alias ALIAS --reason TEXT [--override-reason TEXT]
 * [--metric M --mode max|min --min-delta D]`: moves ALIAS to the version. Moving champion or
 * production first runs the champion–challenger gate (metric settings from the flags, else from
 * .vscode/settings.json `exptrack.gate.*`). Exit 0 when moved (or already there), 1 when the gate
 * refuses, 2 when the move is impossible (unknown model or version).
 */
import { parseArgs, UsageError } from '../args';
import type { CliContext, CliIo } from '../cliContext';
import { openRegistryAppender } from '../../core/registry/registryAppender';
import { formatGateReport } from '../../core/registry/gate';
import { readWorkspaceGateSettings, resolveGateSettings } from '../../core/registry/gateSettings';
import { promoteModelVersion } from '../../core/registry/operations';
import { parseMode, parseNumber, parseVersion, reportRegistryProblems } from './modelArgs';

export async function promoteCommand(args: string[], io: CliIo, ctx: CliContext): Promise<number> {
  const a = parseArgs(args, { options: ['alias', 'reason', 'override-reason', 'metric', 'mode', 'min-delta'], flags: ['no-ingest'] });
  const [name, versionText, extra] = a.positionals;
  if (!name || !versionText) throw new UsageError('promote needs NAME VERSION --alias ALIAS --reason TEXT');
  if (extra !== undefined) throw new UsageError(`unexpected argument "${extra}"`);
  const version = parseVersion(versionText, 'VERSION');
  const alias = a.options.get('alias');
  const reason = a.options.get('reason');
  if (!alias) throw new UsageError('promote needs --alias ALIAS (e.g. champion, challenger, production, staging)');
  if (!reason || reason.trim() === '') throw new UsageError('promote needs --reason TEXT: every alias move records why');
  const flags = { metric: a.options.get('metric'), mode: parseMode(a.options.get('mode')), minDelta: parseNumber(a.options.get('min-delta'), '--min-delta') };

  const store = await ctx.openStore();
  try {
    if (!a.flags.has('no-ingest')) store.ingest();
    const fileSettings = readWorkspaceGateSettings(store.workspaceRoot);
    for (const p of fileSettings.problems) io.stderr(`warning: ${p}\n`);
    const appender = await openRegistryAppender(store.workspaceRoot);
    const result = promoteModelVersion({ store, appender }, {
      name, version, alias, reason, overrideReason: a.options.get('override-reason'), gate: resolveGateSettings(fileSettings, flags),
    });
    store.save();
    reportRegistryProblems(store, io);
    const gate = 'gate' in result ? result.gate : null;
    if (gate) {
      const report = formatGateReport(gate, { model: name, against: alias }) + '\n';
      if (result.ok) io.stdout(report);
      else io.stderr(report);
    }
    if (!result.ok) {
      io.stderr(`exptrack promote: ${result.error}\n`);
      return result.kind === 'refused' ? 1 : 2;
    }
    if (result.kind === 'unchanged') {
      io.stdout(`${name} v${version} already holds "${alias}": nothing to do\n`);
      return 0;
    }
    const from = result.from === null ? '(none)' : `v${result.from}`;
    io.stdout(`${name}: "${alias}" ${from} → v${result.version.version}${result.overridden ? ' (gate overridden)' : ''}\n`);
    return 0;
  } finally {
    store.close();
  }
}
