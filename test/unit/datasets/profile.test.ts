import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import type { ColumnProfile, DatasetProfile } from '../../../src/shared/schemaDiff';
import { DiagnosticCollector } from '../../../src/core/datasets/diagnostics';
import { profileFile } from '../../../src/core/datasets/profileFile';
import { readParquet } from '../../../src/core/datasets/readers/parquetReader';
import { describeWithFixtures, FIXTURES, itWithFixtures } from '../../support/fixtures';

const TFX = path.join(FIXTURES, 'tfx/tfx');
const PARQUET = path.join(FIXTURES, 'parquet/hyparquet-testfiles');

function col(p: DatasetProfile, name: string): ColumnProfile {
  const c = p.columns.find((x) => x.name === name);
  assert.ok(c, `no column ${name} in ${p.columns.map((x) => x.name).join(', ')}`);
  return c;
}

/** JSON-comparable rows: BigInt as Number (as JSON.parse reads big integers), NaN and undefined as null. */
function jsonShape(v: unknown): unknown {
  return JSON.parse(JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? Number(x) : x)));
}

describe('profiling data files', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exptrack-profile-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, content: string | Buffer) => {
    const p = path.join(dir, name);
    fs.writeFileSync(p, content);
    return p;
  };

  describe('TFX CSV fixtures', () => {
    itWithFixtures('csv_empty: an all-empty column has no type and is 100 % missing', async () => {
      const p = await profileFile(path.join(TFX, 'components/testdata/external/csv_empty/data.csv'));
      assert.equal(p.rowCount, 3);
      assert.deepEqual(p.columns.map((c) => [c.name, c.type]), [['A', 'int'], ['B', 'empty'], ['C', 'string'], ['D', 'float']]);
      assert.deepEqual([col(p, 'B').missing, col(p, 'B').missingFraction], [3, 1]);
      assert.deepEqual([col(p, 'C').missing, col(p, 'C').distinct.count], [1, 2]);
      assert.deepEqual(p.diagnostics, []);
    });

    itWithFixtures('csv_multi_line_string: a quoted field with line breaks and "" escapes is one value', async () => {
      const p = await profileFile(path.join(TFX, 'components/testdata/external/csv_multi_line_string/data.csv'));
      assert.equal(p.rowCount, 3);
      const b = col(p, 'B');
      assert.equal(b.type, 'mixed');
      assert.deepEqual(b.kinds, { int: 2, string: 1 });
      assert.deepEqual(b.valueCounts, [{ value: '2', count: 2 }, { value: '"2,\n"3",\n4\n5"', count: 1 }]);
      assert.deepEqual(col(p, 'D').valueCounts, [{ value: '4', count: 2 }, { value: '7', count: 1 }]);
    });

    itWithFixtures('penguins: five numeric columns, 334 rows, exact statistics', async () => {
      const p = await profileFile(path.join(TFX, 'examples/penguin/data/labelled/penguins_processed.csv'));
      assert.equal(p.rowCount, 334);
      assert.deepEqual(p.columns.map((c) => `${c.name}:${c.type}`), ['species:int', 'culmen_length_mm:float', 'culmen_depth_mm:float', 'flipper_length_mm:float', 'body_mass_g:float']);
      const species = col(p, 'species');
      assert.deepEqual(species.valueCounts, [{ value: '0', count: 146 }, { value: '2', count: 120 }, { value: '1', count: 68 }]);
      assert.deepEqual([species.numeric!.min, species.numeric!.max, species.numeric!.exact], [0, 2, true]);
      const length = col(p, 'culmen_length_mm').numeric!;
      assert.deepEqual([length.min, length.max, length.count], [0, 1, 334]);
      assert.equal(length.histogram.buckets.length, 10);
      assert.equal(length.histogram.buckets.reduce((s, b) => s + b.count, 0), 334);
    });

    itWithFixtures('Chicago taxi: counts, an all-empty column and categorical strings', async () => {
      const p = await profileFile(path.join(TFX, 'examples/chicago_taxi_pipeline/data/big_tipper_label/data.head1000.csv'));
      assert.equal(p.rowCount, 1000);
      assert.equal(p.columns.length, 19);
      assert.equal(col(p, 'pickup_census_tract').type, 'empty');
      const payment = col(p, 'payment_type');
      assert.equal(payment.type, 'string');
      assert.equal(payment.categorical!.topValues[0].value, 'Cash');
      assert.equal(col(p, 'company').missing, 336);
      assert.deepEqual(col(p, 'big_tipper').valueCounts.map((v) => v.value).sort(), ['0', '1']);
      assert.equal(col(p, 'dropoff_census_tract').type, 'int');
    });

    it('reads TSV, a BOM, CRLF, and dates with their format', async () => {
      const p = await profileFile(write('d.tsv', '\uFEFFday\twhen\tok\r\n2024-01-02\t01/02/2024 10:00\ttrue\r\n2024-03-04\t03/04/2024 11:30\tfalse\r\n'));
      assert.equal(p.source.format, 'tsv');
      assert.equal(p.source.delimiter, '\t');
      assert.deepEqual(p.columns.map((c) => `${c.name}:${c.type}:${c.dateFormat ?? ''}`), ['day:date:%Y-%m-%d', 'when:datetime:%m/%d/%Y %H:%M', 'ok:bool:']);
      assert.deepEqual(col(p, 'day').dates, { min: '2024-01-02', max: '2024-03-04', formats: [{ format: '%Y-%m-%d', count: 2 }] });
    });
  });

  describe('JSON', () => {
    it('reads an array of records streaming, with nested values and columns appearing late', async () => {
      const p = await profileFile(write('r.json', '[{"a": 1, "b": "x"},\n {"a": 2.5, "c": [1, 2]},\n {"a": null, "b": "y", "c": {"k": 1}}]'), { chunkBytes: 7 });
      assert.equal(p.source.format, 'json');
      assert.equal(p.rowCount, 3);
      assert.deepEqual(p.columns.map((c) => `${c.name}:${c.type}:${c.missing}`), ['a:float:1', 'b:string:1', 'c:nested:1']);
      assert.deepEqual(col(p, 'c').valueCounts.map((v) => v.value).sort(), ['[1,2]', '{"k":1}']);
      assert.equal(p.complete, true);
    });

    it('reads JSON Lines and reports a bad line with its number, keeping the others', async () => {
      const p = await profileFile(write('r.jsonl', '{"a": 1}\n{"a": 2,}\n\n{"a": 3}\n[1]\n'));
      assert.equal(p.source.format, 'jsonl');
      assert.equal(p.rowCount, 2);
      assert.deepEqual(p.diagnostics.map((d) => [d.code, d.line]), [['JSON_SYNTAX', 2], ['NOT_A_RECORD', 5]]);
    });

    it('finds the same records however the file is split into chunks', async () => {
      const record = fc.dictionary(fc.stringMatching(/^[a-c]$/), fc.oneof(fc.integer(), fc.string({ maxLength: 6 }), fc.constant(null), fc.array(fc.integer(), { maxLength: 2 })));
      await fc.assert(
        fc.asyncProperty(fc.array(record, { maxLength: 8 }), fc.integer({ min: 1, max: 40 }), fc.boolean(), async (records, chunkBytes, pretty) => {
          const file = write('p.json', JSON.stringify(records, null, pretty ? 2 : undefined));
          const p = await profileFile(file, { chunkBytes });
          assert.equal(p.rowCount, records.length);
          assert.deepEqual(p.diagnostics, []);
          const keys = [...new Set(records.flatMap((r) => Object.keys(r)))];
          assert.deepEqual(p.columns.map((c) => c.name), keys);
        }),
        { numRuns: 300 },
      );
    });

    it('treats a .json file of one object per line as JSON Lines', async () => {
      const p = await profileFile(write('lines.json', '{"a": 1}\n{"a": 2}\n'));
      assert.equal(p.source.format, 'jsonl');
      assert.equal(p.rowCount, 2);
    });
  });

  describeWithFixtures('Parquet fixtures', () => {
    const files = fs.existsSync(PARQUET) ? fs.readdirSync(PARQUET).filter((f) => f.endsWith('.parquet')) : [];

    it('has the fixtures', () => assert.ok(files.length >= 7));

    for (const file of files) {
      itWithFixtures(`reads ${file} into exactly the rows of ${file.replace('.parquet', '.json')}`, async () => {
        const expected = JSON.parse(fs.readFileSync(path.join(PARQUET, file.replace('.parquet', '.json')), 'utf8'));
        const rows: unknown[][] = [];
        const diagnostics = new DiagnosticCollector(file);
        const { complete } = await readParquet(path.join(PARQUET, file), diagnostics, { columns: () => undefined, rows: (r) => rows.push(...r) });
        assert.equal(complete, true);
        assert.deepEqual(diagnostics.toArray(), []);
        assert.deepEqual(jsonShape(rows), expected);
      });
    }

    itWithFixtures('profiles Parquet columns with the types the file declares', async () => {
      const v2 = await profileFile(path.join(PARQUET, 'datapage_v2.snappy.parquet'));
      assert.deepEqual(v2.columns.map((c) => `${c.name}:${c.type}:${c.declaredType}`), [
        'a:string:BYTE_ARRAY (UTF8)', 'b:int:INT32', 'c:float:DOUBLE', 'd:bool:BOOLEAN', 'e:nested:LIST',
      ]);
      assert.deepEqual([col(v2, 'a').missing, col(v2, 'e').missing], [1, 2]);
      assert.equal(col(v2, 'c').kinds.float, 5, 'whole numbers in a DOUBLE column are floats');

      const groups = await profileFile(path.join(PARQUET, 'rowgroups.parquet'));
      assert.equal(groups.rowCount, 15, 'both row groups');
      assert.deepEqual([col(groups, 'numbers').numeric!.min, col(groups, 'numbers').numeric!.max], [1, 15]);

      const f16 = await profileFile(path.join(PARQUET, 'float16_nonzeros_and_nans.parquet'));
      assert.equal(col(f16, 'x').numeric!.nan, 1);
      assert.equal(col(f16, 'x').missing, 1);

      const signs = await profileFile(path.join(PARQUET, 'signs.parquet'));
      assert.equal(col(signs, 'signed_int64').numeric!.min, -9223372036854775808);
      assert.equal(col(signs, 'unsigned_int64').valueCounts.some((v) => v.value === '18446744073709551615'), true, 'BigInt values keep their digits as text');
    });
  });
});
