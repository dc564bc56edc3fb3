/**
 * MLflow's run search syntax (`mlflow.search_runs(filter_string=…, order_by=[…])`, SearchUtils in
 * mlflow/utils/search_utils.py), parsed into a tree with every error placed on its token.
 *
 *   metrics.val_loss < 0.3 and params.optimizer = 'adam' and tags.note LIKE '%aug%' and attributes.status = 'FINISHED'
 *
 * As in MLflow: `metrics.` / `metric.`, `params.` / `param.` / `parameters.`, `tags.` / `tag.`,
 * `attributes.` / `attribute.` / `attr.` / `run.` (or no prefix: an attribute); keys with other
 * characters in backticks or double quotes; strings in single or double quotes; metrics and
 * start_time / end_time (milliseconds) compare with numbers, text attributes with strings;
 * `=  != < <= > >=`, `LIKE` / `ILIKE` (`%` any text, `_` one character), `IN (…)`, `NOT IN (…)`,
 * `IS NULL` / `IS NOT NULL`, `and`. Beyond MLflow: `or`, `not`, parentheses; `min(…)`, `max(…)`,
 * `count(…)` of a metric; parameters and tags also compare with numbers (as numbers); `IN` and
 * `LIKE` on any key that holds text; status compared without regard to case.
 */
import {
  METRIC_AGGREGATES, NUMERIC_ATTRIBUTES, RUN_ATTRIBUTES, fieldText, type MetricAggregate, type RunAttribute, type RunField,
} from '../../shared/runFields';
import { Lexer, SearchSyntaxError, type ComparisonOp, type NamePart, type Token } from './searchLexer';

export type Literal = { type: 'number'; value: number } | { type: 'string'; value: string };

export type FilterExpr =
  | { op: 'and' | 'or'; args: FilterExpr[] }
  | { op: 'not'; arg: FilterExpr }
  | { op: 'compare'; field: RunField; cmp: ComparisonOp; value: Literal }
  | { op: 'in'; field: RunField; values: Literal[]; negated: boolean }
  | { op: 'like'; field: RunField; pattern: string; caseInsensitive: boolean; negated: boolean }
  | { op: 'null'; field: RunField; negated: boolean };

export interface OrderKey {
  field: RunField;
  ascending: boolean;
}

/** What a field's values are: numbers (metrics, times), text (other attributes), or either (params, tags). */
export type FieldValueType = 'number' | 'text' | 'any';

export function fieldValueType(field: RunField): FieldValueType {
  switch (field.kind) {
    case 'metric':
      return 'number';
    case 'attribute':
      return NUMERIC_ATTRIBUTES.has(field.key) ? 'number' : 'text';
    default:
      return 'any';
  }
}

const ENTITY_ALIASES: Record<string, RunField['kind'] | 'dataset'> = {
  metric: 'metric', metrics: 'metric',
  param: 'param', params: 'param', parameter: 'param', parameters: 'param',
  tag: 'tag', tags: 'tag',
  attribute: 'attribute', attributes: 'attribute', attr: 'attribute', run: 'attribute',
  dataset: 'dataset', datasets: 'dataset',
};

/** MLflow's other names for attributes (`created`, `Run name`…) and a few of ours, lower-cased. */
const ATTRIBUTE_ALIASES: Record<string, RunAttribute> = {
  'run name': 'run_name', created: 'start_time', experiment_name: 'experiment', user: 'user_id', run_uuid: 'run_id',
};

const KEYWORDS = new Set(['AND', 'OR', 'NOT', 'IN', 'LIKE', 'ILIKE', 'IS', 'NULL', 'ASC', 'DESC']);

/** Parses a filter; an empty (or blank) filter is null: every run. Throws SearchSyntaxError. */
export function parseFilter(text: string): FilterExpr | null {
  const p = new Parser(text);
  if (p.at('end')) return null;
  const expr = p.orExpr();
  p.expectEnd('and', 'or');
  return expr;
}

/** Parses an order-by: keys separated by commas, each `field [ASC|DESC]` (ascending by default). */
export function parseOrderBy(text: string): OrderKey[] {
  const p = new Parser(text);
  const keys: OrderKey[] = [];
  if (p.at('end')) return keys;
  for (;;) {
    const field = p.field();
    let ascending = true;
    const dir = p.keyword('ASC', 'DESC');
    if (dir) ascending = dir === 'ASC';
    keys.push({ field, ascending });
    if (!p.take(',')) break;
  }
  p.expectEnd(',');
  return keys;
}

class Parser {
  private readonly lexer: Lexer;
  /** Tokens read so far; `i` is the next one. */
  private readonly tokens: Token[] = [];
  private i = 0;

  constructor(private readonly text: string) {
    this.lexer = new Lexer(text);
  }

  private get peek(): Token {
    while (this.tokens.length <= this.i) this.tokens.push(this.lexer.next());
    return this.tokens[this.i]!;
  }

  at(kind: Token['kind']): boolean {
    return this.peek.kind === kind;
  }

  take(kind: Token['kind']): Token | undefined {
    if (!this.at(kind)) return undefined;
    return this.tokens[this.i++];
  }

  /** The keyword (upper case) if the next token is one of these, consumed. */
  keyword(...words: string[]): string | undefined {
    const word = keywordOf(this.peek);
    if (word && words.includes(word)) {
      this.i++;
      return word;
    }
    return undefined;
  }

  expectEnd(...joiners: string[]): void {
    if (this.at('end')) return;
    const t = this.peek;
    if (t.kind === ')') throw this.error(t, "this ')' closes nothing");
    throw this.error(t, `expected ${joiners.map((j) => `'${j}'`).join(' or ')} before ${this.describe(t)}`);
  }

  orExpr(): FilterExpr {
    const args = [this.andExpr()];
    while (this.keyword('OR')) args.push(this.andExpr());
    return args.length === 1 ? args[0]! : { op: 'or', args };
  }

  private andExpr(): FilterExpr {
    const args = [this.unary()];
    while (this.keyword('AND')) args.push(this.unary());
    return args.length === 1 ? args[0]! : { op: 'and', args };
  }

  private unary(): FilterExpr {
    if (this.keyword('NOT')) return { op: 'not', arg: this.unary() };
    const open = this.take('(');
    if (open) {
      if (this.at(')')) throw this.error(this.peek, 'expected a comparison inside the parentheses');
      const inner = this.orExpr();
      if (!this.take(')')) {
        const t = this.peek;
        if (t.kind === 'end') throw this.error(t, `missing ')' to close the '(' at column ${open.start + 1}`);
        throw this.error(t, `expected 'and', 'or' or ')' before ${this.describe(t)}`);
      }
      return inner;
    }
    return this.comparison();
  }

  private comparison(): FilterExpr {
    const field = this.field();
    const type = fieldValueType(field);
    const name = fieldText(field);
    const t = this.peek;
    if (t.kind === 'op') {
      this.i++;
      return { op: 'compare', field, cmp: t.op, value: this.literal(field, t) };
    }
    const word = keywordOf(t);
    if (word === 'IS') {
      this.i++;
      const negated = this.keyword('NOT') !== undefined;
      if (!this.keyword('NULL')) throw this.error(this.peek, `expected NULL after 'IS${negated ? ' NOT' : ''}'`);
      return { op: 'null', field, negated };
    }
    let negated = false;
    if (word === 'NOT') {
      this.i++;
      negated = true;
    }
    const how = this.keyword('IN', 'LIKE', 'ILIKE');
    if (how === 'IN') return { op: 'in', field, values: this.list(field), negated };
    if (how) {
      const opToken = this.tokens[this.i - 1]!;
      if (type === 'number') throw this.error(opToken, `${how} compares text; ${name} holds numbers: use = != < <= > >=`);
      const pattern = this.peek;
      if (pattern.kind !== 'string') throw this.error(pattern, `${how} needs a quoted pattern, e.g. '%aug%'`);
      this.i++;
      return { op: 'like', field, pattern: pattern.value, caseInsensitive: how === 'ILIKE', negated };
    }
    if (negated) throw this.error(this.peek, "expected IN, LIKE or ILIKE after 'NOT'");
    if (t.kind === 'end') throw this.error(t, `expected a comparison after ${name}, e.g. ${name} ${type === 'number' ? '< 0.3' : "= 'value'"}`);
    throw this.error(t, `expected a comparison (= != < <= > >=, LIKE, IN, IS NULL) after ${name}, found ${this.describe(t)}`);
  }

  /** `(value, value, …)` after IN. */
  private list(field: RunField): Literal[] {
    const open = this.peek;
    if (!this.take('(')) throw this.error(open, "IN needs a list in parentheses, e.g. IN ('a', 'b')");
    const values: Literal[] = [];
    for (;;) {
      values.push(this.literal(field, this.tokens[this.i - 1]!));
      if (this.take(')')) return values;
      if (!this.take(',')) {
        const t = this.peek;
        throw this.error(t, t.kind === 'end' ? `missing ')' to close the list at column ${open.start + 1}` : `expected ',' or ')' in the list, found ${this.describe(t)}`);
      }
    }
  }

  /** A number (with its sign) or a quoted string, checked against what the field holds. */
  private literal(field: RunField, after: Token): Literal {
    const t = this.peek;
    const type = fieldValueType(field);
    const name = fieldText(field);
    if (t.kind === 'string') {
      this.i++;
      if (type === 'number') throw this.error(t, `${name} holds numbers: write the number without quotes`);
      return { type: 'string', value: t.value };
    }
    let negative = false;
    let start = t.start;
    const sign = this.take('sign');
    if (sign?.kind === 'sign') {
      negative = sign.negative;
      start = sign.start;
    }
    const n = this.peek;
    if (n.kind === 'number') {
      this.i++;
      if (type === 'text') throw new SearchSyntaxError(`${name} holds text: put the value in quotes, e.g. '${n.text}'`, start, n.end);
      return { type: 'number', value: negative ? -n.value : n.value };
    }
    if (n.kind === 'end') throw this.error(n, `expected a value after ${this.describe(after)}`);
    const hint = n.kind === 'name' && n.parts.length === 1 && !n.parts[0]!.quoted ? `; text goes in quotes: '${n.parts[0]!.text}'` : '';
    throw this.error(n, `expected a number or a quoted string, found ${this.describe(n)}${hint}`);
  }

  /** A key: `metrics.loss`, `params.lr`, `status`, or `min(metrics.loss)`. */
  field(): RunField {
    const t = this.peek;
    if (t.kind !== 'name' || keywordOf(t)) {
      throw this.error(t, `expected a key such as metrics.val_loss, params.lr, tags.note or attributes.status, found ${this.describe(t)}`);
    }
    this.i++;
    const first = t.parts[0]!;
    const agg = t.parts.length === 1 && !first.quoted ? (METRIC_AGGREGATES as readonly string[]).find((a) => a === first.text.toLowerCase()) : undefined;
    if (agg && this.at('(')) {
      this.i++;
      const arg = this.peek;
      const inner = this.field();
      if (inner.kind !== 'metric') throw this.error(arg, `${agg}() takes a metric, e.g. ${agg}(metrics.loss)`);
      if (inner.agg !== 'last') throw this.error(arg, `${agg}() takes a metric, not another summary`);
      if (!this.take(')')) throw this.error(this.peek, `expected ')' after ${agg}(${fieldText(inner)}`);
      return { kind: 'metric', key: inner.key, agg: agg as MetricAggregate };
    }
    return this.resolve(t.parts, t);
  }

  private resolve(parts: NamePart[], t: Token): RunField {
    if (parts.length === 1) return { kind: 'attribute', key: this.attribute(parts[0]!) };
    const entityPart = parts[0]!;
    const kind = ENTITY_ALIASES[entityPart.text.toLowerCase()];
    const key = parts.slice(1).map((p) => p.text).join('.');
    if (kind === 'dataset') throw this.span(entityPart.start, entityPart.end, 'dataset filters are not supported here: use tags, params, metrics or attributes');
    if (!kind) {
      throw this.span(entityPart.start, entityPart.end,
        `unknown key type '${entityPart.text}': use metrics., params., tags. or attributes. (e.g. metrics.${key})`);
    }
    if (key === '') throw this.error(t, `expected a key after '${entityPart.text}.'`);
    if (kind === 'attribute') return { kind, key: this.attribute({ ...parts[1]!, text: key, end: t.end }) };
    return kind === 'metric' ? { kind, key, agg: 'last' } : { kind, key };
  }

  private attribute(part: NamePart): RunAttribute {
    const lower = part.text.toLowerCase();
    const known = (RUN_ATTRIBUTES as readonly string[]).find((a) => a === lower) as RunAttribute | undefined;
    const key = known ?? ATTRIBUTE_ALIASES[lower];
    if (key) return key;
    throw this.span(part.start, part.end,
      `unknown attribute '${part.text}': attributes are ${RUN_ATTRIBUTES.join(', ')}; a metric, parameter or tag needs its type, e.g. metrics.${part.text}`);
  }

  private describe(t: Token): string {
    if (t.kind === 'end') return 'the end';
    return `'${this.text.slice(t.start, t.end)}'`;
  }

  private error(t: Token, message: string): SearchSyntaxError {
    return new SearchSyntaxError(message, t.start, t.end);
  }

  private span(start: number, end: number, message: string): SearchSyntaxError {
    return new SearchSyntaxError(message, start, end);
  }
}

/** The keyword a token is (upper case), if it is a lone unquoted word that is one. */
function keywordOf(t: Token): string | undefined {
  if (t.kind !== 'name' || t.parts.length !== 1 || t.parts[0]!.quoted) return undefined;
  const upper = t.parts[0]!.text.toUpperCase();
  return KEYWORDS.has(upper) ? upper : undefined;
}
