/**
 * Searching runs: parse the filter and order-by (searchParser.ts), keep the runs the filter
 * matches (filterEval.ts), order them (runOrder.ts). The CLI, the Runs tree and the Runs table all
 * come through here, so the same query gives the same runs everywhere.
 */
import type { RunQuery, RunSearchResult, SearchSyntaxProblem } from '../../shared/runSearch';
import { compileFilter, type RunPredicate } from './filterEval';
import { SearchSyntaxError } from './searchLexer';
import { parseFilter, parseOrderBy, type FilterExpr, type OrderKey } from './searchParser';
import type { RecordParts, RunCatalog } from './runCatalog';
import type { RunField } from '../../shared/runFields';
import { orderRuns } from './runOrder';
import type { RunRecord } from './runRecord';

export interface CompiledQuery {
  matches: RunPredicate;
  order: OrderKey[];
  /** What the runs must be read with (parameters, tags) for this filter and order. */
  parts: RecordParts;
}

/** The filter and order-by compiled, or the first syntax error with where it is. */
export function compileQuery(filter = '', orderBy = ''): { ok: true; query: CompiledQuery } | { ok: false; error: SearchSyntaxProblem } {
  let input: SearchSyntaxProblem['input'] = 'filter';
  try {
    const expr = parseFilter(filter);
    input = 'orderBy';
    const order = parseOrderBy(orderBy);
    return { ok: true, query: { matches: compileFilter(expr), order, parts: partsFor([...fieldsOf(expr), ...order.map((k) => k.field)]) } };
  } catch (e) {
    if (!(e instanceof SearchSyntaxError)) throw e;
    return { ok: false, error: { input, message: e.message, start: e.start, end: e.end } };
  }
}

/** The records a compiled query keeps, in its order. */
export function applyQuery(records: readonly RunRecord[], query: CompiledQuery): RunRecord[] {
  return orderRuns(records.filter(query.matches), query.order);
}

export function searchRuns(catalog: RunCatalog, q: RunQuery): RunSearchResult {
  const compiled = compileQuery(q.filter, q.orderBy);
  if (!compiled.ok) return compiled;
  const records = catalog.records({ includeHidden: q.includeHidden, ...compiled.query.parts });
  const found = applyQuery(records, compiled.query);
  const limited = q.maxResults === undefined ? found : found.slice(0, Math.max(0, q.maxResults));
  return { ok: true, runs: limited.map((r) => r.summary), matched: found.length, total: records.length };
}

/** The parts of a run record these fields read. */
export function partsFor(fields: readonly RunField[]): RecordParts {
  return { metrics: fields.some((f) => f.kind === 'metric'), params: fields.some((f) => f.kind === 'param'), tags: fields.some((f) => f.kind === 'tag') };
}

function fieldsOf(expr: FilterExpr | null): RunField[] {
  if (expr === null) return [];
  switch (expr.op) {
    case 'and':
    case 'or':
      return expr.args.flatMap(fieldsOf);
    case 'not':
      return fieldsOf(expr.arg);
    default:
      return [expr.field];
  }
}
