/**
 * Min/max-preserving down-sampling of a metric series (the M4 scheme): the points, in step order,
 * are cut into equal buckets by index, and each bucket keeps its first, last, lowest and highest
 * finite point, in their original order. A one-step spike therefore always survives, and at most
 * `maxPoints` points are kept. Non-finite values are never kept: a chart cannot draw them.
 */

import type { PointColumns } from '../store/seriesChunks';

export type { PointColumns };

export interface DownsampledColumns extends PointColumns {
  /** Non-finite values in the input. */
  nonFinite: number;
}

/** The smallest budget that still holds one bucket's four points. */
export const MIN_POINTS = 4;

export function downsampleMinMax(input: PointColumns, maxPoints: number): DownsampledColumns {
  const { values } = input;
  const n = values.length;
  let nonFinite = 0;
  for (let i = 0; i < n; i++) if (!Number.isFinite(values[i]!)) nonFinite++;
  const budget = Math.max(MIN_POINTS, Math.floor(maxPoints));

  if (n - nonFinite <= budget) {
    if (nonFinite === 0) return { steps: input.steps.slice(), times: input.times.slice(), values: values.slice(), nonFinite };
    const keep = new Uint32Array(n - nonFinite);
    let k = 0;
    for (let i = 0; i < n; i++) if (Number.isFinite(values[i]!)) keep[k++] = i;
    return { ...gather(input, keep, k), nonFinite };
  }

  const buckets = Math.floor(budget / 4);
  const keep = new Uint32Array(buckets * 4);
  let k = 0;
  for (let b = 0; b < buckets; b++) {
    const lo = Math.floor((b * n) / buckets);
    const hi = Math.floor(((b + 1) * n) / buckets);
    let first = -1;
    let last = -1;
    let min = -1;
    let max = -1;
    for (let i = lo; i < hi; i++) {
      const v = values[i]!;
      if (!Number.isFinite(v)) continue;
      if (first < 0) {
        first = min = max = i;
      } else {
        if (v < values[min]!) min = i;
        if (v > values[max]!) max = i;
      }
      last = i;
    }
    if (first < 0) continue;
    k = pushAscendingOnce(keep, k, first, min, max, last);
  }
  return { ...gather(input, keep, k), nonFinite };
}

/** Appends the four indexes in ascending order, each once (first <= min, max <= last). */
function pushAscendingOnce(keep: Uint32Array, k: number, first: number, min: number, max: number, last: number): number {
  let lo = min;
  let hi = max;
  if (lo > hi) {
    lo = max;
    hi = min;
  }
  keep[k++] = first;
  if (lo !== first) keep[k++] = lo;
  if (hi !== lo) keep[k++] = hi;
  if (last !== hi) keep[k++] = last;
  return k;
}

function gather(input: PointColumns, keep: Uint32Array, count: number): PointColumns {
  const withTimes = input.times.length > 0;
  const steps = new Float64Array(count);
  const times = new Float64Array(withTimes ? count : 0);
  const values = new Float64Array(count);
  for (let j = 0; j < count; j++) {
    const i = keep[j]!;
    steps[j] = input.steps[i]!;
    if (withTimes) times[j] = input.times[i]!;
    values[j] = input.values[i]!;
  }
  return { steps, times, values };
}
