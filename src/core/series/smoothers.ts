/**
 * The four smoothings, over every point of a series in step order (never over a down-sampled
 * sample, so a long run smooths as TensorBoard and W&B smooth it). Non-finite values pass through
 * as they are and never enter an average.
 *
 * - ema: TensorBoard's exponential moving average, debiased like Adam's moments so the first
 *   points are not pulled towards zero; a series whose values are all equal is left as it is.
 * - twema: W&B's time-weighted EMA: the weight sqrt(amount) (at most 0.999) decays with the
 *   distance in x between points, measured in thousandths of the chart's x range, so runs logged
 *   at different densities smooth alike.
 * - gauss: the weighted mean of the points within 4 σ, weights exp(−d² / 2σ²) of the distance in
 *   steps; wider kernels than WIDE_KERNEL points are summed over bins of σ/16 steps.
 * - avg: the mean of the points whose step lies in [x − N/2, x + N/2): N points for one point a step.
 *
 * ema and twema are recursive: their state at any point lets a zoomed range continue where the
 * whole series was, so a zoom reads only the chunks it shows (seriesPipeline.ts).
 */

/** Where an ema or twema stands after some points; a fresh state starts a series. */
export interface RecursiveState {
  /** ema: the biased average; twema: the weighted sum. */
  sum: number;
  /** ema: the points averaged; twema: the sum of weights. */
  weight: number;
  /** twema: the x of the last point averaged (NaN before the first). */
  lastX: number;
}

export function freshState(): RecursiveState {
  return { sum: 0, weight: 0, lastX: NaN };
}

/** 2^-60: 1 − x is exactly 1 for any x below it (and for any x below 2^-54, whatever Math.pow rounds). */
const NEGLIGIBLE_BIAS = 2 ** -60;

/** TensorBoard's debiased EMA of `ys[from..to)` into `out`, continuing from `state` (updated). */
export function emaInto(ys: ArrayLike<number>, from: number, to: number, amount: number, state: RecursiveState, out: Float64Array): void {
  const w = amount;
  let last = state.sum;
  let count = state.weight;
  // Once w^count is far below half an ulp of 1, 1 − w^count is exactly 1: dividing by it changes
  // nothing, so the Math.pow a point (most of the cost) stops after the first points.
  let debiased = w === 1 || Math.pow(w, count) < NEGLIGIBLE_BIAS;
  for (let i = from; i < to; i++) {
    const v = ys[i]!;
    if (!Number.isFinite(v)) {
      out[i] = v;
      continue;
    }
    last = last * w + (1 - w) * v;
    count++;
    if (debiased) {
      out[i] = last;
      continue;
    }
    const bias = Math.pow(w, count);
    out[i] = last / (1 - bias);
    debiased = bias < NEGLIGIBLE_BIAS;
  }
  state.sum = last;
  state.weight = count;
}

/** W&B's VIEWPORT_SCALE: a gap in x counts in thousandths of the chart's x range. */
export const TWEMA_SCALE = 1000;

/** W&B's time-weighted EMA of `ys[from..to)` at `xs` into `out`; `rangeOfX` is the chart's x range. */
export function twemaInto(
  xs: ArrayLike<number>, ys: ArrayLike<number>, from: number, to: number, amount: number, rangeOfX: number, state: RecursiveState, out: Float64Array,
): void {
  const w = Math.min(Math.sqrt(amount), 0.999);
  const scale = TWEMA_SCALE / (rangeOfX > 0 && Number.isFinite(rangeOfX) ? rangeOfX : 1);
  let sum = state.sum;
  let weights = state.weight;
  let lastX = state.lastX;
  // Evenly logged steps repeat the same gap: its decay is computed once.
  let lastGap = NaN;
  let decay = 1;
  for (let i = from; i < to; i++) {
    const v = ys[i]!;
    if (!Number.isFinite(v)) {
      out[i] = v;
      continue;
    }
    const x = xs[i]!;
    const gap = Number.isNaN(lastX) ? 0 : (x - lastX) * scale;
    if (gap !== lastGap) {
      decay = Math.pow(w, gap);
      lastGap = gap;
    }
    sum = sum * decay + v;
    weights = weights * decay + 1;
    lastX = x;
    out[i] = sum / weights;
  }
  state.sum = sum;
  state.weight = weights;
  state.lastX = lastX;
}

/** How far (in steps) a windowed smoothing looks on each side of a point. */
export function windowReach(kind: 'gauss' | 'avg', amount: number): number {
  return kind === 'gauss' ? 4 * amount : amount / 2;
}

/** More points than this under one Gaussian kernel are summed over bins instead of one by one. */
export const WIDE_KERNEL = 512;
const BINS_PER_SIGMA = 16;

/**
 * The Gaussian-weighted mean at each point of `[from, to)`, over the points of `[0, n)` within
 * 4 σ (xs ascending). Points outside `[from, to)` are only read.
 */
export function gaussInto(xs: ArrayLike<number>, ys: ArrayLike<number>, n: number, from: number, to: number, sigma: number, out: Float64Array): void {
  const reach = windowReach('gauss', sigma);
  const span = n > 1 ? (xs[n - 1]! - xs[0]!) / (n - 1) : 1;
  const perKernel = span > 0 ? (2 * reach) / span : n;
  if (perKernel > WIDE_KERNEL) {
    gaussBinnedInto(xs, ys, n, from, to, sigma, out);
    return;
  }
  const k = -1 / (2 * sigma * sigma);
  let lo = 0;
  let hi = 0;
  for (let i = from; i < to; i++) {
    const v = ys[i]!;
    if (!Number.isFinite(v)) {
      out[i] = v;
      continue;
    }
    const x = xs[i]!;
    while (xs[lo]! < x - reach) lo++;
    if (hi < i) hi = i;
    while (hi + 1 < n && xs[hi + 1]! <= x + reach) hi++;
    let sum = 0;
    let weights = 0;
    for (let j = lo; j <= hi; j++) {
      const y = ys[j]!;
      if (!Number.isFinite(y)) continue;
      const d = xs[j]! - x;
      const wj = Math.exp(d * d * k);
      sum += wj * y;
      weights += wj;
    }
    out[i] = sum / weights;
  }
}

/**
 * The same mean for a wide kernel: the finite points are first summed into bins of σ/16 steps
 * (their count, the sum of their values and of their steps), and each point weighs the bins by
 * the distance to the bin's mean step. The error is far below what a chart can show.
 */
function gaussBinnedInto(xs: ArrayLike<number>, ys: ArrayLike<number>, n: number, from: number, to: number, sigma: number, out: Float64Array): void {
  const width = sigma / BINS_PER_SIGMA;
  const origin = xs[0]!;
  const binCount = Math.floor((xs[n - 1]! - origin) / width) + 1;
  const count = new Float64Array(binCount);
  const sumY = new Float64Array(binCount);
  const sumX = new Float64Array(binCount);
  for (let j = 0; j < n; j++) {
    const y = ys[j]!;
    if (!Number.isFinite(y)) continue;
    const b = Math.floor((xs[j]! - origin) / width);
    count[b]! += 1;
    sumY[b]! += y;
    sumX[b]! += xs[j]!;
  }
  const reachBins = Math.ceil((4 * sigma) / width) + 1;
  const k = -1 / (2 * sigma * sigma);
  for (let i = from; i < to; i++) {
    const v = ys[i]!;
    if (!Number.isFinite(v)) {
      out[i] = v;
      continue;
    }
    const x = xs[i]!;
    const b = Math.floor((x - origin) / width);
    let sum = 0;
    let weights = 0;
    for (let c = Math.max(0, b - reachBins); c <= Math.min(binCount - 1, b + reachBins); c++) {
      if (count[c] === 0) continue;
      const d = sumX[c]! / count[c]! - x;
      const wc = Math.exp(d * d * k);
      sum += wc * sumY[c]!;
      weights += wc * count[c]!;
    }
    out[i] = sum / weights;
  }
}

/**
 * The running average at each point of `[from, to)`: the mean of the finite values whose step
 * lies in [x − N/2, x + N/2), over the points of `[0, n)` (xs ascending).
 */
export function avgInto(xs: ArrayLike<number>, ys: ArrayLike<number>, n: number, from: number, to: number, window: number, out: Float64Array): void {
  const half = window / 2;
  let lo = 0;
  let hi = 0; // the window is [lo, hi)
  let sum = 0;
  let count = 0;
  let sinceResync = 0;
  for (let i = from; i < to; i++) {
    const v = ys[i]!;
    const x = xs[i]!;
    while (hi < n && xs[hi]! < x + half) {
      const y = ys[hi]!;
      if (Number.isFinite(y)) {
        sum += y;
        count++;
      }
      hi++;
    }
    while (xs[lo]! < x - half) {
      const y = ys[lo]!;
      if (Number.isFinite(y)) {
        sum -= y;
        count--;
      }
      lo++;
    }
    // Adding and taking away drifts by rounding: the sum is taken afresh now and then.
    if (++sinceResync === 1024) {
      sinceResync = 0;
      sum = 0;
      for (let j = lo; j < hi; j++) if (Number.isFinite(ys[j]!)) sum += ys[j]!;
    }
    out[i] = Number.isFinite(v) ? sum / count : v;
  }
}

/** True when every value is finite and the same: TensorBoard then draws the values unsmoothed. */
export function isConstant(ys: ArrayLike<number>, n: number): boolean {
  if (n === 0) return true;
  const first = ys[0]!;
  if (!Number.isFinite(first)) return false;
  for (let i = 1; i < n; i++) if (ys[i] !== first) return false;
  return true;
}
