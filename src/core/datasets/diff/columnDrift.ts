/**
 * Which drift measures apply to a pair of profiled columns, and their values: Jensen–Shannon and
 * PSI for numeric columns, L-infinity, Jensen–Shannon and PSI over value counts for categorical
 * ones (strings and booleans). Dates, nested values and type changes get none.
 */
import type { ColumnDrift, ColumnProfile, ColumnType, DriftThresholds } from '../../../shared/schemaDiff';
import { jensenShannonCategorical, jensenShannonHistograms, lInfinity, psiCategorical, psiNumeric } from '../drift';

/** Categorical drift is computed over every counted value; the panel gets the largest bins only. */
const MAX_SHOWN_BINS = 50;

/** Keeps the bins with the largest share on either side, plus one bin summing up the rest. */
export function capBins<T extends { label: string; a: number; b: number }>(bins: T[], max = MAX_SHOWN_BINS): T[] {
  if (bins.length <= max) return bins;
  const ranked = [...bins].sort((x, y) => Math.max(y.a, y.b) - Math.max(x.a, x.b) || (x.label < y.label ? -1 : 1));
  const keep = new Set(ranked.slice(0, max - 1));
  const rest = ranked.slice(max - 1);
  const other = { ...rest[0], label: `(${rest.length} other values)`, a: rest.reduce((s, x) => s + x.a, 0), b: rest.reduce((s, x) => s + x.b, 0) };
  return [...bins.filter((x) => keep.has(x)), other];
}

const NUMERIC: ReadonlySet<ColumnType> = new Set(['int', 'float']);
const CATEGORICAL: ReadonlySet<ColumnType> = new Set(['string', 'bool']);

export function isNumericPair(a: ColumnProfile, b: ColumnProfile): boolean {
  return NUMERIC.has(a.type) && NUMERIC.has(b.type) && a.numeric !== undefined && b.numeric !== undefined;
}

export function isCategoricalPair(a: ColumnProfile, b: ColumnProfile): boolean {
  return CATEGORICAL.has(a.type) && a.type === b.type && a.valueCounts.length > 0 && b.valueCounts.length > 0;
}

export function columnDrift(a: ColumnProfile, b: ColumnProfile, t: DriftThresholds): ColumnDrift | undefined {
  if (isNumericPair(a, b)) {
    const drift: ColumnDrift = {};
    const approximate = !(a.numeric!.exact && b.numeric!.exact);
    const js = jensenShannonHistograms(a.numeric!.histogram, b.numeric!.histogram);
    if (js) drift.jensenShannon = { value: js.value, threshold: t.jensenShannon, basis: 'histogram', buckets: js.buckets, approximate };
    const p = psiNumeric(a.sample, b.sample);
    if (p) drift.psi = { value: p.value, threshold: t.psi, bins: p.bins, approximate };
    return drift.jensenShannon || drift.psi ? drift : undefined;
  }
  if (isCategoricalPair(a, b)) {
    const drift: ColumnDrift = {};
    const approximate = !(a.categorical?.complete && b.categorical?.complete);
    const linf = lInfinity(a.valueCounts, b.valueCounts);
    if (linf) drift.lInfinity = { value: linf.distance, threshold: t.lInfinity, maxValue: linf.value, approximate };
    const js = jensenShannonCategorical(a.valueCounts, b.valueCounts);
    if (js) drift.jensenShannon = { value: js.value, threshold: t.jensenShannon, basis: 'categories', buckets: capBins(js.buckets), approximate };
    const p = psiCategorical(a.valueCounts, b.valueCounts);
    if (p) drift.psi = { value: p.value, threshold: t.psi, bins: capBins(p.bins), approximate };
    return drift;
  }
  return undefined;
}
