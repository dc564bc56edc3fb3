import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Finding, SchemaDiff } from '../../../src/shared/schemaDiff';
import { schemaDiffFiles } from '../../../src/core/datasets/schemaDiffFiles';
import { FIXTURES, itWithFixtures } from '../../support/fixtures';

const TFX = path.join(FIXTURES, 'tfx');
const PENGUIN = path.join(TFX, 'tfx/examples/penguin');
const TAXI = path.join(TFX, 'tfx/examples/chicago_taxi_pipeline');
const CHURN = path.join(TFX, 'churn_pipeline');

/** "severity KIND column" per finding, in the diff's order. */
function summary(findings: Finding[]): string[] {
  return findings.map((f) => `${f.severity} ${f.kind} ${f.column ?? '(dataset)'}`);
}

function column(d: SchemaDiff, name: string) {
  const c = d.columns.find((x) => x.name === name);
  assert.ok(c, `no column ${name}`);
  return c;
}

describe('schema diff', () => {
  describe('TFX fixture pairs', () => {
    itWithFixtures('penguin schema raw vs user_provided: BYTES→INT, INT→FLOAT, island and sex dropped', async () => {
      const d = await schemaDiffFiles(path.join(PENGUIN, 'schema/raw/schema.pbtxt'), path.join(PENGUIN, 'schema/user_provided/schema.pbtxt'));
      assert.equal(d.mode, 'schema-schema');
      assert.deepEqual(summary(d.findings), [
        'error UNEXPECTED_DATA_TYPE body_mass_g',
        'error UNEXPECTED_DATA_TYPE flipper_length_mm',
        'error SCHEMA_MISSING_COLUMN island',
        'error SCHEMA_MISSING_COLUMN sex',
        'error UNEXPECTED_DATA_TYPE species',
        'warning DOMAIN_KIND_CHANGED species',
      ]);
      const species = d.findings.find((f) => f.column === 'species' && f.kind === 'UNEXPECTED_DATA_TYPE')!;
      assert.deepEqual([species.from, species.to], ['BYTES', 'INT']);
      const mass = d.findings.find((f) => f.column === 'body_mass_g')!;
      assert.deepEqual([mass.from, mass.to], ['INT', 'FLOAT']);
      assert.deepEqual(d.columns.map((c) => `${c.name}:${c.status}`), [
        'body_mass_g:changed', 'culmen_depth_mm:unchanged', 'culmen_length_mm:unchanged', 'flipper_length_mm:changed', 'island:removed', 'sex:removed', 'species:changed',
      ]);
      assert.deepEqual(d.counts, { error: 5, warning: 1, info: 0 });
    });

    itWithFixtures('churn curated vs inferred schema: int_domain became bool_domain, nothing else', async () => {
      const inferred = path.join(CHURN, 'tfx_churn_pipeline/c4524764-165e-431d-9e1f-a716fb13625c/SchemaGen/schema/30/schema.pbtxt');
      const d = await schemaDiffFiles(path.join(CHURN, 'schema/schema.pbtxt'), inferred);
      assert.deepEqual(summary(d.findings), ['warning DOMAIN_KIND_CHANGED churn']);
      assert.deepEqual([d.findings[0].from, d.findings[0].to], ['int_domain', 'bool_domain']);
      assert.equal(d.columns.length, 12);
    });

    itWithFixtures('Chicago taxi simple vs big_tipper_label: one column added, the rest identical', async () => {
      const d = await schemaDiffFiles(path.join(TAXI, 'data/simple/data.head1000.csv'), path.join(TAXI, 'data/big_tipper_label/data.head1000.csv'));
      assert.equal(d.mode, 'data-data');
      assert.deepEqual(summary(d.findings), ['warning SCHEMA_NEW_COLUMN big_tipper']);
      assert.equal(column(d, 'big_tipper').status, 'added');
      assert.equal(column(d, 'big_tipper').b?.type, 'int');
      const fare = column(d, 'fare');
      assert.equal(fare.status, 'unchanged');
      assert.equal(fare.drift?.jensenShannon?.value, 0);
      assert.equal(fare.drift?.psi?.value, 0);
      assert.equal(column(d, 'payment_type').drift?.lInfinity?.value, 0);
      assert.deepEqual([d.a.rowCount, d.b.rowCount], [1000, 1000]);
    });

    itWithFixtures('penguin labelled vs unlabelled: the label column dropped', async () => {
      const d = await schemaDiffFiles(path.join(PENGUIN, 'data/labelled/penguins_processed.csv'), path.join(PENGUIN, 'data/unlabelled/penguins_unlabelled.csv'));
      const errors = d.findings.filter((f) => f.severity === 'error');
      assert.deepEqual(summary(errors), ['error SCHEMA_MISSING_COLUMN species']);
      assert.equal(column(d, 'species').status, 'removed');
      assert.ok(d.findings.some((f) => f.kind === 'COMPARATOR_LOW_NUM_EXAMPLES' && f.measured === 10 / 334));
    });

    itWithFixtures('penguin labelled vs skewed: one value pushed below the range', async () => {
      const d = await schemaDiffFiles(path.join(PENGUIN, 'data/labelled/penguins_processed.csv'), path.join(PENGUIN, 'data/skewed/penguins_processed.csv'));
      assert.deepEqual(summary(d.findings), ['warning FLOAT_TYPE_SMALL_FLOAT culmen_length_mm']);
      assert.deepEqual([d.findings[0].from, d.findings[0].to], ['0', '-1']);
      const js = column(d, 'culmen_length_mm').drift!.jensenShannon!;
      assert.ok(js.value > 0 && js.value < js.threshold, `small drift: ${js.value}`);
      assert.equal(column(d, 'body_mass_g').drift?.jensenShannon?.value, 0);
    });

    itWithFixtures('penguin processed data against its raw schema: types, a missing feature, values outside the domain', async () => {
      const d = await schemaDiffFiles(path.join(PENGUIN, 'data/labelled/penguins_processed.csv'), path.join(PENGUIN, 'schema/raw/schema.pbtxt'));
      assert.equal(d.mode, 'data-schema');
      assert.equal(d.a.kind, 'schema', 'the schema is side A whatever the order given');
      assert.deepEqual(summary(d.findings), [
        'error UNEXPECTED_DATA_TYPE body_mass_g',
        'error UNEXPECTED_DATA_TYPE flipper_length_mm',
        'error SCHEMA_MISSING_COLUMN island',
        'error SCHEMA_MISSING_COLUMN sex',
        'error ENUM_TYPE_UNEXPECTED_STRING_VALUES species',
        'error UNEXPECTED_DATA_TYPE species',
      ]);
      const enumFinding = d.findings.find((f) => f.kind === 'ENUM_TYPE_UNEXPECTED_STRING_VALUES')!;
      assert.deepEqual(enumFinding.values, ['0', '1', '2']);
    });

    itWithFixtures('penguin processed data against the user-provided schema: valid', async () => {
      const d = await schemaDiffFiles(path.join(PENGUIN, 'schema/user_provided/schema.pbtxt'), path.join(PENGUIN, 'data/labelled/penguins_processed.csv'));
      assert.deepEqual(d.findings, []);
      assert.ok(d.columns.every((c) => c.status === 'unchanged'));
    });

    itWithFixtures("Chicago taxi data against TFX's recorded schema finds what TFDV's ExampleValidator found", async () => {
      const recorded = path.join(TFX, 'tfx/recorded/chicago_taxi_beam');
      const d = await schemaDiffFiles(path.join(recorded, 'SchemaGen/schema/schema.pbtxt'), path.join(TAXI, 'data/simple/data.head1000.csv'));
      // TFDV's anomalies.pbtxt for this pipeline lists company, payment_type and pickup_census_tract;
      // in these first 1000 rows, payment_type holds no "Prcard".
      const anomalies = fs.readFileSync(path.join(recorded, 'ExampleValidator/anomalies/anomalies.pbtxt'), 'utf8');
      assert.match(anomalies, /key: "company"[\s\S]*ENUM_TYPE_UNEXPECTED_STRING_VALUES/);
      assert.match(anomalies, /key: "pickup_census_tract"[\s\S]*FEATURE_TYPE_NOT_PRESENT/);
      assert.deepEqual(summary(d.findings), ['error ENUM_TYPE_UNEXPECTED_STRING_VALUES company', 'error FEATURE_TYPE_NOT_PRESENT pickup_census_tract']);
      assert.deepEqual(d.findings[0].values, ['3094 - 24059 G.L.B. Cab Co']);
      assert.match(anomalies, /3094 - 24059 G\.L\.B\. Cab Co/);
    });
  });

  describe('changes on synthetic data', () => {
    let dir: string;
    beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exptrack-diff-'))));
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
    const write = (name: string, lines: string[]) => {
      const p = path.join(dir, name);
      fs.writeFileSync(p, `${lines.join('\n')}\n`);
      return p;
    };
    const rows = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i));

    it('claims a rename when names match once normalised, and shows the evidence', async () => {
      const a = write('a.csv', ['id,Body Mass (g)', ...rows(50, (i) => `${i},${3000 + i * 10}`)]);
      const b = write('b.csv', ['id,body_mass_g', ...rows(50, (i) => `${i},${3000 + i * 10}`)]);
      const d = await schemaDiffFiles(a, b);
      assert.deepEqual(summary(d.findings), ['warning COLUMN_RENAMED body_mass_g']);
      const c = column(d, 'body_mass_g');
      assert.equal(c.status, 'renamed');
      assert.equal(c.a?.name, 'Body Mass (g)');
      assert.equal(c.rename?.normalisedNameMatch, true);
      assert.ok(c.rename!.score >= 0.95);
      assert.ok(c.rename!.reasons.includes('identical values'));
    });

    it('claims a rename from similar names and identical values, but not between unrelated columns', async () => {
      const a = write('a.csv', ['culmen_length_mm,x', ...rows(60, (i) => `${(i * 0.37) % 7},${i % 3}`)]);
      const b = write('b.csv', ['bill_length_mm,weight', ...rows(60, (i) => `${(i * 0.37) % 7},${1000 + i * 13}`)]);
      const d = await schemaDiffFiles(a, b);
      assert.equal(column(d, 'bill_length_mm').status, 'renamed');
      assert.equal(column(d, 'x').status, 'removed');
      assert.equal(column(d, 'weight').status, 'added');
    });

    it('does not pair unrelated columns or features that merely look alike', async () => {
      const a = write('a.csv', ['id,is_member', ...rows(200, (i) => `${i},${i % 3 === 0 ? 1 : 0}`)]);
      const b = write('b.csv', ['id,has_card', ...rows(200, (i) => `${i},${i % 3 === 1 ? 1 : 0}`)]);
      const data = await schemaDiffFiles(a, b);
      assert.deepEqual(data.columns.map((c) => `${c.name}:${c.status}`), ['has_card:added', 'id:unchanged', 'is_member:removed']);

      const schemaA = path.join(dir, 'a.pbtxt');
      const schemaB = path.join(dir, 'b.pbtxt');
      fs.writeFileSync(schemaA, 'feature { name: "island" type: BYTES presence { min_fraction: 1 } }\nfeature { name: "Body_Mass" type: FLOAT }\n');
      fs.writeFileSync(schemaB, 'feature { name: "age" type: BYTES presence { min_fraction: 1 } }\nfeature { name: "body mass" type: FLOAT }\n');
      const schemas = await schemaDiffFiles(schemaA, schemaB);
      assert.deepEqual(schemas.columns.map((c) => `${c.name}:${c.status}`), ['age:added', 'body mass:renamed', 'island:removed']);

      const against = await schemaDiffFiles(schemaA, write('d.csv', ['age,body_mass', '3,2.5']));
      assert.deepEqual(against.columns.map((c) => `${c.name}:${c.status}`), ['age:added', 'body_mass:renamed', 'island:removed']);
    });

    it('reports type, nullability, category, range and date-format changes with their severities', async () => {
      const a = write('a.csv', ['n,code,color,when,score', ...rows(40, (i) => `${i},${i},${['red', 'green', 'blue'][i % 3]},2024-01-${String((i % 28) + 1).padStart(2, '0')},${i / 40}`)]);
      const b = write('b.csv', ['n,code,color,when,score', ...rows(40, (i) => `${i % 5 === 0 ? '' : i},C${i},${['red', 'green', 'purple'][i % 3]},${String((i % 28) + 1).padStart(2, '0')}/01/2024,${i / 40 + (i === 0 ? 5 : 0)}`)]);
      const d = await schemaDiffFiles(a, b);
      const got = summary(d.findings);
      for (const expected of [
        'error UNEXPECTED_DATA_TYPE code',
        'warning FEATURE_TYPE_LOW_FRACTION_PRESENT n',
        'warning ENUM_TYPE_UNEXPECTED_STRING_VALUES color',
        'info DOMAIN_VALUES_VANISHED color',
        'warning DATE_FORMAT_CHANGED when',
        'warning FLOAT_TYPE_BIG_FLOAT score',
      ]) {
        assert.ok(got.includes(expected), `${expected} not in\n${got.join('\n')}`);
      }
      const nullable = d.findings.find((f) => f.kind === 'FEATURE_TYPE_LOW_FRACTION_PRESENT')!;
      assert.deepEqual([nullable.from, nullable.to], ['0%', '20%']);
      assert.deepEqual(d.findings.find((f) => f.kind === 'ENUM_TYPE_UNEXPECTED_STRING_VALUES')!.values, ['purple']);
      assert.deepEqual(d.findings.find((f) => f.kind === 'DATE_FORMAT_CHANGED')!.to, '%d/%m/%Y');
      // Errors first, then warnings, then info; columns by name.
      const order = d.findings.map((f) => ['error', 'warning', 'info'].indexOf(f.severity));
      assert.deepEqual(order, [...order].sort((x, y) => x - y));
      assert.deepEqual(d.columns.map((c) => c.name), ['code', 'color', 'n', 'score', 'when']);
    });

    it('gives byte-identical output for the same inputs', async () => {
      const a = write('a.csv', ['k,v', ...rows(300, (i) => `k${i % 17},${Math.sin(i)}`)]);
      const b = write('b.csv', ['k,v,w', ...rows(250, (i) => `k${i % 19},${Math.cos(i)},${i}`)]);
      const first = JSON.stringify(await schemaDiffFiles(a, b));
      const second = JSON.stringify(await schemaDiffFiles(a, b));
      assert.equal(first, second);
    });

    it('takes thresholds from the caller', async () => {
      const a = write('a.csv', ['c', ...rows(100, (i) => (i < 50 ? 'x' : 'y'))]);
      const b = write('b.csv', ['c', ...rows(100, (i) => (i < 60 ? 'x' : 'y'))]);
      const loose = await schemaDiffFiles(a, b);
      assert.equal(loose.findings.length, 0, 'L∞ 0.1 is not above the default 0.1');
      const strict = await schemaDiffFiles(a, b, { thresholds: { lInfinity: 0.05 } });
      assert.deepEqual(summary(strict.findings), ['warning COMPARATOR_L_INFTY_HIGH c']);
      assert.equal(strict.thresholds.lInfinity, 0.05);
    });
  });
});
