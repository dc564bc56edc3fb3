/**
 * Tokens of the run search syntax (MLflow's `search_runs` filter and order-by, see searchParser.ts),
 * each with the span of text it came from so that errors point at it.
 */

export class SearchSyntaxError extends Error {
  constructor(message: string, readonly start: number, readonly end: number) {
    super(message);
  }
}

/** One dot-separated part of a name, e.g. `metrics`, `val_loss`, or `` `val/acc` `` (quoted). */
export interface NamePart {
  text: string;
  quoted: boolean;
  start: number;
  end: number;
}

export type Token =
  | { kind: 'name'; parts: NamePart[]; start: number; end: number }
  | { kind: 'string'; value: string; start: number; end: number }
  | { kind: 'number'; value: number; text: string; start: number; end: number }
  | { kind: 'op'; op: ComparisonOp; start: number; end: number }
  | { kind: 'sign'; negative: boolean; start: number; end: number }
  | { kind: '(' | ')' | ','; start: number; end: number }
  | { kind: 'end'; start: number; end: number };

export type ComparisonOp = '=' | '!=' | '<' | '<=' | '>' | '>=';

const OPERATORS: [string, ComparisonOp][] = [
  ['!=', '!='], ['<>', '!='], ['<=', '<='], ['>=', '>='], ['==', '='], ['=', '='], ['<', '<'], ['>', '>'],
];
const NAME_START = /[A-Za-z_]/;
const NAME_CHARS = /[A-Za-z0-9_]*/y;
const KEY_CHARS = /[A-Za-z0-9_]+/y;
const NUMBER = /(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/y;

/**
 * Reads tokens one at a time, as the parser asks for them: the first error in the text is the one
 * reported, whether it is a stray character or a misplaced word.
 */
export class Lexer {
  private i = 0;

  constructor(private readonly text: string) {}

  next(): Token {
    const text = this.text;
    let i = this.i;
    while (i < text.length && /\s/.test(text[i]!)) i++;
    const token = i >= text.length ? { kind: 'end' as const, start: text.length, end: text.length } : readToken(text, i);
    this.i = token.end;
    return token;
  }
}

function readToken(text: string, start: number): Token {
  const c = text[start]!;
  if (c === '(' || c === ')' || c === ',') return { kind: c, start, end: start + 1 };
  if (c === "'" || c === '"') {
    // A value; a double-quoted key comes after a dot (`metrics."val acc"`) and is read with its name.
    const s = readQuoted(text, start, c);
    return { kind: 'string', value: s.value, start, end: s.end };
  }
  if (c === '`' || NAME_START.test(c)) return readName(text, start);
  if (/[0-9.]/.test(c)) {
    NUMBER.lastIndex = start;
    const m = NUMBER.exec(text);
    if (!m) throw new SearchSyntaxError(`unexpected '${c}'`, start, start + 1);
    const end = start + m[0].length;
    if (end < text.length && /[A-Za-z_]/.test(text[end]!)) {
      let j = end;
      while (j < text.length && /[A-Za-z0-9_]/.test(text[j]!)) j++;
      const word = text.slice(start, j);
      throw new SearchSyntaxError(`'${word}' is not a number; a key that starts with a digit goes after its type, e.g. metrics.${word}`, start, j);
    }
    return { kind: 'number', value: Number(m[0]), text: m[0], start, end };
  }
  if (c === '-' || c === '+') return { kind: 'sign', negative: c === '-', start, end: start + 1 };
  const op = OPERATORS.find(([t]) => text.startsWith(t, start));
  if (!op) throw new SearchSyntaxError(`unexpected character '${c}'`, start, start + 1);
  return { kind: 'op', op: op[1], start, end: start + op[0].length };
}

/**
 * A quoted string from `text[at]` (the quote): a doubled quote or a backslash-escaped one stands for
 * the character itself, as in SQL and in MLflow's tokenizer.
 */
function readQuoted(text: string, at: number, quote: string): { value: string; end: number } {
  let value = '';
  let i = at + 1;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '\\' && i + 1 < text.length) {
      value += text[i + 1];
      i += 2;
    } else if (c === quote) {
      if (text[i + 1] === quote && quote !== '`') {
        value += quote;
        i += 2;
      } else {
        return { value, end: i + 1 };
      }
    } else {
      value += c;
      i++;
    }
  }
  const what = quote === '`' ? 'name' : 'string';
  throw new SearchSyntaxError(`this ${what} has no closing ${quote}`, at, text.length);
}

/** A backtick-quoted part: a doubled backtick stands for one (backslashes are plain characters in names). */
function readBackticked(text: string, at: number): { value: string; end: number } {
  let value = '';
  let i = at + 1;
  while (i < text.length) {
    if (text[i] === '`') {
      if (text[i + 1] !== '`') return { value, end: i + 1 };
      value += '`';
      i += 2;
    } else {
      value += text[i++];
    }
  }
  throw new SearchSyntaxError('this name has no closing `', at, text.length);
}

/**
 * A dotted name: `metrics.val_loss`, `` metrics.`val/acc` ``, `metrics."val acc"`, `status`. Parts
 * after the first may start with a digit (`metrics.1st`); no space around the dots.
 */
function readName(text: string, at: number): Token {
  const parts: NamePart[] = [];
  let i = at;
  const first = readPart(text, i, true);
  parts.push(first);
  i = first.end;
  while (text[i] === '.') {
    const dot = i;
    i++;
    const next = text[i];
    if (next === undefined || !(next === '`' || next === '"' || /[A-Za-z0-9_]/.test(next))) {
      const after = parts.map((p) => p.text).join('.');
      throw new SearchSyntaxError(`expected a key after '${after}.', e.g. ${after}.loss, or \`a key\` in backticks`, dot + 1, dot + 1);
    }
    const part = readPart(text, i, false);
    parts.push(part);
    i = part.end;
  }
  return { kind: 'name', parts, start: at, end: i };
}

function readPart(text: string, at: number, first: boolean): NamePart {
  const c = text[at]!;
  if (c === '`' || c === '"') {
    const q = c === '`' ? readBackticked(text, at) : readQuoted(text, at, '"');
    return { text: q.value, quoted: true, start: at, end: q.end };
  }
  const re = first ? NAME_CHARS : KEY_CHARS;
  re.lastIndex = first ? at + 1 : at;
  re.exec(text);
  const end = re.lastIndex;
  return { text: text.slice(at, end), quoted: false, start: at, end };
}
