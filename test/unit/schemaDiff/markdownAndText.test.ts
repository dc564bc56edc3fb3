import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { formatSchemaDiffMarkdown } from '../../../src/core/datasets/markdownReport';
import { runSchemaDiffJob } from '../../../src/core/datasets/schemaDiffJob';
import { splitHeader } from '../../../src/extension/schemaDiff/headerFields';
import { figure, pair, percent, sideMissing, summaryLine } from '../../../src/shared/schemaDiffText';
import { FIXTURES, itWithFixtures } from '../../support/fixtures';

const PENGUIN = path.join(FIXTURES, 'tfx/tfx/examples/penguin');
const LABELLED = path.join(PENGUIN, 'data/labelled/penguins_processed.csv');
const UNLABELLED = path.join(PENGUIN, 'data/unlabelled/penguins_unlabelled.csv');

describe('schema diff text', () => {
  it('formats figures, shares and pairs', () => {
    assert.equal(figure(0.341222), '0.341');
    assert.equal(figure(334), '334');
    assert.equal(figure(null), '—');
    assert.equal(figure(NaN), '—');
    assert.equal(figure(-Infinity), '-∞');
    assert.equal(percent(0), '0%');
    assert.equal(percent(0.0004), '<0.1%');
    assert.equal(percent(0.045), '4.5%');
    assert.equal(percent(0.37), '37%');
    assert.equal(pair('int', 'int'), 'int');
    assert.equal(pair('int', 'float'), 'int → float');
    assert.equal(sideMissing({ name: 'x', type: 'int', schema: { tfdvType: 'INT', presence: { minFraction: 1 } } }), 'required');
    assert.equal(sideMissing(undefined), '—');
  });

  itWithFixtures('sums a diff up in one line', async () => {
    const diff = await runSchemaDiffJob({ a: { path: LABELLED, displayName: 'a' }, b: { path: UNLABELLED, displayName: 'b' }, thresholds: {} });
    assert.equal(summaryLine(diff), '1 error, 9 warnings, 4 info — 5 columns: 4 changed, 1 removed — rows 334 → 10');
  });
});

describe('schema diff as Markdown', () => {
  itWithFixtures('lists the sides, the findings and the columns of the penguin diff', async () => {
    const diff = await runSchemaDiffJob({ a: { path: LABELLED, displayName: 'labelled.csv' }, b: { path: UNLABELLED, displayName: 'unlabelled.csv' }, thresholds: {} });
    const md = formatSchemaDiffMarkdown(diff, { a: { title: 'data/labelled.csv', detail: 'file' }, b: { title: 'data/unlabelled.csv', detail: 'working copy' } });
    const lines = md.split('\n');
    assert.equal(lines[0], '# Schema diff');
    assert.ok(lines.includes('- **A**: `data/labelled.csv (file)` — csv, 334 rows, 5 columns'), md);
    assert.ok(lines.includes('- **B**: `data/unlabelled.csv (working copy)` — csv, 10 rows, 4 columns'), md);
    assert.ok(lines.includes('| error | species | Column missing \\(SCHEMA\\_MISSING\\_COLUMN\\) | column missing from B \\(was int in A\\) |'), md);
    assert.ok(lines.includes('| removed | species | int → — | 0% → — | 3 → — |   |'), md);
    assert.equal(lines.filter((l) => l.startsWith('| warning |')).length, 9);
    assert.ok(lines.includes('Thresholds: L∞ 0.1, Jensen–Shannon 0.1, PSI 0.2.'));
  });

  it('escapes column names so they cannot break the table or become HTML', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exptrack-md-'));
    try {
      fs.writeFileSync(path.join(dir, 'a.csv'), 'id,"a|b"\n1,2\n');
      fs.writeFileSync(path.join(dir, 'b.csv'), 'id,<img src=x onerror=alert(1)>\n1,2\n');
      const diff = await runSchemaDiffJob({ a: { path: path.join(dir, 'a.csv'), displayName: 'a`.csv' }, b: { path: path.join(dir, 'b.csv'), displayName: 'b.csv' }, thresholds: {} });
      const md = formatSchemaDiffMarkdown(diff);
      assert.ok(!/(?<!\\)<img/.test(md), md);
      assert.ok(md.includes('\\<img src=x onerror=alert\\(1\\)\\>'), md);
      assert.ok(md.includes('a\\|b'), md);
      assert.ok(md.includes('- **A**: ``a`.csv`` — csv'), md);
      for (const line of md.split('\n').filter((l) => l.startsWith('| '))) {
        const cells = line.split(/(?<!\\)\|/).length - 2;
        assert.ok(cells === 4 || cells === 6, `a table row keeps its cells: ${line}`);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('header fields (where Problems point at a column)', () => {
  it('finds each field with its range, quoted or not, with the delimiter guessed', () => {
    assert.deepEqual(splitHeader('a,b,c'), [{ name: 'a', start: 0, end: 1 }, { name: 'b', start: 2, end: 3 }, { name: 'c', start: 4, end: 5 }]);
    assert.deepEqual(splitHeader('"x, y";z').map((f) => f.name), ['x, y;z']);
    assert.deepEqual(splitHeader('"x, y",z'), [{ name: 'x, y', start: 0, end: 6 }, { name: 'z', start: 7, end: 8 }]);
    assert.deepEqual(splitHeader('one\ttwo\tthree').map((f) => f.name), ['one', 'two', 'three']);
    assert.deepEqual(splitHeader('"say ""hi""",b').map((f) => f.name), ['say "hi"', 'b']);
    assert.deepEqual(splitHeader('a,,c').map((f) => f.name), ['a', 'column_2', 'c']);
  });
});
