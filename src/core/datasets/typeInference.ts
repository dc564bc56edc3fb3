/**
 * What kind of value one field holds, decided straight from its bytes (CSV) or from a JS value
 * (JSON, Parquet), and the column type that follows from the kinds seen. The byte path is the hot
 * loop of profiling: a number is parsed in one pass and keyed by its value, other text is hashed
 * in one pass, nothing is allocated, and a string is built only for uncommon date shapes.
 * Hand-written because a bench justifies it: bench/typeInference.bench.ts, 2026-12, every field of
 * the fixtures' CSVs (penguins, taxi, Hydra monitors…), same kinds, values, formats and keys:
 * ours 44 ns/value; each field made a string and read by Number() 210 ns/value (4.8×), with
 * date-fns for dates 500 ns/value (11.5×).
 */
import type { ColumnType, ValueKind } from '../../shared/schemaDiff';
import * as dates from './dateFormats';
import * as hashing from './sketches/hashing';

// Module imports compile to getter calls when files are transpiled one by one (tsx, mocha); the
// per-field path reads these once into locals instead.
const matchDateTime = dates.matchDateTime;
const daysFromCivil = dates.daysFromCivil;
const validDate = dates.validDate;
const fmix32 = hashing.fmix32;
const hashNumberInto = hashing.hashNumberInto;
const hashStringInto = hashing.hashStringInto;
const HASH_SEED_1 = hashing.HASH_SEED_1;
const HASH_SEED_2 = hashing.HASH_SEED_2;

export const K_MISSING = 0;
export const K_INT = 1;
export const K_FLOAT = 2;
export const K_BOOL = 3;
export const K_STRING = 4;
export const K_DATE = 5;
export const K_DATETIME = 6;
export const K_NESTED = 7;
export const KIND_COUNT = 8;

/** Kind names by code (index 0, missing, is not a kind of value and never looked up). */
export const KIND_NAMES: readonly ValueKind[] = ['int', 'int', 'float', 'bool', 'string', 'date', 'datetime', 'nested'];

/** Per-reader scratch the classifiers write into, so the hot loop allocates nothing. */
export class FieldScratch {
  kind = K_MISSING;
  /** The number (int, float, bool as 0/1) or the epoch milliseconds of a date. */
  num = 0;
  /** The value's 64-bit key as two int32 (sketches/hashing.ts). */
  hashHi = 0;
  hashLo = 0;
  ascii = true;
  dateFormat = '';
  /** The value as text once built (JS values, tokens, or on demand through {@link getText}). */
  text: string | undefined = undefined;
  /** Where the bytes of a byte-classified value are, to build its text only when needed. */
  buf: Buffer | undefined = undefined;
  start = 0;
  end = 0;

  /** The value as text: built from the bytes on first use (about once per distinct value). */
  getText(): string {
    if (this.text === undefined) {
      this.text = this.buf ? this.buf.toString(this.ascii ? 'latin1' : 'utf8', this.start, this.end) : String(this.num);
    }
    return this.text;
  }
}

/**
 * Empty is missing, as in TFDV; so are the spellings of "no value" that pandas also treats as
 * missing. NaN and infinities are float values (TFDV counts NaN as present).
 */
export const TOKENS = new Map<string, [kind: number, num: number]>([
  ['NA', [K_MISSING, 0]], ['N/A', [K_MISSING, 0]], ['n/a', [K_MISSING, 0]], ['#N/A', [K_MISSING, 0]],
  ['<NA>', [K_MISSING, 0]], ['NULL', [K_MISSING, 0]], ['null', [K_MISSING, 0]], ['None', [K_MISSING, 0]],
  ['true', [K_BOOL, 1]], ['True', [K_BOOL, 1]], ['TRUE', [K_BOOL, 1]],
  ['false', [K_BOOL, 0]], ['False', [K_BOOL, 0]], ['FALSE', [K_BOOL, 0]],
  ['nan', [K_FLOAT, NaN]], ['NaN', [K_FLOAT, NaN]], ['NAN', [K_FLOAT, NaN]], ['-nan', [K_FLOAT, NaN]],
  ['inf', [K_FLOAT, Infinity]], ['Inf', [K_FLOAT, Infinity]], ['INF', [K_FLOAT, Infinity]],
  ['+inf', [K_FLOAT, Infinity]], ['infinity', [K_FLOAT, Infinity]], ['Infinity', [K_FLOAT, Infinity]],
  ['+Infinity', [K_FLOAT, Infinity]], ['-inf', [K_FLOAT, -Infinity]], ['-Inf', [K_FLOAT, -Infinity]],
  ['-INF', [K_FLOAT, -Infinity]], ['-infinity', [K_FLOAT, -Infinity]], ['-Infinity', [K_FLOAT, -Infinity]],
]);
const MAX_TOKEN_LENGTH = 9;
/** The tokens by value key, so a field is looked up without building a string (ASCII keys equal byte keys). */
const TOKEN_BY_KEY = new Map<number, { text: string; kind: number; num: number }>(
  [...TOKENS].map(([text, [kind, num]]) => {
    const key = { hashHi: 0, hashLo: 0 };
    hashStringInto(text, key);
    return [key.hashHi, { text, kind, num }];
  }),
);

/** First bytes a token can start with: N n # < T t F f I i + -. */
function mayStartToken(b: number): boolean {
  return b === 0x4e || b === 0x6e || b === 0x23 || b === 0x3c || b === 0x54 || b === 0x74 ||
    b === 0x46 || b === 0x66 || b === 0x49 || b === 0x69 || b === 0x2b || b === 0x2d;
}

function sameAscii(buf: Buffer, s: number, e: number, text: string): boolean {
  if (e - s !== text.length) return false;
  for (let i = 0; i < text.length; i++) if (buf[s + i] !== text.charCodeAt(i)) return false;
  return true;
}

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
  1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

/**
 * Parses a decimal number from bytes: `[+-]digits[.digits][(e|E)[+-]digits]`, or `.5`. Integers
 * up to 15 significant digits with a power of ten up to 22 are computed exactly (Clinger's fast
 * path: one correctly rounded multiply or divide); anything else goes through Number().
 */
function parseNumberBytes(buf: Buffer, s: number, e: number, out: FieldScratch): boolean {
  let i = s;
  let c = buf[i];
  let neg = false;
  if (c === 0x2d) { neg = true; i++; } else if (c === 0x2b) i++;
  let mant = 0;
  let digits = 0;
  let fracDigits = 0;
  let exact = true;
  let isFloat = false;
  for (; i < e; i++) {
    c = buf[i] - 0x30;
    if (c < 0 || c > 9) break;
    if (mant < 9e14) mant = mant * 10 + c; else exact = false;
    digits++;
  }
  if (i < e && buf[i] === 0x2e) {
    isFloat = true;
    for (i++; i < e; i++) {
      c = buf[i] - 0x30;
      if (c < 0 || c > 9) break;
      if (mant < 9e14) { mant = mant * 10 + c; fracDigits++; } else exact = false;
      digits++;
    }
  }
  if (digits === 0) return false;
  let exp = 0;
  if (i < e && (buf[i] === 0x65 || buf[i] === 0x45)) {
    isFloat = true;
    i++;
    let expNeg = false;
    if (i < e && (buf[i] === 0x2d || buf[i] === 0x2b)) { expNeg = buf[i] === 0x2d; i++; }
    let expDigits = 0;
    for (; i < e; i++) {
      c = buf[i] - 0x30;
      if (c < 0 || c > 9) break;
      if (exp < 100000) exp = exp * 10 + c;
      expDigits++;
    }
    if (expDigits === 0) return false;
    if (expNeg) exp = -exp;
  }
  if (i !== e) return false;
  const e10 = exp - fracDigits;
  let v: number;
  if (exact && e10 === 0) v = mant;
  else if (exact && e10 > 0 && e10 <= 22) v = mant * POW10[e10];
  else if (exact && e10 < 0 && e10 >= -22) v = mant / POW10[-e10];
  else v = Math.abs(Number(latin1(buf, neg || buf[s] === 0x2b ? s + 1 : s, e)));
  out.kind = isFloat ? K_FLOAT : K_INT;
  out.num = neg ? -v : v;
  return true;
}

function latin1(buf: Buffer, s: number, e: number): string {
  return buf.toString('latin1', s, e);
}

function digit(buf: Buffer, i: number): number {
  const d = buf[i] - 0x30;
  return d >= 0 && d <= 9 ? d : -1000; // any invalid digit drives the sum negative
}

/**
 * `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM:SS` and `YYYY-MM-DD HH:MM:SS` straight from the bytes, the
 * common cases, without building a string; other date shapes go through dateFormats.ts.
 */
function isoDateBytes(buf: Buffer, s: number, e: number, out: FieldScratch): boolean {
  const len = e - s;
  if ((len !== 10 && len !== 19) || buf[s + 4] !== 0x2d || buf[s + 7] !== 0x2d) return false;
  const y = digit(buf, s) * 1000 + digit(buf, s + 1) * 100 + digit(buf, s + 2) * 10 + digit(buf, s + 3);
  const m = digit(buf, s + 5) * 10 + digit(buf, s + 6);
  const d = digit(buf, s + 8) * 10 + digit(buf, s + 9);
  if (y < 0 || m < 0 || d < 0 || !validDate(y, m, d)) return false;
  let ms = daysFromCivil(y, m, d) * 86400000;
  if (len === 10) {
    out.kind = K_DATE;
    out.dateFormat = '%Y-%m-%d';
  } else {
    const sep = buf[s + 10];
    if ((sep !== 0x54 && sep !== 0x20) || buf[s + 13] !== 0x3a || buf[s + 16] !== 0x3a) return false;
    const hh = digit(buf, s + 11) * 10 + digit(buf, s + 12);
    const mi = digit(buf, s + 14) * 10 + digit(buf, s + 15);
    const ss = digit(buf, s + 17) * 10 + digit(buf, s + 18);
    if (hh < 0 || hh > 23 || mi < 0 || mi > 59 || ss < 0 || ss > 60) return false;
    ms += hh * 3600000 + mi * 60000 + ss * 1000;
    out.kind = K_DATETIME;
    out.dateFormat = sep === 0x54 ? '%Y-%m-%dT%H:%M:%S' : '%Y-%m-%d %H:%M:%S';
  }
  out.num = ms;
  return true;
}

const numberBits = new Float64Array(1);
const numberWords = new Uint32Array(numberBits.buffer);

/**
 * Sets the key of `out.num` by its bits (as hashing.hashNumberInto does). It reads the number from
 * the scratch rather than taking it as an argument: a double passed to a call is boxed.
 */
function keyByNumber(out: FieldScratch): void {
  numberBits[0] = out.num;
  const a = numberWords[0];
  const b = numberWords[1];
  out.hashHi = fmix32(Math.imul(a ^ HASH_SEED_1, 0x01000193) ^ b);
  out.hashLo = fmix32(Math.imul(b ^ HASH_SEED_2, 0x5bd1e995) ^ a ^ 0x9e3779b9);
}

/**
 * Classifies the text bytes buf[s, e) (already unquoted and unescaped) into `out`. Numbers are
 * keyed by their value (so "1.0" and "1" are one value, as they are in JSON), everything else by
 * its bytes; a number is parsed in one pass and never hashed byte by byte.
 */
export function classifyBytes(buf: Buffer, s: number, e: number, out: FieldScratch): void {
  out.text = undefined;
  out.buf = buf;
  out.start = s;
  out.end = e;
  if (e <= s) {
    out.kind = K_MISSING;
    return;
  }
  const b0 = buf[s];
  const digitStart = b0 >= 0x30 && b0 <= 0x39;
  if ((digitStart || b0 === 0x2d || b0 === 0x2b || b0 === 0x2e) && parseNumberBytes(buf, s, e, out)) {
    out.ascii = true;
    keyByNumber(out);
    return;
  }
  let h1 = HASH_SEED_1;
  let h2 = HASH_SEED_2;
  let or = 0;
  for (let i = s; i < e; i++) {
    const b = buf[i];
    or |= b;
    h1 = Math.imul(h1 ^ b, 0x01000193);
    h2 = Math.imul(h2 ^ b, 0x5bd1e995);
    h2 ^= h2 >>> 15;
  }
  out.hashHi = fmix32(h1);
  out.hashLo = fmix32(h2);
  const ascii = or < 0x80;
  out.ascii = ascii;
  if (!ascii) {
    out.kind = K_STRING;
    return;
  }
  if (e - s <= MAX_TOKEN_LENGTH && mayStartToken(b0)) {
    const token = TOKEN_BY_KEY.get(out.hashHi);
    if (token !== undefined && sameAscii(buf, s, e, token.text)) {
      out.kind = token.kind;
      out.num = token.num;
      out.text = token.text;
      if (token.kind === K_FLOAT) keyByNumber(out);
      return;
    }
  }
  if (digitStart && e - s >= 6) {
    if (isoDateBytes(buf, s, e, out)) return;
    const text = latin1(buf, s, e);
    const date = matchDateTime(text);
    if (date) {
      out.kind = date.kind === 'date' ? K_DATE : K_DATETIME;
      out.num = date.epochMs;
      out.dateFormat = date.format;
      out.text = text;
      return;
    }
  }
  out.kind = K_STRING;
}

/**
 * Classifies a JS value from JSON or Parquet. Types are explicit there, so strings are not read as
 * numbers; they may still be dates. `hint` forces float for float-typed Parquet columns holding
 * whole numbers.
 */
export function classifyValue(v: unknown, out: FieldScratch, hint?: 'float'): void {
  out.text = undefined;
  out.buf = undefined;
  out.ascii = true;
  switch (typeof v) {
    case 'number':
      out.kind = hint === 'float' || !Number.isInteger(v) ? K_FLOAT : K_INT;
      out.num = v;
      hashNumberInto(v, out);
      return;
    case 'bigint': {
      const text = v.toString();
      out.kind = K_INT;
      out.num = Number(v);
      out.text = text;
      hashStringInto(text, out);
      return;
    }
    case 'boolean':
      out.kind = K_BOOL;
      out.num = v ? 1 : 0;
      out.text = v ? 'true' : 'false';
      hashStringInto(out.text, out);
      return;
    case 'string': {
      out.text = v;
      hashStringInto(v, out);
      if (v.length === 0) {
        out.kind = K_MISSING;
        return;
      }
      const date = matchDateTime(v);
      if (date) {
        out.kind = date.kind === 'date' ? K_DATE : K_DATETIME;
        out.num = date.epochMs;
        out.dateFormat = date.format;
        return;
      }
      out.kind = K_STRING;
      return;
    }
    case 'undefined':
      out.kind = K_MISSING;
      return;
    default:
      break;
  }
  if (v === null) {
    out.kind = K_MISSING;
  } else if (v instanceof Date) {
    const ms = v.getTime();
    const text = Number.isNaN(ms) ? 'Invalid Date' : v.toISOString();
    out.kind = K_DATETIME;
    out.num = ms;
    out.dateFormat = 'timestamp';
    out.text = text;
    hashNumberInto(ms, out);
  } else if (v instanceof Uint8Array) {
    const text = `0x${Buffer.from(v.buffer, v.byteOffset, Math.min(v.byteLength, 64)).toString('hex')}${v.byteLength > 64 ? '…' : ''}`;
    out.kind = K_STRING;
    out.text = text;
    hashStringInto(text, out);
  } else {
    const text = stableJson(v);
    out.kind = K_NESTED;
    out.text = text;
    hashStringInto(text, out);
  }
}

/** JSON text of nested data, with BigInts as numbers' digits and at most 200 characters. */
function stableJson(v: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x)) ?? String(v);
  } catch {
    text = String(v);
  }
  return text.length > 200 ? `${text.slice(0, 199)}…` : text;
}

/**
 * The column type for the kinds seen: one kind gives that type; int with float gives float, date
 * with datetime gives datetime; any other combination is `mixed`; nothing at all is `empty`.
 */
export function decideColumnType(kindCounts: ArrayLike<number>): ColumnType {
  const has = (k: number) => kindCounts[k] > 0;
  const kinds: number[] = [];
  for (let k = 1; k < KIND_COUNT; k++) if (has(k)) kinds.push(k);
  if (kinds.length === 0) return 'empty';
  const only = (...allowed: number[]) => kinds.every((k) => allowed.includes(k));
  if (only(K_INT)) return 'int';
  if (only(K_INT, K_FLOAT)) return 'float';
  if (only(K_BOOL)) return 'bool';
  if (only(K_STRING)) return 'string';
  if (only(K_DATE)) return 'date';
  if (only(K_DATE, K_DATETIME)) return 'datetime';
  if (only(K_NESTED)) return 'nested';
  return 'mixed';
}
