/** How many points a chart is sent: one pixel column of a chart keeps at most 4 points (6 smoothed). */

/** Pixel columns a Compare panel chart is fetched with before the page says how wide its charts are. */
export const DEFAULT_CHART_BUCKETS = 400;

/** A side-bar sparkline is small: this many columns. */
export const SPARKLINE_BUCKETS = 30;

/** The point budget of `metricSeries` callers that ask by points (four a column). */
export const DEFAULT_SERIES_POINTS = 2000;

/** Pixel columns for a budget of points. */
export function bucketsFor(maxPoints: number): number {
  return Math.max(1, Math.floor(maxPoints / 4));
}
