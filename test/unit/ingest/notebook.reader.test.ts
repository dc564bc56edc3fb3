/** The `.ipynb` importer on small notebooks written the ways Jupyter, Colab and VS Code write them. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ipynbReader } from '../../../src/core/ingest/readers/notebook/ipynbReader';
import { updateNotebookRuns } from '../../../src/core/notebooks/notebookRunsMap';
import { Store } from '../../../src/core/store/store';
import { eventsOf, readWhole, seriesOf, tempDir } from './importSupport';

type Cell = Record<string, unknown>;

function code(count: number | null, printed: string | string[], opts: { id?: string; asString?: boolean } = {}): Cell {
  const text = Array.isArray(printed) ? printed : [printed];
  return {
    cell_type: 'code', execution_count: count, metadata: {}, ...(opts.id ? { id: opts.id } : {}),
    source: opts.asString ? 'print(x)\nx' : ['print(x)\n', 'x'],
    outputs: printed === '' ? [] : [{ output_type: 'stream', name: 'stdout', text: opts.asString ? text.join('') : text }],
  };
}

function notebook(minor: number, cells: Cell[]): string {
  return JSON.stringify({ nbformat: 4, nbformat_minor: minor, metadata: { kernelspec: { name: 'python3', language: 'python' } }, cells }, null, 1);
}

describe('Notebook (.ipynb) reader', () => {
  let root: string;
  beforeEach(() => (root = tempDir('exptrack-ipynb-')));
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  function write(rel: string, text: string): string {
    const abs = path.join(root, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, text);
    return abs;
  }

  it('reads metrics in execution-count order; cells never run are left out (4.0, arrays of lines)', () => {
    const abs = write('nb/train.ipynb', notebook(0, [
      code(3, ['loss: 0.3\n']),
      { cell_type: 'markdown', metadata: {}, source: ['# loss: 5'] },
      code(1, ['loss: 0.1\n', 'acc=0.5\n']),
      code(null, ['loss: 9\n']),
      code(2, ['loss: 0.', '2\n']),
    ]));
    const out = readWhole(ipynbReader, abs, 'nb/train.ipynb');
    assert.deepEqual(out.problems, []);
    assert.deepEqual(seriesOf(out, 'loss').map(([s, v]) => [s, v]), [[0, 0.1], [1, 0.2], [2, 0.3]]);
    assert.deepEqual(seriesOf(out, 'acc').map(([s, v]) => [s, v]), [[0, 0.5]]);
    const events = eventsOf(out);
    assert.deepEqual(events[0], {
      t: 'run', v: 1, id: 'nb:nb/train.ipynb', name: 'train.ipynb', experiment: 'nb', started: events[0]!.t === 'run' ? events[0]!.started : 0,
      source: { kind: 'notebook', path: 'nb/train.ipynb' }, runUid: 'nb:nb/train.ipynb',
    });
    assert.deepEqual(events.slice(-2).map((e) => e.t === 'end' ? [e.t, e.status, e.ended] : [e.t, e.t === 'tag' ? e.value : '']), [
      ['tag', '3'], ['end', 'finished', fs.statSync(abs).mtimeMs / 1000],
    ]);
  });

  it('reads 4.2 (text as one string) and 4.5 (cell ids) alike, results and displays included', () => {
    const cells = [
      code(1, 'Epoch 1/2\n5/5 - loss: 0.5 - val_loss: nan\nEpoch 2/2\n5/5 - loss: 0.25 - val_loss: inf\n', { asString: true, id: 'c1' }),
      { cell_type: 'code', id: 'c2', execution_count: 2, metadata: {}, source: 'h', outputs: [
        { output_type: 'execute_result', execution_count: 2, metadata: {}, data: { 'text/plain': "{'val_acc': 0.75}", 'text/html': '<p>val_acc: 9</p>' } },
        { output_type: 'display_data', metadata: {}, data: { 'image/png': 'iVBORw0KGgo=', 'text/plain': ['<Figure size 640x480 with 1 Axes>'] } },
        { output_type: 'error', ename: 'ValueError', evalue: 'loss: 7', traceback: ['loss: 8'] },
      ] },
    ];
    for (const minor of [2, 5]) {
      const abs = write(`v${minor}.ipynb`, notebook(minor, cells));
      const out = readWhole(ipynbReader, abs, `v${minor}.ipynb`);
      assert.deepEqual(out.problems, []);
      assert.deepEqual(seriesOf(out, 'loss').map(([s, v]) => [s, v]), [[1, 0.5], [2, 0.25]]);
      assert.deepEqual(seriesOf(out, 'val_loss').map(([s, v]) => [s, v]), [[1, NaN], [2, Infinity]]);
      assert.deepEqual(seriesOf(out, 'val_acc').map(([s, v]) => [s, v]), [[2, 0.75]]);
      const start = eventsOf(out)[0]!;
      assert.ok(start.t === 'run' && start.experiment === undefined, 'a notebook at the root has no experiment folder');
    }
  });

  it('passes over notebooks without outputs of executed cells, silently', () => {
    for (const [name, cells] of [['empty.ipynb', []], ['unrun.ipynb', [code(null, 'loss: 1\n')]], ['quiet.ipynb', [code(1, '')]]] as const) {
      const out = readWhole(ipynbReader, write(name, notebook(4, [...cells])), name);
      assert.deepEqual([out.batches, out.problems], [[], []], name);
    }
    const created = readWhole(ipynbReader, write('new.ipynb', ''), 'new.ipynb');
    assert.deepEqual([created.batches, created.problems], [[], []], 'a file an editor just created');
  });

  it('reports a damaged notebook with its line, and old or odd formats, without throwing', () => {
    const broken = readWhole(ipynbReader, write('broken.ipynb', '{\n "cells": [\n  {"cell_type": "code",,}\n ]\n}'), 'broken.ipynb');
    assert.equal(broken.batches.length, 0);
    assert.equal(broken.problems.length, 1);
    assert.equal(broken.problems[0]!.line, 3);
    assert.match(broken.problems[0]!.message, /^not a notebook: /);
    const v3 = readWhole(ipynbReader, write('v3.ipynb', JSON.stringify({ nbformat: 3, worksheets: [] })), 'v3.ipynb');
    assert.match(v3.problems[0]!.message, /nbformat 3 notebooks are not read/);
    const odd = readWhole(ipynbReader, write('odd.ipynb', notebook(4, [
      { cell_type: 'code', execution_count: '1', outputs: [] }, 'x' as unknown as Cell, { ...code(2, 'loss: 1\n'), outputs: [...(code(2, 'loss: 1\n').outputs as unknown[]), { output_type: 'weird' }] },
    ])), 'odd.ipynb');
    assert.deepEqual(odd.problems.map((p) => [p.severity, p.message]), [
      ['warning', 'cell 1: execution_count "1" is not a number: taken as not run'],
      ['warning', 'cell 2 is not an object: skipped'],
      ['info', 'cell 3: unknown output type "weird": skipped'],
    ]);
    assert.deepEqual(seriesOf(odd, 'loss').map(([s, v]) => [s, v]), [[0, 1]]);
  });

  it('claims .ipynb files, never Jupyter checkpoints or files in .exptrack', () => {
    assert.equal(ipynbReader.matches('a/b/Train Ü.ipynb'), true);
    assert.equal(ipynbReader.matches('a/.ipynb_checkpoints/train-checkpoint.ipynb'), false);
    assert.equal(ipynbReader.matches('.exptrack/runs/x/cells/1.json'), false);
    assert.equal(ipynbReader.matches('a/train.ipynb.bak'), false);
  });

  it('skips a notebook recorded live (listed in notebook-runs.json); the index drops its import when it is saved again', async () => {
    const abs = write('nb/live.ipynb', notebook(5, [code(1, 'loss: 0.5\n')]));
    const { store } = await Store.open({ workspaceRoot: root, dbPath: null });
    try {
      store.ingest();
      assert.deepEqual(store.listRuns().map((r) => [r.uid, r.status]), [['nb:nb/live.ipynb', 'finished']]);
      updateNotebookRuns(path.join(root, '.exptrack'), { [abs]: '20260101-000000-abcdef01' });
      assert.equal(readWhole(ipynbReader, abs, 'nb/live.ipynb').batches.length, 0);
      // VS Code saves the notebook with the outputs of the live run: the old import goes away.
      fs.writeFileSync(abs, notebook(5, [code(1, 'loss: 0.25\n')]));
      fs.utimesSync(abs, new Date(), new Date(Date.now() + 5000));
      const report = store.ingest([abs]);
      assert.equal(report.sourcesRead, 1);
      assert.deepEqual(store.listRuns(), []);
    } finally {
      store.close();
    }
  });
});
