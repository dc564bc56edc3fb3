import * as assert from 'node:assert/strict';
import { escapeMarkdown, tableToCsv, tableToMarkdown } from '../../../src/core/compare/tableExport';
import { buildCompareTable } from '../../../src/shared/compare/compareTable';
import type { CompareSnapshot } from '../../../src/shared/compare/compareTypes';

const f = (...v: number[]) => Float64Array.from(v);

function snapshot(): CompareSnapshot {
  const run = (uid: string, name: string) => ({
    uid, name, experiment: 'e', status: 'finished' as const, sourceKind: 'script' as const, sourcePath: 'train.py',
    started: 1, ended: 2, gitCommit: null, gitDirty: null,
  });
  return {
    runs: [run('a', 'baseline, "v1"'), run('b', '=HYPERLINK("x")')],
    params: [
      { key: 'lr', values: ['0.01', '0.001'], numbers: [0.01, 0.001], differs: true },
      { key: 'batch', values: ['32', '32'], numbers: [32, 32], differs: false },
      { key: 'note', values: ['line1\nline2', null], numbers: [null, null], differs: true },
    ],
    metrics: [{
      key: 'loss', count: f(3, 0), last: f(0.123456789, NaN), lastStep: f(2, NaN), min: f(NaN, NaN), max: f(Infinity, NaN),
      atStep: f(NaN, NaN), atStepStep: f(NaN, NaN),
    }],
    atStep: null,
    missing: [],
  };
}

describe('comparison table export', () => {
  it('builds a row per run with the differing params (or all) and metric summaries', () => {
    const t = buildCompareTable(snapshot(), { allParams: false });
    assert.deepEqual(t.header, ['run', 'status', 'lr', 'note', 'loss (last)', 'loss (min)', 'loss (max)']);
    assert.deepEqual(t.rows[1], ['=HYPERLINK("x")', 'finished', '0.001', null, null, null, null]);
    assert.ok(buildCompareTable(snapshot(), { allParams: true }).header.includes('batch'));
    assert.deepEqual(buildCompareTable(snapshot(), { allParams: false, metricKeys: [] }).header.length, 4);
  });

  it('writes RFC 4180 CSV with full precision, non-finite numbers spelt out, and formulas defused', () => {
    const csv = tableToCsv(buildCompareTable(snapshot(), { allParams: false }));
    const lines = csv.split('\r\n');
    assert.equal(lines[0], 'run,status,lr,note,loss (last),loss (min),loss (max)');
    assert.equal(lines[1], '"baseline, ""v1""",finished,0.01,"line1\nline2",0.123456789,NaN,Infinity');
    assert.equal(lines[2]!.split(',')[0], `"'=HYPERLINK(""x"")"`);
    assert.ok(csv.endsWith('\r\n'));
  });

  it('writes a Markdown table whose text cannot turn into HTML or break the table', () => {
    const md = tableToMarkdown(buildCompareTable(snapshot(), { allParams: false }));
    const lines = md.trim().split('\n');
    assert.equal(lines.length, 4);
    assert.equal(lines[1], '| --- | --- | --- | --- | --- | --- | --- |');
    assert.match(lines[2]!, /^\| baseline, "v1" \| finished \| 0\.01 \| line1 line2 \| 0\.1235 \| NaN \| inf \|$/);
    assert.equal(escapeMarkdown('<img src=x onerror=alert(1)> | a'), '\\<img src=x onerror=alert\\(1\\)\\> \\| a');
  });
});
