/**
 * Min/max-preserving reduction to a pixel budget (the M4 scheme of Jugel et al.): the x range is
 * cut into `buckets` equal intervals — one per pixel column of the chart — and each bucket keeps
 * the first and last point it holds and the points with the lowest and highest value, of the raw
 * line and of the smoothed line. A line drawn through what is kept covers exactly the pixels the
 * full line covers, so a one-step spike shows at any zoom. Deterministic: the same points in, the
 * same points out (no sampling).
 */

export interface ReduceInput {
  /** The coordinate buckets are cut along (steps), ascending over `[from, to)`. */
  xs: ArrayLike<number>;
  values: ArrayLike<number>;
  smoothed: ArrayLike<number> | null;
  /** The points to reduce: `[from, to)`. */
  from: number;
  to: number;
  /** The x interval the buckets divide (a chart's visible range, shared by all its lines). */
  lo: number;
  hi: number;
  buckets: number;
}

export interface Reduction {
  /** Indexes of the kept points, ascending. */
  kept: Uint32Array;
  /** Where each non-empty bucket's points start in `kept`, and `kept.length` at the end. */
  bucketStarts: Uint32Array;
  /** Non-finite values among the points, which no line shows. */
  nonFinite: number;
}

export function reduceToBuckets(input: ReduceInput): Reduction {
  const { xs, values, smoothed, from, to, lo, hi } = input;
  const buckets = Math.max(1, Math.floor(input.buckets));
  const scale = hi > lo ? buckets / (hi - lo) : 0;
  const kept = new Uint32Array(Math.min(to - from, buckets * (smoothed ? 6 : 4)) + 1);
  const starts: number[] = [];
  let k = 0;
  let nonFinite = 0;
  let bucket = -1;
  let first = -1;
  let last = -1;
  let min = -1;
  let max = -1;
  let sMin = -1;
  let sMax = -1;
  const flush = () => {
    if (first < 0) return;
    starts.push(k);
    const picks = smoothed ? [first, min, max, sMin, sMax, last] : [first, min, max, last];
    picks.sort((a, b) => a - b);
    let previous = -1;
    for (const p of picks) {
      if (p !== previous) kept[k++] = p;
      previous = p;
    }
  };
  for (let i = from; i < to; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) {
      nonFinite++;
      continue;
    }
    const b = Math.min(buckets - 1, Math.max(0, Math.floor((xs[i]! - lo) * scale)));
    if (b !== bucket) {
      flush();
      bucket = b;
      first = min = max = sMin = sMax = i;
    } else {
      if (v < values[min]!) min = i;
      if (v > values[max]!) max = i;
      if (smoothed) {
        const s = smoothed[i]!;
        if (s < smoothed[sMin]!) sMin = i;
        if (s > smoothed[sMax]!) sMax = i;
      }
    }
    last = i;
  }
  flush();
  starts.push(k);
  return { kept: kept.slice(0, k), bucketStarts: Uint32Array.from(starts), nonFinite };
}
