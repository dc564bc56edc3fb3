/**
 * Metric points as objects, for the readers that want them one by one (CLI `show`, sync, tests):
 * made from the chunk columns (seriesChunks.ts), where NaN stands for "no step" and "no time".
 */
import type { MetricPoint } from '../../shared/runTypes';

export function toPoints(steps: Float64Array, times: Float64Array, values: Float64Array, out: MetricPoint[] = []): MetricPoint[] {
  for (let i = 0; i < values.length; i++) {
    const step = steps[i]!;
    const time = times[i]!;
    out.push({ step: Number.isNaN(step) ? null : step, time: Number.isNaN(time) ? null : time, value: values[i]! });
  }
  return out;
}

/** Step order, then time; points without a step keep their logged order, after those with one. Stable. */
export function sortPoints(points: MetricPoint[]): MetricPoint[] {
  return points.sort((a, b) => {
    const sa = a.step ?? Infinity;
    const sb = b.step ?? Infinity;
    if (sa !== sb) return sa - sb;
    return (a.time ?? 0) - (b.time ?? 0);
  });
}
