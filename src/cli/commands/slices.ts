/**
 * `exptrack slices RUN [--metric M] [--gap-threshold G] [--json]`: a run's metrics per slice beside
 * the overall value, each slice's example count and gap, the gaps above the threshold flagged, and
 * TFMA's thresholds, validation and blessing for an imported evaluation. Exit 1 when the run has
 * no sliced metrics.
 */
import { parseArgs, UsageError } from '../args';
import type { CliContext, CliIo } from '../cliContext';
import { formatMetricValue, jsonReplacer } from '../../shared/format';
import { DEFAULT_GAP_THRESHOLD } from '../../core/slices/sliceReport';
import type { RunSlices } from '../../shared/slices';
import { renderTable } from '../table';
import { findOneRun } from './show';

export async function slicesCommand(args: string[], io: CliIo, ctx: CliContext): Promise<number> {
  const a = parseArgs(args, { options: ['metric', 'gap-threshold'], flags: ['json', 'no-ingest'] });
  const query = a.positionals[0];
  if (!query || a.positionals.length > 1) throw new UsageError('slices needs one run id (or a unique prefix, or a name)');
  const thresholdText = a.options.get('gap-threshold');
  const gapThreshold = thresholdText === undefined ? DEFAULT_GAP_THRESHOLD : Number(thresholdText);
  if (!Number.isFinite(gapThreshold) || gapThreshold < 0) throw new UsageError(`--gap-threshold needs a number ≥ 0, not "${thresholdText}"`);
  const store = await ctx.openStore();
  try {
    const match = findOneRun(store, query, io, !a.flags.has('no-ingest'));
    if (!match) return 1;
    const report = store.runSlices([match.uid], { metric: a.options.get('metric'), gapThreshold })[0]!;
    if (a.flags.has('json')) io.stdout(JSON.stringify(report, jsonReplacer, 2) + '\n');
    else io.stdout(formatSlices(report));
    if (report.slices.length === 0) {
      io.stderr(`run ${report.uid} has no sliced metrics${a.options.has('metric') ? ` named "${a.options.get('metric')}"` : ''}\n`);
      return 1;
    }
    return 0;
  } finally {
    store.close();
  }
}

function formatSlices(r: RunSlices): string {
  const out = [`run ${r.uid} (${r.name}): ${r.slices.length} slices; gaps beyond ±${formatMetricValue(r.gapThreshold)} are marked !`];
  const value = (v: number | undefined) => (v === undefined ? '' : formatMetricValue(v));
  for (const metric of r.metrics) {
    const rows = r.slices.filter((s) => metric in s.values).map((s) => [
      s.label, s.count === null ? '' : formatMetricValue(s.count), value(s.values[metric]),
      s.gaps[metric] === undefined ? '' : `${s.gaps[metric]! > 0 ? '+' : ''}${formatMetricValue(s.gaps[metric]!)}${s.flagged.includes(metric) ? ' !' : ''}`,
    ]);
    out.push('', `${metric} (overall ${value(r.overall[metric]) || '—'}${r.overallCount === null ? '' : `, ${formatMetricValue(r.overallCount)} examples`})`);
    out.push(renderTable(['SLICE', 'COUNT', 'VALUE', 'GAP'], rows).trimEnd());
  }
  if (r.thresholds.length) {
    out.push('', 'thresholds (eval_config.json)');
    out.push(renderTable(['METRIC', 'SLICE', 'BOUNDS', 'VALUE', 'RESULT'], r.thresholds.map((t) => [
      t.metric, t.slice || 'Overall', `${t.lower === null ? '' : `≥ ${t.lower}`}${t.lower !== null && t.upper !== null ? ' and ' : ''}${t.upper === null ? '' : `≤ ${t.upper}`}`,
      t.value === null ? '—' : formatMetricValue(t.value), t.passed === null ? 'no value' : t.passed ? 'passed' : 'FAILED',
    ])).trimEnd());
  }
  if (r.validation) {
    out.push('', `validation: ${r.validation.passed ? 'passed' : 'FAILED'}`);
    for (const f of r.validation.failures) out.push(`  ${f.slice || 'Overall'} ${f.metric}: ${f.message}`);
  }
  if (r.blessed !== null) out.push('', r.blessed ? 'blessed (BLESSED)' : 'not blessed (NOT_BLESSED)');
  return out.join('\n') + '\n';
}
