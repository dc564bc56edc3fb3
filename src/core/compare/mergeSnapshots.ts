/**
 * One comparison of runs that live in several indexes (the folders of a multi-root workspace):
 * each folder's store compares its own runs, and the snapshots are merged here — runs in the
 * order asked for, each parameter and metric across all of them — as if one store had them all.
 */
import type { CompareRun, CompareSnapshot, MetricColumn, MetricSeries, ParamRow } from '../../shared/compare/compareTypes';
import { canonicalJson } from './paramDiff';

export interface SnapshotPart {
  snapshot: CompareSnapshot;
  /** The key the merged snapshot names one of this part's runs by. */
  key(uid: string): string;
  /** The part's folder, shown after its runs' names when runs of several parts meet (a copied folder repeats names). */
  label?: string;
}

const METRIC_FIELDS = ['count', 'last', 'lastStep', 'min', 'max', 'atStep', 'atStepStep'] as const;

/** `order`: the keys as the caller listed them; the merged runs follow it. */
export function mergeSnapshots(parts: readonly SnapshotPart[], order: readonly string[], atStep: number | null): CompareSnapshot {
  if (parts.length === 1) return rekeySnapshot(parts[0]!);
  const position = new Map(order.map((key, i) => [key, i]));
  const named = (part: SnapshotPart, name: string) => (part.label === undefined ? name : `${name} (${part.label})`);
  const placed = parts.flatMap((part, p) => part.snapshot.runs.map((run, i) => ({ part: p, index: i, run: { ...run, uid: part.key(run.uid), name: named(part, run.name) } })));
  placed.sort((a, b) => (position.get(a.run.uid) ?? Infinity) - (position.get(b.run.uid) ?? Infinity));
  const runs: CompareRun[] = placed.map((p) => p.run);
  return {
    runs,
    params: mergeParams(parts, placed),
    metrics: mergeMetrics(parts, placed),
    atStep: parts.length > 0 ? parts[0]!.snapshot.atStep : atStep,
    missing: parts.flatMap((part) => part.snapshot.missing.map((uid) => part.key(uid))),
  };
}

/** Series of one part named by their keys. */
export function rekeySeries(series: readonly MetricSeries[], key: (uid: string) => string): MetricSeries[] {
  return series.map((s) => ({ ...s, uid: key(s.uid) }));
}

function rekeySnapshot({ snapshot, key }: SnapshotPart): CompareSnapshot {
  return { ...snapshot, runs: snapshot.runs.map((r) => ({ ...r, uid: key(r.uid) })), missing: snapshot.missing.map(key) };
}

interface Placed {
  part: number;
  /** The run's index in its part's snapshot. */
  index: number;
}

function mergeParams(parts: readonly SnapshotPart[], placed: readonly Placed[]): ParamRow[] {
  const rows = parts.map((part) => new Map(part.snapshot.params.map((row) => [row.key, row])));
  const keys = [...new Set(parts.flatMap((part) => part.snapshot.params.map((row) => row.key)))].sort((a, b) => a.localeCompare(b));
  return keys.map((key) => {
    const values = placed.map((p) => rows[p.part]!.get(key)?.values[p.index] ?? null);
    const numbers = placed.map((p) => rows[p.part]!.get(key)?.numbers[p.index] ?? null);
    const same = placed.map((_, i) => sameness(values[i]!, numbers[i]!));
    // Within a part the store compared the values themselves; across parts only what it sent is left.
    const differs = rows.some((r) => r.get(key)?.differs === true) || same.some((s) => s !== same[0]);
    return { key, values, numbers, differs };
  });
}

/**
 * What makes two shown values the same parameter value: the text (objects with their keys
 * sorted) and the number it stands for, which tells 1 from "1". A missing value is its own.
 */
function sameness(value: string | null, number: number | null): string {
  if (value === null) return '\u0000missing';
  let text = value;
  if (value.startsWith('{')) {
    try {
      text = canonicalJson(JSON.parse(value));
    } catch {
      // plain text that starts with a brace
    }
  }
  return `${number ?? ''}\u0000${text}`;
}

function mergeMetrics(parts: readonly SnapshotPart[], placed: readonly Placed[]): MetricColumn[] {
  const columns = parts.map((part) => new Map(part.snapshot.metrics.map((c) => [c.key, c])));
  const keys = [...new Set(parts.flatMap((part) => part.snapshot.metrics.map((c) => c.key)))].sort((a, b) => a.localeCompare(b));
  const n = placed.length;
  return keys.map((key) => {
    const merged = { key } as MetricColumn;
    for (const field of METRIC_FIELDS) merged[field] = new Float64Array(n).fill(field === 'count' ? 0 : NaN);
    placed.forEach((p, i) => {
      const column = columns[p.part]!.get(key);
      if (!column) return;
      for (const field of METRIC_FIELDS) merged[field][i] = column[field][p.index]!;
    });
    return merged;
  });
}
