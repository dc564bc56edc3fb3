/**
 * UI intent of the Compare panel, kept with setState so it survives hide/show and a window
 * reload; the data itself is always fetched again. The host reads `uids` (to restore the panel)
 * and what the first charts need (`smoothing`, `xMode`, `keyFilter`, `collapsed`) to fetch them
 * while the page loads (src/extension/compare/compareFeature.ts).
 */
import type { XAxisMode } from '../../src/shared/compare/compareTypes';
import { normalizeSmoothing, SMOOTHING_KINDS, SMOOTHING_RANGES, smoothingProblem, type Smoothing, type SmoothingKind } from '../../src/shared/compare/smoothing';
import type { SlicesIntent } from './slicesView';
import type { TableSort } from './tableView';

export type Stat = 'last' | 'min' | 'max';
export type PanelTab = 'curves' | 'system' | 'slices' | 'parallel' | 'scatter' | 'table';
export const PANEL_TABS: readonly PanelTab[] = ['curves', 'system', 'slices', 'parallel', 'scatter', 'table'];

export interface PanelState {
  uids: string[];
  xMode: XAxisMode;
  /** What the charts are smoothed with (none included). */
  smoothing: Smoothing;
  /** The amount last used with each kind, so switching kinds back and forth keeps them. */
  amounts: Partial<Record<SmoothingKind, number>>;
  logY: boolean;
  /** The faint raw line behind a smoothed one. */
  showRaw: boolean;
  /** The min/max band of each pixel column. */
  band: boolean;
  /** A regular expression over metric keys: only matching charts are shown. */
  keyFilter: string;
  /** Sections closed by the user. */
  collapsed: string[];
  /** Pixel columns the charts were last fetched with (so a restored panel's first fetch fits them). */
  buckets: number | null;
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

/** What the panel starts with; the host assumes the same (DEFAULT_INTENT in comparePanel.ts). */
export const DEFAULT_SMOOTHING: Smoothing = { kind: 'ema', amount: 0.6 };

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
  const amounts: Partial<Record<SmoothingKind, number>> = {};
  for (const [kind, amount] of Object.entries((saved.amounts ?? {}) as Record<string, unknown>)) {
    if (SMOOTHING_KINDS.includes(kind as SmoothingKind) && typeof amount === 'number' && !smoothingProblem({ kind: kind as SmoothingKind, amount })) amounts[kind as SmoothingKind] = amount;
  }
  const slices = (saved.slices ?? {}) as Record<string, unknown>;
  const sliceSort = (slices.sort ?? {}) as Record<string, unknown>;
  return {
    uids: strings(saved.uids),
    xMode: oneOf(saved.xMode, X_MODES, 'step'),
    smoothing: restoreSmoothing(saved.smoothing),
    amounts,
    logY: saved.logY === true,
    showRaw: saved.showRaw !== false,
    band: saved.band === true,
    keyFilter: typeof saved.keyFilter === 'string' ? saved.keyFilter : '',
    collapsed: strings(saved.collapsed),
    buckets: typeof saved.buckets === 'number' && Number.isInteger(saved.buckets) && saved.buckets >= 1 && saved.buckets <= 20_000 ? saved.buckets : null,
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

/** A saved smoothing; a bare number is the weight of an earlier version's EMA slider. */
function restoreSmoothing(saved: unknown): Smoothing {
  if (typeof saved === 'number') return saved >= 0 && saved < 1 ? normalizeSmoothing({ kind: 'ema', amount: saved }) : DEFAULT_SMOOTHING;
  const s = saved as Partial<Smoothing> | null | undefined;
  if (!s || typeof s !== 'object' || !SMOOTHING_KINDS.includes(s.kind as SmoothingKind) || typeof s.amount !== 'number') return DEFAULT_SMOOTHING;
  const spec = { kind: s.kind as SmoothingKind, amount: s.amount };
  return smoothingProblem(spec) ? DEFAULT_SMOOTHING : normalizeSmoothing(spec);
}

/** The amount a kind starts at: the last one used with it, else its own default. */
export function amountFor(state: PanelState, kind: SmoothingKind): number {
  if (kind === 'none') return 0;
  return state.amounts[kind] ?? SMOOTHING_RANGES[kind].initial;
}
