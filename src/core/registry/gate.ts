/**
 * The champion–challenger gate: does a candidate version beat the version holding an alias on one
 * metric? Values are the `last` value of each version's source-run metric summary (the latest by
 * step, then time — what the run ended with, as MLflow's "latest" means). The candidate passes when
 * its improvement (candidate − holder for `max`, holder − candidate for `min`) is at least
 * `minDelta`; with minDelta 0 a tie passes ("not worse"), a negative minDelta tolerates a loss.
 * No holder, or a holder without the metric, passes: there is nothing to be worse than. A
 * candidate without the metric (or with NaN) fails: it cannot show it is good enough.
 */
import type { GateMode, GateResult, SliceDrop } from '../../shared/modelTypes';
import { sliceLabel, type SliceMetricValue } from '../../shared/slices';
import type { GateRecord } from '../../shared/registryEvents';
import { numberToMetricValue } from '../../shared/runEvents';
import type { MetricSummary } from '../../shared/runTypes';

export interface GateSubject {
  version: number;
  metrics: readonly MetricSummary[];
  sliceMetrics?: readonly SliceMetricValue[];
}

export interface GateInput {
  candidate: GateSubject;
  holder: GateSubject | null;
  metric: string;
  mode: GateMode;
  minDelta: number;
  /** When set (≥ 0), a slice where the candidate is worse than the holder by more than this fails the gate. */
  sliceMaxDrop?: number | null;
  /** How the holder is named in the reason, e.g. "champion". */
  holderLabel?: string;
}

/**
 * The gate, and then — when it passed overall and `sliceMaxDrop` is set — the slice check: the
 * candidate fails if on any slice both versions measured it is worse than the holder by more than
 * the allowed drop, whatever it gained overall (a model better on average and worse for a group).
 */
export function evaluateGate(input: GateInput): GateResult {
  const overall = evaluateOverall(input);
  const maxDrop = input.sliceMaxDrop;
  if (maxDrop === undefined || maxDrop === null || !input.holder || input.holder.version === input.candidate.version) return overall;
  const drops = sliceDrops(input.candidate, input.holder, input.metric, input.mode);
  const result: GateResult = { ...overall, slices: { maxDrop, drops } };
  const label = input.holderLabel ?? 'the holder';
  const worst = drops[0];
  if (!worst) return { ...result, reason: `${overall.reason}; no slice of "${input.metric}" that both versions measured` };
  const scale = Math.max(1, ...[worst.candidate, worst.holder].filter(Number.isFinite).map(Math.abs));
  const tolerance = 1e-12 * scale;
  if (worst.drop > maxDrop + tolerance) {
    const over = drops.filter((d) => d.drop > maxDrop + tolerance);
    const worse = `${over.length} of ${drops.length} slices drop more than ${formatMetric(maxDrop)}; worst: slice ${worst.slice}: `
      + `v${input.candidate.version} ${input.metric}=${formatMetric(worst.candidate)} vs ${label} v${input.holder.version} ${formatMetric(worst.holder)}, drop ${formatMetric(worst.drop)}`;
    return { ...result, passed: false, reason: `${overall.passed ? `better overall (${overall.reason}), but ` : `${overall.reason}; and `}${worse}` };
  }
  return { ...result, reason: `${overall.reason}; no slice drops more than ${formatMetric(maxDrop)} (largest: ${worst.slice}, ${formatSigned(-worst.drop)})` };
}

/** Slices both versions have, the candidate's loss against the holder on each, worst first. */
function sliceDrops(candidate: GateSubject, holder: GateSubject, metric: string, mode: GateMode): SliceDrop[] {
  const held = new Map<string, number>();
  for (const v of holder.sliceMetrics ?? []) if (v.key === metric && !Number.isNaN(v.value)) held.set(sliceLabel(v.slice), v.value);
  const drops: SliceDrop[] = [];
  for (const v of candidate.sliceMetrics ?? []) {
    if (v.key !== metric) continue;
    const slice = sliceLabel(v.slice);
    const other = held.get(slice);
    if (other === undefined) continue;
    // A NaN on the candidate's side is as bad as it gets: it cannot show the slice is fine.
    const drop = Number.isNaN(v.value) ? Infinity : mode === 'max' ? other - v.value : v.value - other;
    drops.push({ slice, candidate: v.value, holder: other, drop: Number.isNaN(drop) ? 0 : drop });
  }
  return drops.sort((a, b) => b.drop - a.drop || a.slice.localeCompare(b.slice));
}

function evaluateOverall(input: GateInput): GateResult {
  const { candidate, holder, metric, mode, minDelta } = input;
  const label = input.holderLabel ?? 'the holder';
  const base = { metric, mode, minDelta, candidateVersion: candidate.version, holderVersion: holder?.version ?? null };
  const candidateValue = lastValue(candidate, metric);
  const holderValue = holder ? lastValue(holder, metric) : null;
  const verdict = (passed: boolean, delta: number | null, reason: string): GateResult =>
    ({ ...base, passed, candidateValue, holderValue, delta, reason });

  if (candidateValue === null) {
    const why = candidate.metrics.length === 0 ? 'it has no source run with metrics' : 'its run did not log it';
    return verdict(false, null, `candidate v${candidate.version} has no "${metric}" (${why})`);
  }
  if (Number.isNaN(candidateValue)) return verdict(false, null, `candidate v${candidate.version}'s last "${metric}" is NaN`);
  if (holder === null) return verdict(true, null, `no version holds ${label}: v${candidate.version} passes without a comparison`);
  if (holder.version === candidate.version) return verdict(true, 0, `v${candidate.version} already holds ${label}`);
  if (holderValue === null || Number.isNaN(holderValue)) {
    return verdict(true, null, `${label} v${holder.version} has no "${metric}" to compare against: v${candidate.version} passes`);
  }

  let delta = mode === 'max' ? candidateValue - holderValue : holderValue - candidateValue;
  if (Number.isNaN(delta)) delta = 0; // both the same infinity
  // Subtraction of decimals is inexact (0.3 − 0.2 < 0.1): allow for rounding of the inputs.
  const tolerance = 1e-12 * Math.max(1, Math.abs(candidateValue), Math.abs(holderValue));
  const passed = delta >= minDelta - (Number.isFinite(tolerance) ? tolerance : 0);
  const direction = mode === 'max' ? 'higher is better' : 'lower is better';
  const comparison = `v${candidate.version} ${metric}=${formatMetric(candidateValue)} vs ${label} v${holder.version} ${metric}=${formatMetric(holderValue)}`;
  const rule = `improvement ${formatSigned(delta)} ${passed ? '≥' : '<'} min delta ${formatMetric(minDelta)} (${direction})`;
  return verdict(passed, delta, `${comparison}: ${rule}`);
}

function lastValue(subject: GateSubject, metric: string): number | null {
  return subject.metrics.find((m) => m.key === metric)?.last ?? null;
}

/** The verdict as it is recorded in a promotion event. */
export function gateRecordOf(result: GateResult): GateRecord {
  const mv = (n: number | null) => (n === null ? null : numberToMetricValue(n));
  return {
    metric: result.metric, mode: result.mode, minDelta: result.minDelta,
    candidate: { version: result.candidateVersion, value: mv(result.candidateValue) },
    holder: result.holderVersion === null ? null : { version: result.holderVersion, value: mv(result.holderValue) },
    delta: mv(result.delta), passed: result.passed, reason: result.reason.slice(0, 1000),
  };
}

/** A readable report of a verdict, for the CLI and the promotion dialog. */
export function formatGateReport(result: GateResult, ctx: { model: string; against: string }): string {
  const direction = result.mode === 'max' ? 'higher is better' : 'lower is better';
  const value = (v: number | null) => (v === null ? '—' : formatMetric(v));
  const rows: [string, string][] = [[`candidate v${result.candidateVersion}`, value(result.candidateValue)]];
  rows.push([result.holderVersion === null ? `${ctx.against} (none)` : `${ctx.against} v${result.holderVersion}`, value(result.holderValue)]);
  if (result.delta !== null) rows.push(['improvement', formatSigned(result.delta)]);
  const width = Math.max(...rows.map((r) => r[0].length));
  return [
    `Gate: ${ctx.model} v${result.candidateVersion} against ${ctx.against} on "${result.metric}" (${direction}, min delta ${formatMetric(result.minDelta)})`,
    ...rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`),
    `${result.passed ? 'PASSED' : 'FAILED'}: ${result.reason}`,
  ].join('\n');
}

export function formatMetric(n: number): string {
  if (!Number.isFinite(n) || Number.isInteger(n)) return String(n);
  return String(Number(n.toPrecision(6)));
}

function formatSigned(n: number): string {
  return n > 0 ? `+${formatMetric(n)}` : formatMetric(n);
}
