/**
 * JSON as Python's `json.dump` writes it: standard JSON plus the bare tokens `NaN`, `Infinity` and
 * `-Infinity` (dvclive's metrics.json, sklearn plot files), which JSON.parse rejects. A small
 * recursive-descent parser, so an error names its line.
 */

export type LenientJsonResult = { ok: true; value: unknown } | { ok: false; message: string; line: number };

class JsonSyntaxError extends Error {
  constructor(message: string, readonly at: number) {
    super(message);
  }
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
const LITERALS: [string, unknown][] = [['true', true], ['false', false], ['null', null], ['NaN', NaN], ['Infinity', Infinity], ['-Infinity', -Infinity]];
const MAX_DEPTH = 500;

export function parseLenientJson(text: string): LenientJsonResult {
  const p = { text, pos: 0 };
  try {
    const value = parseValue(p, 0);
    skipSpace(p);
    if (p.pos < text.length) throw new JsonSyntaxError(`unexpected ${describe(p)} after the value`, p.pos);
    return { ok: true, value };
  } catch (e) {
    const at = e instanceof JsonSyntaxError ? e.at : p.pos;
    return { ok: false, message: (e as Error).message, line: lineAt(text, at) };
  }
}

interface Cursor {
  text: string;
  pos: number;
}

function parseValue(p: Cursor, depth: number): unknown {
  if (depth > MAX_DEPTH) throw new JsonSyntaxError('nested too deeply', p.pos);
  skipSpace(p);
  const ch = p.text[p.pos];
  if (ch === '{') return parseObject(p, depth);
  if (ch === '[') return parseArray(p, depth);
  if (ch === '"') return parseString(p);
  for (const [word, value] of LITERALS) {
    if (p.text.startsWith(word, p.pos) && !/[\w.]/.test(p.text[p.pos + word.length] ?? '')) {
      p.pos += word.length;
      return value;
    }
  }
  NUMBER.lastIndex = p.pos;
  const m = NUMBER.exec(p.text);
  if (m && m[0] !== '' && m[0] !== '-') {
    p.pos += m[0].length;
    return Number(m[0]);
  }
  throw new JsonSyntaxError(`unexpected ${describe(p)}`, p.pos);
}

function parseObject(p: Cursor, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  p.pos++;
  skipSpace(p);
  if (p.text[p.pos] === '}') {
    p.pos++;
    return out;
  }
  for (;;) {
    skipSpace(p);
    if (p.text[p.pos] !== '"') throw new JsonSyntaxError(`expected a quoted key, found ${describe(p)}`, p.pos);
    const key = parseString(p);
    skipSpace(p);
    if (p.text[p.pos] !== ':') throw new JsonSyntaxError(`expected ':' after a key, found ${describe(p)}`, p.pos);
    p.pos++;
    Object.defineProperty(out, key, { value: parseValue(p, depth + 1), enumerable: true, writable: true, configurable: true });
    skipSpace(p);
    const ch = p.text[p.pos++];
    if (ch === '}') return out;
    if (ch !== ',') throw new JsonSyntaxError(`expected ',' or '}', found ${ch === undefined ? 'the end' : `'${ch}'`}`, p.pos - 1);
  }
}

function parseArray(p: Cursor, depth: number): unknown[] {
  const out: unknown[] = [];
  p.pos++;
  skipSpace(p);
  if (p.text[p.pos] === ']') {
    p.pos++;
    return out;
  }
  for (;;) {
    out.push(parseValue(p, depth + 1));
    skipSpace(p);
    const ch = p.text[p.pos++];
    if (ch === ']') return out;
    if (ch !== ',') throw new JsonSyntaxError(`expected ',' or ']', found ${ch === undefined ? 'the end' : `'${ch}'`}`, p.pos - 1);
  }
}

function parseString(p: Cursor): string {
  STRING.lastIndex = p.pos;
  const m = STRING.exec(p.text);
  if (!m) throw new JsonSyntaxError('unterminated or invalid string', p.pos);
  p.pos += m[0].length;
  return JSON.parse(m[0]) as string;
}

function skipSpace(p: Cursor): void {
  while (p.pos < p.text.length && ' \t\r\n'.includes(p.text[p.pos]!)) p.pos++;
}

function describe(p: Cursor): string {
  return p.pos >= p.text.length ? 'end of file' : `'${p.text.slice(p.pos, p.pos + 10)}'`;
}

function lineAt(text: string, position: number): number {
  let line = 1;
  for (let i = 0; i < position && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/**
 * JSON as Python writes it, fast: JSON.parse first, this parser only when that fails. `pythonTokens`
 * says the text needed the bare NaN / Infinity tokens standard JSON has not.
 */
export function parsePythonJson(text: string): (LenientJsonResult & { ok: true; pythonTokens: boolean }) | (LenientJsonResult & { ok: false }) {
  try {
    return { ok: true, value: JSON.parse(text) as unknown, pythonTokens: false };
  } catch {
    const lenient = parseLenientJson(text);
    return lenient.ok ? { ...lenient, pythonTokens: true } : lenient;
  }
}
