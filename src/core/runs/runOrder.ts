/**
 * Orders runs as MLflow's search does: by each order-by key in turn, runs that lack the value
 * last in either direction (a NaN just before them), ties kept in the order the runs came in —
 * the default order, newest start first then by id.
 *
 * Values of one key: numbers by value, text in code-unit order, and (for parameters and tags,
 * which may hold either) every number before every text ascending, after it descending.
 */
import { fieldValueType, type OrderKey } from './searchParser';
import { asNumber, asText, fieldReader, type FieldReader, type RunRecord } from './runRecord';

export type SortValue = number | string | undefined;

/** How a field's value sorts: numbers, text, or (params, tags) a number when it is one, else its text. */
export function sortValueReader(key: OrderKey['field']): (r: RunRecord) => SortValue {
  const read: FieldReader = fieldReader(key);
  if (fieldValueType(key) !== 'any') return read as (r: RunRecord) => SortValue;
  return (r) => {
    const v = read(r);
    return v === undefined ? undefined : asNumber(v) ?? (typeof v === 'string' ? v : asText(v));
  };
}

/** Present values first, then NaN, then missing — whatever the direction. */
function rank(v: SortValue): number {
  if (v === undefined) return 2;
  return typeof v === 'number' && Number.isNaN(v) ? 1 : 0;
}

export function compareSortValues(a: SortValue, b: SortValue, ascending: boolean): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (ra !== 0) return 0;
  let base: number;
  if (typeof a === 'number') base = typeof b === 'number' ? (a < b ? -1 : a > b ? 1 : 0) : -1;
  else base = typeof b === 'number' ? 1 : a! < b! ? -1 : a! > b! ? 1 : 0;
  return ascending ? base : -base;
}

/** The runs ordered by `keys` (a new array); stable, so with no keys the order is unchanged. */
export function orderRuns(records: readonly RunRecord[], keys: readonly OrderKey[]): RunRecord[] {
  if (keys.length === 0) return [...records];
  const columns = keys.map((k) => {
    const read = sortValueReader(k.field);
    return records.map(read);
  });
  const index = records.map((_, i) => i);
  index.sort((x, y) => {
    for (let k = 0; k < keys.length; k++) {
      const c = compareSortValues(columns[k]![x], columns[k]![y], keys[k]!.ascending);
      if (c !== 0) return c;
    }
    return x - y;
  });
  return index.map((i) => records[i]!);
}
