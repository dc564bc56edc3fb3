import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { matchDateTime, resolveDateFormats, AMBIGUOUS_DAY_MONTH } from '../../../src/core/datasets/dateFormats';
import {
  FieldScratch, K_BOOL, K_DATE, K_DATETIME, K_FLOAT, K_INT, K_MISSING, K_NESTED, K_STRING, KIND_COUNT,
  classifyBytes, classifyValue, decideColumnType,
} from '../../../src/core/datasets/typeInference';
import { hashBytesInto, hashStringInto } from '../../../src/core/datasets/sketches/hashing';
import { isValidUtf8 } from '../../../src/core/datasets/utf8';

function classify(text: string | Buffer): FieldScratch {
  const buf = Buffer.isBuffer(text) ? text : Buffer.from(text, 'utf8');
  const s = new FieldScratch();
  classifyBytes(buf, 0, buf.length, s);
  return s;
}

function counts(kinds: Partial<Record<number, number>>): Float64Array {
  const a = new Float64Array(KIND_COUNT);
  for (const [k, v] of Object.entries(kinds)) a[Number(k)] = v!;
  return a;
}

describe('type inference', () => {
  it('reads integers and floats, including signs, exponents and leading dots', () => {
    for (const [text, kind, value] of [
      ['0', K_INT, 0], ['-17', K_INT, -17], ['+5', K_INT, 5], ['007', K_INT, 7], ['1400269500', K_INT, 1400269500],
      ['17031020602', K_INT, 17031020602], ['12345678901234567890', K_INT, 12345678901234567890],
      ['0.1', K_FLOAT, 0.1], ['-87.804532006', K_FLOAT, -87.804532006], ['.5', K_FLOAT, 0.5], ['5.', K_FLOAT, 5],
      ['1e5', K_FLOAT, 1e5], ['1.6226933508321501e+24', K_FLOAT, 1.6226933508321501e24], ['2.5E-3', K_FLOAT, 0.0025],
    ] as const) {
      const s = classify(text);
      assert.equal(s.kind, kind, text);
      assert.equal(s.num, value, text);
    }
  });

  it('treats NaN and infinities as float values and the usual "no value" spellings as missing', () => {
    assert.equal(classify('nan').kind, K_FLOAT);
    assert.ok(Number.isNaN(classify('NaN').num));
    assert.equal(classify('-inf').num, -Infinity);
    assert.equal(classify('Infinity').num, Infinity);
    for (const t of ['', 'NA', 'N/A', 'null', 'NULL', 'None', '#N/A', '<NA>']) assert.equal(classify(t).kind, K_MISSING, t);
    assert.equal(classify('none').kind, K_STRING, 'a lower-case word stays a category');
  });

  it('reads booleans and leaves look-alikes as strings', () => {
    assert.deepEqual([classify('true').kind, classify('True').num, classify('FALSE').num], [K_BOOL, 1, 0]);
    for (const t of ['tru', 'yes', 'T', 'France', 'Italy', 'Null Island', '1_000', '0x1F', '-', '1e', '1.2.3', '--1']) assert.equal(classify(t).kind, K_STRING, t);
  });

  it('recognises dates and datetimes and names their format', () => {
    const cases: [string, number, string][] = [
      ['2024-02-29', K_DATE, '%Y-%m-%d'],
      ['2024/12/01', K_DATE, '%Y/%m/%d'],
      ['31/12/2023', K_DATE, '%d/%m/%Y'],
      ['12/31/2023', K_DATE, '%m/%d/%Y'],
      ['01/02/2023', K_DATE, AMBIGUOUS_DAY_MONTH],
      ['31.12.2023', K_DATE, '%d.%m.%Y'],
      ['05-Mar-2021', K_DATE, '%d-%b-%Y'],
      ['2024-01-15T08:30:00', K_DATETIME, '%Y-%m-%dT%H:%M:%S'],
      ['2024-01-15 08:30:00', K_DATETIME, '%Y-%m-%d %H:%M:%S'],
      ['2024-01-15T08:30', K_DATETIME, '%Y-%m-%dT%H:%M'],
      ['2024-01-15T08:30:00.123Z', K_DATETIME, '%Y-%m-%dT%H:%M:%S.%fZ'],
      ['2024-01-15 08:30:00,123', K_DATETIME, '%Y-%m-%d %H:%M:%S,%f'],
      ['2024-01-15T08:30:00+02:00', K_DATETIME, '%Y-%m-%dT%H:%M:%S%z'],
      ['1/15/2024 8:30 PM', K_DATETIME, '%m/%d/%Y %I:%M %p'],
    ];
    for (const [text, kind, format] of cases) {
      const s = classify(text);
      assert.equal(s.kind, kind, text);
      assert.equal(s.dateFormat, format, text);
    }
    assert.equal(classify('2023-02-29').kind, K_STRING, 'not a leap year');
    assert.equal(classify('2024-13-01').kind, K_STRING);
    assert.equal(classify('20240115').kind, K_INT, 'digits only stay a number');
  });

  it('computes dates as UTC epoch milliseconds, offsets applied', () => {
    assert.equal(classify('2024-01-15').num, Date.UTC(2024, 0, 15));
    assert.equal(classify('2024-01-15T08:30:05').num, Date.UTC(2024, 0, 15, 8, 30, 5));
    assert.equal(matchDateTime('2024-01-15T08:30:00+02:00')!.epochMs, Date.UTC(2024, 0, 15, 6, 30));
    assert.equal(matchDateTime('1/15/2024 12:05 AM')!.epochMs, Date.UTC(2024, 0, 15, 0, 5));
    assert.equal(matchDateTime('1969-07-20')!.epochMs, Date.UTC(1969, 6, 20));
  });

  it('resolves day/month ambiguity per column', () => {
    assert.deepEqual(resolveDateFormats(new Map([[AMBIGUOUS_DAY_MONTH, 5], ['%d/%m/%Y', 2]])), [{ format: '%d/%m/%Y', count: 7 }]);
    assert.deepEqual(resolveDateFormats(new Map([[AMBIGUOUS_DAY_MONTH, 5]])), [{ format: '%m/%d/%Y', count: 5 }]);
  });

  it('classifies JS values from JSON and Parquet by their own types', () => {
    const s = new FieldScratch();
    const kindOf = (v: unknown, hint?: 'float') => (classifyValue(v, s, hint), s.kind);
    assert.equal(kindOf(3), K_INT);
    assert.equal(kindOf(3, 'float'), K_FLOAT);
    assert.equal(kindOf(2.5), K_FLOAT);
    assert.equal(kindOf(9007199254740993n), K_INT);
    assert.equal(s.getText(), '9007199254740993');
    assert.equal(kindOf('123'), K_STRING, 'a JSON string stays a string');
    assert.equal(kindOf('2024-01-15'), K_DATE);
    assert.equal(kindOf(new Date(0)), K_DATETIME);
    assert.equal(kindOf([1, 2]), K_NESTED);
    assert.equal(s.getText(), '[1,2]');
    assert.equal(kindOf(null), K_MISSING);
    assert.equal(kindOf(undefined), K_MISSING);
    assert.equal(kindOf(''), K_MISSING);
  });

  it('derives the column type from the kinds seen', () => {
    assert.equal(decideColumnType(counts({})), 'empty');
    assert.equal(decideColumnType(counts({ [K_INT]: 5 })), 'int');
    assert.equal(decideColumnType(counts({ [K_INT]: 5, [K_FLOAT]: 1 })), 'float');
    assert.equal(decideColumnType(counts({ [K_DATE]: 5, [K_DATETIME]: 1 })), 'datetime');
    assert.equal(decideColumnType(counts({ [K_INT]: 5, [K_STRING]: 1 })), 'mixed');
    assert.equal(decideColumnType(counts({ [K_BOOL]: 2, [K_INT]: 1 })), 'mixed');
  });

  it('keys ASCII bytes and the same string alike, and tells different values apart', () => {
    const a = { hashHi: 0, hashLo: 0 };
    const b = { hashHi: 0, hashLo: 0 };
    hashBytesInto(Buffer.from('Credit Card'), 0, 11, a);
    hashStringInto('Credit Card', b);
    assert.deepEqual(a, b);
    hashStringInto('Credit Card ', b);
    assert.notDeepEqual(a, b);
  });

  it('validates UTF-8 like the platform does', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 12 }), (bytes) => {
        assert.equal(isValidUtf8(bytes, 0, bytes.length), require('node:buffer').isUtf8(bytes));
      }),
      { numRuns: 20_000 },
    );
    assert.equal(isValidUtf8(Buffer.from('Müller, Jörg 😀'), 0, Buffer.byteLength('Müller, Jörg 😀')), true);
  });

  describe('properties (fast-check)', () => {
    it('parses every JS number printed by JS, exactly', () => {
      fc.assert(
        fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
          const s = classify(String(x));
          assert.ok(s.kind === K_INT || s.kind === K_FLOAT);
          assert.ok(Object.is(s.num, x) || (x === 0 && s.num === 0), `${x} read as ${s.num}`);
        }),
        { numRuns: 10_000 },
      );
    });

    it('agrees with Number() on decimal text, fixed-point and exponent forms', () => {
      const decimal = fc.tuple(
        fc.constantFrom('', '-', '+'),
        fc.stringMatching(/^[0-9]{0,18}$/),
        fc.option(fc.stringMatching(/^[0-9]{0,18}$/)),
        fc.option(fc.tuple(fc.constantFrom('e', 'E'), fc.constantFrom('', '-', '+'), fc.stringMatching(/^[0-9]{1,3}$/))),
      ).map(([sign, int, frac, exp]) => `${sign}${int}${frac !== null ? `.${frac}` : ''}${exp ? exp.join('') : ''}`)
        .filter((t) => /[0-9]/.test(t.split(/[eE]/)[0]));
      fc.assert(
        fc.property(decimal, (text) => {
          const s = classify(text);
          assert.ok(s.kind === K_INT || s.kind === K_FLOAT, text);
          assert.equal(s.num, Number(text), text);
          assert.equal(s.kind, /[.eE]/.test(text) ? K_FLOAT : K_INT, text);
        }),
        { numRuns: 10_000 },
      );
    });
  });
});
