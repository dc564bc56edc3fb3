import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Store } from '../../../src/core/store/store';

function writeRun(root: string, id: string, lines: object[]): void {
  const dir = path.join(root, '.exptrack', 'runs', id);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'events.jsonl'), lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
}

describe('compare queries of the store', () => {
  let root: string;
  let store: Store;

  before(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'exptrack-compare-'));
    const metrics = (n: number, f: (s: number) => Record<string, unknown>) =>
      Array.from({ length: n }, (_, s) => ({ t: 'metrics', step: s, time: 1000 + s, values: f(s) }));
    writeRun(root, 'r1', [
      { t: 'run', v: 1, id: 'r1', name: 'first', experiment: 'e', started: 1000, git: { commit: 'abc', dirty: false } },
      { t: 'params', values: { lr: 0.1, batch: 32 } },
      ...metrics(10_000, (s) => ({ loss: s === 6000 ? 99 : 1 / (s + 1), acc: s === 3 ? 'NaN' : s / 10_000 })),
      { t: 'end', status: 'finished', exit: 0, ended: 2000 },
    ]);
    // Steps logged out of order, and one point without a step.
    writeRun(root, 'r2', [
      { t: 'run', v: 1, id: 'r2', name: 'second', experiment: 'e', started: 1500 },
      { t: 'params', values: { lr: 0.01, batch: 32 } },
      { t: 'metrics', step: 5, time: 1505, values: { loss: 0.5 } },
      { t: 'metrics', step: 1, time: 1501, values: { loss: 0.9 } },
      { t: 'metrics', step: 3, time: 1503, values: { loss: 0.7 } },
      { t: 'metrics', time: 1509, values: { loss: 0.1 } },
    ]);
    store = (await Store.open({ workspaceRoot: root, dbPath: null })).store;
    store.ingest();
  });
  after(() => {
    store.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('compares runs: params with what differs, metric summaries, missing runs', () => {
    const s = store.compareRuns(['r1', 'r2', 'gone']);
    assert.deepEqual(s.runs.map((r) => [r.uid, r.name, r.status, r.gitCommit]), [['r1', 'first', 'finished', 'abc'], ['r2', 'second', 'running', null]]);
    assert.deepEqual(s.missing, ['gone']);
    assert.deepEqual(s.params.map((p) => [p.key, p.differs]), [['batch', false], ['lr', true]]);
    const loss = s.metrics.find((m) => m.key === 'loss')!;
    assert.deepEqual([...loss.count], [10_000, 4]);
    assert.equal(loss.max[0], 99);
    assert.equal(loss.min[1], 0.1);
    const acc = s.metrics.find((m) => m.key === 'acc')!;
    assert.equal(acc.count[1], 0, 'r2 has no acc');
    assert.ok(Number.isNaN(acc.last[1]!));
    assert.ok(Number.isNaN(loss.atStep[0]!), 'no step chosen');
  });

  it('finds the value at a step: the last point at or before it', () => {
    const s = store.compareRuns(['r1', 'r2'], 4);
    const loss = s.metrics.find((m) => m.key === 'loss')!;
    assert.equal(loss.atStep[0], 1 / 5);
    assert.equal(loss.atStepStep[0], 4);
    assert.equal(loss.atStep[1], 0.7);
    assert.equal(loss.atStepStep[1], 3);
    assert.ok(Number.isNaN(store.compareRuns(['r2'], 0).metrics[0]!.atStepStep[0]!), 'nothing at or before step 0');
  });

  it('gives chart-ready series: bounded, spikes kept, step order, NaN left out and counted', () => {
    const [loss, acc] = store.metricSeries(['r1'], ['loss', 'acc'], 2000);
    assert.equal(loss!.total, 10_000);
    assert.ok(loss!.values.length <= 2000);
    assert.ok(loss!.values instanceof Float64Array);
    assert.equal(loss!.steps[loss!.values.indexOf(99)], 6000);
    assert.equal(loss!.values[0], 1);
    assert.equal(loss!.times[0], 1000);
    assert.equal(acc!.nonFinite, 1);
    const [r2] = store.metricSeries(['r2', 'nope'], ['loss']);
    assert.deepEqual([...r2!.steps].slice(0, 3), [1, 3, 5]);
    assert.ok(Number.isNaN(r2!.steps[3]!), 'the point without a step comes last');
    assert.deepEqual([...r2!.values], [0.9, 0.7, 0.5, 0.1]);
  });
});

describe('series cache of the store', () => {
  it('serves unchanged series again and re-reads a run that grew', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'exptrack-cache-'));
    try {
      const file = path.join(root, '.exptrack', 'runs', 'g', 'events.jsonl');
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const line = (s: number, v: number) => JSON.stringify({ t: 'metrics', step: s, time: 1000 + s, values: { loss: v } }) + '\n';
      fs.writeFileSync(file, JSON.stringify({ t: 'run', v: 1, id: 'g', name: 'g', started: 1000 }) + '\n' + line(0, 1) + line(1, 0.5));
      const { store } = await Store.open({ workspaceRoot: root, dbPath: null });
      store.ingest();
      const [first] = store.metricSeries(['g'], ['loss']);
      const [again] = store.metricSeries(['g'], ['loss']);
      assert.equal(again, first, 'the same series object: served from the cache');
      fs.appendFileSync(file, line(2, 0.25));
      store.ingest();
      const [grown] = store.metricSeries(['g'], ['loss']);
      assert.deepEqual([...grown!.values], [1, 0.5, 0.25]);
      // Rewritten with the same number of points: the ingest drops the cached series.
      fs.writeFileSync(file, JSON.stringify({ t: 'run', v: 1, id: 'g', name: 'g', started: 1000 }) + '\n' + line(0, 9) + line(1, 8) + line(2, 7));
      store.ingest();
      assert.deepEqual([...store.metricSeries(['g'], ['loss'])[0]!.values], [9, 8, 7]);
      const [coarse] = store.metricSeries(['g'], ['loss'], 4);
      assert.ok(coarse!.values.length <= 4, 'another budget is another entry');
      store.close();
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('series without times', () => {
  it('reads no time column unless asked, and a cached series with times answers both', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'exptrack-notimes-'));
    try {
      const file = path.join(root, '.exptrack', 'runs', 't', 'events.jsonl');
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const lines = [{ t: 'run', v: 1, id: 't', name: 't', started: 1000 },
        { t: 'metrics', step: 2, time: 1002, values: { loss: 3 } }, { t: 'metrics', step: 1, time: 1001, values: { loss: 4 } }];
      fs.writeFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
      const { store } = await Store.open({ workspaceRoot: root, dbPath: null });
      store.ingest();
      const [plain] = store.metricSeries(['t'], ['loss'], 2000, false);
      assert.deepEqual([...plain!.steps], [1, 2], 'still in step order');
      assert.deepEqual([...plain!.values], [4, 3]);
      assert.equal(plain!.times.length, 0);
      const [timed] = store.metricSeries(['t'], ['loss'], 2000, true);
      assert.deepEqual([...timed!.times], [1001, 1002], 'a request with times is not served the series without');
      assert.equal(store.metricSeries(['t'], ['loss'], 2000, false)[0], timed, 'the series with times serves one without');
      store.close();
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
