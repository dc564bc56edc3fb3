import type { Histogram, HistogramBucket, Quantile } from '../../shared/schemaDiff';

export const DEFAULT_QUANTILES = [0, 0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 1];

/**
 * TFDV's "standard" histogram: `buckets` equal-width buckets over [min, max] of the finite values
 * (the last bucket includes max), or one point bucket [v, v] when all values are equal. Counts come
 * from the sorted sample, scaled to `finiteCount` (exact when the sample holds every value).
 */
export function standardHistogram(
  sortedSample: readonly number[],
  min: number,
  max: number,
  finiteCount: number,
  buckets: number,
  nonFinite: { nan: number; negInfinity: number; posInfinity: number },
): Histogram {
  const out: HistogramBucket[] = [];
  if (finiteCount > 0 && sortedSample.length > 0) {
    if (min === max) {
      out.push({ low: min, high: max, count: finiteCount });
    } else {
      const width = (max - min) / buckets;
      const counts = new Array<number>(buckets).fill(0);
      for (const x of sortedSample) {
        const i = Math.min(buckets - 1, Math.max(0, Math.floor((x - min) / width)));
        counts[i]++;
      }
      const scale = finiteCount / sortedSample.length;
      for (let i = 0; i < buckets; i++) {
        out.push({
          low: min + i * width,
          high: i === buckets - 1 ? max : min + (i + 1) * width,
          count: counts[i] * scale,
        });
      }
    }
  }
  return { buckets: out, ...nonFinite };
}

/** Linear interpolation between order statistics (numpy's default); q=0 and q=1 give min and max. */
export function quantilesOf(sortedSample: readonly number[], qs: readonly number[], min: number, max: number): Quantile[] {
  const n = sortedSample.length;
  if (n === 0) return [];
  return qs.map((q) => {
    if (q <= 0) return { q, value: min };
    if (q >= 1) return { q, value: max };
    const pos = q * (n - 1);
    const lo = Math.floor(pos);
    const hi = Math.min(n - 1, lo + 1);
    const value = sortedSample[lo] + (sortedSample[hi] - sortedSample[lo]) * (pos - lo);
    return { q, value };
  });
}
