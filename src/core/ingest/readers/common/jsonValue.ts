/** Turns values decoded from YAML or lenient JSON into plain JSON values that params can hold. */

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** Non-finite numbers become the strings "NaN"/"Infinity"/"-Infinity"; dates become ISO text. */
export function toJsonValue(v: unknown): JsonValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return Number.isFinite(v) ? v : Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? String(v) : v.toISOString();
  if (Array.isArray(v)) return v.map(toJsonValue);
  if (v instanceof Map) return Object.fromEntries([...v].map(([k, x]) => [String(k), toJsonValue(x)]));
  if (typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toJsonValue(x)]));
  return String(v);
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date) && !(v instanceof Map);
}

/**
 * Flattens nested maps into `a/b` (or `a.b`) keys, the way the loggers name nested values:
 * dvclive's `{"train": {"loss": 1}}` is the series `train/loss`. Lists stay values.
 */
export function flattenObject(obj: Record<string, unknown>, sep: string, prefix = '', out: Record<string, unknown> = {}): Record<string, unknown> {
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? `${prefix}${sep}${k}` : k;
    if (isPlainObject(v) && Object.keys(v).length > 0) flattenObject(v, sep, key, out);
    else out[key] = v;
  }
  return out;
}
