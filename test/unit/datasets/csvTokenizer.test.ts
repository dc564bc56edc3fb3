import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { CsvRowStream } from '../../../src/core/datasets/csv/csvRowStream';
import { CsvTokenizer, FIELD_ESCAPED, FIELD_MALFORMED, unescapeField, type CsvRowSink } from '../../../src/core/datasets/csv/csvTokenizer';
import { sniffDelimiter } from '../../../src/core/datasets/csv/delimiterSniffer';

interface Parsed {
  rows: string[][];
  lines: number[];
  unterminated: number[];
  tooLong: number[];
  bom: boolean;
}

/** Tokenizes `input` fed in the given chunk sizes and decodes every field to a string. */
function tokenize(input: Buffer, chunkSizes: number[] = [input.length || 1], delimiter = ',', maxRowBytes?: number): Parsed {
  const out: Parsed = { rows: [], lines: [], unterminated: [], tooLong: [], bom: false };
  const scratch = Buffer.alloc(input.length + 16);
  const sink: CsvRowSink = {
    row(buf, t, line) {
      const row: string[] = [];
      for (let i = 0; i < t.count; i++) {
        const flags = t.flags[i];
        if (flags & (FIELD_ESCAPED | FIELD_MALFORMED)) {
          const n = unescapeField(buf, t.starts[i], t.ends[i], flags, 0x22, scratch);
          row.push(scratch.toString('utf8', 0, n));
        } else {
          row.push(buf.toString('utf8', t.starts[i], t.ends[i]));
        }
      }
      out.rows.push(row);
      out.lines.push(line);
    },
    unterminatedQuote: (line) => out.unterminated.push(line),
  };
  const stream = new CsvRowStream(new CsvTokenizer(delimiter.charCodeAt(0)), sink, { rowTooLong: (line) => out.tooLong.push(line) }, maxRowBytes);
  let pos = 0;
  let k = 0;
  while (pos < input.length) {
    const size = Math.max(1, chunkSizes[k++ % chunkSizes.length]);
    stream.push(input.subarray(pos, pos + size));
    pos += size;
  }
  stream.end();
  out.bom = stream.hadBom;
  return out;
}

const csv = (s: string) => Buffer.from(s, 'utf8');

/** RFC 4180 writer: quotes fields that need it (and, when `quoteAll`, every field). */
function writeCsv(rows: string[][], eol: string, quoteAll: boolean, delimiter = ','): string {
  const quote = (f: string) => (quoteAll || /[",\r\n]/.test(f) || f.includes(delimiter) ? `"${f.replace(/"/g, '""')}"` : f);
  return rows.map((r) => r.map(quote).join(delimiter)).join(eol);
}

describe('CSV tokenizer', () => {
  it('splits plain rows with LF, CRLF and lone CR line ends', () => {
    assert.deepEqual(tokenize(csv('a,b\n1,2\n')).rows, [['a', 'b'], ['1', '2']]);
    assert.deepEqual(tokenize(csv('a,b\r\n1,2\r\n')).rows, [['a', 'b'], ['1', '2']]);
    assert.deepEqual(tokenize(csv('a,b\r1,2\r3,4')).rows, [['a', 'b'], ['1', '2'], ['3', '4']]);
  });

  it('keeps the last row without a final line break and empty trailing fields', () => {
    assert.deepEqual(tokenize(csv('a,b\n1,')).rows, [['a', 'b'], ['1', '']]);
    assert.deepEqual(tokenize(csv(',\n,,')).rows, [['', ''], ['', '', '']]);
  });

  it('reads the TFX multi-line fixture row: quotes, "" escapes and line breaks inside a field', () => {
    const p = tokenize(csv('A,B,C,D\n1,2,3,4\n1,"""2,\n""3"",\n4\n5""",6,7\n1,2,3,4\n'));
    assert.deepEqual(p.rows, [['A', 'B', 'C', 'D'], ['1', '2', '3', '4'], ['1', '"2,\n"3",\n4\n5"', '6', '7'], ['1', '2', '3', '4']]);
    assert.deepEqual(p.lines, [1, 2, 3, 7], 'rows start on their physical lines');
  });

  it('skips blank lines but keeps counting lines', () => {
    const p = tokenize(csv('a\n\n\r\nb\n'));
    assert.deepEqual(p.rows, [['a'], ['b']]);
    assert.deepEqual(p.lines, [1, 4]);
  });

  it('strips a UTF-8 byte-order mark, even when it arrives one byte at a time', () => {
    const input = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), csv('x,y\n1,2\n')]);
    for (const sizes of [[input.length], [1], [2, 1], [1, 5]]) {
      const p = tokenize(input, sizes);
      assert.deepEqual(p.rows, [['x', 'y'], ['1', '2']]);
      assert.equal(p.bom, true);
    }
  });

  it('treats a quote inside an unquoted field as a character, and keeps text after a closing quote', () => {
    assert.deepEqual(tokenize(csv('ab"c,d\n')).rows, [['ab"c', 'd']]);
    assert.deepEqual(tokenize(csv('"ab"c,d\n')).rows, [['abc', 'd']]);
  });

  it('reports a quote that never closes, with the line it opened on', () => {
    const p = tokenize(csv('a,b\n1,2\n3,"open\nstill open\n'));
    assert.deepEqual(p.rows, [['a', 'b'], ['1', '2']]);
    assert.deepEqual(p.unterminated, [3]);
  });

  it('stops at a row longer than the limit', () => {
    const p = tokenize(csv(`a\n${'x'.repeat(5000)}`), [1000], ',', 2048);
    assert.deepEqual(p.rows, [['a']]);
    assert.deepEqual(p.tooLong, [2]);
  });

  it('uses any delimiter, tab included', () => {
    assert.deepEqual(tokenize(csv('a\tb\n"x\ty"\t2\n'), undefined, '\t').rows, [['a', 'b'], ['x\ty', '2']]);
    assert.deepEqual(tokenize(csv('a;b\n1;"2;3"\n'), undefined, ';').rows, [['a', 'b'], ['1', '2;3']]);
  });

  it('guesses the delimiter from the first rows, quote-aware, preferring the extension', () => {
    assert.equal(sniffDelimiter(csv('a;b;c\n1;2;3\n4;5;6\n'), ',', true).delimiter, ';');
    assert.equal(sniffDelimiter(csv('a\tb\n1\t2\n'), ',', true).delimiter, '\t');
    assert.equal(sniffDelimiter(csv('name,notes\n"Smith; John","a;b"\n"Doe; Jane","c"\n'), ',', true).delimiter, ',');
    assert.equal(sniffDelimiter(csv('a,b;c\n1,2;3\n'), ',', true).delimiter, ',', 'a tie goes to the extension');
    const single = sniffDelimiter(csv('value\n1\n2\n'), ',', true);
    assert.equal(single.singleColumn, true);
  });

  describe('properties (fast-check)', () => {
    const field = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 8 }),
      fc.stringMatching(/^[a-z0-9 ,;"\r\n\t]{0,8}$/),
      fc.constantFrom('', '""', '"', ',', '\r\n', '\n', '\r', 'é', '😀'),
    );
    const table = fc.integer({ min: 1, max: 5 }).chain((cols) => fc.array(fc.array(field, { minLength: cols, maxLength: cols }), { minLength: 1, maxLength: 6 }));

    it('reads back any table written with RFC 4180 quoting, any line ending, BOM and chunking', () => {
      fc.assert(
        fc.property(
          table,
          fc.constantFrom('\n', '\r\n', '\r'),
          fc.boolean(),
          fc.boolean(),
          fc.boolean(),
          fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 5 }),
          (rows, eol, quoteAll, bom, finalEol, chunks) => {
            const text = writeCsv(rows, eol, quoteAll) + (finalEol ? eol : '');
            const bytes = Buffer.concat([bom ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0), Buffer.from(text, 'utf8')]);
            // A row of one unquoted empty field is a blank line, which the reader skips.
            const expected = rows.filter((r) => !(r.length === 1 && r[0] === '' && !quoteAll));
            const p = tokenize(bytes, chunks);
            assert.deepEqual(p.rows, expected);
            assert.equal(p.unterminated.length, 0);
            assert.equal(p.bom, bom);
          },
        ),
        { numRuns: 10_000 },
      );
    });

    it('gives the same rows whatever the chunking, and never throws, on arbitrary bytes', () => {
      fc.assert(
        fc.property(
          fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.from(a.map((b) => (b < 160 ? [0x22, 0x2c, 0x0a, 0x0d, 0x61][b % 5] : b)))),
          fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 4 }),
          (bytes, chunks) => {
            const whole = tokenize(bytes);
            const chunked = tokenize(bytes, chunks);
            assert.deepEqual(chunked.rows, whole.rows);
            assert.deepEqual(chunked.lines, whole.lines);
            assert.deepEqual(chunked.unterminated, whole.unterminated);
            for (const line of whole.lines) assert.ok(line >= 1 && line <= bytes.length + 1);
          },
        ),
        { numRuns: 10_000 },
      );
    });
  });
});
