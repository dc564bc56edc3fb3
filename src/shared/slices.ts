/**
 * Sliced metrics as every layer sees them: a run's metrics per slice of the data beside the
 * overall value, the gap between them, and what TFMA said of them (thresholds, validation,
 * blessing). Built in src/core/slices, shown by the Slices view and `exptrack slices`.
 */
import type { SliceKey } from './runEvents';

/** A sliced metric's latest value. */
export interface SliceMetricValue {
  slice: SliceKey;
  key: string;
  value: number;
}

export interface SliceRow {
  slice: SliceKey;
  /** `col=value, col=value`, columns in name order. */
  label: string;
  /** The slice's example count, when a count metric was logged for it. */
  count: number | null;
  /** Metric → the slice's latest value. */
  values: Record<string, number>;
  /** Metric → slice value − overall value (only where both exist). */
  gaps: Record<string, number>;
  /** Metrics whose gap is larger (in magnitude) than the gap threshold. */
  flagged: string[];
}

/** A TFMA threshold from eval_config.json and whether a slice's value meets it. */
export interface ThresholdCheck {
  metric: string;
  /** The slice's label, '' for the overall value. */
  slice: string;
  lower: number | null;
  upper: number | null;
  value: number | null;
  /** null: the metric has no value there. */
  passed: boolean | null;
}

export interface ValidationFailure {
  slice: string;
  metric: string;
  message: string;
}

export interface RunSlices {
  uid: string;
  name: string;
  /** Metric → overall (unsliced) latest value. */
  overall: Record<string, number>;
  overallCount: number | null;
  /** The metrics measured on slices (counts left out), sorted. */
  metrics: string[];
  slices: SliceRow[];
  gapThreshold: number;
  thresholds: ThresholdCheck[];
  /** TFMA's validation result, when the run has one. */
  validation: { passed: boolean; failures: ValidationFailure[] } | null;
  /** TFMA's blessing: true BLESSED, false NOT_BLESSED, null when none was found. */
  blessed: boolean | null;
}

/** Tags an imported TFMA evaluation carries (see src/core/ingest/readers/tfma). */
export const TFMA_TAGS = {
  blessed: 'tfma.blessed',
  validation: 'tfma.validation',
  failures: 'tfma.validation_failures',
  thresholdPrefix: 'tfma.threshold.',
} as const;

/** Metrics that count a slice's examples rather than measure it (TFMA's, Fairness Indicators', the client's). */
export function isCountMetric(key: string): boolean {
  return /(^|\/)(weighted_)?example_count$/.test(key) || key === 'count';
}

export function sliceLabel(slice: SliceKey): string {
  const entries = Object.entries(slice).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return entries.length === 0 ? 'Overall' : entries.map(([k, v]) => `${k}=${v}`).join(', ');
}
