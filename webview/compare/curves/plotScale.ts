/** The mapping of data values to pixels along one axis, linear or logarithmic, with round ticks. */

export interface PlotScale {
  /** The data interval shown. */
  readonly min: number;
  readonly max: number;
  /** Pixel of a value (may lie outside the plot for values outside the interval). */
  pixel(value: number): number;
  value(pixel: number): number;
  ticks(maxCount: number): number[];
  readonly log: boolean;
  /** [a, b] with pixel(v) = a + b·v (a + b·log10 v on a log axis): the map as a canvas transform. */
  affine(): [number, number];
}

/** A scale from [min, max] onto pixels [from, to] (to < from for a y axis that grows upwards). */
export function plotScale(min: number, max: number, from: number, to: number, log: boolean): PlotScale {
  if (log) {
    const lo = Math.log10(min);
    const hi = Math.log10(max);
    const k = hi > lo ? (to - from) / (hi - lo) : 0;
    return {
      min, max, log,
      pixel: (v) => from + (Math.log10(v) - lo) * k,
      value: (p) => Math.pow(10, lo + (k ? (p - from) / k : 0)),
      ticks: (count) => logTicks(min, max, count),
      affine: () => [from - lo * k, k],
    };
  }
  const k = max > min ? (to - from) / (max - min) : 0;
  return {
    min, max, log,
    pixel: (v) => from + (v - min) * k,
    value: (p) => min + (k ? (p - from) / k : 0),
    ticks: (count) => linearTicks(min, max, count),
    affine: () => [from - min * k, k],
  };
}

/** Round values (1, 2 or 5 × 10^k apart) inside [min, max], at most about `count`. */
export function linearTicks(min: number, max: number, count: number): number[] {
  if (!(max > min) || count < 1) return Number.isFinite(min) ? [min] : [];
  const raw = (max - min) / count;
  const power = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const out: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : Number(v.toPrecision(12)));
  return out;
}

/** Powers of ten inside [min, max]; with 2 and 5 between them when few decades are shown. */
export function logTicks(min: number, max: number, count: number): number[] {
  const lo = Math.floor(Math.log10(min));
  const hi = Math.ceil(Math.log10(max));
  const decades = hi - lo;
  const every = Math.max(1, Math.ceil(decades / count));
  const out: number[] = [];
  for (let e = lo; e <= hi; e += every) {
    for (const m of decades <= count / 3 ? [1, 2, 5] : [1]) {
      const v = m * Math.pow(10, e);
      if (v >= min && v <= max) out.push(Number(v.toPrecision(12)));
    }
  }
  return out.length ? out : linearTicks(min, max, count);
}

/** [min, max] widened by a margin, never empty; positive for a log axis. */
export function padded(min: number, max: number, log: boolean): [number, number] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return log ? [0.1, 1] : [0, 1];
  if (log) {
    if (max <= min) return [min / 2, max * 2];
    const f = Math.pow(max / min, 0.05);
    return [min / f, max * f];
  }
  if (max <= min) {
    const d = Math.abs(min) * 0.1 || 1;
    return [min - d, max + d];
  }
  const d = (max - min) * 0.05;
  return [min - d, max + d];
}
