/**
 * Type and date inference (src/core/datasets/typeInference.ts + dateFormats.ts) beside what a
 * reviewer would write with libraries instead: each field made a string, numbers by `Number()`
 * (behind the same decimal-number check; also timed alone, with our dates), dates and their formats by date-fns `parse` tried with
 * the patterns of the formats ExpTrack names, first valid one wins; both give each value the same
 * 64-bit key (sketches/hashing.ts), as profiling needs it. Inputs, from ../shared/fixtures:
 *   1. every field of every CSV (penguins, Chicago taxi, TFX test data, Lightning and Keras logs,
 *      Hydra sweep monitors with datetimes), as the profiler classifies them (classifyBytes);
 *   2. every date-shaped text in the fixtures' text files (log timestamps, ISO datetimes with
 *      fractions, month/day/year…), as JSON and Parquet strings are classified (matchDateTime).
 * Kind, number or epoch milliseconds, date format and key are checked equal before timing.
 * Figure: CPU nanoseconds per value, and the ratio to ours.
 *
 *   npm run bench -- typeInference
 */
process.env.TZ = 'UTC'; // date-fns builds local dates; ours are UTC unless the text has an offset

import * as fs from 'node:fs';
import { isValid, parse } from 'date-fns';
import { CsvTokenizer, unescapeField, FIELD_ESCAPED, FIELD_MALFORMED, type CsvRowSink } from '../src/core/datasets/csv/csvTokenizer';
import { AMBIGUOUS_DAY_MONTH, matchDateTime, type DateMatch } from '../src/core/datasets/dateFormats';
import { hashNumberInto, hashStringInto } from '../src/core/datasets/sketches/hashing';
import { classifyBytes, FieldScratch, K_DATE, K_DATETIME, K_FLOAT, K_INT, K_MISSING, K_STRING, TOKENS } from '../src/core/datasets/typeInference';
import { cpuSecondsPerRun, fixtureFiles, printFigures, sameOrExit } from './libraryBench';

// ---- inputs

/** Every data field of the fixtures' CSVs, unescaped, back to back in one buffer. */
function csvFields(): { buf: Buffer; starts: Int32Array; ends: Int32Array } {
  const parts: Buffer[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  let at = 0;
  for (const f of fixtureFiles((p) => p.endsWith('.csv'))) {
    const bytes = fs.readFileSync(f.path);
    const tokenizer = new CsvTokenizer(0x2c);
    let header = true;
    const sink: CsvRowSink = {
      row: (buf, t) => {
        if (header) {
          header = false;
          return;
        }
        for (let i = 0; i < t.count; i++) {
          const flags = t.flags[i]!;
          let field = buf.subarray(t.starts[i]!, t.ends[i]!);
          if (flags & (FIELD_ESCAPED | FIELD_MALFORMED)) {
            const out = Buffer.allocUnsafe(field.length);
            field = out.subarray(0, unescapeField(buf, t.starts[i]!, t.ends[i]!, flags, t.quote, out));
          }
          parts.push(field);
          starts.push(at);
          at += field.length;
          ends.push(at);
        }
      },
      unterminatedQuote: () => undefined,
    };
    tokenizer.scan(bytes, 0, bytes.length, true, sink);
  }
  return { buf: Buffer.concat(parts), starts: Int32Array.from(starts), ends: Int32Array.from(ends) };
}

const DATE_SHAPE = /\b\d{1,4}[-/.](?:\d{1,2}|[A-Za-z]{3})[-/. ]\d{2,4}(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d{1,9})?)?(?: ?[AaPp][Mm]|Z|[+-]\d{2}(?::?\d{2})?)?)?\b/g;

/** Every date-shaped text in the fixtures' other text files (the CSVs' fields are input 1). */
function dateTexts(): string[] {
  const out: string[] = [];
  for (const f of fixtureFiles((p) => /\.(json|jsonl|ya?ml|log|txt|md)$/.test(p))) {
    for (const m of fs.readFileSync(f.path, 'utf8').matchAll(DATE_SHAPE)) out.push(m[0]);
  }
  return out;
}

// ---- the library way

interface Pattern {
  /** date-fns `parse` pattern. */
  fns: string;
  /** The strftime name ExpTrack gives the format. */
  format: string;
  kind: 'date' | 'datetime';
  /** date-fns reads `yyyy` from 1 to 4 digits; ExpTrack wants 4 (`09-27-06` is no date). */
  year: RegExp;
}

const YEAR_FIRST = /^\d{4}\D/;
const YEAR_LAST = /\D\d{4}$/;
const YEAR_BEFORE_TIME = /^\d{1,2}\/\d{1,2}\/\d{4}\s/;

/**
 * The date-fns patterns of the formats dateFormats.ts names, in its order. date-fns reads a
 * fraction of exactly as many digits as the pattern has `S`s, so each length is its own pattern.
 */
function datePatterns(): { dates: Pattern[]; dayMonth: Pattern[]; datetimes: Pattern[] } {
  const dates: Pattern[] = [
    { fns: 'yyyy-M-d', format: '%Y-%m-%d', kind: 'date', year: YEAR_FIRST },
    { fns: 'yyyy/M/d', format: '%Y/%m/%d', kind: 'date', year: YEAR_FIRST },
    { fns: 'd.M.yyyy', format: '%d.%m.%Y', kind: 'date', year: YEAR_LAST },
    { fns: 'd-MMM-yyyy', format: '%d-%b-%Y', kind: 'date', year: YEAR_LAST },
    { fns: 'd MMM yyyy', format: '%d %b %Y', kind: 'date', year: YEAR_LAST },
  ];
  const dayMonth: Pattern[] = ['/', '-'].flatMap((s) => [
    { fns: `M${s}d${s}yyyy`, format: `%m${s}%d${s}%Y`, kind: 'date' as const, year: YEAR_LAST },
    { fns: `d${s}M${s}yyyy`, format: `%d${s}%m${s}%Y`, kind: 'date' as const, year: YEAR_LAST },
  ]);
  const datetimes: Pattern[] = [];
  const seconds: [string, string][] = [['', ''], [':ss', ':%S']];
  // Shortest first: a longer pattern also reads fewer digits, and scales them wrongly.
  for (let n = 1; n <= 9; n++) for (const sep of ['.', ',']) seconds.push([`:ss${sep}${'S'.repeat(n)}`, ':%S.%f']);
  for (const [sep, sepFns] of [['T', "'T'"], [' ', ' ']]) {
    for (const [sec, secFormat] of seconds) {
      for (const [tz, tzFormat] of [['', ''], ['X', '%z'], ['XXX', '%z']]) {
        datetimes.push({ fns: `yyyy-MM-dd${sepFns}HH:mm${sec}${tz}`, format: `%Y-%m-%d${sep}%H:%M${secFormat}${tzFormat}`, kind: 'datetime', year: YEAR_FIRST });
      }
    }
  }
  for (const [sec, secFormat] of [['', ''], [':ss', ':%S']]) {
    datetimes.push({ fns: `M/d/yyyy H:mm${sec}`, format: `%m/%d/%Y %H:%M${secFormat}`, kind: 'datetime', year: YEAR_BEFORE_TIME });
    datetimes.push({ fns: `M/d/yyyy h:mm${sec} a`, format: `%m/%d/%Y %I:%M${secFormat} %p`, kind: 'datetime', year: YEAR_BEFORE_TIME });
    datetimes.push({ fns: `M/d/yyyy h:mm${sec}a`, format: `%m/%d/%Y %I:%M${secFormat} %p`, kind: 'datetime', year: YEAR_BEFORE_TIME });
  }
  return { dates, dayMonth, datetimes };
}

const PATTERNS = datePatterns();
const REFERENCE = new Date(0);

function tryPattern(text: string, p: Pattern): DateMatch | null {
  const d = parse(text, p.fns, REFERENCE);
  if (!isValid(d) || !p.year.test(text)) return null;
  // ExpTrack names a `Z` offset as written; date-fns reads it with any X pattern.
  const format = p.format.endsWith('%z') && text.endsWith('Z') ? `${p.format.slice(0, -2)}Z` : p.format;
  return { kind: p.kind, format, epochMs: d.getTime() };
}

/**
 * The pattern that read the last date, and that date's length: a column keeps one format, so it
 * is tried first (same length, so a fraction has as many digits as the pattern's `S`s).
 */
let lastHit: { pattern: Pattern; length: number } | undefined;

/** The same answer as matchDateTime, by date-fns. */
function dateByLibrary(text: string): DateMatch | null {
  const n = text.length;
  const c0 = text.charCodeAt(0);
  if (n < 6 || n > 40 || c0 < 0x30 || c0 > 0x39) return null;
  if (lastHit?.length === n) {
    const m = tryPattern(text, lastHit.pattern);
    if (m) return m;
  }
  const m = firstPattern(text);
  if (m) lastHit = m.pattern ? { pattern: m.pattern, length: n } : undefined;
  return m && m.date;
}

function firstPattern(text: string): { date: DateMatch; pattern?: Pattern } | null {
  for (const p of PATTERNS.dates) {
    const m = tryPattern(text, p);
    if (m) return { date: m, pattern: p };
  }
  // Month-first and day-first both valid: ExpTrack decides per column (slashes) or month-first.
  for (let i = 0; i < PATTERNS.dayMonth.length; i += 2) {
    const monthFirst = tryPattern(text, PATTERNS.dayMonth[i]!);
    const dayFirst = tryPattern(text, PATTERNS.dayMonth[i + 1]!);
    if (monthFirst && dayFirst && monthFirst.format.includes('/')) monthFirst.format = AMBIGUOUS_DAY_MONTH;
    const date = monthFirst ?? dayFirst;
    if (date) return { date }; // not remembered: the order is decided anew for each value
  }
  for (const p of PATTERNS.datetimes) {
    const m = tryPattern(text, p);
    if (m) return { date: m, pattern: p };
  }
  return null;
}

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Fields made strings, numbers by Number(), dates by `dateOf`. */
const classifyByLibrary = (buf: Buffer, s: number, e: number, out: FieldScratch): void => classifyText(buf, s, e, out, dateByLibrary);
/** The same with ours for dates: what the number path alone costs. */
const classifyByNumber = (buf: Buffer, s: number, e: number, out: FieldScratch): void => classifyText(buf, s, e, out, matchDateTime);

function classifyText(buf: Buffer, s: number, e: number, out: FieldScratch, dateOf: (text: string) => DateMatch | null): void {
  const text = buf.toString('utf8', s, e);
  out.text = text;
  out.dateFormat = '';
  if (text.length === 0) {
    out.kind = K_MISSING;
    return;
  }
  if (DECIMAL.test(text)) {
    out.kind = /[.eE]/.test(text) ? K_FLOAT : K_INT;
    out.num = Number(text);
    hashNumberInto(out.num, out);
    return;
  }
  hashStringInto(text, out);
  const token = TOKENS.get(text);
  if (token) {
    out.kind = token[0];
    out.num = token[1];
    if (out.kind === K_FLOAT) hashNumberInto(out.num, out);
    return;
  }
  const date = dateOf(text);
  out.kind = date === null ? K_STRING : date.kind === 'date' ? K_DATE : K_DATETIME;
  if (date === null) return;
  out.num = date.epochMs;
  out.dateFormat = date.format;
}

// ---- same results, then the figures

const fields = csvFields();
const fieldCount = fields.starts.length;
const texts = dateTexts();

type Classify = (buf: Buffer, s: number, e: number, out: FieldScratch) => void;

function classifyAll(classify: Classify, keep?: string[]): number {
  const out = new FieldScratch();
  let x = 0;
  for (let i = 0; i < fieldCount; i++) {
    out.dateFormat = '';
    classify(fields.buf, fields.starts[i]!, fields.ends[i]!, out);
    x ^= out.hashLo;
    // Missing values are skipped by the profiler before their number or key is read.
    keep?.push(out.kind === K_MISSING ? 'missing' : `${out.kind} ${Object.is(out.num, -0) ? '-0' : out.num} ${out.dateFormat} ${out.hashHi} ${out.hashLo}`);
  }
  return x;
}

function datesAll(match: (text: string) => DateMatch | null, keep?: string[]): number {
  let x = 0;
  for (const t of texts) {
    const m = match(t);
    if (m) x += m.epochMs;
    keep?.push(m ? `${m.kind} ${m.format} ${m.epochMs}` : 'no date');
  }
  return x;
}

function compare(what: string, ours: string[], theirs: string[], inputs: (i: number) => string): void {
  const mismatches: string[] = [];
  ours.forEach((o, i) => {
    if (o !== theirs[i]) mismatches.push(`${JSON.stringify(inputs(i))}: date-fns way ${theirs[i]} vs ours ${o}`);
  });
  sameOrExit(what, mismatches);
}

const oursFields: string[] = [];
const libFields: string[] = [];
classifyAll(classifyBytes, oursFields);
classifyAll(classifyByLibrary, libFields);
const kinds = new Map<string, number>();
for (const k of oursFields) kinds.set(k.split(' ')[0]!, (kinds.get(k.split(' ')[0]!) ?? 0) + 1);
console.log(`CSV fields: ${fieldCount} (${['missing', K_INT, K_FLOAT, K_STRING, K_DATE, K_DATETIME].map((k) => `${kinds.get(String(k)) ?? 0} ${typeof k === 'string' ? k : ['', 'int', 'float', '', 'string', 'date', 'datetime'][k]}`).join(', ')})`);
compare(`Number() + date-fns on all ${fieldCount} CSV fields`, oursFields, libFields, (i) => fields.buf.toString('utf8', fields.starts[i]!, fields.ends[i]!));
const numberFields: string[] = [];
classifyAll(classifyByNumber, numberFields);
compare(`Number(), dates by ours, on all ${fieldCount} CSV fields`, oursFields, numberFields, (i) => fields.buf.toString('utf8', fields.starts[i]!, fields.ends[i]!));

const oursDates: string[] = [];
const libDates: string[] = [];
datesAll(matchDateTime, oursDates);
datesAll(dateByLibrary, libDates);
const shapes = new Map<string, number>();
for (const d of oursDates) shapes.set(d.replace(/ -?\d+$/, ''), (shapes.get(d.replace(/ -?\d+$/, '')) ?? 0) + 1);
console.log(`date-shaped texts: ${texts.length} (${[...shapes].map(([s, n]) => `${n} ${s}`).join(', ')})`);
compare(`date-fns on all ${texts.length} date-shaped texts`, oursDates, libDates, (i) => texts[i]!);
if (process.exitCode) process.exit();

printFigures('type inference of CSV fields, CPU per value:', cpuSecondsPerRun([
  { name: 'ours (classifyBytes)', run: () => classifyAll(classifyBytes) },
  { name: 'string + Number() + date-fns 4 parse', run: () => classifyAll(classifyByLibrary) },
  { name: 'string + Number(), dates by ours', run: () => classifyAll(classifyByNumber) },
]), 1e9 / fieldCount, 'ns/value');
printFigures('date recognition and format naming, CPU per value:', cpuSecondsPerRun([
  { name: 'ours (matchDateTime)', run: () => datesAll(matchDateTime) },
  { name: 'date-fns 4 parse over the formats', run: () => datesAll(dateByLibrary) },
]), 1e9 / texts.length, 'ns/value');
