/**
 * The messages between the extension host and the Runs table panel: one discriminated union on
 * `type` per direction.
 *
 * Made by a function, as the other protocols are: the page calls `z.config({ jitless: true })`
 * before `createRunsTableProtocol()` so zod never probes `new Function` under the CSP.
 */
import * as z from 'zod/mini';
import { METRIC_AGGREGATES, RUN_ATTRIBUTES, type RunField, type SortKey } from '../runFields';
import type { GroupBy, RunsTableResult } from '../runsTable';

/** Limits that keep a broken or hostile message from costing much. */
const Key = z.string().check(z.minLength(1), z.maxLength(1000));
const Uid = z.string().check(z.minLength(1), z.maxLength(500));
const MAX_COLUMNS = 200;

export function createRunsTableProtocol() {
  const field: z.ZodMiniType<RunField> = z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('attribute'), key: z.enum(RUN_ATTRIBUTES) }),
    z.object({ kind: z.literal('metric'), key: Key, agg: z.enum(METRIC_AGGREGATES) }),
    z.object({ kind: z.literal('param'), key: Key }),
    z.object({ kind: z.literal('tag'), key: Key }),
  ]);
  const sortKey: z.ZodMiniType<SortKey> = z.object({ field, dir: z.enum(['asc', 'desc']) });
  const groupBy: z.ZodMiniType<GroupBy> = z.union([
    z.null(), z.object({ kind: z.literal('experiment') }), z.object({ kind: z.literal('param'), key: Key }), z.object({ kind: z.literal('study') }),
  ]);
  /** What the table shows, kept per workspace: columns, sort, grouping, filter. */
  const view = z.object({
    filter: z.string().check(z.maxLength(10_000)),
    sort: z.array(sortKey).check(z.maxLength(10)),
    columns: z.array(field).check(z.maxLength(MAX_COLUMNS)),
    groupBy,
  });

  // ---- webview → host -------------------------------------------------------------------------
  const webviewMessage = z.discriminatedUnion('type', [
    /** The page has loaded and listens: the host posts nothing before this. */
    z.object({ type: z.literal('ready') }),
    /** Search with this filter (MLflow's syntax; empty: every run). */
    z.object({ type: z.literal('setFilter'), filter: z.string().check(z.maxLength(10_000)) }),
    /** Order by these columns, the first one first. */
    z.object({ type: z.literal('setSort'), sort: z.array(sortKey).check(z.maxLength(10)) }),
    z.object({ type: z.literal('setGroupBy'), groupBy }),
    /** Let the user choose the columns (a quick pick on the host). */
    z.object({ type: z.literal('chooseColumns') }),
    z.object({ type: z.literal('removeColumn'), field }),
    /** Tick or untick a run for comparison: the same ticks as the Runs view and the Compare view. */
    z.object({ type: z.literal('setTicked'), uid: Uid, ticked: z.boolean() }),
    z.object({ type: z.literal('setPinned'), uid: Uid, pinned: z.boolean() }),
    /** Open the Compare panel with the ticked runs. */
    z.object({ type: z.literal('compareTicked') }),
    /** Something went wrong in the page; the host writes it to the Output channel. */
    z.object({ type: z.literal('error'), message: z.string().check(z.maxLength(2000)) }),
  ]);

  // ---- host → webview -------------------------------------------------------------------------
  const row = z.object({ uid: z.string(), name: z.string(), status: z.string(), cells: z.array(z.string()), group: z.nullable(z.string()),
    best: z.optional(z.enum(['best', 'pareto'])) });
  const problem = z.object({ input: z.enum(['filter', 'orderBy']), message: z.string(), start: z.number(), end: z.number() });
  const result: z.ZodMiniType<RunsTableResult> = z.discriminatedUnion('ok', [
    z.object({
      ok: z.literal(true),
      rows: z.array(row),
      pinned: z.array(z.extend(row, { matches: z.boolean() })),
      groups: z.nullable(z.array(z.object({ label: z.nullable(z.string()), count: z.number() }))),
      total: z.number(),
      keys: z.object({ params: z.array(z.string()), metrics: z.array(z.string()), tags: z.array(z.string()) }),
    }),
    z.object({ ok: z.literal(false), error: problem }),
  ]);

  const hostMessage = z.discriminatedUnion('type', [
    /** The view settings and pins (on load, and when they change on the host, e.g. columns chosen). */
    z.object({ type: z.literal('view'), view, pinned: z.array(Uid) }),
    /**
     * The table for `view` (a snapshot, never a delta); `seq` grows with every query so a page
     * that asked twice shows the answer to the last.
     */
    z.object({ type: z.literal('rows'), seq: z.number(), view, result }),
    /** The runs ticked for comparison, in the order they were ticked. */
    z.object({ type: z.literal('ticked'), uids: z.array(Uid) }),
  ]);

  return { webviewMessage, hostMessage, view };
}

export type RunsTableProtocol = ReturnType<typeof createRunsTableProtocol>;
export type RunsTableWebviewMessage = z.infer<RunsTableProtocol['webviewMessage']>;
export type RunsTableHostMessage = z.infer<RunsTableProtocol['hostMessage']>;
export type RunsTableView = z.infer<RunsTableProtocol['view']>;
