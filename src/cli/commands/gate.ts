/**
 * `exptrack gate --model NAME --candidate VERSION [--against champion|VERSION] --metric M
 * --mode max|min [--min-delta D] [--slice-max-drop D] [--json]`: the champion–challenger gate for
 * CI; with --slice-max-drop no slice of the metric may be worse than the holder's by more than D.
 * Exit 0 when the
 * candidate passes, 1 when it does not, 2 when the model or a version is unknown. The metric
 * settings fall back to .vscode/settings.json (`exptrack.gate.*`).
 */
import { parseArgs, UsageError } from '../args';
import type { CliContext, CliIo } from '../cliContext';
import { jsonReplacer } from '../../shared/format';
import { evaluateGate, formatGateReport } from '../../core/registry/gate';
import { readWorkspaceGateSettings, resolveGateSettings } from '../../core/registry/gateSettings';
import { aliasHolder, findModel, readModelRegistry } from '../../core/registry/modelQueries';
import { parseMode, parseNumber, parseVersion, reportRegistryProblems } from './modelArgs';

export async function gateCommand(args: string[], io: CliIo, ctx: CliContext): Promise<number> {
  const a = parseArgs(args, { options: ['model', 'candidate', 'against', 'metric', 'mode', 'min-delta', 'slice-max-drop'], flags: ['json', 'no-ingest'] });
  const name = a.options.get('model');
  const candidateText = a.options.get('candidate');
  if (!name || !candidateText) throw new UsageError('gate needs --model NAME --candidate VERSION --metric M --mode max|min');
  if (a.positionals.length) throw new UsageError(`unexpected argument "${a.positionals[0]}"`);
  const candidateVersion = parseVersion(candidateText, '--candidate');
  const against = a.options.get('against') ?? 'champion';
  const sliceMaxDrop = parseNumber(a.options.get('slice-max-drop'), '--slice-max-drop');
  if (sliceMaxDrop !== undefined && sliceMaxDrop < 0) throw new UsageError('--slice-max-drop needs a number ≥ 0');
  const flags = {
    metric: a.options.get('metric'), mode: parseMode(a.options.get('mode')), minDelta: parseNumber(a.options.get('min-delta'), '--min-delta'), sliceMaxDrop,
  };

  const store = await ctx.openStore();
  try {
    if (!a.flags.has('no-ingest')) {
      store.ingest();
      store.save();
    }
    const fileSettings = readWorkspaceGateSettings(store.workspaceRoot);
    for (const p of fileSettings.problems) io.stderr(`warning: ${p}\n`);
    const settings = resolveGateSettings(fileSettings, flags);
    if (!settings) throw new UsageError('gate needs --metric M (or exptrack.gate.metric in .vscode/settings.json)');
    reportRegistryProblems(store, io);

    const model = findModel(readModelRegistry(store.database), name);
    if (!model) {
      io.stderr(`exptrack gate: no model named "${name}"\n`);
      return 2;
    }
    const candidate = model.versions.find((v) => v.version === candidateVersion);
    if (!candidate) {
      io.stderr(`exptrack gate: ${name} has no version ${candidateVersion} (versions: ${model.versions.map((v) => v.version).join(', ')})\n`);
      return 2;
    }
    const againstVersion = /^v?\d+$/i.test(against) ? parseVersion(against, '--against') : aliasHolder(model, against)?.version ?? null;
    const holder = againstVersion === null ? null : model.versions.find((v) => v.version === againstVersion);
    if (holder === undefined) {
      io.stderr(`exptrack gate: ${name} has no version ${againstVersion}\n`);
      return 2;
    }
    const label = /^v?\d+$/i.test(against) ? `v${againstVersion}` : against;
    const result = evaluateGate({
      candidate, holder, metric: settings.metric, mode: settings.mode, minDelta: settings.minDelta, sliceMaxDrop: settings.sliceMaxDrop, holderLabel: label,
    });
    if (a.flags.has('json')) io.stdout(JSON.stringify({ model: name, against, result }, jsonReplacer, 2) + '\n');
    else io.stdout(formatGateReport(result, { model: name, against: label }) + '\n');
    return result.passed ? 0 : 1;
  } finally {
    store.close();
  }
}
