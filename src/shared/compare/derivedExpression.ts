/**
 * Derived metrics: an arithmetic expression over a run's metric keys, such as
 * `val/loss - train/loss` or `1 - accuracy`, evaluated step by step (src/core/series/derived.ts).
 * Parsed here, where the Compare panel (to mark a mistake as it is typed), the CLI and the store
 * worker all reach it.
 *
 * - A key is written as it is when it is made of letters, digits, `_`, `.` and `/`
 *   (`val/loss`, `lr_0.1`); any other key goes in backticks (`` `loss (val)` ``).
 * - Operators `+ - * /` and `^` (power), unary minus, parentheses, numbers (`1`, `.5`, `1e-3`).
 * - Division needs spaces around `/` when a key is on its left: `val/loss` is one key.
 * - Functions: log (natural), log10, log2, exp, sqrt, abs, min(a, b, …), max(a, b, …).
 */

export type DerivedNode =
  | { kind: 'number'; value: number }
  | { kind: 'key'; key: string }
  | { kind: 'unary'; operand: DerivedNode }
  | { kind: 'binary'; op: '+' | '-' | '*' | '/' | '^'; left: DerivedNode; right: DerivedNode }
  | { kind: 'call'; fn: DerivedFunction; args: DerivedNode[] };

export type DerivedFunction = 'log' | 'log10' | 'log2' | 'exp' | 'sqrt' | 'abs' | 'min' | 'max';

const FUNCTIONS: Record<DerivedFunction, { arity: number | 'many'; apply: (args: number[]) => number }> = {
  log: { arity: 1, apply: ([x]) => Math.log(x!) },
  log10: { arity: 1, apply: ([x]) => Math.log10(x!) },
  log2: { arity: 1, apply: ([x]) => Math.log2(x!) },
  exp: { arity: 1, apply: ([x]) => Math.exp(x!) },
  sqrt: { arity: 1, apply: ([x]) => Math.sqrt(x!) },
  abs: { arity: 1, apply: ([x]) => Math.abs(x!) },
  min: { arity: 'many', apply: (xs) => Math.min(...xs) },
  max: { arity: 'many', apply: (xs) => Math.max(...xs) },
};

/** An expression that could not be read, and where (0-based offset and length in the text). */
export class DerivedSyntaxError extends Error {
  constructor(message: string, readonly at: number, readonly length: number) {
    super(message);
  }
}

export interface DerivedExpression {
  text: string;
  root: DerivedNode;
  /** The metric keys it reads, each once, in the order they first appear. */
  keys: string[];
}

type Token =
  | { type: 'number'; value: number; at: number; length: number }
  | { type: 'key'; key: string; quoted: boolean; at: number; length: number }
  | { type: 'op'; op: string; at: number; length: number }
  | { type: 'end'; at: number; length: number };

const KEY_START = /[A-Za-z_]/;
const KEY_CHAR = /[A-Za-z0-9_./]/;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const start = i;
    if (/[0-9.]/.test(c)) {
      const m = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(text.slice(i));
      if (!m) throw new DerivedSyntaxError(`"${c}" does not start a number`, i, 1);
      i += m[0].length;
      if (i < text.length && KEY_START.test(text[i]!)) throw new DerivedSyntaxError(`"${text.slice(start, i + 1)}…" is neither a number nor a key (a key starts with a letter or _)`, start, i + 1 - start);
      tokens.push({ type: 'number', value: Number(m[0]), at: start, length: i - start });
      continue;
    }
    if (KEY_START.test(c)) {
      while (i < text.length && KEY_CHAR.test(text[i]!)) i++;
      tokens.push({ type: 'key', key: text.slice(start, i), quoted: false, at: start, length: i - start });
      continue;
    }
    if (c === '`') {
      const end = text.indexOf('`', i + 1);
      if (end < 0) throw new DerivedSyntaxError('a key in backticks needs its closing `', i, text.length - i);
      if (end === i + 1) throw new DerivedSyntaxError('empty key in backticks', i, 2);
      tokens.push({ type: 'key', key: text.slice(i + 1, end), quoted: true, at: i, length: end + 1 - i });
      i = end + 1;
      continue;
    }
    if (c === '*' && text[i + 1] === '*') {
      tokens.push({ type: 'op', op: '^', at: i, length: 2 });
      i += 2;
      continue;
    }
    if ('+-*/^(),'.includes(c)) {
      tokens.push({ type: 'op', op: c, at: i, length: 1 });
      i++;
      continue;
    }
    throw new DerivedSyntaxError(`"${c}" is not part of an expression (put keys with such characters in backticks)`, i, 1);
  }
  tokens.push({ type: 'end', at: text.length, length: 0 });
  return tokens;
}

/** Parses an expression; throws DerivedSyntaxError pointing at the offending token. */
export function parseDerived(text: string): DerivedExpression {
  if (text.length > 2000) throw new DerivedSyntaxError('an expression of at most 2,000 characters', 2000, 0);
  const tokens = tokenize(text);
  let pos = 0;
  const keys: string[] = [];
  const peek = () => tokens[pos]!;
  const isOp = (op: string) => {
    const t = peek();
    return t.type === 'op' && t.op === op;
  };
  const expect = (op: string, what: string) => {
    if (!isOp(op)) throw unexpected(peek(), what);
    pos++;
  };
  const expr = (): DerivedNode => {
    let left = term();
    while (isOp('+') || isOp('-')) {
      const op = (tokens[pos++] as { op: '+' | '-' }).op;
      left = { kind: 'binary', op, left, right: term() };
    }
    return left;
  };
  const term = (): DerivedNode => {
    let left = unary();
    while (isOp('*') || isOp('/')) {
      const op = (tokens[pos++] as { op: '*' | '/' }).op;
      left = { kind: 'binary', op, left, right: unary() };
    }
    return left;
  };
  const unary = (): DerivedNode => {
    if (isOp('-')) {
      pos++;
      return { kind: 'unary', operand: unary() };
    }
    if (isOp('+')) {
      pos++;
      return unary();
    }
    return power();
  };
  const power = (): DerivedNode => {
    const base = atom();
    if (isOp('^')) {
      pos++;
      return { kind: 'binary', op: '^', left: base, right: unary() };
    }
    return base;
  };
  const atom = (): DerivedNode => {
    const t = peek();
    if (t.type === 'number') {
      pos++;
      return { kind: 'number', value: t.value };
    }
    if (t.type === 'key') {
      pos++;
      const next = peek();
      if (!t.quoted && next.type === 'op' && next.op === '(') {
        if (!(t.key in FUNCTIONS)) throw new DerivedSyntaxError(`unknown function ${t.key} (known: ${Object.keys(FUNCTIONS).join(', ')})`, t.at, t.length);
        const fn = t.key as DerivedFunction;
        pos++;
        const args = [expr()];
        while (isOp(',')) {
          pos++;
          args.push(expr());
        }
        expect(')', `")" to close ${fn}(`);
        const arity = FUNCTIONS[fn].arity;
        if (arity !== 'many' && args.length !== arity) throw new DerivedSyntaxError(`${fn} takes ${arity} argument${arity === 1 ? '' : 's'}, not ${args.length}`, t.at, t.length);
        return { kind: 'call', fn, args };
      }
      if (!keys.includes(t.key)) keys.push(t.key);
      return { kind: 'key', key: t.key };
    }
    if (isOp('(')) {
      pos++;
      const inner = expr();
      expect(')', '")"');
      return inner;
    }
    throw unexpected(t, 'a number, a key, a function or "("');
  };
  const root = expr();
  if (peek().type !== 'end') throw unexpected(peek(), 'an operator or the end');
  if (keys.length === 0) throw new DerivedSyntaxError('an expression needs at least one metric key', 0, text.length);
  return { text, root, keys };
}

function unexpected(t: Token, wanted: string): DerivedSyntaxError {
  if (t.type === 'end') return new DerivedSyntaxError(`the expression ends where ${wanted} should be`, t.at, 0);
  const shown = t.type === 'number' ? String(t.value) : t.type === 'key' ? t.key : t.op;
  return new DerivedSyntaxError(`"${shown}" where ${wanted} should be`, t.at, t.length);
}

/** The value of the expression for `values[i]` of `keys[i]` (the expression's own key order). */
export function evaluateDerived(node: DerivedNode, valueOf: (key: string) => number): number {
  switch (node.kind) {
    case 'number':
      return node.value;
    case 'key':
      return valueOf(node.key);
    case 'unary':
      return -evaluateDerived(node.operand, valueOf);
    case 'binary': {
      const a = evaluateDerived(node.left, valueOf);
      const b = evaluateDerived(node.right, valueOf);
      switch (node.op) {
        case '+':
          return a + b;
        case '-':
          return a - b;
        case '*':
          return a * b;
        case '/':
          return a / b;
        case '^':
          return Math.pow(a, b);
      }
      break;
    }
    case 'call':
      return FUNCTIONS[node.fn].apply(node.args.map((a) => evaluateDerived(a, valueOf)));
  }
  throw new Error('unreachable');
}

/** Why `text` is not a derived metric the compared runs can have (null: it is one). */
export function derivedProblem(text: string, metricKeys: readonly string[]): string | null {
  let parsed: DerivedExpression;
  try {
    parsed = parseDerived(text);
  } catch (e) {
    return e instanceof DerivedSyntaxError ? `${e.message} (at ${e.at + 1})` : String(e);
  }
  if (metricKeys.includes(text)) return `${text} is a metric already`;
  const missing = parsed.keys.filter((k) => !metricKeys.includes(k));
  if (missing.length) {
    const divided = missing.find((k) => k.includes('/') && k.split('/').some((part) => metricKeys.includes(part)));
    return `no compared run has ${missing.map((k) => `"${k}"`).join(', ')}${divided ? ' (to divide, put spaces around /)' : ''}`;
  }
  return null;
}
