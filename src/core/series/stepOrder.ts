/**
 * The order every reader of a series shows its points in: by step, then time; points without a
 * step after the others in logged order. Stable, like sortPoints (metricBlocks.ts).
 */
import type { PointColumns } from '../store/seriesChunks';

/** The columns in step order: usually already so, and then returned as they are. */
export function inStepOrder(c: PointColumns): PointColumns {
  const n = c.values.length;
  const steps = c.steps;
  let sorted = true;
  for (let i = 1; i < n && sorted; i++) {
    // Strictly increasing steps (the usual case) need no closer look; ties, NaN and drops do.
    if (!(steps[i]! > steps[i - 1]!)) sorted = compare(c, i - 1, i) <= 0;
  }
  if (sorted) return c;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => compare(c, a, b) || a - b);
  const withTimes = c.times.length === n;
  const out = { steps: new Float64Array(n), times: new Float64Array(withTimes ? n : 0), values: new Float64Array(n) };
  order.forEach((from, to) => {
    out.steps[to] = c.steps[from]!;
    if (withTimes) out.times[to] = c.times[from]!;
    out.values[to] = c.values[from]!;
  });
  return out;
}

function compare(c: PointColumns, a: number, b: number): number {
  const sa = Number.isNaN(c.steps[a]!) ? Infinity : c.steps[a]!;
  const sb = Number.isNaN(c.steps[b]!) ? Infinity : c.steps[b]!;
  if (sa !== sb) return sa - sb;
  const ta = c.times[a] ?? NaN; // no times read: ties keep their logged order
  const tb = c.times[b] ?? NaN;
  return (Number.isNaN(ta) ? 0 : ta) - (Number.isNaN(tb) ? 0 : tb);
}
