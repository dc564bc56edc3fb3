// Runs of several workspace folders named by folder and uid (src/core/folders): keys, the folder
// holding a path, and the comparison of runs of two folders merged as if one store had them all.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { mergeSnapshots, rekeySeries } from '../../../src/core/compare/mergeSnapshots';
import { paramRows } from '../../../src/core/compare/paramDiff';
import { rootHolding } from '../../../src/core/folders/folderOfPath';
import { RunKeys, uniqueFolderId } from '../../../src/core/folders/runKeys';
import type { CompareSnapshot, MetricColumn } from '../../../src/shared/compare/compareTypes';

describe('folders/runKeys', () => {
  it('names runs by their uid alone while one folder is open', () => {
    const keys = new RunKeys(['ws']);
    assert.equal(keys.multi, false);
    assert.equal(keys.key('ws', 'keras:logs/a.csv'), 'keras:logs/a.csv');
    assert.deepEqual(keys.parse('keras:logs/a.csv'), { folderId: 'ws', uid: 'keras:logs/a.csv' });
    assert.equal(new RunKeys([]).parse('x'), undefined);
  });

  it('names runs by folder and uid with several folders; a bare uid names a run of the first folder', () => {
    const keys = new RunKeys(['alpha', 'beta']);
    assert.equal(keys.key('beta', 'r1'), 'beta/r1');
    assert.deepEqual(keys.parse('beta/r1'), { folderId: 'beta', uid: 'r1' });
    // A uid with slashes of its own: only the first separator counts, and only before a folder id.
    assert.deepEqual(keys.parse('beta/keras:logs/a.csv'), { folderId: 'beta', uid: 'keras:logs/a.csv' });
    assert.deepEqual(keys.parse('keras:logs/a.csv'), { folderId: 'alpha', uid: 'keras:logs/a.csv' });
    assert.deepEqual(keys.parse('r1'), { folderId: 'alpha', uid: 'r1' });
  });

  it('groups keys by folder, in workspace order, each folder keeping the order given', () => {
    const keys = new RunKeys(['alpha', 'beta', 'gamma']);
    assert.deepEqual([...keys.group(['beta/b2', 'alpha/a1', 'beta/b1', 'a0'])], [['alpha', ['a1', 'a0']], ['beta', ['b2', 'b1']]]);
  });

  it('gives each folder an id no other folder has, and never a separator', () => {
    assert.equal(uniqueFolderId('ml', new Set()), 'ml');
    assert.equal(uniqueFolderId('ml', new Set(['ml'])), 'ml (2)');
    assert.equal(uniqueFolderId('ml', new Set(['ml', 'ml (2)'])), 'ml (3)');
    assert.equal(uniqueFolderId('a/b', new Set()), 'a\u2215b');
    assert.equal(uniqueFolderId('  ', new Set()), 'folder');
  });

  it('finds the folder holding a path, the deepest when folders nest', () => {
    const roots = [path.resolve('/w/app'), path.resolve('/w/app/models'), path.resolve('/w/data')];
    assert.equal(rootHolding(roots, '/w/app/train.py'), path.resolve('/w/app'));
    assert.equal(rootHolding(roots, '/w/app/models/m/train.py'), path.resolve('/w/app/models'));
    assert.equal(rootHolding(roots, '/w/data'), path.resolve('/w/data'));
    assert.equal(rootHolding(roots, '/w/application/x.py'), undefined, 'a sibling whose name starts the same is not inside');
    assert.equal(rootHolding(roots, '/elsewhere/x.py'), undefined);
  });
});

const f = (...v: number[]) => Float64Array.from(v);

function snapshot(runs: string[], params: Record<string, unknown>[], metrics: MetricColumn[], missing: string[] = []): CompareSnapshot {
  return {
    runs: runs.map((uid) => ({ uid, name: uid, experiment: 'e', status: 'finished', sourceKind: null, sourcePath: null, started: 0, ended: 1, gitCommit: null, gitDirty: null })),
    params: paramRows(params),
    metrics,
    atStep: null,
    missing,
  };
}

function column(key: string, last: number[]): MetricColumn {
  return { key, count: f(...last.map(() => 3)), last: f(...last), lastStep: f(...last.map(() => 2)), min: f(...last), max: f(...last), atStep: f(...last.map(() => NaN)), atStepStep: f(...last.map(() => NaN)) };
}

describe('compare/mergeSnapshots', () => {
  const alpha = (uid: string) => `alpha/${uid}`;
  const beta = (uid: string) => `beta/${uid}`;

  it('lists the runs of two folders in the order asked for, named by their keys, each name with its folder', () => {
    const merged = mergeSnapshots([
      { snapshot: snapshot(['r1', 'r2'], [{}, {}], [], ['gone']), key: alpha, label: 'alpha' },
      { snapshot: snapshot(['r1'], [{}], []), key: beta, label: 'beta' },
    ], ['alpha/r2', 'beta/r1', 'alpha/r1'], null);
    assert.deepEqual(merged.runs.map((r) => r.uid), ['alpha/r2', 'beta/r1', 'alpha/r1']);
    assert.deepEqual(merged.runs.map((r) => r.name), ['r2 (alpha)', 'r1 (beta)', 'r1 (alpha)']);
    assert.deepEqual(merged.missing, ['alpha/gone']);
  });

  it('compares parameters across folders: a value one folder lacks, or another value, differs', () => {
    const merged = mergeSnapshots([
      { snapshot: snapshot(['r1', 'r2'], [{ lr: 0.1, opt: 'adam', cfg: { a: 1, b: 2 }, n: 1 }, { lr: 0.1, opt: 'adam', cfg: { a: 1, b: 2 }, n: 1 }], []), key: alpha },
      { snapshot: snapshot(['r1'], [{ lr: 0.1, opt: 'sgd', cfg: { b: 2, a: 1 }, n: '1', seed: 7 }], []), key: beta },
    ], ['alpha/r1', 'alpha/r2', 'beta/r1'], null);
    const row = (key: string) => merged.params.find((r) => r.key === key)!;
    assert.deepEqual(merged.params.map((r) => r.key), ['cfg', 'lr', 'n', 'opt', 'seed']);
    assert.equal(row('lr').differs, false, 'the same value in both folders');
    assert.equal(row('cfg').differs, false, 'objects with their keys in another order are the same value');
    assert.equal(row('opt').differs, true);
    assert.equal(row('n').differs, true, '1 and "1" differ');
    assert.deepEqual(row('seed').values, [null, null, '7']);
    assert.deepEqual(row('seed').numbers, [null, null, 7]);
    assert.equal(row('seed').differs, true);
  });

  it('keeps a part\'s own verdict that values differ', () => {
    const merged = mergeSnapshots([
      { snapshot: snapshot(['r1', 'r2'], [{ lr: 0.1 }, { lr: 0.2 }], []), key: alpha },
      { snapshot: snapshot(['r1'], [{ lr: 0.1 }], []), key: beta },
    ], ['alpha/r1', 'alpha/r2', 'beta/r1'], null);
    assert.equal(merged.params[0]!.differs, true);
  });

  it('lines up every metric across the runs, a run without it having no points', () => {
    const merged = mergeSnapshots([
      { snapshot: snapshot(['r1'], [{}], [column('loss', [0.5])]), key: alpha },
      { snapshot: snapshot(['r1', 'r2'], [{}, {}], [column('acc', [0.8, 0.9]), column('loss', [0.4, 0.3])]), key: beta },
    ], ['beta/r2', 'alpha/r1', 'beta/r1'], null);
    const [acc, loss] = merged.metrics;
    assert.deepEqual(merged.metrics.map((c) => c.key), ['acc', 'loss']);
    assert.deepEqual([...acc!.last], [0.9, NaN, 0.8]);
    assert.deepEqual([...acc!.count], [3, 0, 3]);
    assert.deepEqual([...loss!.last], [0.3, 0.5, 0.4]);
    assert.deepEqual([...loss!.lastStep], [2, 2, 2]);
  });

  it('gives one folder\'s snapshot back as it is, only its keys renamed (no folder after the names)', () => {
    const one = snapshot(['r1', 'r2'], [{ cfg: { a: 1 } }, { cfg: { a: 1 } }], [column('loss', [1, 2])]);
    const merged = mergeSnapshots([{ snapshot: one, key: (u) => u, label: 'alpha' }], ['r1', 'r2'], null);
    assert.deepEqual(merged, one);
    assert.deepEqual(rekeySeries([{ uid: 'r1', key: 'loss', steps: f(0), times: f(0), values: f(1), smoothed: null, bucketStarts: new Uint32Array([0, 1]), total: 1, nonFinite: 0 }], beta).map((s) => s.uid), ['beta/r1']);
  });
});
