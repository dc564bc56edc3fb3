/**
 * What a comparison of runs is made of, as the store computes it and the Compare webviews show it.
 * Numbers that may be NaN or ±Infinity travel in Float64Arrays: JSON (which webview messages use
 * for plain values) would turn them into null, while typed arrays cross the worker and the webview
 * boundary exactly.
 */
import type { RunStatus, SourceKind } from '../runEvents';
import type { Smoothing } from './smoothing';

/** How the x axis of a metric curve is measured. */
export type XAxisMode = 'step' | 'wallTime' | 'relativeTime';

export interface CompareRun {
  uid: string;
  name: string;
  experiment: string;
  status: RunStatus | 'unknown';
  sourceKind: SourceKind | null;
  sourcePath: string | null;
  started: number | null;
  ended: number | null;
  gitCommit: string | null;
  gitDirty: boolean | null;
}

/** One parameter across the compared runs, in the order of `CompareSnapshot.runs`. */
export interface ParamRow {
  key: string;
  /** The value as shown, or null when the run has no such parameter. */
  values: (string | null)[];
  /** The value when it is a finite number (booleans count as 0/1), else null: for plots. */
  numbers: (number | null)[];
  /** True when not every run has the same value (a missing parameter is a value of its own). */
  differs: boolean;
}

/** Summaries of one metric across the compared runs; index i belongs to `runs[i]`. */
export interface MetricColumn {
  /** The metric key, or a derived metric's expression. */
  key: string;
  /** A derived metric (src/shared/compare/derivedExpression.ts), computed from the run's points. */
  derived?: boolean;
  /** Points logged; 0 means the run has no such metric (the other fields are then NaN). */
  count: Float64Array;
  last: Float64Array;
  lastStep: Float64Array;
  min: Float64Array;
  max: Float64Array;
  /** The value at the chosen step: the last point whose step is at most that step. */
  atStep: Float64Array;
  /** The step `atStep` was taken from; NaN when there is no point at or before the chosen step. */
  atStepStep: Float64Array;
}

export interface CompareSnapshot {
  runs: CompareRun[];
  params: ParamRow[];
  metrics: MetricColumn[];
  atStep: number | null;
  /** Requested runs that are not in the index (any more). */
  missing: string[];
}

/** A range of steps, both ends included. */
export interface StepSpan {
  from: number;
  to: number;
}

/**
 * What a chart asks the series pipeline for (src/core/series): the series of these runs and
 * keys, smoothed over every point, then reduced to `buckets` pixel columns with minima and maxima
 * kept; only the steps in `range` when the chart is zoomed.
 */
export interface SeriesRequest {
  uids: string[];
  keys: string[];
  /** The keys of `keys` that are derived metrics (expressions), not stored keys. */
  derived?: string[];
  /** Pixel columns: each keeps at most 4 points (6 with smoothing). Absent: every point, non-finite ones too. */
  buckets?: number;
  smoothing?: Smoothing;
  withTimes?: boolean;
  /** Only these steps (a zoomed chart); absent or null: the whole series. */
  range?: StepSpan | null;
}

/**
 * The points of one metric of one run as a chart draws them: step order, non-finite values left
 * out (they cannot be drawn; `nonFinite` counts them), reduced so minima and maxima survive.
 * Times are seconds since the epoch, NaN when a point has none.
 */
export interface MetricSeries {
  uid: string;
  key: string;
  steps: Float64Array;
  times: Float64Array;
  values: Float64Array;
  /** The smoothed line at the same points (computed over every point); null without smoothing. */
  smoothed: Float64Array | null;
  /** Where each pixel column's points start in the arrays above, then their length: the min/max band. */
  bucketStarts: Uint32Array;
  /** Points the run logged for this key (in `range`, for a zoomed request), before reduction. */
  total: number;
  /** NaN / ±Infinity values among them, which no curve shows. */
  nonFinite: number;
}

/**
 * A metric series as the Compare webviews receive it: float32 (a chart cannot show more
 * precision; the exact figures are in the summaries), and wall times only when the x axis needs
 * them — as seconds after `timeBase`, since epoch seconds do not fit a float32.
 */
export interface ChartSeries {
  uid: string;
  key: string;
  steps: Float32Array;
  values: Float32Array;
  smoothed: Float32Array | null;
  bucketStarts: Uint32Array;
  /** Seconds since the epoch that `times` count from; null when the times were not sent or are all missing. */
  timeBase: number | null;
  /** Seconds after `timeBase` (NaN: the point has no time); null when not sent. */
  times: Float32Array | null;
  total: number;
  nonFinite: number;
}
