/**
 * The comparison as one table — a row per run: its name, status, parameters and metric summaries.
 * The Compare panel shows it and the exports (CSV, Markdown) write it, so both say the same thing.
 */
import type { CompareSnapshot } from './compareTypes';

/** A number keeps full precision until it is written; null is an empty cell. */
export type TableCell = string | number | null;

export interface CompareTable {
  header: string[];
  rows: TableCell[][];
}

export interface CompareTableOptions {
  /** Every parameter, not only those that differ. */
  allParams: boolean;
  /** Metrics whose last / min / max get columns; all metrics when absent. */
  metricKeys?: readonly string[];
}

export function buildCompareTable(snapshot: CompareSnapshot, options: CompareTableOptions): CompareTable {
  const params = snapshot.params.filter((p) => options.allParams || p.differs);
  const wanted = options.metricKeys ? new Set(options.metricKeys) : undefined;
  const metrics = snapshot.metrics.filter((m) => !wanted || wanted.has(m.key));
  const header = ['run', 'status', ...params.map((p) => p.key)];
  for (const m of metrics) header.push(`${m.key} (last)`, `${m.key} (min)`, `${m.key} (max)`);
  const rows = snapshot.runs.map((run, i) => {
    const row: TableCell[] = [run.name, run.status, ...params.map((p) => p.values[i] ?? null)];
    for (const m of metrics) {
      if (m.count[i] === 0) row.push(null, null, null);
      else row.push(m.last[i]!, m.min[i]!, m.max[i]!);
    }
    return row;
  });
  return { header, rows };
}
