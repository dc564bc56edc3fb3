/**
 * Which metrics a Compare webview shows before the user chooses: the same rule on both sides, so
 * the host can fetch their series while the page is still loading.
 */
import { PREFERRED_KEY_METRICS } from '../runTypes';
import { isSystemMetric } from '../systemMetricKeys';

export const DEFAULT_CHART_COUNT = 4;

/** The panel's charts: the usual headline metrics first, then the others alphabetically; system metrics have a tab of their own. */
export function defaultChartKeys(metricKeys: readonly string[]): string[] {
  const preferred = PREFERRED_KEY_METRICS.filter((k) => metricKeys.includes(k));
  const rest = metricKeys.filter((k) => !preferred.includes(k) && !isSystemMetric(k));
  return [...preferred, ...rest].slice(0, DEFAULT_CHART_COUNT);
}

/** The side bar draws a small curve for each metric, up to this many. */
export const MAX_SPARKLINE_KEYS = 40;

/** The side bar's curves: system metrics only when asked for. */
export function sparklineKeys(metricKeys: readonly string[], withSystem = false): string[] {
  return metricKeys.filter((k) => withSystem || !isSystemMetric(k)).slice(0, MAX_SPARKLINE_KEYS);
}
