/** Which columns the panel shows as categories (value counts) rather than as numbers. */
import type { SchemaDiffWire } from '../../src/shared/protocol/schemaDiff';

type Side = NonNullable<SchemaDiffWire['columns'][number]['a']>;

/** Columns whose most frequent values say something: text, booleans, integers with few values. */
export function isCategorical(s: Side | undefined): boolean {
  const stats = s?.stats;
  if (!s || !stats?.categorical) return false;
  return s.type === 'string' || s.type === 'bool' || (s.type === 'int' && stats.distinct.exact && stats.distinct.count <= CATEGORY_LIMIT);
}

/** Integer columns with at most this many values are shown as categories (labels, classes). */
const CATEGORY_LIMIT = 30;
