/**
 * Profiles JSON data in a streaming pass: a top-level array of records (`[{…}, {…}]`), scanned
 * element by element so only one record is in memory at a time, or JSON Lines (one record per
 * line). A record that does not parse is reported with its line and skipped; the rest still count.
 */
import { isUtf8 } from 'node:buffer';
import type { DatasetProfile } from '../../../shared/schemaDiff';
import { DatasetBuilder } from '../datasetBuilder';
import { DiagnosticCollector } from '../diagnostics';
import { formatBytes, type ResolvedProfileOptions } from '../profileOptions';
import { readFileChunks } from './fileChunks';

const LF = 0x0a;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
}

/** Adds one parsed JSON value as a row; anything but an object is reported and skipped. */
function addRecord(builder: DatasetBuilder, value: unknown, line: number, record: number): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    const what = Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`;
    builder.diagnostics.warning('NOT_A_RECORD', `line ${line} (record ${record}): ${what}, not an object with named fields; skipped`, { line, row: record });
    return;
  }
  builder.rowCount++;
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) builder.addValue(builder.column(key), v);
}

function parseRecord(builder: DatasetBuilder, buf: Buffer, s: number, e: number, line: number, record: number): void {
  const bytes = buf.subarray(s, e);
  if (!isUtf8(bytes)) {
    builder.diagnostics.warning('INVALID_UTF8', `line ${line} (record ${record}): invalid UTF-8; the bad bytes were replaced with U+FFFD`, { line, row: record });
  }
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    builder.diagnostics.warning('JSON_SYNTAX', `line ${line} (record ${record}): ${(err as Error).message}; record skipped`, { line, row: record });
    return;
  }
  addRecord(builder, value, line, record);
}

/**
 * Finds the elements of one top-level JSON array across chunks. Only element boundaries are found
 * here (depth and strings); each element is then given to JSON.parse on its own.
 */
class JsonArrayScanner {
  private carry = Buffer.alloc(0);
  private carryLength = 0;
  private state: 'before' | 'between' | 'after' | 'failed' = 'before';
  /** Line at the start of the unconsumed bytes. */
  line = 1;
  records = 0;
  private expectComma = false;
  trailingNoted = false;

  constructor(
    private readonly builder: DatasetBuilder,
    private readonly maxRecordBytes: number,
  ) {}

  get failed(): boolean {
    return this.state === 'failed';
  }

  get closed(): boolean {
    return this.state === 'after';
  }

  push(chunk: Buffer, final: boolean): void {
    if (this.state === 'failed') return;
    let data = chunk;
    let end = chunk.length;
    if (this.carryLength > 0) {
      if (this.carry.length < this.carryLength + chunk.length) {
        const next = Buffer.allocUnsafe(Math.max(this.carryLength + chunk.length, this.carry.length * 2));
        this.carry.copy(next, 0, 0, this.carryLength);
        this.carry = next;
      }
      chunk.copy(this.carry, this.carryLength);
      data = this.carry;
      end = this.carryLength + chunk.length;
    }
    const rest = this.scan(data, end, final);
    if (final || this.failed) {
      this.carryLength = 0;
      return;
    }
    if (end - rest > this.maxRecordBytes) {
      this.state = 'failed';
      this.builder.diagnostics.error('RECORD_TOO_LONG', `line ${this.line}: a record runs for more than ${formatBytes(end - rest)} without ending; stopped reading here`, { line: this.line });
      return;
    }
    if (data === this.carry) {
      this.carry.copyWithin(0, rest, end);
    } else {
      if (this.carry.length < end - rest) this.carry = Buffer.allocUnsafe(Math.max(end - rest, 4096));
      data.copy(this.carry, 0, rest, end);
    }
    this.carryLength = end - rest;
  }

  /** Consumes what it can of data[0, end); returns the offset of the first unconsumed byte. */
  private scan(data: Buffer, end: number, final: boolean): number {
    let i = 0;
    if (this.state === 'before') {
      if (end >= 3 && data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) i = 3;
      while (i < end && isSpace(data[i])) if (data[i++] === LF) this.line++;
      if (i >= end) return i;
      if (data[i] !== 0x5b) {
        this.state = 'failed';
        this.builder.diagnostics.error('NOT_JSON_ARRAY', `line ${this.line}: expected a JSON array of records ('['), found '${String.fromCharCode(data[i])}'`, { line: this.line });
        return end;
      }
      i++;
      this.state = 'between';
    }
    while (i < end) {
      const b = data[i];
      if (this.state === 'after') {
        if (!isSpace(b) && !this.trailingNoted) {
          this.trailingNoted = true;
          this.builder.diagnostics.warning('TRAILING_CONTENT', `line ${this.line}: content after the closing ']' ignored`, { line: this.line });
        }
        if (b === LF) this.line++;
        i++;
        continue;
      }
      if (isSpace(b)) {
        if (b === LF) this.line++;
        i++;
        continue;
      }
      if (b === 0x2c) {
        if (!this.expectComma) this.builder.diagnostics.warning('JSON_SYNTAX', `line ${this.line}: a stray ',' in the array ignored`, { line: this.line });
        this.expectComma = false;
        i++;
        continue;
      }
      if (b === 0x5d) {
        this.state = 'after';
        i++;
        continue;
      }
      if (this.expectComma) {
        this.builder.diagnostics.warning('JSON_SYNTAX', `line ${this.line}: expected ',' or ']' between records; reading on`, { line: this.line });
      }
      const elementEnd = this.elementEnd(data, i, end);
      if (elementEnd < 0) {
        if (!final) return i;
        this.builder.diagnostics.error('TRUNCATED_JSON', `line ${this.line}: the file ends inside record ${this.records + 1} (truncated?); it was dropped`, { line: this.line });
        this.state = 'failed';
        return end;
      }
      const startLine = this.line;
      for (let k = i; k < elementEnd; k++) if (data[k] === LF) this.line++;
      parseRecord(this.builder, data, i, elementEnd, startLine, ++this.records);
      this.expectComma = true;
      i = elementEnd;
    }
    return i;
  }

  /** End offset of the JSON value starting at `start`, or -1 when it continues past `end`. */
  private elementEnd(data: Buffer, start: number, end: number): number {
    let depth = 0;
    let i = start;
    const first = data[i];
    if (first !== 0x7b && first !== 0x5b && first !== QUOTE) {
      // A bare scalar: runs to the next delimiter.
      while (i < end && data[i] !== 0x2c && data[i] !== 0x5d && !isSpace(data[i])) i++;
      return i < end ? i : -1;
    }
    while (i < end) {
      const b = data[i];
      if (b === QUOTE) {
        i++;
        while (i < end && data[i] !== QUOTE) i += data[i] === BACKSLASH ? 2 : 1;
        if (i >= end) return -1;
        if (depth === 0) return i + 1;
      } else if (b === 0x7b || b === 0x5b) {
        depth++;
      } else if (b === 0x7d || b === 0x5d) {
        depth--;
        if (depth === 0) return i + 1;
      }
      i++;
    }
    return -1;
  }
}

export async function profileJsonArray(filePath: string, options: ResolvedProfileOptions): Promise<DatasetProfile> {
  const diagnostics = new DiagnosticCollector(options.displayName);
  const builder = new DatasetBuilder(options.settings, diagnostics);
  const scanner = new JsonArrayScanner(builder, options.maxRecordBytes);
  const result = await readFileChunks(filePath, options, (chunk) => {
    scanner.push(chunk, false);
    return !scanner.failed;
  });
  let complete = !scanner.failed;
  if (result.stoppedBy === 'abort') {
    complete = false;
    diagnostics.warning('ABORTED', `stopped after ${formatBytes(result.bytesRead)} of ${formatBytes(result.totalBytes)}; the profile covers the records read so far`);
  } else if (!scanner.failed) {
    scanner.push(Buffer.alloc(0), true);
    if (result.totalBytes === 0) {
      diagnostics.error('EMPTY_FILE', 'the file is empty');
      complete = false;
    } else if (!scanner.closed && !scanner.failed) {
      diagnostics.warning('TRUNCATED_JSON', `line ${scanner.line}: the file ends before the array is closed (truncated?); the ${scanner.records} records before were kept`, { line: scanner.line });
      complete = false;
    }
  }
  if (scanner.failed) complete = false;
  return builder.finish({ path: filePath, format: 'json', bytes: result.totalBytes }, complete);
}

export async function profileJsonLines(filePath: string, options: ResolvedProfileOptions): Promise<DatasetProfile> {
  const diagnostics = new DiagnosticCollector(options.displayName);
  const builder = new DatasetBuilder(options.settings, diagnostics);
  let carry = Buffer.alloc(0);
  let line = 0;
  let records = 0;
  let complete = true;
  const handleLine = (buf: Buffer, s: number, e: number) => {
    line++;
    while (s < e && isSpace(buf[s])) s++;
    while (e > s && isSpace(buf[e - 1])) e--;
    if (s === e) return;
    if (line === 1 && e - s >= 3 && buf[s] === 0xef && buf[s + 1] === 0xbb && buf[s + 2] === 0xbf) s += 3;
    parseRecord(builder, buf, s, e, line, ++records);
  };
  const result = await readFileChunks(filePath, options, (chunk) => {
    const data = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
    let s = 0;
    for (let nl = data.indexOf(LF, s); nl >= 0; nl = data.indexOf(LF, s)) {
      handleLine(data, s, nl);
      s = nl + 1;
    }
    if (data.length - s > options.maxRecordBytes) {
      diagnostics.error('RECORD_TOO_LONG', `line ${line + 1}: a line runs for more than ${formatBytes(data.length - s)} without ending; stopped reading here`, { line: line + 1 });
      complete = false;
      return false;
    }
    carry = Buffer.from(data.subarray(s));
    return true;
  });
  if (result.stoppedBy === 'abort') {
    complete = false;
    diagnostics.warning('ABORTED', `stopped after ${formatBytes(result.bytesRead)} of ${formatBytes(result.totalBytes)}; the profile covers the records read so far`);
  } else if (complete && carry.length > 0) {
    handleLine(carry, 0, carry.length);
  }
  if (result.totalBytes === 0) {
    diagnostics.error('EMPTY_FILE', 'the file is empty');
    complete = false;
  }
  return builder.finish({ path: filePath, format: 'jsonl', bytes: result.totalBytes }, complete);
}
