import type * as vscode from 'vscode';
import * as z from 'zod/mini';
import { RUN_ATTRIBUTES, sameField, type RunField } from '../../shared/runFields';
import type { RunsTableView } from '../../shared/protocol/runsTable';
import { PREFERRED_KEY_METRICS } from '../../shared/runTypes';
import type { RunKeys } from '../../shared/runsTable';

/** What the Runs table keeps per workspace: its view (columns, sort, grouping, filter) and the pinned runs. */
export interface TableSettings {
  view: RunsTableView;
  pinned: string[];
  /** False until columns were chosen for this workspace (then defaults are picked from its keys). */
  columnsChosen: boolean;
}

const KEY = 'exptrack.runsTable';

/** Columns every new table starts with, before the workspace's own metrics and parameters are added. */
export const BASE_COLUMNS: RunField[] = [
  { kind: 'attribute', key: 'status' },
  { kind: 'attribute', key: 'experiment' },
  { kind: 'attribute', key: 'start_time' },
];

/** Reads the settings kept for this workspace; anything unreadable is replaced by the defaults. */
export function loadTableSettings(state: vscode.Memento, view: z.ZodMiniType<RunsTableView>): TableSettings {
  const saved = z.object({ view, pinned: z.array(z.string().check(z.minLength(1), z.maxLength(500))).check(z.maxLength(1000)), columnsChosen: z.boolean() }).safeParse(state.get(KEY));
  if (saved.success) return saved.data;
  return { view: { filter: '', sort: [], columns: [...BASE_COLUMNS], groupBy: null }, pinned: [], columnsChosen: false };
}

export function saveTableSettings(state: vscode.Memento, settings: TableSettings): Thenable<void> {
  return state.update(KEY, settings);
}

/**
 * Columns for a workspace the table has not been opened in: the base columns, the key metrics
 * the Runs tree prefers (up to three, latest value) and the first three parameters.
 */
export function defaultColumns(keys: RunKeys): RunField[] {
  const metrics = PREFERRED_KEY_METRICS.filter((k) => keys.metrics.includes(k));
  const chosenMetrics = (metrics.length ? metrics : keys.metrics).slice(0, 3);
  return [
    ...BASE_COLUMNS,
    ...chosenMetrics.map((key): RunField => ({ kind: 'metric', key, agg: 'last' })),
    ...keys.params.slice(0, 3).map((key): RunField => ({ kind: 'param', key })),
  ];
}

/** The fields a column can show, in the order the column chooser lists them. */
export function columnChoices(keys: RunKeys): RunField[] {
  return [
    ...RUN_ATTRIBUTES.filter((a) => a !== 'run_name').map((key): RunField => ({ kind: 'attribute', key })),
    ...keys.metrics.flatMap((key) => (['last', 'min', 'max'] as const).map((agg): RunField => ({ kind: 'metric', key, agg }))),
    ...keys.params.map((key): RunField => ({ kind: 'param', key })),
    ...keys.tags.map((key): RunField => ({ kind: 'tag', key })),
  ];
}

/** The columns after a choice: those kept stay where they were, new ones are added in the chooser's order. */
export function mergeColumns(current: readonly RunField[], picked: readonly RunField[]): RunField[] {
  const kept = current.filter((c) => picked.some((p) => sameField(p, c)));
  return [...kept, ...picked.filter((p) => !kept.some((c) => sameField(c, p)))];
}
