/**
 * A byte-level CSV/TSV tokenizer (RFC 4180 plus what real files do): quoted fields may hold
 * delimiters, line breaks and `""` escapes; rows end at LF, CRLF or a lone CR. It records each
 * field's byte range instead of building strings, so a row costs no allocation. It scans whole rows
 * only: an incomplete row at the end of a chunk is left for the caller to carry into the next one.
 *
 * Lenient where Python's csv module is: a quote inside an unquoted field is a literal character,
 * and text after a closing quote (`"ab"c`) is kept, with the field marked malformed.
 */

export const FIELD_QUOTED = 1;
/** The field holds `""` pairs: its bytes need unescaping. */
export const FIELD_ESCAPED = 2;
/** Text after the closing quote: [start, end) is the raw field, quotes included. */
export const FIELD_MALFORMED = 4;

const LF = 0x0a;
const CR = 0x0d;

export interface CsvRowSink {
  /** One complete non-blank row: fields are `tokenizer.starts/ends/flags[0 .. count)` in `buf`. */
  row(buf: Buffer, tokenizer: CsvTokenizer, line: number): void;
  /** The data ended inside a quoted field that began on `line`; that row is dropped. */
  unterminatedQuote(line: number): void;
}

export class CsvTokenizer {
  starts = new Int32Array(64);
  ends = new Int32Array(64);
  flags = new Uint8Array(64);
  /** Fields in the row just delivered. */
  count = 0;
  /** The line on which the next row starts (1-based). */
  line = 1;

  /** 1 for the bytes that end an unquoted field (delimiter, LF, CR): one table load per byte. */
  private readonly stops = new Uint8Array(256);

  constructor(
    readonly delimiter: number,
    readonly quote = 0x22,
  ) {
    this.stops[delimiter] = 1;
    this.stops[LF] = 1;
    this.stops[CR] = 1;
  }

  /**
   * Delivers the complete rows of buf[pos, end) to `sink` and returns where the first incomplete
   * row begins (`end` when none is left). With `final`, the data ends at `end`, so the remainder
   * is the last row.
   */
  scan(buf: Buffer, pos: number, end: number, final: boolean, sink: CsvRowSink): number {
    const D = this.delimiter;
    const Q = this.quote;
    const stops = this.stops;
    let starts = this.starts;
    let ends = this.ends;
    let fieldFlags = this.flags;
    while (pos < end) {
      const rowStart = pos;
      let i = pos;
      let nf = 0;
      let newlines = 0;
      let unterminated = false;
      for (;;) {
        if (nf === starts.length) {
          this.growFields();
          starts = this.starts;
          ends = this.ends;
          fieldFlags = this.flags;
        }
        let flags = 0;
        let fs = i;
        let fe: number;
        if (i < end && buf[i] === Q) {
          const quoteAt = i;
          flags = FIELD_QUOTED;
          fs = ++i;
          for (;;) {
            if (i >= end) {
              if (!final) return rowStart;
              unterminated = true;
              break;
            }
            const b = buf[i];
            if (b === Q) {
              if (i + 1 >= end && !final) return rowStart;
              if (i + 1 < end && buf[i + 1] === Q) {
                flags |= FIELD_ESCAPED;
                i += 2;
                continue;
              }
              break;
            }
            if (b === LF || (b === CR && (i + 1 >= end || buf[i + 1] !== LF))) newlines++;
            i++;
          }
          if (unterminated) break;
          fe = i++; // past the closing quote
          if (i < end) {
            const b = buf[i];
            if (b !== D && b !== LF && b !== CR) {
              flags = FIELD_MALFORMED;
              fs = quoteAt;
              while (i < end && buf[i] !== D && buf[i] !== LF && buf[i] !== CR) i++;
              if (i >= end && !final) return rowStart;
              fe = i;
            }
          } else if (!final) {
            return rowStart;
          }
        } else {
          while (i < end && stops[buf[i]] === 0) i++;
          if (i >= end && !final) return rowStart;
          fe = i;
        }
        starts[nf] = fs;
        ends[nf] = fe;
        fieldFlags[nf] = flags;
        nf++;
        if (i >= end) break; // end of data without a line break
        const b = buf[i];
        if (b === D) {
          i++;
          continue;
        }
        if (b === CR) {
          if (i + 1 >= end && !final) return rowStart;
          i++;
          if (i < end && buf[i] === LF) i++;
        } else {
          i++;
        }
        newlines++;
        break;
      }
      const rowLine = this.line;
      if (unterminated) {
        this.line += newlines;
        sink.unterminatedQuote(rowLine);
        return end;
      }
      this.line += newlines;
      pos = i;
      if (nf === 1 && fieldFlags[0] === 0 && ends[0] === starts[0]) continue; // blank line
      this.count = nf;
      sink.row(buf, this, rowLine);
    }
    return pos;
  }

  private growFields(): void {
    const n = this.starts.length * 2;
    const grow = <T extends Int32Array | Uint8Array>(a: T, make: (n: number) => T): T => {
      const b = make(n);
      b.set(a);
      return b;
    };
    this.starts = grow(this.starts, (k) => new Int32Array(k));
    this.ends = grow(this.ends, (k) => new Int32Array(k));
    this.flags = grow(this.flags, (k) => new Uint8Array(k));
  }
}

/**
 * Writes the text of a field that needs unescaping into `out` (which must hold at least
 * `end - start` bytes) and returns its length: `""` becomes `"`; for a malformed field, quotes
 * open and close quoted stretches and are dropped, as Python's csv module does.
 */
export function unescapeField(buf: Uint8Array, start: number, end: number, flags: number, quote: number, out: Uint8Array): number {
  let n = 0;
  if (flags & FIELD_MALFORMED) {
    let inQuotes = false;
    for (let i = start; i < end; i++) {
      const b = buf[i];
      if (b === quote) {
        if (inQuotes && i + 1 < end && buf[i + 1] === quote) {
          out[n++] = quote;
          i++;
        } else {
          inQuotes = !inQuotes;
        }
      } else {
        out[n++] = b;
      }
    }
    return n;
  }
  for (let i = start; i < end; i++) {
    const b = buf[i];
    out[n++] = b;
    if (b === quote) i++; // the second quote of a pair
  }
  return n;
}

/** The text of field `i` of the row the tokenizer just delivered from `buf`, quotes and `""` undone. */
export function fieldText(buf: Buffer, tokenizer: CsvTokenizer, i: number): string {
  const start = tokenizer.starts[i]!;
  const end = tokenizer.ends[i]!;
  const flags = tokenizer.flags[i]!;
  if (!(flags & (FIELD_ESCAPED | FIELD_MALFORMED))) return buf.toString('utf8', start, end);
  const out = Buffer.allocUnsafe(end - start);
  return out.toString('utf8', 0, unescapeField(buf, start, end, flags, tokenizer.quote, out));
}
