/**
 * A run's line in one chart: its series (the whole chart) and the points of the zoomed range when
 * they were fetched, the x of each point in the chosen axis mode, and the extremes for the axes.
 */
import type { ChartSeries, XAxisMode } from '../../../src/shared/compare/compareTypes';
import { lowerBound } from '../../../src/shared/compare/sortedSearch';
import type { Rgb } from '../../common/theme';

export { lowerBound };

export interface CurveRun {
  uid: string;
  name: string;
  color: Rgb;
  /** The whole chart's points. */
  series: ChartSeries;
  /** Seconds since the epoch the run started (for "time since start"); else its first point's time. */
  started: number | null;
}

/** Points a line draws from: the x of each (NaN where unknown), raw values, smoothed values. */
export interface LinePoints {
  xs: Float64Array;
  values: Float32Array;
  smoothed: Float32Array | null;
  bucketStarts: Uint32Array;
  steps: Float32Array;
}

/** The x of every point of `series` in `mode`; NaN where unknown (wall times not received yet). */
export function xValues(series: ChartSeries, mode: XAxisMode, started: number | null): Float64Array {
  const n = series.values.length;
  if (mode === 'step') return Float64Array.from(series.steps);
  if (!series.times || series.timeBase === null) return new Float64Array(n).fill(NaN);
  // Times are float32 offsets from timeBase; add in float64, or epoch seconds lose their precision.
  const base = series.timeBase;
  const offset = mode === 'wallTime' ? base : base - (started !== null && Number.isFinite(started) ? started : base);
  return Float64Array.from(series.times, (t) => t + offset);
}

/** Remembers each series' x values per mode, so redraws never recompute them. */
export class LinePointsCache {
  private readonly cache = new WeakMap<ChartSeries, { mode: XAxisMode; started: number | null; points: LinePoints }>();

  of(series: ChartSeries, mode: XAxisMode, started: number | null): LinePoints {
    const hit = this.cache.get(series);
    if (hit && hit.mode === mode && hit.started === started) return hit.points;
    const points: LinePoints = { xs: xValues(series, mode, started), values: series.values, smoothed: series.smoothed, bucketStarts: series.bucketStarts, steps: series.steps };
    this.cache.set(series, { mode, started, points });
    return points;
  }
}

/** The extremes of the values drawn between x0 and x1 (all when null), positive ones only for a log axis. */
export function yExtent(p: LinePoints, range: [number, number] | null, useRaw: boolean, useSmoothed: boolean, positive: boolean, into: [number, number]): void {
  let from = 0;
  let to = p.xs.length;
  if (range) {
    from = Math.max(0, lowerBound(p.xs, range[0]) - 1);
    to = Math.min(p.xs.length, lowerBound(p.xs, range[1]) + 1);
  }
  const scan = (a: Float32Array) => {
    for (let i = from; i < to; i++) {
      const v = a[i]!;
      if (!Number.isFinite(v) || (positive && v <= 0) || Number.isNaN(p.xs[i]!)) continue;
      if (v < into[0]) into[0] = v;
      if (v > into[1]) into[1] = v;
    }
  };
  if (useRaw || !p.smoothed) scan(p.values);
  if (useSmoothed && p.smoothed) scan(p.smoothed);
}
