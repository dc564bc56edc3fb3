/** Which parameters differ between runs, and how each value reads. */
import type { ParamRow } from '../../shared/compare/compareTypes';
import { formatParamValue } from '../../shared/format';

/** One row per parameter key of any run, sorted by key; `params[i]` belongs to run i. */
export function paramRows(params: readonly Record<string, unknown>[]): ParamRow[] {
  const keys = new Set<string>();
  for (const p of params) for (const k of Object.keys(p)) keys.add(k);
  return [...keys].sort((a, b) => a.localeCompare(b)).map((key) => {
    const present = params.map((p) => Object.prototype.hasOwnProperty.call(p, key));
    const raw = params.map((p, i) => (present[i] ? p[key] : undefined));
    const canonical = raw.map((v, i) => (present[i] ? canonicalJson(v) : undefined));
    return {
      key,
      values: raw.map((v, i) => (present[i] ? formatParamValue(v) : null)),
      numbers: raw.map(numberOf),
      differs: canonical.some((c) => c !== canonical[0]),
    };
  });
}

function numberOf(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'boolean') return v ? 1 : 0;
  return null;
}

/** JSON with object keys sorted, so {a,b} and {b,a} count as the same value. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonicalJson(x)}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}
