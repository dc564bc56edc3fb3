/**
 * How the Compare panel lays out its charts — one per metric, in sections by key prefix
 * (`train/`, `val/`, `system/`) — and which of them it draws first. The same rule on both sides,
 * so the host can fetch the first screen's series while the page is still loading. System metrics
 * have a tab of their own: the Curves tab leaves them out.
 */
import { PREFERRED_KEY_METRICS } from '../runTypes';
import { isSystemMetric } from '../systemMetricKeys';

/** Charts the host fetches before the page says what it shows: about a screen's worth. */
export const FIRST_SCREEN_CHARTS = 6;

/** The section of keys without a prefix, and of derived metrics. */
export const PLAIN_SECTION = '';
export const DERIVED_SECTION = '\u0000derived';

export interface ChartSection {
  /** The prefix before the first `/`; PLAIN_SECTION or DERIVED_SECTION. */
  id: string;
  title: string;
  keys: string[];
}

export function sectionOf(key: string): string {
  const slash = key.indexOf('/');
  return slash > 0 ? key.slice(0, slash) : PLAIN_SECTION;
}

/**
 * Sections in order: derived metrics first (the user just made them), then keys without a
 * prefix, then the prefixes alphabetically; in a section the usual headline metrics first.
 */
export function chartSections(metricKeys: readonly string[], derived: readonly string[] = []): ChartSection[] {
  const derivedSet = new Set(derived);
  const bySection = new Map<string, string[]>();
  for (const key of metricKeys) {
    const id = derivedSet.has(key) ? DERIVED_SECTION : sectionOf(key);
    let keys = bySection.get(id);
    if (!keys) bySection.set(id, (keys = []));
    keys.push(key);
  }
  const order = [...bySection.keys()].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  return order.map((id) => ({
    id,
    title: id === DERIVED_SECTION ? 'Derived' : id === PLAIN_SECTION ? 'Charts' : id,
    keys: sortKeys(bySection.get(id)!),
  }));
}

function rank(id: string): number {
  return id === DERIVED_SECTION ? 0 : id === PLAIN_SECTION ? 1 : 2;
}

function sortKeys(keys: string[]): string[] {
  const preferred = PREFERRED_KEY_METRICS.filter((k) => keys.includes(k));
  return [...preferred, ...keys.filter((k) => !preferred.includes(k)).sort((a, b) => a.localeCompare(b))];
}

/** The key filter as a case-insensitive regular expression; an error message when it is not one. */
export function keyFilter(text: string): { test(key: string): boolean; error: string | null } {
  const t = text.trim();
  if (!t) return { test: () => true, error: null };
  try {
    const re = new RegExp(t, 'i');
    return { test: (key) => re.test(key), error: null };
  } catch (e) {
    return { test: () => true, error: (e as Error).message };
  }
}

export type ChartTab = 'curves' | 'system';

/** The keys a tab charts: the system metrics on System, the others on Curves. */
export function keysOfTab(metricKeys: readonly string[], tab: ChartTab): string[] {
  return metricKeys.filter((k) => isSystemMetric(k) === (tab === 'system'));
}

/** The charts of the first screen: the first keys of the open sections that pass the filter. */
export function firstScreenKeys(
  metricKeys: readonly string[], derived: readonly string[] = [], filter = '', collapsed: readonly string[] = [], count = FIRST_SCREEN_CHARTS,
): string[] {
  const f = keyFilter(filter);
  const out: string[] = [];
  for (const section of chartSections(metricKeys, derived)) {
    if (collapsed.includes(section.id)) continue;
    for (const key of section.keys) {
      if (!f.test(key)) continue;
      out.push(key);
      if (out.length >= count) return out;
    }
  }
  return out;
}

/** The side bar draws a small curve for each metric, up to this many. */
export const MAX_SPARKLINE_KEYS = 40;

/** The side bar's curves: system metrics only when asked for. */
export function sparklineKeys(metricKeys: readonly string[], withSystem = false): string[] {
  return metricKeys.filter((k) => withSystem || !isSystemMetric(k)).slice(0, MAX_SPARKLINE_KEYS);
}
