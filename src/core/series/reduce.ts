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
  const picks = new Int32Array(6);
  const pickCount = smoothed ? 6 : 4;
  let k = 0;
  let nonFinite = 0;
  let bucket = -1;
  // The current bucket's picks and their values, in locals: the scan is the hot loop of every chart.
  let first = -1;
  let last = -1;
  let min = -1;
  let max = -1;
  let sMin = -1;
  let sMax = -1;
  let minV = 0;
  let maxV = 0;
  let sMinV = 0;
  let sMaxV = 0;
  for (let i = from; i < to; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) {
      nonFinite++;
      continue;
    }
    const b = Math.min(buckets - 1, Math.max(0, Math.floor((xs[i]! - lo) * scale)));
    if (b !== bucket) {
      if (first >= 0) {
        starts.push(k);
        k = keep(kept, k, picks, pickCount, first, min, max, last, sMin, sMax);
      }
      bucket = b;
      first = min = max = sMin = sMax = i;
      minV = maxV = v;
      if (smoothed) sMinV = sMaxV = smoothed[i]!;
    } else {
      if (v < minV) {
        min = i;
        minV = v;
      }
      if (v > maxV) {
        max = i;
        maxV = v;
      }
      if (smoothed) {
        const sv = smoothed[i]!;
        if (sv < sMinV) {
          sMin = i;
          sMinV = sv;
        }
        if (sv > sMaxV) {
          sMax = i;
          sMaxV = sv;
        }
      }
    }
    last = i;
  }
  if (first >= 0) {
    starts.push(k);
    k = keep(kept, k, picks, pickCount, first, min, max, last, sMin, sMax);
  }
  starts.push(k);
  return { kept: kept.slice(0, k), bucketStarts: Uint32Array.from(starts), nonFinite };
}

/** Writes one bucket's picks (the first `count` of these) to `kept` from `k` on, ascending and once each; returns the new end. */
function keep(kept: Uint32Array, k: number, picks: Int32Array, count: number, first: number, min: number, max: number, last: number, sMin: number, sMax: number): number {
  picks[0] = first;
  picks[1] = min;
  picks[2] = max;
  picks[3] = last;
  picks[4] = sMin;
  picks[5] = sMax;
  for (let a = 1; a < count; a++) {
    const p = picks[a]!;
    let b = a - 1;
    for (; b >= 0 && picks[b]! > p; b--) picks[b + 1] = picks[b]!;
    picks[b + 1] = p;
  }
  let previous = -1;
  for (let a = 0; a < count; a++) {
    const p = picks[a]!;
    if (p !== previous) kept[k++] = p;
    previous = p;
  }
  return k;
}
