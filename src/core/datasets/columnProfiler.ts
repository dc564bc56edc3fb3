/**
 * Accumulates one column's statistics from classified values in bounded memory: kind counts,
 * shifted sums for mean and variance, min/max, a reservoir sample for quantiles and histograms, exact
 * value counts up to a bound and a HyperLogLog beyond it, and date ranges with their formats.
 */
import type { ColumnProfile, ColumnType, DateStats, NumericStats, ValueKind } from '../../shared/schemaDiff';
import { resolveDateFormats } from './dateFormats';
import { DEFAULT_QUANTILES, quantilesOf, standardHistogram } from './histogram';
import { HyperLogLog } from './sketches/hyperLogLog';
import { Reservoir } from './sketches/reservoir';
import { ValueCounter } from './sketches/valueCounter';
import * as kinds from './typeInference';
import { KIND_COUNT, KIND_NAMES, decideColumnType, type FieldScratch } from './typeInference';

// Read once: imported bindings are getter calls under per-file transpilation, and record() runs per value.
const K_INT = kinds.K_INT;
const K_FLOAT = kinds.K_FLOAT;
const K_DATE = kinds.K_DATE;
const K_DATETIME = kinds.K_DATETIME;

export interface ProfilerSettings {
  /** Numeric values kept per column for quantiles, histograms and PSI. */
  sampleSize: number;
  /** Distinct values counted exactly; beyond this the distinct count is a HyperLogLog estimate. */
  exactDistinctLimit: number;
  /** Value counts kept in the profile (most frequent first), like TFDV's rank histogram. */
  valueCountsLimit: number;
  histogramBuckets: number;
  topValues: number;
}

export const DEFAULT_PROFILER_SETTINGS: ProfilerSettings = {
  sampleSize: 8192,
  exactDistinctLimit: 10_000,
  valueCountsLimit: 1000,
  histogramBuckets: 10,
  topValues: 20,
};

/** Past the exact bound, tracked values' counts are sampled every this many values. */
const ESTIMATE_STRIDE = 16;

export class ColumnAccumulator {
  present = 0;
  readonly kindCounts = new Float64Array(KIND_COUNT);
  private finite = 0;
  private shift = 0;
  private sum = 0;
  private sumSq = 0;
  private min = Infinity;
  private max = -Infinity;
  private zeros = 0;
  private nan = 0;
  private negInf = 0;
  private posInf = 0;
  private readonly reservoir: Reservoir;
  private readonly counter: ValueCounter;
  private hll: HyperLogLog | null = null;
  private tick = 0;
  private dateMin = Infinity;
  private dateMax = -Infinity;
  private dateMinText = '';
  private dateMaxText = '';
  private readonly dateFormats = new Map<string, number>();

  constructor(
    readonly name: string,
    readonly index: number,
    private readonly settings: ProfilerSettings,
    /** The type the source declares (Parquet), shown beside the inferred one. */
    readonly declaredType?: string,
    /** Overrides inference where the source's own type is authoritative. */
    private readonly forcedType?: ColumnType,
  ) {
    this.reservoir = new Reservoir(settings.sampleSize, 0x5eed + index * 7919);
    this.counter = new ValueCounter(settings.exactDistinctLimit);
  }

  /**
   * Records the kind and statistics of a classified, non-missing value. The numeric update is
   * written out here rather than in helpers: a double passed to a call that is not inlined is
   * boxed, and this runs for every value.
   */
  record(s: FieldScratch): void {
    this.present++;
    const kind = s.kind;
    this.kindCounts[kind]++;
    if (kind === K_INT || kind === K_FLOAT) {
      const x = s.num;
      if (x - x !== 0) {
        // NaN or ±Infinity: counted apart, as TFDV's histograms do.
        if (x !== x) this.nan++;
        else if (x > 0) this.posInf++;
        else this.negInf++;
        return;
      }
      // Sums of deviations from the first value: no division per value, and no cancellation
      // for values far from zero (timestamps) as long as the first value is typical.
      if (this.finite++ === 0) this.shift = x;
      const d = x - this.shift;
      this.sum += d;
      this.sumSq += d * d;
      if (x < this.min) this.min = x;
      if (x > this.max) this.max = x;
      if (x === 0) this.zeros++;
      const r = this.reservoir;
      if (r.seen < r.capacity || r.seen === r.next) r.take(x);
      else r.seen++;
    } else if (kind === K_DATE || kind === K_DATETIME) {
      this.addDate(s);
    }
  }

  /**
   * Counts the value by its key when it is already known, or when the exact table is full (then
   * it feeds the distinct estimate, and one value in {@link ESTIMATE_STRIDE} still updates the
   * counts of values already tracked, scaled up, to keep top values approximately right without a
   * table lookup per value). False means the caller must supply the value's text via
   * {@link addNew}; that happens once per distinct value.
   */
  countKnown(hi: number, lo: number): boolean {
    const hll = this.hll;
    if (hll !== null) {
      hll.add(hi, lo);
      if (++this.tick === ESTIMATE_STRIDE) {
        this.tick = 0;
        this.counter.increment(hi, lo, ESTIMATE_STRIDE);
      }
      return true;
    }
    if (this.counter.increment(hi, lo)) return true;
    if (!this.counter.full) return false;
    this.startEstimating(hi, lo);
    return true;
  }

  /** Kept out of countKnown: its closure would make every call allocate a context. */
  private startEstimating(hi: number, lo: number): void {
    const hll = new HyperLogLog();
    this.counter.forEachKey((h, l) => hll.add(h, l));
    hll.add(hi, lo);
    this.hll = hll;
  }

  /** True once the distinct values outgrew the exact table (new values are only estimated). */
  get estimating(): boolean {
    return this.hll !== null;
  }

  addNew(hi: number, lo: number, text: string): void {
    this.counter.insert(hi, lo, text);
  }

  /** {@link addNew} for the value in `s`, building its text now. */
  addNewFrom(s: FieldScratch): void {
    this.counter.insert(s.hashHi, s.hashLo, s.getText());
  }

  private addDate(s: FieldScratch): void {
    this.dateFormats.set(s.dateFormat, (this.dateFormats.get(s.dateFormat) ?? 0) + 1);
    const t = s.num;
    if (t < this.dateMin) {
      this.dateMin = t;
      this.dateMinText = s.getText();
    }
    if (t > this.dateMax) {
      this.dateMax = t;
      this.dateMaxText = s.getText();
    }
  }

  finish(rowCount: number): ColumnProfile {
    const { settings } = this;
    const inferred = decideColumnType(this.kindCounts);
    const type = this.forcedType && inferred !== 'empty' ? this.forcedType : inferred;
    const missing = Math.max(0, rowCount - this.present);
    const exactDistinct = this.hll === null;
    const distinct = exactDistinct ? this.counter.size : Math.max(this.counter.size, this.hll!.estimate());
    const all = this.counter.entries();
    const valueCounts = all.slice(0, settings.valueCountsLimit);
    const complete = exactDistinct && all.length <= settings.valueCountsLimit;

    const kinds: Partial<Record<ValueKind, number>> = {};
    for (let k = 1; k < KIND_COUNT; k++) if (this.kindCounts[k] > 0) kinds[KIND_NAMES[k]] = this.kindCounts[k];

    const profile: ColumnProfile = {
      name: this.name,
      index: this.index,
      type,
      kinds,
      present: this.present,
      missing,
      missingFraction: rowCount > 0 ? missing / rowCount : 0,
      distinct: { count: distinct, exact: exactDistinct },
      categorical: { topValues: valueCounts.slice(0, settings.topValues), complete },
      valueCounts,
      sample: [],
    };
    if (this.declaredType !== undefined) profile.declaredType = this.declaredType;
    const numericValues = this.finite + this.nan + this.negInf + this.posInf;
    if (numericValues > 0 && (type === 'int' || type === 'float' || type === 'mixed')) {
      const sample = this.reservoir.sorted();
      profile.sample = sample;
      profile.numeric = this.numericStats(sample);
    }
    if (this.dateFormats.size > 0) {
      const dates: DateStats = { min: this.dateMinText, max: this.dateMaxText, formats: resolveDateFormats(this.dateFormats) };
      profile.dates = dates;
      if (type === 'date' || type === 'datetime') profile.dateFormat = dates.formats[0]?.format;
    }
    return profile;
  }

  private numericStats(sample: number[]): NumericStats {
    const finite = this.finite;
    const min = finite > 0 ? this.min : NaN;
    const max = finite > 0 ? this.max : NaN;
    return {
      count: finite,
      min,
      max,
      mean: finite > 0 ? this.shift + this.sum / finite : NaN,
      std: finite > 0 ? Math.sqrt(Math.max(0, this.sumSq / finite - (this.sum / finite) ** 2)) : NaN,
      zeros: this.zeros,
      nan: this.nan,
      infinite: this.negInf + this.posInf,
      quantiles: quantilesOf(sample, DEFAULT_QUANTILES, min, max),
      histogram: standardHistogram(sample, min, max, finite, this.settings.histogramBuckets, {
        nan: this.nan,
        negInfinity: this.negInf,
        posInfinity: this.posInf,
      }),
      exact: this.reservoir.exact,
    };
  }
}
