/**
 * System metrics are told from training metrics by their `system/` prefix: ExpTrack's own
 * (`system/cpu_percent`, `system/gpu0/utilization_percent`), MLflow's system metrics
 * (`system/cpu_utilization_percentage`, `system/gpu_0_utilization_percentage`) and dvclive's
 * (`system/cpu/usage (%)`) all use it. They are shown apart from the training curves.
 */
export const SYSTEM_METRIC_PREFIX = 'system/';

export function isSystemMetric(key: string): boolean {
  return key.startsWith(SYSTEM_METRIC_PREFIX);
}

/** The system metrics to chart, at most `max`: the run's tree first, then the machine, then GPUs. */
export function systemChartKeys(metricKeys: readonly string[], max = 16): string[] {
  const rank = (k: string) => (/^system\/(cpu|rss)/.test(k) ? 0 : /gpu/.test(k) ? 2 : 1);
  return metricKeys.filter(isSystemMetric).sort((a, b) => rank(a) - rank(b) || a.localeCompare(b)).slice(0, max);
}
