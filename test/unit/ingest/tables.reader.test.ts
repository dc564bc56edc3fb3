import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { dvcliveSeriesReader } from '../../../src/core/ingest/readers/dvclive/seriesReader';
import { dvcliveSummaryReader } from '../../../src/core/ingest/readers/dvclive/summaryReader';
import { parseLenientJson } from '../../../src/core/ingest/readers/common/lenientJson';
import { kerasCsvLoggerReader } from '../../../src/core/ingest/readers/keras/csvLoggerReader';
import { lightningHparamsReader } from '../../../src/core/ingest/readers/lightning/hparamsReader';
import { lightningMetricsReader } from '../../../src/core/ingest/readers/lightning/metricsCsvReader';
import { Store } from '../../../src/core/store/store';
import { eventsOf, readPieces, seriesOf, tempDir } from './importSupport';

const LIGHTNING = 'lightning_logs/version_3/metrics.csv';

describe('table log readers', () => {
  it('Lightning: columns by name, sparse rows, shared steps, nan; a ragged row is reported and skipped', () => {
    const csv = 'epoch,step,train_loss,val_loss\r\n0,0,1.5,\r\n0,0,,2.5\r\n0,1,1.25\r\n0,2,nan,\r\n1,3,0.5,0.75\r\n';
    const outs = readPieces(lightningMetricsReader, Buffer.from(csv), LIGHTNING);
    assert.deepEqual(seriesOf(outs, 'train_loss').map((p) => [p[0], p[1]]), [[0, 1.5], [2, NaN], [3, 0.5]]);
    assert.deepEqual(seriesOf(outs, 'val_loss').map((p) => [p[0], p[1]]), [[0, 2.5], [3, 0.75]]);
    assert.deepEqual(seriesOf(outs, 'epoch').map((p) => p[1]), [0, 0, 0, 1]);
    assert.deepEqual(outs[0]!.problems, [{ path: LIGHTNING, line: 4, severity: 'warning', message: 'row has 3 cells but the header has 4: row skipped' }]);
    const run = eventsOf(outs).find((e) => e.t === 'run');
    assert.deepEqual(run && [run.runUid, run.name, run.experiment], ['lightning:lightning_logs/version_3', 'version_3', 'lightning_logs']);
  });

  it('Lightning: the header is kept in the state, so appended rows are read by name; any chunking gives the same points', () => {
    const csv = Buffer.from('val_loss,epoch,step,train_loss\n,0,9,0.9\n0.8,0,9,\n,1,19,0.7\n');
    const whole = seriesOf(readPieces(lightningMetricsReader, csv, LIGHTNING), 'train_loss');
    for (let cut = 1; cut < csv.length; cut++) {
      const outs = readPieces(lightningMetricsReader, csv, LIGHTNING, undefined, [cut, cut + 5]);
      assert.deepEqual(seriesOf(outs, 'train_loss'), whole, `cut ${cut}`);
      assert.equal(eventsOf(outs).filter((e) => e.t === 'run').length, 1);
    }
  });

  it('Lightning hparams.yaml: nested keys dotted; a YAML error is reported with its line', () => {
    const rel = 'lightning_logs/version_3/hparams.yaml';
    const ok = lightningHparamsReader.read({ path: '/x', relPath: rel, bytes: Buffer.from('lr: 1.0e-05\noptimizer:\n  name: adam\n  betas: [0.9, 0.99]\nmax: .inf\n'), offset: 0, line: 1, state: undefined, atEnd: true });
    assert.deepEqual(eventsOf(ok).map((e) => e.t === 'params' && e.values), [{ lr: 1e-5, 'optimizer.name': 'adam', 'optimizer.betas': [0.9, 0.99], max: 'Infinity' }]);
    const bad = lightningHparamsReader.read({ path: '/x', relPath: rel, bytes: Buffer.from('lr: 1\nname: "open\n'), offset: 0, line: 1, state: undefined, atEnd: true });
    assert.equal(bad.batches.length, 0);
    assert.ok(bad.problems.length >= 1 && bad.problems[0]!.line! >= 2 && bad.problems[0]!.path === rel, JSON.stringify(bad.problems));
    const binary = lightningHparamsReader.read({ path: '/x', relPath: rel, bytes: Buffer.from([0x6c, 0, 0x72]), offset: 0, line: 1, state: undefined, atEnd: true });
    assert.deepEqual(binary.problems.map((p) => p.message), ['binary data where text was expected: file skipped']);
  });

  it('Keras CSVLogger: NA cells skipped, epoch as step; a file that is not a Keras log is passed over silently', () => {
    const rel = 'out/training.log';
    const outs = readPieces(kerasCsvLoggerReader, Buffer.from('epoch,acc,loss,lr\n0,0.5,1.5,NA\n1,0.75,1.25,0.001\nx,1,1,1\n'), rel);
    assert.deepEqual(seriesOf(outs, 'lr').map((p) => [p[0], p[1]]), [[1, 0.001]]);
    assert.deepEqual(seriesOf(outs, 'acc').map((p) => [p[0], p[1]]), [[0, 0.5], [1, 0.75]]);
    assert.deepEqual(outs[0]!.problems.map((p) => [p.line, p.message]), [[4, 'epoch "x" is not an integer: row skipped']]);
    const other = readPieces(kerasCsvLoggerReader, Buffer.from('id,name\n1,a\n'), 'data/catalog_log.csv');
    assert.deepEqual([other[0]!.batches, other[0]!.problems, other[0]!.consumed], [[], [], 12]);
    assert.ok(kerasCsvLoggerReader.matches('logs/training_log.csv') && kerasCsvLoggerReader.matches('training.log') && kerasCsvLoggerReader.matches('model_history.csv'));
    assert.ok(!kerasCsvLoggerReader.matches('data/train.csv') && !kerasCsvLoggerReader.matches('.exptrack/runs/a/stdout.log'));
  });

  it('dvclive series: with and without a timestamp column, CRLF, a bad row reported', () => {
    const v2 = readPieces(dvcliveSeriesReader, Buffer.from('step\tloss\n0\t0.5\n1\toops\n2\t0.25\n'), 'dvclive/plots/metrics/train/loss.tsv');
    assert.deepEqual(seriesOf(v2, 'train/loss'), [[0, 0.5, undefined], [2, 0.25, undefined]]);
    assert.deepEqual(v2[0]!.problems.map((p) => [p.line, p.message]), [[3, 'value "oops" is not a number: row skipped']]);
    assert.equal(v2[0]!.batches[0]!.runUid, 'dvclive:dvclive');
    const v0 = readPieces(dvcliveSeriesReader, Buffer.from('timestamp\tstep\tacc\r\n1644420777053\t0\t0.9\r\n'), 'exp/dvclive/acc.tsv');
    assert.deepEqual(seriesOf(v0, 'acc'), [[0, 0.9, 1644420777.053]]);
    assert.equal(v0[0]!.batches[0]!.runUid, 'dvclive:exp/dvclive');
  });

  it('lenient JSON: bare NaN / Infinity / -Infinity outside strings, errors with their line', () => {
    const r = parseLenientJson('{"a": NaN, "b": [Infinity, -Infinity], "s": "NaN Infinity", "n": {"x": 1}}');
    assert.ok(r.ok);
    const v = r.value as { a: number; b: number[]; s: string; n: { x: number } };
    assert.ok(Number.isNaN(v.a));
    assert.deepEqual([v.b, v.s, v.n], [[Infinity, -Infinity], 'NaN Infinity', { x: 1 }]);
    const bad = parseLenientJson('{\n  "a": 1,\n  "b": NaNx\n}');
    assert.deepEqual(bad.ok ? null : bad.line, 3);
  });

  it('dvclive through the Store: metrics.json with bare tokens, nested keys, a broken summary reported', async () => {
    const root = tempDir();
    try {
      const write = (rel: string, text: string) => {
        fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
        fs.writeFileSync(path.join(root, rel), text);
        return path.join(root, rel);
      };
      write('dvclive/plots/metrics/train/loss.tsv', 'step\tloss\n0\t1.0\n1\t0.5\n');
      const summary = write('dvclive/metrics.json', '{\n    "train": {"loss": 0.5},\n    "eval": {"auc": NaN, "top": Infinity},\n    "step": 1\n}');
      write('dvclive/params.yaml', 'lr: 0.01\nmodel:\n  depth: 3\n');
      write('results/metrics.json', '{"acc": 0.9}');
      const { store } = await Store.open({ workspaceRoot: root, dbPath: null });
      assert.deepEqual(store.ingest().problems, []);
      assert.deepEqual(store.listRuns().map((r) => r.uid), ['dvclive:dvclive']);
      const run = store.getRun('dvclive:dvclive')!;
      assert.deepEqual(run.params, { lr: 0.01, 'model.depth': 3 });
      assert.deepEqual(run.metrics.map((m) => [m.key, m.count, m.last, m.lastStep]), [['eval/auc', 1, NaN, 1], ['eval/top', 1, Infinity, 1], ['train/loss', 2, 0.5, 1]]);
      fs.writeFileSync(summary, '{"train": {"loss": 0.5},');
      const report = store.ingest();
      assert.equal(report.problems.length, 1);
      assert.equal(report.problems[0]!.path, 'dvclive/metrics.json');
      assert.deepEqual(store.getRun('dvclive:dvclive')!.metrics.map((m) => m.key), ['train/loss']);
      assert.deepEqual(dvcliveSummaryReader.read({ path: '/nonexistent/dvclive/metrics.json', relPath: 'dvclive/metrics.json', bytes: Buffer.alloc(0), offset: 0, line: 1, state: undefined, atEnd: true }).problems.map((p) => p.message), ['empty file']);
      store.close();
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('Lightning through the Store: appended rows are read by the header kept in the state', async () => {
    const root = tempDir();
    try {
      const file = path.join(root, LIGHTNING);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, 'epoch,step,loss\n0,0,1.0\n0,1,0.');
      const { store } = await Store.open({ workspaceRoot: root, dbPath: null });
      assert.equal(store.ingest().points, 2);
      fs.appendFileSync(file, '5\n1,2,0.25\n1,3,9,9\n');
      const report = store.ingest([file]);
      assert.deepEqual([report.points, report.problems.map((p) => [p.line, p.path])], [4, [[5, LIGHTNING]]]);
      assert.deepEqual(store.metricPoints('lightning:lightning_logs/version_3', 'loss').map((p) => [p.step, p.value]), [[0, 1], [1, 0.5], [2, 0.25]]);
      store.close();
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
