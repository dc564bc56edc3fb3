import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { parsePbtxt, type PbMessage } from '../../../src/core/datasets/pbtxt/pbtxtParser';
import { parseTfdvSchema } from '../../../src/core/datasets/tfdvSchema';
import { FIXTURES as ALL_FIXTURES, itWithFixtures } from '../../support/fixtures';

const FIXTURES = path.join(ALL_FIXTURES, 'tfx');

/** Names and values only, with list syntax already expanded into repeated fields. */
type Plain = [string, string | number | { id: string } | Plain[]];

function plain(msg: PbMessage): Plain[] {
  return msg.fields.map((f) => {
    const v = f.value;
    if (v.kind === 'message') return [f.name, plain(v)];
    if (v.kind === 'identifier') return [f.name, { id: String(v.value) }];
    return [f.name, v.value];
  });
}

function allPbtxtFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...allPbtxtFiles(p));
    else if (e.name.endsWith('.pbtxt')) out.push(p);
  }
  return out;
}

// ---- a random text-format writer, for round trips ------------------------------------------

type GenValue = { kind: 'string'; value: string } | { kind: 'number'; value: number } | { kind: 'id'; value: string } | { kind: 'msg'; fields: GenField[] };
type GenField = { name: string; value: GenValue };

interface Style {
  indent: boolean;
  colonBeforeBrace: boolean;
  angle: boolean;
  separator: '' | ',' | ';';
  comments: boolean;
  singleQuotes: boolean;
  escapeAll: boolean;
  lists: boolean;
}

function escapeBytes(bytes: Buffer, quote: string, escapeAll: boolean): string {
  let out = '';
  for (const b of bytes) {
    const c = String.fromCharCode(b);
    if (c === quote || c === '\\') out += `\\${c}`;
    else if (b === 10) out += '\\n';
    else if (b === 13) out += '\\r';
    else if (b === 9) out += '\\t';
    else if (b < 0x20 || b === 0x7f || (escapeAll && b >= 0x80)) out += `\\${b.toString(8).padStart(3, '0')}`;
    else out += c;
  }
  // Bytes not escaped are written back as the characters they encode.
  return escapeAll ? out : Buffer.from(out, 'latin1').toString('utf8');
}

function writeValue(v: GenValue, style: Style, depth: number): string {
  switch (v.kind) {
    case 'string': {
      const q = style.singleQuotes ? "'" : '"';
      const bytes = Buffer.from(v.value, 'utf8');
      // With every non-ASCII byte escaped, split into two adjacent strings (even inside a
      // character) to exercise byte-wise concatenation.
      const mid = Math.floor(bytes.length / 2);
      const parts = style.escapeAll && bytes.length > 1 ? [bytes.subarray(0, mid), bytes.subarray(mid)] : [bytes];
      return parts.map((p) => `${q}${escapeBytes(p, q, style.escapeAll)}${q}`).join(' ');
    }
    case 'number':
      return String(v.value);
    case 'id':
      return v.value;
    case 'msg': {
      const [open, close] = style.angle ? ['<', '>'] : ['{', '}'];
      return `${open}${style.indent ? '\n' : ' '}${writeFields(v.fields, style, depth + 1)}${style.indent ? '  '.repeat(depth) : ' '}${close}`;
    }
  }
}

function writeFields(fields: GenField[], style: Style, depth: number): string {
  let out = '';
  const pad = style.indent ? '  '.repeat(depth) : '';
  const end = `${style.separator}${style.comments && style.indent ? ' # note' : ''}${style.indent ? '\n' : ' '}`;
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i];
    if (f.value.kind === 'msg') {
      out += `${pad}${f.name}${style.colonBeforeBrace ? ':' : ''} ${writeValue(f.value, style, depth)}${end}`;
      continue;
    }
    // Consecutive scalars of one name may be written as a list.
    let j = i;
    while (style.lists && j + 1 < fields.length && fields[j + 1].name === f.name && fields[j + 1].value.kind !== 'msg') j++;
    if (j > i) {
      out += `${pad}${f.name}: [${fields.slice(i, j + 1).map((x) => writeValue(x.value, style, depth)).join(', ')}]${end}`;
      i = j;
    } else {
      out += `${pad}${f.name}: ${writeValue(f.value, style, depth)}${end}`;
    }
  }
  return out;
}

function expectedPlain(fields: GenField[]): Plain[] {
  return fields.map((f) => {
    const v = f.value;
    if (v.kind === 'msg') return [f.name, expectedPlain(v.fields)];
    if (v.kind === 'id') return [f.name, { id: v.value }];
    return [f.name, v.value];
  });
}

const fieldName = fc.stringMatching(/^[a-z_][a-z0-9_]{0,6}$/);
const identifier = fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,6}$/);
const number = fc.oneof(fc.integer({ min: -1e9, max: 1e9 }), fc.double({ noNaN: true, noDefaultInfinity: true })).map((x) => (Object.is(x, -0) ? 0 : x));
const { msg: genMessage } = fc.letrec<{ msg: GenField[]; field: GenField; value: GenValue }>((tie) => ({
  msg: fc.array(tie('field'), { maxLength: 5 }),
  field: fc.record({ name: fc.oneof(fieldName, fc.constantFrom('feature', 'name', 'value')), value: tie('value') }),
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ kind: fc.constant('string' as const), value: fc.string({ unit: 'grapheme', maxLength: 10 }) }),
    fc.record({ kind: fc.constant('number' as const), value: number }),
    fc.record({ kind: fc.constant('id' as const), value: identifier }),
    fc.record({ kind: fc.constant('msg' as const), fields: tie('msg') }),
  ),
}));
const style: fc.Arbitrary<Style> = fc.record({
  indent: fc.boolean(),
  colonBeforeBrace: fc.boolean(),
  angle: fc.boolean(),
  separator: fc.constantFrom('' as const, ',' as const, ';' as const),
  comments: fc.boolean(),
  singleQuotes: fc.boolean(),
  escapeAll: fc.boolean(),
  lists: fc.boolean(),
});

describe('pbtxt parser', () => {
  it('reads fields, nested messages, lists, strings with escapes, numbers and enums', () => {
    const { message, errors } = parsePbtxt(`# proto-message: Schema
feature {
  name: "a\\"b\\303\\251"   # octal escapes are UTF-8 bytes
  type: INT
  value_count: { min: 1 max: -2 }
  shape < dim { size: 0x10 } >
  tags: ["x", 'y']
  f: -inf
  g: 1.5e3f
  h: "con" "cat"
}
[ext.pkg.field]: 1
`);
    assert.deepEqual(errors, []);
    assert.deepEqual(plain(message), [
      ['feature', [
        ['name', 'a"bé'],
        ['type', { id: 'INT' }],
        ['value_count', [['min', 1], ['max', -2]]],
        ['shape', [['dim', [['size', 16]]]]],
        ['tags', 'x'],
        ['tags', 'y'],
        ['f', -Infinity],
        ['g', 1500],
        ['h', 'concat'],
      ]],
      ['[ext.pkg.field]', 1],
    ]);
    assert.equal(message.fields[0].line, 2);
  });

  it('reports a syntax error with line and column and keeps the other top-level fields', () => {
    const text = ['feature {', '  name: "a"', '}', 'feature {', '  name: "b"', '  type INT', '}', 'feature {', '  name: "c"', '}'].join('\n');
    const { message, errors } = parsePbtxt(text);
    assert.equal(errors.length, 1);
    assert.deepEqual({ line: errors[0].line, column: errors[0].column }, { line: 6, column: 8 });
    assert.match(errors[0].message, /expected ':' or '\{' after the field name 'type'/);
    assert.deepEqual(plain(message), [['feature', [['name', 'a']]], ['feature', [['name', 'c']]]]);
  });

  it('says where a message that never closes was opened', () => {
    const { message, errors } = parsePbtxt('feature {\n  name: "a"\n}\nfeature {\n  name: "b"\n');
    assert.equal(message.fields.length, 1);
    assert.equal(errors.length, 1);
    assert.match(errors[0].message, /ends inside 'feature \{' opened at line 4/);
  });

  it('rejects unterminated strings, bad escapes, stray braces and very deep nesting without throwing', () => {
    for (const [text, pattern] of [
      ['name: "abc\n', /not closed on its line/],
      ['name: "a\\q"', /unknown escape/],
      ['}\nname: 1', /unexpected '\}'/],
      ['a ' + '{ b '.repeat(150) + '}'.repeat(150), /nested more than 100 deep/],
      ['name: @', /unexpected character '@'/],
    ] as const) {
      const r = parsePbtxt(text);
      assert.ok(r.errors.length >= 1, text);
      assert.match(r.errors[0].message, pattern);
    }
  });

  itWithFixtures('parses every schema.pbtxt and anomalies.pbtxt in the TFX fixtures without errors', () => {
    const files = allPbtxtFiles(FIXTURES);
    assert.ok(files.length >= 15);
    for (const f of files) {
      const text = fs.readFileSync(f, 'utf8');
      assert.deepEqual(parsePbtxt(text).errors, [], f);
      const schema = parseTfdvSchema(text, f);
      assert.ok(schema.features.length > 0, f);
    }
  });

  itWithFixtures('reads the TFDV schema fixtures into features with types, domains and presence', () => {
    const raw = parseTfdvSchema(fs.readFileSync(path.join(FIXTURES, 'tfx/examples/penguin/schema/raw/schema.pbtxt'), 'utf8'), 'raw');
    assert.deepEqual(raw.features.map((f) => `${f.name}:${f.tfdvType}`), [
      'body_mass_g:INT', 'culmen_depth_mm:FLOAT', 'culmen_length_mm:FLOAT', 'flipper_length_mm:INT', 'island:BYTES', 'sex:BYTES', 'species:BYTES',
    ]);
    assert.deepEqual(raw.features[6].domain, { kind: 'string', name: 'species', values: ['Adelie', 'Chinstrap', 'Gentoo'] });
    assert.deepEqual(raw.features[5].domain, { kind: 'string', name: 'sex', values: ['FEMALE', 'MALE', '.'] });
    assert.deepEqual(raw.features[0].presence, { minFraction: 1, minCount: 1 });
    assert.deepEqual(raw.features[0].shape, [1]);

    const churn = parseTfdvSchema(fs.readFileSync(path.join(FIXTURES, 'churn_pipeline/schema/schema.pbtxt'), 'utf8'), 'churn');
    assert.deepEqual(churn.features.find((f) => f.name === 'churn')?.domain, { kind: 'int', min: 0, max: 1, isCategorical: true });
    assert.deepEqual(churn.features.find((f) => f.name === 'credit_card')?.domain, { kind: 'bool' });

    const seq = parseTfdvSchema(fs.readFileSync(path.join(FIXTURES, 'tfx/components/testdata/schema_gen_sequence/schema.pbtxt'), 'utf8'), 'seq');
    assert.deepEqual(seq.features.map((f) => f.name), ['f', 'i', '##SEQUENCE##', '##SEQUENCE##.s']);
    assert.deepEqual(seq.features[3].valueCount, { min: 0, max: 2 });

    const anomalies = parseTfdvSchema(
      fs.readFileSync(path.join(FIXTURES, 'tfx/recorded/chicago_taxi_beam/ExampleValidator/anomalies/anomalies.pbtxt'), 'utf8'),
      'anomalies',
    );
    assert.equal(anomalies.features.length, 18, 'the baseline schema of an anomalies file');
    assert.ok(anomalies.diagnostics.some((d) => d.code === 'ANOMALIES_BASELINE'));
  });

  describe('properties (fast-check)', () => {
    it('reads back any message written in any of the text format styles', () => {
      fc.assert(
        fc.property(genMessage, style, (fields, st) => {
          const text = writeFields(fields, st, 0);
          const { message, errors } = parsePbtxt(text);
          assert.deepEqual(errors, [], text);
          assert.deepEqual(plain(message), expectedPlain(fields));
        }),
        { numRuns: 10_000 },
      );
    });

    it('never throws on damaged input, and places every error inside the text', () => {
      fc.assert(
        fc.property(
          genMessage,
          style,
          fc.array(fc.tuple(fc.nat(), fc.nat({ max: 6 }), fc.stringMatching(/^[{}<>:;,"'\\#\n a-z0-9\[\]-]{0,3}$/)), { minLength: 1, maxLength: 4 }),
          (fields, st, edits) => {
            let text = writeFields(fields, st, 0);
            for (const [at, del, insert] of edits) {
              const pos = text.length === 0 ? 0 : at % (text.length + 1);
              text = text.slice(0, pos) + insert + text.slice(pos + del);
            }
            const { errors } = parsePbtxt(text);
            const lines = text.split('\n').length;
            for (const e of errors) {
              assert.ok(e.line >= 1 && e.line <= lines + 1, `line ${e.line} of ${lines}`);
              assert.ok(e.column >= 1);
              assert.ok(e.message.length > 0);
            }
          },
        ),
        { numRuns: 10_000 },
      );
    });
  });
});
