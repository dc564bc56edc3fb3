/**
 * The Runs table: what it asks the store for (RunsTableQuery) and what it gets back, and how the
 * rows are laid out for display (pinned runs first, then groups), used by the host and the page.
 */
import { orderByText, type RunField, type SortKey } from './runFields';
import type { SearchSyntaxProblem } from './runSearch';

export type GroupBy = { kind: 'experiment' } | { kind: 'param'; key: string } | { kind: 'study' } | null;

export interface RunsTableQuery {
  filter: string;
  sort: SortKey[];
  columns: RunField[];
  groupBy: GroupBy;
  /** Runs shown first whatever the filter, in this order. */
  pinned: string[];
}

export interface RunsTableRow {
  uid: string;
  name: string;
  status: string;
  /** One text per column of the query, as the CLI and the trees format values; '' when the run has none. */
  cells: string[];
  /** The group's label when grouped (null: the runs without that parameter). */
  group: string | null;
  /** Grouped by study: the study's best trial ('best'), or one of its Pareto front ('pareto'). */
  best?: 'best' | 'pareto';
}

export interface RunsTableGroup {
  label: string | null;
  count: number;
}

export interface RunKeys {
  params: string[];
  metrics: string[];
  tags: string[];
}

export type RunsTableResult =
  | {
      ok: true;
      /** The runs the filter matches, in the order asked for (the CLI's `runs --filter … --order-by …`). */
      rows: RunsTableRow[];
      /** Pinned runs that exist, in pin order, and whether each matches the filter. */
      pinned: (RunsTableRow & { matches: boolean })[];
      /** Groups in display order, when grouped. */
      groups: RunsTableGroup[] | null;
      /** Runs searched (not deleted). */
      total: number;
      /** Every parameter, metric and tag key among them, sorted: what columns can show. */
      keys: RunKeys;
    }
  | { ok: false; error: SearchSyntaxProblem };

/** The order-by the table's sort stands for: the text `exptrack runs --order-by` takes. */
export function tableOrderBy(query: Pick<RunsTableQuery, 'sort'>): string {
  return orderByText(query.sort);
}

/** One line of the table as displayed: a group header, or a run (pinned ones come first). */
export type DisplayItem =
  | { kind: 'group'; label: string | null; count: number; collapsed: boolean }
  | { kind: 'row'; row: RunsTableRow; pinned: boolean; matches: boolean };

/** A group's key for the set of collapsed groups (null, the runs without the value, has its own). */
export function groupKey(label: string | null): string {
  return label === null ? '\u0000none' : `=${label}`;
}

/**
 * The lines to display: pinned runs, then the other matching runs — under a header per group when
 * grouped, a collapsed group showing only its header. Rows keep the order the store gave.
 */
export function layoutRows(result: Extract<RunsTableResult, { ok: true }>, collapsed: ReadonlySet<string>): DisplayItem[] {
  const items: DisplayItem[] = result.pinned.map((row) => ({ kind: 'row', row, pinned: true, matches: row.matches }));
  const pinned = new Set(result.pinned.map((r) => r.uid));
  const rest = result.rows.filter((r) => !pinned.has(r.uid));
  if (!result.groups) {
    for (const row of rest) items.push({ kind: 'row', row, pinned: false, matches: true });
    return items;
  }
  const byGroup = new Map<string, RunsTableRow[]>();
  for (const row of rest) {
    const key = groupKey(row.group);
    const list = byGroup.get(key);
    if (list) list.push(row);
    else byGroup.set(key, [row]);
  }
  for (const g of result.groups) {
    const key = groupKey(g.label);
    const rows = byGroup.get(key) ?? [];
    if (rows.length === 0) continue;
    const isCollapsed = collapsed.has(key);
    items.push({ kind: 'group', label: g.label, count: rows.length, collapsed: isCollapsed });
    if (!isCollapsed) for (const row of rows) items.push({ kind: 'row', row, pinned: false, matches: true });
  }
  return items;
}

/** Which lines of a list of fixed-height lines are in view (with `overscan` more on each side); `end` is exclusive. */
export function visibleRange(scrollTop: number, viewportHeight: number, lineHeight: number, count: number, overscan = 8): { start: number; end: number } {
  const first = Math.floor(Math.max(0, scrollTop) / lineHeight);
  const inView = Math.ceil(Math.max(0, viewportHeight) / lineHeight) + 1;
  return { start: Math.max(0, first - overscan), end: Math.min(count, first + inView + overscan) };
}
