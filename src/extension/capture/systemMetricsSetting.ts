import type * as vscode from 'vscode';
import { DEFAULT_SYSTEM_METRICS_INTERVAL_SECONDS } from '../../core/systemMetrics/systemMetricsLoop';

/** `exptrack.systemMetrics.intervalSeconds`: seconds between samples of a run's system metrics, 0 for none. */
export function systemMetricsInterval(config: vscode.WorkspaceConfiguration): number {
  const value = config.get<number>('systemMetrics.intervalSeconds', DEFAULT_SYSTEM_METRICS_INTERVAL_SECONDS);
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : DEFAULT_SYSTEM_METRICS_INTERVAL_SECONDS;
}
