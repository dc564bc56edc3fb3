/**
 * The Runs table's data, made in the store worker: the runs a filter matches in the order of the
 * table's sort — the same search as `exptrack runs --filter … --order-by …` —, each with the
 * values of the chosen columns as text, the pinned runs, the groups, and every key there is.
 */
import { formatMetricValue, formatTimestamp } from '../../shared/format';
import type { RunField } from '../../shared/runFields';
import { tableOrderBy, type GroupBy, type RunKeys, type RunsTableQuery, type RunsTableResult, type RunsTableRow } from '../../shared/runsTable';
import type { RunCatalog } from './runCatalog';
import { asText, fieldReader, type RunRecord } from './runRecord';
import { compareSortValues, sortValueReader, type SortValue } from './runOrder';
import { applyQuery, compileQuery } from './runSearch';

/** What grouping by study needs to know of a trial. */
export interface TrialOfStudy {
  /** The study's label (name, trials per state, best trial). */
  label: string;
  best?: 'best' | 'pareto';
}

/** `studyOf`: the study a run is a trial of, for grouping by study; runs of no study are grouped last. */
export function runsTable(catalog: RunCatalog, query: RunsTableQuery, studyOf: (uid: string) => TrialOfStudy | undefined = () => undefined): RunsTableResult {
  const compiled = compileQuery(query.filter, tableOrderBy(query));
  if (!compiled.ok) return compiled;
  // Every key is listed for the column chooser, so parameters and tags are read whatever is shown.
  const records = catalog.records({ metrics: true, params: true, tags: true });
  const found = applyQuery(records, compiled.query);
  const cells = query.columns.map(cellText);
  const group = groupOf(query.groupBy, studyOf);
  const toRow = (r: RunRecord): RunsTableRow => {
    const row: RunsTableRow = { uid: r.summary.uid, name: r.summary.name, status: r.summary.status, cells: cells.map((c) => c(r)), group: group ? group.label(r) : null };
    const best = query.groupBy?.kind === 'study' ? studyOf(r.summary.uid)?.best : undefined;
    if (best) row.best = best;
    return row;
  };
  const byUid = new Map(records.map((r) => [r.summary.uid, r]));
  const pinned = query.pinned.flatMap((uid) => {
    const r = byUid.get(uid);
    return r ? [{ ...toRow(r), matches: compiled.query.matches(r) }] : [];
  });
  return {
    ok: true,
    rows: found.map(toRow),
    pinned,
    groups: group ? groupsOf(found, group) : null,
    total: records.length,
    keys: keysOf(records),
  };
}

/** A column's value for a run as text: numbers as the CLI shows them, times as local dates. */
function cellText(field: RunField): (r: RunRecord) => string {
  const read = fieldReader(field);
  const text = (v: unknown): string => {
    if (v === undefined) return '';
    switch (field.kind) {
      case 'metric':
        return field.agg === 'count' ? String(v) : formatMetricValue(v as number);
      case 'param':
      case 'tag':
        return asText(v);
      case 'attribute':
        if (field.key === 'start_time' || field.key === 'end_time') return formatTimestamp((v as number) / 1000);
        return field.key === 'status' ? String(v).toLowerCase() : String(v);
    }
  };
  return (r) => text(read(r));
}

interface Grouping {
  label(r: RunRecord): string | null;
  sortValue(r: RunRecord): SortValue;
}

function groupOf(groupBy: GroupBy, studyOf: (uid: string) => TrialOfStudy | undefined): Grouping | null {
  if (!groupBy) return null;
  if (groupBy.kind === 'study') {
    const label = (r: RunRecord) => studyOf(r.summary.uid)?.label ?? null;
    return { label, sortValue: (r) => label(r) ?? undefined };
  }
  const field: RunField = groupBy.kind === 'experiment' ? { kind: 'attribute', key: 'experiment' } : { kind: 'param', key: groupBy.key };
  const read = fieldReader(field);
  return {
    label: (r) => {
      const v = read(r);
      return v === undefined ? null : asText(v);
    },
    sortValue: sortValueReader(field),
  };
}

/** Groups ordered by their value as a sort orders them (numbers by value), the runs without one last. */
function groupsOf(found: readonly RunRecord[], g: Grouping): { label: string | null; count: number }[] {
  const groups = new Map<string | null, { label: string | null; count: number; value: SortValue }>();
  for (const r of found) {
    const label = g.label(r);
    const entry = groups.get(label);
    if (entry) entry.count++;
    else groups.set(label, { label, count: 1, value: g.sortValue(r) });
  }
  return [...groups.values()]
    .sort((a, b) => compareSortValues(a.value, b.value, true) || (a.label ?? '').localeCompare(b.label ?? ''))
    .map(({ label, count }) => ({ label, count }));
}

function keysOf(records: readonly RunRecord[]): RunKeys {
  const params = new Set<string>();
  const metrics = new Set<string>();
  const tags = new Set<string>();
  for (const r of records) {
    for (const k of r.params.keys()) params.add(k);
    for (const k of r.metrics.keys()) metrics.add(k);
    for (const k of r.tags.keys()) tags.add(k);
  }
  const sorted = (s: Set<string>) => [...s].sort((a, b) => a.localeCompare(b));
  return { params: sorted(params), metrics: sorted(metrics), tags: sorted(tags) };
}
