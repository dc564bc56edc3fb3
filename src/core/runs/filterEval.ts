/**
 * A parsed filter turned into a predicate over run records, once per search (keys and patterns are
 * resolved here, not per run). The rules, MLflow's where it has them:
 * - A run without the key never matches a comparison on it (not even `!=` or `NOT IN`); `IS NULL`
 *   matches it, and `not` negates whatever the comparison gave.
 * - `!=`, `NOT IN`, `NOT LIKE` match a run that has the key and does not match `=`, `IN`, `LIKE`.
 * - Numbers compare as IEEE doubles: NaN equals nothing and orders with nothing.
 * - Parameters and tags compared with a number compare as numbers (text that is not one does not
 *   match `=` or an ordering); compared with a string they compare as text, in code-unit order.
 * - LIKE / ILIKE match the whole text; `%` is any run of characters and `_` one character.
 */
import type { RunField } from '../../shared/runFields';
import type { ComparisonOp } from './searchLexer';
import { fieldValueType, type FilterExpr, type Literal } from './searchParser';
import { asNumber, asText, fieldReader, type RunRecord } from './runRecord';

export type RunPredicate = (r: RunRecord) => boolean;

export function compileFilter(expr: FilterExpr | null): RunPredicate {
  return expr === null ? () => true : compile(expr);
}

function compile(expr: FilterExpr): RunPredicate {
  switch (expr.op) {
    case 'and': {
      const parts = expr.args.map(compile);
      return (r) => parts.every((p) => p(r));
    }
    case 'or': {
      const parts = expr.args.map(compile);
      return (r) => parts.some((p) => p(r));
    }
    case 'not': {
      const inner = compile(expr.arg);
      return (r) => !inner(r);
    }
    case 'null': {
      const read = fieldReader(expr.field);
      return expr.negated ? (r) => read(r) !== undefined : (r) => read(r) === undefined;
    }
    case 'compare': {
      const read = fieldReader(expr.field);
      const test = valueTest(expr.cmp, normalise(expr.field, expr.value), fieldValueType(expr.field) === 'any');
      return (r) => {
        const v = read(r);
        return v !== undefined && test(v);
      };
    }
    case 'in': {
      const read = fieldReader(expr.field);
      const any = fieldValueType(expr.field) === 'any';
      const tests = expr.values.map((lit) => valueTest('=', normalise(expr.field, lit), any));
      const negated = expr.negated;
      return (r) => {
        const v = read(r);
        return v !== undefined && tests.some((t) => t(v)) !== negated;
      };
    }
    case 'like': {
      const read = fieldReader(expr.field);
      const status = expr.field.kind === 'attribute' && expr.field.key === 'status';
      const re = likeRegExp(status ? expr.pattern.toUpperCase() : expr.pattern, expr.caseInsensitive);
      const negated = expr.negated;
      return (r) => {
        const v = read(r);
        return v !== undefined && re.test(typeof v === 'string' ? v : asText(v)) !== negated;
      };
    }
  }
}

/** Status values are upper case (fieldReader): the literal is too, so `status = 'finished'` matches. */
function normalise(field: RunField, lit: Literal): Literal {
  return field.kind === 'attribute' && field.key === 'status' && lit.type === 'string' ? { type: 'string', value: lit.value.toUpperCase() } : lit;
}

/** Whether a present value compares to the literal; `any` fields (params, tags) are read by the literal's type. */
function valueTest(cmp: ComparisonOp, lit: Literal, any: boolean): (v: unknown) => boolean {
  if (cmp === '!=') {
    const eq = valueTest('=', lit, any);
    return (v) => !eq(v);
  }
  const order = ordering(cmp);
  if (lit.type === 'number') {
    const x = lit.value;
    if (!any) return (v) => order(v as number, x);
    return (v) => {
      const n = asNumber(v);
      return n !== undefined && order(n, x);
    };
  }
  const s = lit.value;
  if (!any) return (v) => order(v as string, s);
  return (v) => order(typeof v === 'string' ? v : asText(v), s);
}

function ordering(cmp: Exclude<ComparisonOp, '!='>): <T extends number | string>(a: T, b: T) => boolean {
  switch (cmp) {
    case '=':
      return (a, b) => a === b;
    case '<':
      return (a, b) => a < b;
    case '<=':
      return (a, b) => a <= b;
    case '>':
      return (a, b) => a > b;
    case '>=':
      return (a, b) => a >= b;
  }
}

const REGEXP_SYNTAX = /[\\^$.*+?()[\]{}|/]/;

/** SQL LIKE as a regular expression over code points: `%` any run, `_` one character, the rest literal. */
export function likeRegExp(pattern: string, caseInsensitive: boolean): RegExp {
  let source = '';
  for (const ch of pattern) {
    if (ch === '%') source += '[\\s\\S]*';
    else if (ch === '_') source += '[\\s\\S]';
    else source += REGEXP_SYNTAX.test(ch) ? `\\${ch}` : ch;
  }
  return new RegExp(`^${source}$`, caseInsensitive ? 'iu' : 'u');
}
