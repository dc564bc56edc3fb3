/**
 * Dataset profiles and schema diffs: the values the dataset core produces, the CLI prints and the
 * Schema diff panel renders. Pure types plus zod for the user-settable thresholds; no node APIs.
 *
 * Vocabulary: a *profile* describes one data file (inferred column types and statistics); a *TFDV
 * schema* (`schema.pbtxt`) declares what data should look like; a *SchemaDiff* compares two sides,
 * each a profile or a schema, and lists *findings*, named after TFDV's anomaly types where one fits.
 */
import * as z from 'zod/mini';

// ---------------------------------------------------------------------------------------------
// Severities and input diagnostics

export const SEVERITIES = ['error', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

const SEVERITY_RANK: Record<Severity, number> = { error: 2, warning: 1, info: 0 };

/** True when `s` is as severe as `min` or more (error > warning > info). */
export function severityAtLeast(s: Severity, min: Severity): boolean {
  return SEVERITY_RANK[s] >= SEVERITY_RANK[min];
}

export function compareSeverity(a: Severity, b: Severity): number {
  return SEVERITY_RANK[b] - SEVERITY_RANK[a];
}

/**
 * A problem met while reading an input file (ragged row, invalid UTF-8, truncated Parquet…), with
 * where it is. Repeated problems of one code are listed a few times, then summed up in one entry
 * whose `occurrences` counts the rest.
 */
export interface Diagnostic {
  severity: Severity;
  code: string;
  message: string;
  file: string;
  /** 1-based physical line (text formats). */
  line?: number;
  /** 1-based data row, not counting the header. */
  row?: number;
  column?: string;
  /** Byte offset in the file. */
  offset?: number;
  occurrences?: number;
}

// ---------------------------------------------------------------------------------------------
// Profiles

export const COLUMN_TYPES = ['int', 'float', 'bool', 'string', 'date', 'datetime', 'mixed', 'nested', 'empty'] as const;
/**
 * A column's inferred type. `mixed`: values of incompatible kinds (e.g. numbers and words);
 * `nested`: lists, maps or structs (JSON, Parquet); `empty`: no value at all, so no type.
 */
export type ColumnType = (typeof COLUMN_TYPES)[number];

export const VALUE_KINDS = ['int', 'float', 'bool', 'string', 'date', 'datetime', 'nested'] as const;
/** The kind of one value; a column's type is decided from how many values of each kind it has. */
export type ValueKind = (typeof VALUE_KINDS)[number];

export const DATASET_FORMATS = ['csv', 'tsv', 'json', 'jsonl', 'parquet', 'tfdv-schema'] as const;
export type DatasetFormat = (typeof DATASET_FORMATS)[number];

/** A histogram bucket; `count` may be fractional where it was estimated from a sample. */
export interface HistogramBucket {
  low: number;
  high: number;
  count: number;
}

/** Equal-width buckets over [min, max] of the finite values, with the non-finite ones apart. */
export interface Histogram {
  buckets: HistogramBucket[];
  nan: number;
  negInfinity: number;
  posInfinity: number;
}

export interface Quantile {
  q: number;
  value: number;
}

/** min, max, mean and std are NaN (null in JSON) when the column has no finite value. */
export interface NumericStats {
  /** Finite numeric values (NaN and ±Infinity are counted apart). */
  count: number;
  min: number;
  max: number;
  mean: number;
  /** Population standard deviation. */
  std: number;
  zeros: number;
  nan: number;
  infinite: number;
  quantiles: Quantile[];
  histogram: Histogram;
  /** True when every value was kept in the sample, so quantiles and histogram are exact. */
  exact: boolean;
}

export interface ValueCount {
  value: string;
  count: number;
}

export interface CategoricalStats {
  /** Most frequent first; ties in value order. */
  topValues: ValueCount[];
  /** True when every distinct value was counted (the column stayed under the distinct bound). */
  complete: boolean;
}

export interface DateStats {
  /** Earliest and latest values as written in the file. */
  min: string;
  max: string;
  /** strftime-style formats seen (`%Y-%m-%d`, `%d/%m/%Y %H:%M`…), most used first. */
  formats: { format: string; count: number }[];
}

/** What the panel shows about one column of one data file. */
export interface ColumnSummary {
  name: string;
  /** Position in the file, 0-based. */
  index: number;
  type: ColumnType;
  /** The dominant date format when `type` is date or datetime. */
  dateFormat?: string;
  /** How many values of each kind were seen (the evidence for `type`). */
  kinds: Partial<Record<ValueKind, number>>;
  /** Values present (not missing). */
  present: number;
  missing: number;
  missingFraction: number;
  distinct: { count: number; exact: boolean };
  numeric?: NumericStats;
  categorical?: CategoricalStats;
  dates?: DateStats;
  /** The type the file itself declares, where it has one (Parquet), e.g. `INT64 (TIMESTAMP_MILLIS)`. */
  declaredType?: string;
}

/** A column summary plus the bounded sketches that drift measures need. */
export interface ColumnProfile extends ColumnSummary {
  /** Value counts, most frequent first: all of them while `categorical.complete`, else the tracked ones. */
  valueCounts: ValueCount[];
  /** A uniform random sample of the finite numeric values (all of them when `numeric.exact`). */
  sample: number[];
}

export interface DatasetSource {
  path: string;
  format: DatasetFormat;
  bytes: number;
  /** The field delimiter used for CSV/TSV. */
  delimiter?: string;
}

export interface DatasetProfile {
  version: 1;
  source: DatasetSource;
  rowCount: number;
  columns: ColumnProfile[];
  diagnostics: Diagnostic[];
  /** False when reading stopped before the end (unrecoverable error, abort). */
  complete: boolean;
}

// ---------------------------------------------------------------------------------------------
// TFDV schema features, as far as a diff shows them

export const TFDV_FEATURE_TYPES = ['INT', 'FLOAT', 'BYTES', 'STRUCT', 'TYPE_UNKNOWN'] as const;
export type TfdvFeatureType = (typeof TFDV_FEATURE_TYPES)[number];

export type DomainSummary =
  | { kind: 'string'; name?: string; values: string[] }
  | { kind: 'int'; min?: number; max?: number; isCategorical?: boolean }
  | { kind: 'float'; min?: number; max?: number; disallowNan?: boolean; disallowInf?: boolean }
  | { kind: 'bool'; trueValue?: string; falseValue?: string }
  | { kind: 'struct' }
  | { kind: 'other'; name: string };

export interface SchemaFeatureSummary {
  tfdvType: TfdvFeatureType;
  domain?: DomainSummary;
  presence?: { minFraction?: number; minCount?: number };
  valueCount?: { min?: number; max?: number };
  shape?: number[];
  deprecated?: boolean;
  /** Line of the `feature {` in the schema file. */
  line?: number;
}

// ---------------------------------------------------------------------------------------------
// The diff

/** TFDV `AnomalyInfo.Type` names used for findings where the meaning matches. */
export const TFDV_ANOMALY_KINDS = [
  'SCHEMA_NEW_COLUMN',
  'SCHEMA_MISSING_COLUMN',
  'UNEXPECTED_DATA_TYPE',
  'ENUM_TYPE_UNEXPECTED_STRING_VALUES',
  'COMPARATOR_L_INFTY_HIGH',
  'COMPARATOR_JENSEN_SHANNON_DIVERGENCE_HIGH',
  'COMPARATOR_LOW_NUM_EXAMPLES',
  'COMPARATOR_HIGH_NUM_EXAMPLES',
  'FEATURE_TYPE_LOW_FRACTION_PRESENT',
  'FEATURE_TYPE_LOW_NUMBER_PRESENT',
  'FEATURE_TYPE_NOT_PRESENT',
  'INT_TYPE_SMALL_INT',
  'INT_TYPE_BIG_INT',
  'FLOAT_TYPE_SMALL_FLOAT',
  'FLOAT_TYPE_BIG_FLOAT',
  'FLOAT_TYPE_HAS_NAN',
  'FLOAT_TYPE_HAS_INF',
  'BOOL_TYPE_UNEXPECTED_STRING',
  'BOOL_TYPE_SMALL_INT',
  'BOOL_TYPE_BIG_INT',
] as const;

/** Findings TFDV has no name for. */
export const EXPTRACK_FINDING_KINDS = [
  /** A column removed and one added look like the same column under a new name. */
  'COLUMN_RENAMED',
  /** Categories present in A are absent from B. */
  'DOMAIN_VALUES_VANISHED',
  /** Date or datetime values are written in another format. */
  'DATE_FORMAT_CHANGED',
  /** Population stability index above its threshold. */
  'PSI_HIGH',
  /** Fewer missing values than before. */
  'MISSING_FRACTION_DECREASED',
  /** B's numeric range lies inside A's by more than the tolerance. */
  'RANGE_NARROWED',
  /** Schema vs schema: the kind of domain changed (e.g. int_domain to bool_domain). */
  'DOMAIN_KIND_CHANGED',
  /** Schema vs schema: a presence requirement became stricter. */
  'PRESENCE_TIGHTENED',
  /** Schema vs schema: value_count or shape changed. */
  'VALUE_COUNT_CHANGED',
  /** Schema vs schema: the feature was deprecated or un-deprecated. */
  'LIFECYCLE_CHANGED',
] as const;

export type FindingKind = (typeof TFDV_ANOMALY_KINDS)[number] | (typeof EXPTRACK_FINDING_KINDS)[number];

/** A short title per finding kind, for lists and tooltips (TFDV's short_description where it has one). */
export const FINDING_TITLES: Record<FindingKind, string> = {
  SCHEMA_NEW_COLUMN: 'New column',
  SCHEMA_MISSING_COLUMN: 'Column missing',
  UNEXPECTED_DATA_TYPE: 'Type changed',
  ENUM_TYPE_UNEXPECTED_STRING_VALUES: 'Unexpected string values',
  COMPARATOR_L_INFTY_HIGH: 'High L-infinity distance',
  COMPARATOR_JENSEN_SHANNON_DIVERGENCE_HIGH: 'High Jensen–Shannon divergence',
  COMPARATOR_LOW_NUM_EXAMPLES: 'Fewer rows',
  COMPARATOR_HIGH_NUM_EXAMPLES: 'More rows',
  FEATURE_TYPE_LOW_FRACTION_PRESENT: 'More missing values',
  FEATURE_TYPE_LOW_NUMBER_PRESENT: 'Present in too few rows',
  FEATURE_TYPE_NOT_PRESENT: 'No values',
  INT_TYPE_SMALL_INT: 'Integers below the range',
  INT_TYPE_BIG_INT: 'Integers above the range',
  FLOAT_TYPE_SMALL_FLOAT: 'Values below the range',
  FLOAT_TYPE_BIG_FLOAT: 'Values above the range',
  FLOAT_TYPE_HAS_NAN: 'NaN values',
  FLOAT_TYPE_HAS_INF: 'Infinite values',
  BOOL_TYPE_UNEXPECTED_STRING: 'Unexpected boolean values',
  BOOL_TYPE_SMALL_INT: 'Boolean below 0',
  BOOL_TYPE_BIG_INT: 'Boolean above 1',
  COLUMN_RENAMED: 'Probably renamed',
  DOMAIN_VALUES_VANISHED: 'Values no longer seen',
  DATE_FORMAT_CHANGED: 'Date format changed',
  PSI_HIGH: 'High population stability index',
  MISSING_FRACTION_DECREASED: 'Fewer missing values',
  RANGE_NARROWED: 'Range narrowed',
  DOMAIN_KIND_CHANGED: 'Domain changed',
  PRESENCE_TIGHTENED: 'Presence required more often',
  VALUE_COUNT_CHANGED: 'Value count changed',
  LIFECYCLE_CHANGED: 'Lifecycle changed',
};

export interface Finding {
  kind: FindingKind;
  severity: Severity;
  /** The column concerned, as named in B (in A when it was removed); absent for dataset-level findings. */
  column?: string;
  /** One line a person can read. */
  message: string;
  /** A measured figure and the threshold it crossed (drift, fractions, row ratios). */
  measured?: number;
  threshold?: number;
  from?: string;
  to?: string;
  /** Values concerned (new or vanished categories), capped; `moreValues` counts the rest. */
  values?: string[];
  moreValues?: number;
}

export type ColumnStatus = 'unchanged' | 'changed' | 'added' | 'removed' | 'renamed';

/** One side of a column comparison: data statistics, a schema declaration, or both kinds of side in a diff. */
export interface ColumnSide {
  name: string;
  type: ColumnType;
  stats?: ColumnSummary;
  schema?: SchemaFeatureSummary;
}

export interface RenameEvidence {
  /** 0..1; renames are claimed at or above `thresholds.renameMinScore`. */
  score: number;
  /** 1 - normalised edit distance of the normalised names. */
  nameSimilarity: number;
  /** The names are equal once case, spaces and punctuation are removed. */
  normalisedNameMatch: boolean;
  /** 0..1 agreement of type, missing fraction, distinct count and distribution. */
  statisticSimilarity: number;
  reasons: string[];
}

/** A histogram bucket after aligning both sides' histograms, as proportions of each side. */
export interface AlignedBucket {
  /** Absent for the NaN and infinity buckets TFDV adds. */
  low?: number;
  high?: number;
  label: string;
  a: number;
  b: number;
}

export interface ColumnDrift {
  lInfinity?: { value: number; threshold: number; maxValue: string; approximate: boolean };
  jensenShannon?: { value: number; threshold: number; basis: 'histogram' | 'categories'; buckets: AlignedBucket[]; approximate: boolean };
  psi?: { value: number; threshold: number; bins: { label: string; a: number; b: number }[]; approximate: boolean };
}

export interface ColumnComparison {
  status: ColumnStatus;
  /** B's name, or A's when the column was removed. */
  name: string;
  a?: ColumnSide;
  b?: ColumnSide;
  rename?: RenameEvidence;
  drift?: ColumnDrift;
  /** The most severe finding about this column, if any. */
  worst?: Severity;
}

export type DiffMode = 'data-data' | 'data-schema' | 'schema-schema';

export interface DiffSide {
  path: string;
  kind: 'data' | 'schema';
  format: DatasetFormat;
  rowCount?: number;
  columnCount: number;
  /** False when reading stopped early; what was read is still compared. */
  complete: boolean;
  /** False when nothing could be read (empty, unreadable, not this format): then no columns are compared. */
  usable: boolean;
  diagnostics: Diagnostic[];
}

export interface SchemaDiff {
  version: 1;
  /** In data-schema mode `a` is the schema (the expectation) and `b` the data. */
  mode: DiffMode;
  a: DiffSide;
  b: DiffSide;
  /** Sorted by name. */
  columns: ColumnComparison[];
  /** Sorted by severity (errors first), then column, then kind. */
  findings: Finding[];
  counts: Record<Severity, number>;
  thresholds: DriftThresholds;
}

// ---------------------------------------------------------------------------------------------
// Thresholds (user settings)

/**
 * Drift and change thresholds. TFDV sets no defaults (its guide's examples use 0.01 for L-infinity
 * and Jensen–Shannon); 0.1 keeps sampling noise between two samples of a few thousand rows from
 * raising findings. PSI 0.2 sits in the usual "moderate shift" band (0.1 – 0.25).
 */
export const DriftThresholdsSchema = z.object({
  /** Max |p_a(v) - p_b(v)| over categories. */
  lInfinity: z._default(z.number().check(z.minimum(0), z.maximum(1)), 0.1),
  /** Jensen–Shannon divergence in bits (log base 2, so 0..1). */
  jensenShannon: z._default(z.number().check(z.minimum(0), z.maximum(1)), 0.1),
  /** Population stability index (natural log). */
  psi: z._default(z.number().check(z.minimum(0)), 0.2),
  /** A rise of the missing fraction by more than this is a finding (any rise from 0 always is). */
  missingFractionIncrease: z._default(z.number().check(z.minimum(0), z.maximum(1)), 0.05),
  /** Range changes smaller than this fraction of A's range are ignored. */
  rangeTolerance: z._default(z.number().check(z.minimum(0)), 0.05),
  /** Row-count ratio B/A outside [low, high] is a finding. */
  rowCountRatioLow: z._default(z.number().check(z.minimum(0)), 0.5),
  rowCountRatioHigh: z._default(z.number().check(z.minimum(0)), 2),
  /** Minimum evidence score to call a removed + added pair a rename. */
  renameMinScore: z._default(z.number().check(z.minimum(0), z.maximum(1)), 0.75),
  /** String columns with more distinct values than this are not treated as categorical domains. */
  categoricalMaxDistinct: z._default(z.int().check(z.minimum(1)), 1000),
});
export type DriftThresholds = z.infer<typeof DriftThresholdsSchema>;
export type DriftThresholdsInput = z.input<typeof DriftThresholdsSchema>;

export function defaultThresholds(): DriftThresholds {
  return DriftThresholdsSchema.parse({});
}
