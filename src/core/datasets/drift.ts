/**
 * Distribution drift between two datasets' columns, defined as TFDV computes it
 * (tensorflow_data_validation/anomalies/metrics.cc):
 *
 * - L-infinity (categorical): max over values v of |p_a(v) - p_b(v)|, each side's value counts
 *   normalised by its own total (TFDV's kSeparateTotal), values from the counted top values.
 * - Jensen–Shannon divergence: (KL(P‖M) + KL(Q‖M)) / 2 with M = (P + Q) / 2, in bits (log base 2,
 *   so 0..1), capped at 1 as TFDV does. Categorical: over the value counts. Numeric: over the two
 *   sides' standard (equal-width) histograms after aligning them — the union of both sides' bucket
 *   boundaries, each bucket's count spread uniformly over the new buckets it covers; point buckets
 *   (all values equal) stay separate point masses.
 *   One deliberate difference: TFDV appends each side's NaN and infinite counts as buckets that
 *   never match the other side's; here NaN, -Infinity and +Infinity get one bucket each on both
 *   sides, so equal shares of NaN do not count as divergence.
 * - PSI (population stability index, not in TFDV): Σ (b - a) · ln(b / a) over bins, with a zero
 *   proportion replaced by 1e-4. Numeric bins are A's deciles (from its sample); categorical bins
 *   are the values.
 */
import type { AlignedBucket, Histogram, HistogramBucket, ValueCount } from '../../shared/schemaDiff';

export const PSI_EPSILON = 1e-4;

function normalise(counts: ReadonlyMap<string, number>): Map<string, number> {
  let total = 0;
  for (const c of counts.values()) total += c;
  const out = new Map<string, number>();
  if (total > 0) for (const [k, c] of counts) out.set(k, c / total);
  return out;
}

function toMap(values: readonly ValueCount[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const v of values) m.set(v.value, (m.get(v.value) ?? 0) + v.count);
  return m;
}

/** Sorted union of both sides' values (code-unit order, for deterministic output). */
function unionKeys(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): string[] {
  return [...new Set([...a.keys(), ...b.keys()])].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
}

/**
 * L-infinity distance and the value where it is reached (ties: the first value in sorted order).
 * Undefined when either side has no values.
 */
export function lInfinity(a: readonly ValueCount[], b: readonly ValueCount[]): { distance: number; value: string } | undefined {
  const pa = normalise(toMap(a));
  const pb = normalise(toMap(b));
  if (pa.size === 0 || pb.size === 0) return undefined;
  let best = { distance: -1, value: '' };
  for (const k of unionKeys(pa, pb)) {
    const d = Math.abs((pa.get(k) ?? 0) - (pb.get(k) ?? 0));
    if (d > best.distance) best = { distance: d, value: k };
  }
  return best;
}

/** JS divergence (bits, capped at 1) of two distributions given as aligned non-negative weights. */
export function jensenShannon(p: readonly number[], q: readonly number[]): number | undefined {
  const sp = p.reduce((s, x) => s + x, 0);
  const sq = q.reduce((s, x) => s + x, 0);
  if (!(sp > 0) || !(sq > 0) || p.length !== q.length) return undefined;
  let kl = 0;
  for (let i = 0; i < p.length; i++) {
    const a = p[i] / sp;
    const b = q[i] / sq;
    const m = (a + b) / 2;
    if (a > 0) kl += a * Math.log2(a / m);
    if (b > 0) kl += b * Math.log2(b / m);
  }
  return Math.min(Math.max(kl / 2, 0), 1);
}

export function jensenShannonCategorical(a: readonly ValueCount[], b: readonly ValueCount[]): { value: number; buckets: AlignedBucket[] } | undefined {
  const ma = toMap(a);
  const mb = toMap(b);
  const keys = unionKeys(ma, mb);
  const value = jensenShannon(keys.map((k) => ma.get(k) ?? 0), keys.map((k) => mb.get(k) ?? 0));
  if (value === undefined) return undefined;
  const pa = normalise(ma);
  const pb = normalise(mb);
  return { value, buckets: keys.map((k) => ({ label: k, a: pa.get(k) ?? 0, b: pb.get(k) ?? 0 })) };
}

/**
 * Re-buckets `buckets` onto `boundaries` (which contain all of its own boundaries), spreading each
 * bucket's count uniformly over the new buckets it covers — TFDV's RebucketHistogram.
 */
export function rebucket(buckets: readonly HistogramBucket[], boundaries: readonly number[]): number[] {
  const out = new Array<number>(Math.max(0, boundaries.length - 1)).fill(0);
  for (const bucket of buckets) {
    const width = bucket.high - bucket.low;
    for (let i = 0; i < out.length; i++) {
      const lo = Math.max(bucket.low, boundaries[i]);
      const hi = Math.min(bucket.high, boundaries[i + 1]);
      if (hi > lo) out[i] += (bucket.count * (hi - lo)) / width;
    }
  }
  return out;
}

function isPoint(b: HistogramBucket): boolean {
  return b.low === b.high;
}

function formatEdge(x: number): string {
  return Number.isInteger(x) ? String(x) : Number(x.toPrecision(6)).toString();
}

/** Both sides' histograms on common buckets (counts, not yet normalised). */
export function alignHistograms(a: Histogram, b: Histogram): AlignedBucket[] {
  const rangeA = a.buckets.filter((x) => !isPoint(x));
  const rangeB = b.buckets.filter((x) => !isPoint(x));
  const boundaries = [...new Set([...rangeA, ...rangeB].flatMap((x) => [x.low, x.high]))].sort((x, y) => x - y);
  const ca = rebucket(rangeA, boundaries);
  const cb = rebucket(rangeB, boundaries);
  const out: AlignedBucket[] = [];
  for (let i = 0; i + 1 < boundaries.length; i++) {
    out.push({ low: boundaries[i], high: boundaries[i + 1], label: `[${formatEdge(boundaries[i])}, ${formatEdge(boundaries[i + 1])}]`, a: ca[i], b: cb[i] });
  }
  const points = new Map<number, { a: number; b: number }>();
  for (const x of a.buckets.filter(isPoint)) points.set(x.low, { a: (points.get(x.low)?.a ?? 0) + x.count, b: points.get(x.low)?.b ?? 0 });
  for (const x of b.buckets.filter(isPoint)) points.set(x.low, { a: points.get(x.low)?.a ?? 0, b: (points.get(x.low)?.b ?? 0) + x.count });
  for (const [v, m] of [...points].sort((x, y) => x[0] - y[0])) out.push({ low: v, high: v, label: `= ${formatEdge(v)}`, ...m });
  if (a.negInfinity > 0 || b.negInfinity > 0) out.push({ label: '-Infinity', a: a.negInfinity, b: b.negInfinity });
  if (a.posInfinity > 0 || b.posInfinity > 0) out.push({ label: '+Infinity', a: a.posInfinity, b: b.posInfinity });
  if (a.nan > 0 || b.nan > 0) out.push({ label: 'NaN', a: a.nan, b: b.nan });
  return out;
}

function normaliseBuckets(buckets: AlignedBucket[]): AlignedBucket[] {
  const ta = buckets.reduce((s, x) => s + x.a, 0);
  const tb = buckets.reduce((s, x) => s + x.b, 0);
  return buckets.map((x) => ({ ...x, a: ta > 0 ? x.a / ta : 0, b: tb > 0 ? x.b / tb : 0 }));
}

/** JS divergence of two numeric columns over their aligned standard histograms. */
export function jensenShannonHistograms(a: Histogram, b: Histogram): { value: number; buckets: AlignedBucket[] } | undefined {
  const aligned = alignHistograms(a, b);
  const value = jensenShannon(aligned.map((x) => x.a), aligned.map((x) => x.b));
  if (value === undefined) return undefined;
  return { value, buckets: normaliseBuckets(aligned) };
}

/** PSI of two aligned proportion vectors (each sums to 1). */
export function psi(expected: readonly number[], actual: readonly number[], epsilon = PSI_EPSILON): number {
  let sum = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = Math.max(expected[i], epsilon);
    const a = Math.max(actual[i], epsilon);
    sum += (a - e) * Math.log(a / e);
  }
  return sum;
}

/** Index of the first element of `sorted` greater than x. */
function upperBound(sorted: readonly number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return hi;
}

/**
 * PSI over A's deciles: bins (-inf, q10], (q10, q20], …, (q90, +inf) of A's sorted sample, with
 * repeated edges merged (columns with few distinct values get fewer bins).
 */
export function psiNumeric(sortedA: readonly number[], sortedB: readonly number[], bins = 10): { value: number; bins: { label: string; a: number; b: number }[] } | undefined {
  if (sortedA.length === 0 || sortedB.length === 0) return undefined;
  const edges: number[] = [];
  for (let k = 1; k < bins; k++) {
    const pos = (k / bins) * (sortedA.length - 1);
    const lo = Math.floor(pos);
    const v = sortedA[lo] + (sortedA[Math.min(sortedA.length - 1, lo + 1)] - sortedA[lo]) * (pos - lo);
    if (edges.length === 0 || v > edges[edges.length - 1]) edges.push(v);
  }
  const share = (sorted: readonly number[]) => {
    const out: number[] = [];
    let prev = 0;
    for (const e of edges) {
      const at = upperBound(sorted, e);
      out.push((at - prev) / sorted.length);
      prev = at;
    }
    out.push((sorted.length - prev) / sorted.length);
    return out;
  };
  const pa = share(sortedA);
  const pb = share(sortedB);
  const labels = pa.map((_, i) =>
    i === 0 ? `≤ ${formatEdge(edges[0] ?? sortedA[0])}` : i === edges.length ? `> ${formatEdge(edges[edges.length - 1])}` : `(${formatEdge(edges[i - 1])}, ${formatEdge(edges[i])}]`,
  );
  return { value: psi(pa, pb), bins: pa.map((a, i) => ({ label: labels[i], a, b: pb[i] })) };
}

export function psiCategorical(a: readonly ValueCount[], b: readonly ValueCount[]): { value: number; bins: { label: string; a: number; b: number }[] } | undefined {
  const pa = normalise(toMap(a));
  const pb = normalise(toMap(b));
  if (pa.size === 0 || pb.size === 0) return undefined;
  const keys = unionKeys(pa, pb);
  const ea = keys.map((k) => pa.get(k) ?? 0);
  const eb = keys.map((k) => pb.get(k) ?? 0);
  return { value: psi(ea, eb), bins: keys.map((k, i) => ({ label: k, a: ea[i], b: eb[i] })) };
}
