/**
 * UI intent of the Compare panel, kept with setState so it survives hide/show and a window
 * reload; the data itself is always fetched again. `uids` lets the host restore the panel.
 */
import type { XAxisMode } from '../../src/shared/compare/compareTypes';
import type { SlicesIntent } from './slicesView';
import type { TableSort } from './tableView';

export type Stat = 'last' | 'min' | 'max';
export type PanelTab = 'curves' | 'system' | 'slices' | 'parallel' | 'scatter' | 'table';
export const PANEL_TABS: readonly PanelTab[] = ['curves', 'system', 'slices', 'parallel', 'scatter', 'table'];

export interface PanelState {
  uids: string[];
  /** Metrics drawn as charts, in order; null until the user chooses (defaults apply). */
  keys: string[] | null;
  xMode: XAxisMode;
  smoothing: number;
  logY: boolean;
  /** Runs switched off in the legend. */
  hidden: string[];
  filter: string;
  tab: PanelTab;
  parallel: { key: string | null; stat: Stat };
  scatter: { param: string | null; key: string | null; stat: Stat };
  allParams: boolean;
  sort: TableSort | null;
  slices: SlicesIntent;
}

const STATS: readonly Stat[] = ['last', 'min', 'max'];
const X_MODES: readonly XAxisMode[] = ['step', 'wallTime', 'relativeTime'];

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const stringOrNull = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const oneOf = <T extends string>(v: unknown, allowed: readonly T[], fallback: T): T => (allowed.includes(v as T) ? (v as T) : fallback);

/** The saved state, with anything missing or malformed replaced by its default. */
export function restorePanelState(saved: Partial<Record<keyof PanelState, unknown>>): PanelState {
  const parallel = (saved.parallel ?? {}) as Record<string, unknown>;
  const scatter = (saved.scatter ?? {}) as Record<string, unknown>;
  const sort = saved.sort as Record<string, unknown> | null | undefined;
  const slices = (saved.slices ?? {}) as Record<string, unknown>;
  const sliceSort = (slices.sort ?? {}) as Record<string, unknown>;
  const smoothing = typeof saved.smoothing === 'number' && saved.smoothing >= 0 && saved.smoothing < 1 ? saved.smoothing : 0.6;
  return {
    uids: strings(saved.uids),
    keys: Array.isArray(saved.keys) ? strings(saved.keys) : null,
    xMode: oneOf(saved.xMode, X_MODES, 'step'),
    smoothing,
    logY: saved.logY === true,
    hidden: strings(saved.hidden),
    filter: typeof saved.filter === 'string' ? saved.filter : '',
    tab: oneOf(saved.tab, PANEL_TABS, 'curves'),
    parallel: { key: stringOrNull(parallel.key), stat: oneOf(parallel.stat, STATS, 'last') },
    scatter: { param: stringOrNull(scatter.param), key: stringOrNull(scatter.key), stat: oneOf(scatter.stat, STATS, 'last') },
    allParams: saved.allParams === true,
    sort: sort && typeof sort.column === 'string' ? { column: sort.column, descending: sort.descending === true } : null,
    slices: {
      metric: stringOrNull(slices.metric),
      sort: { column: typeof sliceSort.column === 'string' ? sliceSort.column : 'slice', descending: sliceSort.descending === true },
    },
  };
}
