/**
 * Property tests of the run search syntax, 10,000 generated cases each:
 * - a generated condition, written out as MLflow-style text in any of its spellings (aliases,
 *   quoting, keyword case, spacing, parentheses), selects exactly the runs that a plain reference
 *   evaluation of the condition selects;
 * - an order-by sorts exactly as a reference sort does;
 * - a valid filter with an error appended fails with the error placed on the offending token.
 * The reference below is written from the rules (searchParser.ts, filterEval.ts, runOrder.ts),
 * over plain run descriptions, not over the records and readers the product uses.
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { compileFilter } from '../../../src/core/runs/filterEval';
import { applyQuery, compileQuery } from '../../../src/core/runs/runSearch';
import { SearchSyntaxError } from '../../../src/core/runs/searchLexer';
import { parseFilter } from '../../../src/core/runs/searchParser';
import type { MetricAggregate, RunAttribute, RunField } from '../../../src/shared/runFields';
import { record, type RunSpec } from './runFixtures';

const CASES = { numRuns: 10_000 };

// ---- runs -----------------------------------------------------------------------------------

const METRIC_KEYS = ['loss', 'val_loss', 'val/acc', 'f1 score', 'a.b', '1st', "it's", 'x`y', 'q"z'];
const PARAM_KEYS = ['lr', 'optimizer', 'model-type', 'IN', 'layers'];
const TAG_KEYS = ['note', 'mlflow.user', 'x y'];
const STATUSES = ['running', 'finished', 'failed', 'killed', 'scheduled', 'unknown'] as const;
const NUMBERS = [0, -0, 0.01, 0.5, 1, -1, 2.5, 100, 1e-3, 1_700_000_000_000, 1_700_000_000_500];
const char = fc.constantFrom('a', 'b', 'A', 'B', 'é', 'É', '%', '_', "'", '"', '\\', '`', ' ', '.', '0', '1', '-');
const text = fc.oneof(fc.array(char, { maxLength: 6 }).map((cs) => cs.join('')), fc.constantFrom('adam', 'Adam', 'sgd', '0.01', ' 2 ', '1e3', '-0', 'FINISHED'));
const metricValue = fc.oneof(fc.constantFrom(...NUMBERS, NaN, Infinity, -Infinity), fc.double({ noNaN: true, min: -10, max: 10 }));
const paramValue = fc.oneof(fc.constantFrom<unknown>(...NUMBERS, true, false, null, [64, 32], { a: 1 }), text, fc.integer({ min: -5, max: 5 }));

function subsetRecord<V>(keys: string[], value: fc.Arbitrary<V>): fc.Arbitrary<Record<string, V>> {
  return fc.dictionary(fc.constantFrom(...keys), value, { maxKeys: keys.length });
}

const runSpec = (uid: string): fc.Arbitrary<RunSpec> => fc.record({
  uid: fc.constant(uid),
  name: text,
  experiment: fc.constantFrom('Default', 'churn', 'vision'),
  status: fc.constantFrom(...STATUSES),
  started: fc.option(fc.constantFrom(1_700_000_000, 1_700_000_000.5, 1_700_000_100, 5), { nil: null }),
  ended: fc.option(fc.constantFrom(1_700_000_000, 1_700_000_200.25), { nil: null }),
  user: fc.option(fc.constantFrom('ana', 'bo'), { nil: null }),
  sourceKind: fc.option(fc.constantFrom('script' as const, 'mlflow' as const), { nil: null }),
  params: subsetRecord(PARAM_KEYS, paramValue),
  tags: subsetRecord(TAG_KEYS, text),
  metrics: subsetRecord(METRIC_KEYS, fc.record({ last: metricValue, min: metricValue, max: metricValue, count: fc.nat(20) })),
});

const runSpecs = fc.integer({ min: 1, max: 8 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => runSpec(`r${i}`))));

// ---- conditions -----------------------------------------------------------------------------

type Lit = { type: 'number'; value: number } | { type: 'string'; value: string };
type Op = '=' | '!=' | '<' | '<=' | '>' | '>=';
/** `style` picks among spellings when the condition is written out. */
type Cond =
  | { t: 'cmp'; field: RunField; op: Op; lit: Lit; style: number }
  | { t: 'in'; field: RunField; lits: Lit[]; neg: boolean; style: number }
  | { t: 'like'; field: RunField; pattern: string; ci: boolean; neg: boolean; style: number }
  | { t: 'null'; field: RunField; neg: boolean; style: number }
  | { t: 'and' | 'or'; args: Cond[]; style: number }
  | { t: 'not'; arg: Cond; style: number };

const TEXT_ATTRIBUTES: RunAttribute[] = ['run_id', 'run_name', 'status', 'experiment', 'user_id', 'source_kind'];
const AGGREGATES: MetricAggregate[] = ['last', 'min', 'max', 'count'];
const style = fc.nat(1 << 20);

type Kind = 'number' | 'text' | 'any';
const kindOf = (f: RunField): Kind => (f.kind === 'metric' || (f.kind === 'attribute' && (f.key === 'start_time' || f.key === 'end_time')) ? 'number' : f.kind === 'attribute' ? 'text' : 'any');

const field: fc.Arbitrary<RunField> = fc.oneof(
  fc.record({ kind: fc.constant('metric' as const), key: fc.constantFrom(...METRIC_KEYS), agg: fc.constantFrom(...AGGREGATES) }),
  fc.record({ kind: fc.constant('param' as const), key: fc.constantFrom(...PARAM_KEYS) }),
  fc.record({ kind: fc.constant('tag' as const), key: fc.constantFrom(...TAG_KEYS) }),
  fc.record({ kind: fc.constant('attribute' as const), key: fc.constantFrom<RunAttribute>(...TEXT_ATTRIBUTES, 'start_time', 'end_time') }),
);
const numberLit: fc.Arbitrary<Lit> = fc.oneof(fc.constantFrom(...NUMBERS), fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e3, max: 1e3 }))
  .map((value) => ({ type: 'number' as const, value }));
const stringLit: fc.Arbitrary<Lit> = fc.oneof(text, fc.constantFrom('finished', 'FAILED', 'ana', 'churn', 'r1', 'script', '[64,32]', 'true', 'null'))
  .map((value) => ({ type: 'string' as const, value }));
const litFor = (f: RunField): fc.Arbitrary<Lit> => ({ number: numberLit, text: stringLit, any: fc.oneof(numberLit, stringLit) })[kindOf(f)];
const pattern = fc.array(fc.oneof(char, fc.constantFrom('%', '%', '_', 'a', 'A', 'sgd', 'FIN')), { maxLength: 5 }).map((cs) => cs.join(''));

const leaf: fc.Arbitrary<Cond> = field.chain((f): fc.Arbitrary<Cond> => fc.oneof(
  fc.record({ t: fc.constant('cmp' as const), field: fc.constant(f), op: fc.constantFrom<Op>('=', '!=', '<', '<=', '>', '>='), lit: litFor(f), style }),
  fc.record({ t: fc.constant('in' as const), field: fc.constant(f), lits: fc.array(litFor(f), { minLength: 1, maxLength: 3 }), neg: fc.boolean(), style }),
  fc.record({ t: fc.constant('null' as const), field: fc.constant(f), neg: fc.boolean(), style }),
  ...(kindOf(f) === 'number' ? [] : [fc.record({ t: fc.constant('like' as const), field: fc.constant(f), pattern, ci: fc.boolean(), neg: fc.boolean(), style })]),
));

const cond: fc.Arbitrary<Cond> = fc.letrec<{ c: Cond }>((tie) => ({
  c: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.record({ t: fc.constantFrom('and' as const, 'or' as const), args: fc.array(tie('c'), { minLength: 2, maxLength: 3 }), style }),
    fc.record({ t: fc.constant('not' as const), arg: tie('c'), style }),
  ),
})).c;

// ---- writing a condition out ------------------------------------------------------------------

const pick = <T>(options: readonly T[], s: number, shift = 0): T => options[Math.floor(s / 2 ** shift) % options.length]!;
const keyword = (word: string, s: number) => pick([word.toLowerCase(), word.toUpperCase(), word[0]!.toUpperCase() + word.slice(1).toLowerCase()], s, 3);
const space = (s: number, shift: number) => pick([' ', '  ', '\t', ' \n '], s, shift);

function quotedString(value: string, s: number): string {
  const q = pick(["'", '"'], s, 5);
  const escaped = value.replace(/\\/g, '\\\\').replace(new RegExp(q, 'g'), pick([q + q, `\\${q}`], s, 6));
  return `${q}${escaped}${q}`;
}

function keyText(key: string, s: number): string {
  const bare = /^[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)*$/.test(key);
  const form = pick(bare ? ['bare', 'backtick', 'double'] : ['backtick', 'double'], s, 7);
  if (form === 'bare') return key;
  if (form === 'backtick') return `\`${key.replace(/`/g, '``')}\``;
  return `"${key.replace(/\\/g, '\\\\').replace(/"/g, '""')}"`;
}

function fieldSource(f: RunField, s: number): string {
  switch (f.kind) {
    case 'metric': {
      const inner = `${pick(['metrics', 'metric', 'METRICS', '`metrics`'], s, 9)}.${keyText(f.key, s)}`;
      if (f.agg === 'last' && pick([true, false], s, 11)) return inner;
      return `${keyword(f.agg, s)}(${inner})`;
    }
    case 'param':
      return `${pick(['params', 'param', 'parameters', 'parameter'], s, 9)}.${keyText(f.key, s)}`;
    case 'tag':
      return `${pick(['tags', 'tag', 'Tags'], s, 9)}.${keyText(f.key, s)}`;
    case 'attribute': {
      const prefix = pick(['', 'attributes.', 'attribute.', 'attr.', 'run.'], s, 9);
      const names: Partial<Record<RunAttribute, string[]>> = { run_name: ['run_name', '`run name`', '`Run Name`'], start_time: ['start_time', 'created', 'Created'] };
      return prefix + pick(names[f.key] ?? [f.key], s, 12);
    }
  }
}

function literalSource(lit: Lit, s: number): string {
  if (lit.type === 'string') return quotedString(lit.value, s);
  const v = lit.value;
  const digits = pick([String(Math.abs(v)), Math.abs(v).toExponential()], s, 14);
  if (v < 0 || Object.is(v, -0)) return `-${pick(['', ' '], s, 15)}${digits}`;
  return `${pick(['', '+'], s, 15)}${digits}`;
}

function source(c: Cond, parent?: 'and' | 'or' | 'not'): string {
  const s = c.style;
  let out: string;
  switch (c.t) {
    case 'cmp': {
      const op = c.op === '!=' ? pick(['!=', '<>'], s, 16) : c.op === '=' ? pick(['=', '=='], s, 16) : c.op;
      out = `${fieldSource(c.field, s)}${pick(['', ' '], s, 17)}${op}${pick(['', ' '], s, 18)}${literalSource(c.lit, s)}`;
      break;
    }
    case 'in':
      out = `${fieldSource(c.field, s)} ${c.neg ? `${keyword('not', s)} ` : ''}${keyword('in', s)} (${c.lits.map((l) => literalSource(l, s)).join(pick([',', ', '], s, 17))})`;
      break;
    case 'like':
      out = `${fieldSource(c.field, s)} ${c.neg ? `${keyword('not', s)} ` : ''}${keyword(c.ci ? 'ilike' : 'like', s)} ${quotedString(c.pattern, s)}`;
      break;
    case 'null':
      out = `${fieldSource(c.field, s)} ${keyword('is', s)} ${c.neg ? `${keyword('not', s)} ` : ''}${keyword('null', s)}`;
      break;
    case 'and':
    case 'or':
      out = c.args.map((a) => source(a, c.t)).join(`${space(s, 0)}${keyword(c.t, s)}${space(s, 2)}`);
      break;
    case 'not':
      out = `${keyword('not', s)}${space(s, 1)}${source(c.arg, 'not')}`;
      break;
  }
  // Parentheses where precedence needs them (not > and > or), and sometimes where it does not.
  const needs = (parent === 'not' && (c.t === 'and' || c.t === 'or')) || (parent === 'and' && c.t === 'or');
  return needs || pick([false, false, false, true], s, 19) ? `(${pick(['', ' '], s, 18)}${out})` : out;
}

// ---- the reference --------------------------------------------------------------------------

const MISSING = Symbol('missing');
type Value = unknown;

function refValue(run: RunSpec, f: RunField): Value {
  switch (f.kind) {
    case 'metric': {
      const m = run.metrics?.[f.key];
      return m === undefined ? MISSING : (m as Record<string, number>)[f.agg];
    }
    case 'param':
      return run.params && f.key in run.params ? run.params[f.key] : MISSING;
    case 'tag':
      return run.tags && f.key in run.tags ? run.tags[f.key] : MISSING;
    case 'attribute': {
      const time = (t: number | null | undefined) => (t === null || t === undefined ? MISSING : Math.round(t * 1000));
      const nullable = (v: string | null | undefined) => (v === null || v === undefined ? MISSING : v);
      return {
        run_id: run.uid, run_name: run.name, status: run.status!.toUpperCase(), start_time: time(run.started), end_time: time(run.ended),
        experiment: run.experiment, user_id: nullable(run.user), source_kind: nullable(run.sourceKind),
      }[f.key];
    }
  }
}

const refText = (v: Value) => (typeof v === 'string' ? v : JSON.stringify(v));
function refNumber(v: Value): number | undefined {
  if (typeof v === 'number') return v;
  return typeof v === 'string' && /^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$/.test(v) ? parseFloat(v) : undefined;
}

function refHolds(a: number | string, op: Op, b: number | string): boolean {
  if (op === '=') return a === b;
  if (op === '!=') return a !== b;
  if (op === '<') return a < b;
  if (op === '<=') return a <= b;
  if (op === '>') return a > b;
  return a >= b;
}

function refCompare(f: RunField, v: Value, op: Op, lit: Lit): boolean {
  if (op === '!=') return !refCompare(f, v, '=', lit);
  const status = f.kind === 'attribute' && f.key === 'status';
  if (lit.type === 'number') {
    const n = kindOf(f) === 'any' ? refNumber(v) : (v as number);
    return n !== undefined && refHolds(n, op, lit.value);
  }
  return refHolds(kindOf(f) === 'any' ? refText(v) : (v as string), op, status ? lit.value.toUpperCase() : lit.value);
}

/** SQL LIKE by dynamic programming over code points. */
function refLike(value: string, pattern: string, ci: boolean): boolean {
  const s = [...(ci ? value.toLowerCase() : value)];
  const p = [...(ci ? pattern.toLowerCase() : pattern)];
  let row = Array.from({ length: s.length + 1 }, (_, j) => j === 0);
  for (const pc of p) {
    const next = Array.from({ length: s.length + 1 }, () => false);
    for (let j = 0; j <= s.length; j++) {
      if (pc === '%') next[j] = row[j]! || (j > 0 && next[j - 1]!);
      else if (j > 0) next[j] = row[j - 1]! && (pc === '_' || pc === s[j - 1]);
    }
    row = next;
  }
  return row[s.length]!;
}

function refEval(c: Cond, run: RunSpec): boolean {
  switch (c.t) {
    case 'and':
      return c.args.every((a) => refEval(a, run));
    case 'or':
      return c.args.some((a) => refEval(a, run));
    case 'not':
      return !refEval(c.arg, run);
    case 'null':
      return (refValue(run, c.field) === MISSING) !== c.neg;
  }
  const v = refValue(run, c.field);
  if (v === MISSING) return false;
  switch (c.t) {
    case 'cmp':
      return refCompare(c.field, v, c.op, c.lit);
    case 'in':
      return c.lits.some((l) => refCompare(c.field, v, '=', l)) !== c.neg;
    case 'like': {
      const status = c.field.kind === 'attribute' && c.field.key === 'status';
      return refLike(refText(v), status ? c.pattern.toUpperCase() : c.pattern, c.ci) !== c.neg;
    }
  }
}

/** Group 0: present values (numbers before text when ascending), 1: NaN, 2: missing — in both directions. */
function refSorted(runs: RunSpec[], keys: { field: RunField; asc: boolean }[]): string[] {
  const sortKey = (run: RunSpec, f: RunField): [number, number, number | string] => {
    const v = refValue(run, f);
    if (v === MISSING) return [2, 0, 0];
    const n = kindOf(f) === 'any' ? refNumber(v) : typeof v === 'number' ? v : undefined;
    if (n !== undefined) return Number.isNaN(n) ? [1, 0, 0] : [0, 0, n];
    return [0, 1, refText(v)];
  };
  const cmp = (a: number | string, b: number | string) => (a < b ? -1 : a > b ? 1 : 0);
  return runs.map((run, i) => ({ run, i })).sort((x, y) => {
    for (const { field: f, asc } of keys) {
      const [ga, ta, va] = sortKey(x.run, f);
      const [gb, tb, vb] = sortKey(y.run, f);
      if (ga !== gb) return ga - gb;
      if (ga !== 0) continue;
      const c = ta !== tb ? ta - tb : cmp(va, vb);
      if (c !== 0) return asc ? c : -c;
    }
    return x.i - y.i;
  }).map((x) => x.run.uid!);
}

// ---- properties -----------------------------------------------------------------------------

describe('run search syntax (property)', function () {
  this.timeout(300_000);

  it('selects exactly the runs a reference evaluation of the written-out condition selects', () => {
    fc.assert(fc.property(runSpecs, cond, (specs, c) => {
      const text = source(c);
      const predicate = compileFilter(parseFilter(text));
      const got = specs.map(record).filter(predicate).map((r) => r.summary.uid);
      const want = specs.filter((s) => refEval(c, s)).map((s) => s.uid);
      assert.deepEqual(got, want, text);
    }), CASES);
  });

  it('orders exactly as a reference sort, by one to three keys in either direction', () => {
    const keys = fc.array(fc.record({ field, asc: fc.boolean(), s: style }), { minLength: 1, maxLength: 3 });
    fc.assert(fc.property(runSpecs, keys, (specs, order) => {
      const text = order.map((k) => `${fieldSource(k.field, k.s)}${k.asc ? pick(['', ' ASC', ' asc'], k.s, 20) : pick([' DESC', ' desc'], k.s, 20)}`).join(', ');
      const compiled = compileQuery('', text);
      assert.ok(compiled.ok, `${text}: ${JSON.stringify(compiled)}`);
      assert.deepEqual(applyQuery(specs.map(record), compiled.query).map((r) => r.summary.uid), refSorted(specs, order), text);
    }), CASES);
  });

  it('places a syntax error appended to a valid filter on the offending token', () => {
    const mistakes = fc.constantFrom('no value', 'open string', 'no joiner', 'stray paren', 'unknown type', 'quoted number', 'bare text', 'bad char', 'unclosed paren', 'number on text');
    fc.assert(fc.property(cond, mistakes, field, (c, mistake, f) => {
      const valid = source(c);
      const joined = `${valid} and `;
      const fText = fieldSource(f, 0);
      const [text, start, end] = ((): [string, number, number] => {
        switch (mistake) {
          case 'no value': return [`${joined}${fText} <`, joined.length + fText.length + 2, joined.length + fText.length + 2];
          case 'open string': return [`${joined}tags.note = 'abc`, joined.length + 12, joined.length + 16];
          // The error is on the key's first token: `count` of count(metrics.x), else the whole dotted name.
          case 'no joiner': return [`${valid} ${fText} IS NULL`, valid.length + 1, valid.length + 1 + (/^\w+\(/.test(fText) ? fText.indexOf('(') : fText.length)];
          case 'stray paren': return [`${valid} )`, valid.length + 1, valid.length + 2];
          case 'unknown type': return [`${joined}metricz.loss = 1`, joined.length, joined.length + 7];
          case 'quoted number': return [`${joined}metrics.loss = '1'`, joined.length + 15, joined.length + 18];
          case 'bare text': return [`${joined}params.opt = adam`, joined.length + 13, joined.length + 17];
          case 'bad char': return [`${joined}${fText} # 1`, joined.length + fText.length + 1, joined.length + fText.length + 2];
          case 'unclosed paren': return [`(${valid}`, valid.length + 1, valid.length + 1];
          case 'number on text': return [`${joined}attributes.run_name = 12`, joined.length + 22, joined.length + 24];
        }
      })();
      try {
        parseFilter(text);
      } catch (e) {
        if (!(e instanceof SearchSyntaxError)) throw e;
        assert.deepEqual([e.start, e.end], [start, end], `${mistake}: ${text}\n${e.message}`);
        return;
      }
      assert.fail(`parsed: ${text}`);
    }), CASES);
  });
});
