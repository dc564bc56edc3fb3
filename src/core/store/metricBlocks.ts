/**
 * Packing metric points into blocks: three float64 arrays per block. NaN stands for "no step" and
 * "no time"; values keep NaN and ±Infinity exactly, which SQLite's REAL columns could not.
 */
import type { MetricPoint } from '../../shared/runTypes';

export const BLOCK_POINTS = 4096;

export interface PointColumns {
  steps: number[];
  times: number[];
  values: number[];
}

export function emptyColumns(): PointColumns {
  return { steps: [], times: [], values: [] };
}

export function encodeColumn(values: readonly number[]): Uint8Array {
  const f = Float64Array.from(values);
  return new Uint8Array(f.buffer, f.byteOffset, f.byteLength);
}

export function decodeColumn(blob: Uint8Array): Float64Array {
  // Copy: the bytes from sql.js may not be 8-byte aligned.
  const copy = new Uint8Array(blob.byteLength);
  copy.set(blob);
  return new Float64Array(copy.buffer, 0, copy.byteLength / 8);
}

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
