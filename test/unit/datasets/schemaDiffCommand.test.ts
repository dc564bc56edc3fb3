import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { SchemaDiff } from '../../../src/shared/schemaDiff';
import { schemaDiffCommand } from '../../../src/cli/commands/schemaDiff';
import { describeWithFixtures, FIXTURES } from '../../support/fixtures';

const EXAMPLES = path.join(FIXTURES, 'tfx/tfx/examples');

async function run(args: string[], cwd = EXAMPLES): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await schemaDiffCommand(args, { stdout: (s) => (out += s), stderr: (s) => (err += s), cwd });
  return { code, out, err };
}

const TAXI_A = 'chicago_taxi_pipeline/data/simple/data.head1000.csv';
const TAXI_B = 'chicago_taxi_pipeline/data/big_tipper_label/data.head1000.csv';
const LABELLED = 'penguin/data/labelled/penguins_processed.csv';
const UNLABELLED = 'penguin/data/unlabelled/penguins_unlabelled.csv';

describeWithFixtures('exptrack schema-diff', () => {
  it('prints a readable report and exits 0 without --fail-on', async () => {
    const r = await run([TAXI_A, TAXI_B]);
    assert.equal(r.code, 0);
    assert.equal(r.err, '');
    assert.match(r.out, /^Schema diff\n {2}A: chicago_taxi_pipeline\/data\/simple\/data\.head1000\.csv \(csv, 1000 rows, 18 columns\)\n/);
    assert.match(r.out, /Findings: 0 errors, 1 warning, 0 info\n {2}warning {2}big_tipper {2}SCHEMA_NEW_COLUMN {2}new column \(int\) not in A/);
    assert.match(r.out, /Columns \(19\): 18 unchanged, 1 added/);
    assert.match(r.out, /\n {2}added +big_tipper +— → int +— → 0% +— → 2\n/);
    assert.match(r.out, /\n {2}unchanged +payment_type +string +0% +5 +L∞ 0 · JS 0 · PSI 0\n/);
  });

  it('exits 1 when a finding is at least as severe as --fail-on', async () => {
    assert.equal((await run([TAXI_A, TAXI_B, '--fail-on', 'warning'])).code, 1);
    assert.equal((await run([TAXI_A, TAXI_B, '--fail-on=error'])).code, 0);
    assert.equal((await run([LABELLED, UNLABELLED, '--fail-on', 'error'])).code, 1);
  });

  it('prints the SchemaDiff as JSON with --json, paths as given', async () => {
    const r = await run(['--json', LABELLED, UNLABELLED]);
    assert.equal(r.code, 0);
    const diff = JSON.parse(r.out) as SchemaDiff;
    assert.equal(diff.version, 1);
    assert.equal(diff.mode, 'data-data');
    assert.equal(diff.a.path, LABELLED);
    assert.equal(diff.findings[0].kind, 'SCHEMA_MISSING_COLUMN');
    assert.equal(diff.thresholds.psi, 0.2);
  });

  it('validates data against a schema, and compares two schemas', async () => {
    const v = await run([LABELLED, 'penguin/schema/raw/schema.pbtxt', '--fail-on', 'error']);
    assert.equal(v.code, 1);
    assert.match(v.out, /Validating the data \(B\) against the TFDV schema \(A\)\./);
    assert.match(v.out, /A: penguin\/schema\/raw\/schema\.pbtxt \(tfdv-schema, 7 features\)\n {2}B: penguin\/data\/labelled\/penguins_processed\.csv \(csv, 334 rows, 5 columns\)/);
    assert.match(v.out, /error +species +ENUM_TYPE_UNEXPECTED_STRING_VALUES +values outside the schema's domain "species": "0" \(44%\), "1" \(20%\), "2" \(36%\)/);
    const s = await run(['penguin/schema/raw/schema.pbtxt', 'penguin/schema/user_provided/schema.pbtxt']);
    assert.match(s.out, /Comparing two TFDV schemas\./);
    assert.match(s.out, /error +species +UNEXPECTED_DATA_TYPE +type changed: BYTES → INT/);
  });

  it('applies threshold options', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exptrack-cli-'));
    try {
      fs.writeFileSync(path.join(dir, 'a.csv'), `c\n${'x\n'.repeat(50)}${'y\n'.repeat(50)}`);
      fs.writeFileSync(path.join(dir, 'b.csv'), `c\n${'x\n'.repeat(60)}${'y\n'.repeat(40)}`);
      assert.equal((await run(['a.csv', 'b.csv', '--fail-on', 'warning'], dir)).code, 0);
      const strict = await run(['a.csv', 'b.csv', '--fail-on', 'warning', '--linf', '0.05'], dir);
      assert.equal(strict.code, 1);
      assert.match(strict.out, /COMPARATOR_L_INFTY_HIGH {2}L-infinity distance 0\.1 above 0\.05; the value that moved most is "x"/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('lists input problems with file:line', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exptrack-cli-'));
    try {
      fs.writeFileSync(path.join(dir, 'a.csv'), 'a,b\n1,2\n3,4\n');
      fs.writeFileSync(path.join(dir, 'b.csv'), 'a,b\n1,2\n3\n5,6\n');
      const r = await run(['a.csv', 'b.csv'], dir);
      assert.equal(r.code, 0);
      assert.match(r.out, /Input problems \(1\):\n {2}b\.csv:3: warning RAGGED_ROW: line 3 \(row 2\): 1 field, but the header has 2; row skipped/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('exits 2 on bad arguments and on inputs that cannot be read at all', async () => {
    for (const args of [[], [TAXI_A], [TAXI_A, TAXI_B, 'third'], [TAXI_A, TAXI_B, '--fail-on', 'info'], [TAXI_A, TAXI_B, '--psi', 'x'], [TAXI_A, TAXI_B, '--bogus']]) {
      const r = await run(args);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.err, /^exptrack schema-diff: .+\nusage: exptrack schema-diff A B/);
    }
    const missing = await run([TAXI_A, 'no/such.csv']);
    assert.equal(missing.code, 2);
    assert.match(missing.err, /exptrack schema-diff: no\/such\.csv: no such file/);
    assert.match(missing.out, /B: no\/such\.csv \(csv, 0 rows, 0 columns, UNREADABLE\)/);
  });

  it('prints usage with --help', async () => {
    const r = await run(['--help']);
    assert.equal(r.code, 0);
    assert.match(r.out, /--fail-on SEVERITY/);
  });
});
