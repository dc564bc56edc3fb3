import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { mlflowMetricReader } from '../../../src/core/ingest/readers/mlflow/runMetricReader';
import { mlflowParamTagReader } from '../../../src/core/ingest/readers/mlflow/runKeyValueReader';
import { mlflowRunMetaReader } from '../../../src/core/ingest/readers/mlflow/runMetaReader';
import { parseMetricLine } from '../../../src/core/ingest/readers/mlflow/metricLine';
import { classifyMlflowPath } from '../../../src/core/ingest/readers/mlflow/mlflowPaths';
import { Store } from '../../../src/core/store/store';
import { readPieces, seriesOf, tempDir } from './importSupport';

const RUN = 'mlruns/1/0123456789abcdef0123456789abcdef';

function write(root: string, rel: string, text: string): string {
  const abs = path.join(root, rel);
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  fs.writeFileSync(abs, text);
  return abs;
}

function runMeta(extra: Record<string, string>): string {
  const fields: Record<string, string> = {
    artifact_uri: 'file:///tmp/x', end_time: '1700000100000', experiment_id: "'1'", lifecycle_stage: 'active',
    run_id: '0123456789abcdef0123456789abcdef', run_name: 'sunny-owl-7', start_time: '1700000000000', status: '3', tags: '[]', user_id: 'Ada L', ...extra,
  };
  return Object.entries(fields).map(([k, v]) => `${k}: ${v}`).join('\n') + '\n';
}

describe('MLflow readers', () => {
  it('parses metric lines: nan/inf tokens, legacy two fields, a fourth run-id field, garbage rejected', () => {
    assert.deepEqual(parseMetricLine('1700000000123 0.5 3'), { ok: true, point: { time: 1700000000.123, value: 0.5, step: 3 } });
    assert.deepEqual(parseMetricLine('1700000000000 1e-07 0'), { ok: true, point: { time: 1700000000, value: 1e-7, step: 0 } });
    assert.deepEqual(parseMetricLine('1700000000000 -inf 2'), { ok: true, point: { time: 1700000000, value: -Infinity, step: 2 } });
    assert.deepEqual(parseMetricLine('1700000000000 inf 2'), { ok: true, point: { time: 1700000000, value: Infinity, step: 2 } });
    assert.ok(Number.isNaN((parseMetricLine('1700000000000 nan 2') as { point: { value: number } }).point.value));
    assert.deepEqual(parseMetricLine('1700000000000 0.25'), { ok: true, point: { time: 1700000000, value: 0.25, step: 0 } });
    assert.deepEqual(parseMetricLine('1753616860571 1.0 0 fd160e7a'), { ok: true, point: { time: 1753616860.571, value: 1, step: 0, runId: 'fd160e7a' } });
    for (const bad of ['', 'x 1 2', '17 abc 2', '17 1 2.5', '17 1 2 r extra', '1700000000000', '17 0x10 1', '17 Infinityy 1']) {
      assert.equal(parseMetricLine(bad).ok, false, bad);
    }
  });

  it('reads a metric file with a garbled line: reported with its line, the others kept; exact repeats count once', () => {
    const rel = `${RUN}/metrics/val/loss`;
    const text = '1700000000000 0.9 0\n1700000000000 0.9 0\n1700000001000 garbled 1\n1700000002000 nan 2\n1700000003000 0.7\n';
    const outs = readPieces(mlflowMetricReader, Buffer.from(text), rel);
    assert.deepEqual(seriesOf(outs, 'val/loss').map(([s, v, t]) => [s, v, t]), [[0, 0.9, 1700000000], [2, NaN, 1700000002], [0, 0.7, 1700000003]]);
    assert.deepEqual(outs[0]!.problems, [{ path: rel, line: 3, severity: 'warning', message: 'bad value "garbled": line skipped' }]);
    assert.equal(outs[0]!.batches[0]!.runUid, 'mlflow:0123456789abcdef0123456789abcdef');
  });

  it('reads the same points whatever the chunking, and leaves a line without its newline for later', () => {
    const rel = `${RUN}/metrics/loss`;
    const text = Buffer.from('1700000000000 1.0 0\n1700000000500 0.5 1\n1700000001000 0.25 2\n1700000001500 0.1');
    for (let cut = 1; cut < text.length; cut += 3) {
      const outs = readPieces(mlflowMetricReader, text, rel, undefined, [cut]);
      assert.deepEqual(seriesOf(outs, 'loss').map((p) => p[1]), [1, 0.5, 0.25]);
    }
  });

  it('reads an empty param file as the empty string', () => {
    const out = mlflowParamTagReader.read({ path: '/x', relPath: `${RUN}/params/note`, bytes: Buffer.alloc(0), offset: 0, line: 1, state: undefined, atEnd: true });
    assert.deepEqual(out.batches[0]!.events, [{ t: 'params', values: { note: '' } }]);
  });

  it('reports a zero-length or binary metric file', () => {
    const rel = `${RUN}/metrics/loss`;
    const empty = mlflowMetricReader.read({ path: '/x', relPath: rel, bytes: Buffer.alloc(0), offset: 0, line: 1, state: undefined, atEnd: true });
    assert.deepEqual(empty.problems.map((p) => p.message), ['empty file']);
    const binary = readPieces(mlflowMetricReader, Buffer.from([1, 0, 2, 10, 0xff, 0xfe, 10]), rel);
    assert.deepEqual(binary[0]!.problems.map((p) => [p.line, p.message]), [[1, 'binary data in a metric line: line skipped'], [2, 'expected "<timestamp> <value> <step>", got 1 field(s): line skipped']]);
  });

  it('classifies store paths: keys with / are folders; registry, trash and logged models', () => {
    assert.deepEqual(classifyMlflowPath('a/mlruns/7/r1/metrics/train/loss'), { kind: 'runMetric', storeRoot: 'a/mlruns', expId: '7', runId: 'r1', trashed: false, key: 'train/loss' });
    assert.equal(classifyMlflowPath('mlruns/.trash/7/r1/meta.yaml')?.kind, 'runMeta');
    assert.equal(classifyMlflowPath('mlruns/models/churn/meta.yaml')?.kind, 'registeredModel');
    assert.equal(classifyMlflowPath('mlruns/models/churn/version-1/meta.yaml'), undefined);
    assert.equal(classifyMlflowPath('mlruns/1/models/m-abc/metrics/acc')?.kind, 'modelMetric');
    assert.equal(classifyMlflowPath('mlruns/1/meta.yaml'), undefined);
    assert.equal(classifyMlflowPath('mlruns/1/r1/artifacts/model/MLmodel'), undefined);
    assert.equal(classifyMlflowPath('mlruns/1/r1/outputs/m-1/meta.yaml'), undefined);
  });

  it('maps the five status codes; SCHEDULED and RUNNING have no end', () => {
    const expected: Record<string, string | undefined> = { 1: undefined, 2: undefined, 3: 'finished', 4: 'failed', 5: 'killed' };
    for (const [code, status] of Object.entries(expected)) {
      const out = mlflowRunMetaReader.read({ path: `/nonexistent/${RUN}/meta.yaml`, relPath: `${RUN}/meta.yaml`, bytes: Buffer.from(runMeta({ status: code })), offset: 0, line: 1, state: undefined, atEnd: true });
      const events = out.batches[0]!.events;
      assert.deepEqual(events[0], {
        t: 'run', v: 1, id: '0123456789abcdef0123456789abcdef', name: 'sunny-owl-7', started: 1700000000, experiment: '1', user: 'Ada L',
        source: { kind: 'mlflow', path: RUN },
      });
      const end = events.find((e) => e.t === 'end');
      assert.deepEqual(end, status ? { t: 'end', status, ended: 1700000100 } : undefined, `status ${code}`);
    }
  });

  it('reports a YAML error with its line and a zero-length meta.yaml', () => {
    const bad = mlflowRunMetaReader.read({ path: '/x', relPath: `${RUN}/meta.yaml`, bytes: Buffer.from('run_id: a\nstatus: [3\nuser_id: b\n'), offset: 0, line: 1, state: undefined, atEnd: true });
    assert.equal(bad.batches.length, 0);
    assert.equal(bad.problems[0]!.path, `${RUN}/meta.yaml`);
    assert.ok(bad.problems[0]!.line! >= 2 && /^YAML error/.test(bad.problems[0]!.message), JSON.stringify(bad.problems));
    const empty = mlflowRunMetaReader.read({ path: '/x', relPath: `${RUN}/meta.yaml`, bytes: Buffer.alloc(0), offset: 0, line: 1, state: undefined, atEnd: true });
    assert.deepEqual(empty.problems.map((p) => p.message), ['empty file']);
  });

  it('indexes a store end to end: deleted runs and runs of deleted experiments are hidden, aliases and stages read, appends cost only new bytes', async () => {
    const root = tempDir();
    try {
      write(root, 'mlruns/1/meta.yaml', "experiment_id: '1'\nlifecycle_stage: active\nname: churn\n");
      write(root, `${RUN}/meta.yaml`, runMeta({ run_name: "''", status: '1', end_time: 'null' }));
      write(root, `${RUN}/tags/mlflow.runName`, 'from-tag');
      write(root, `${RUN}/tags/mlflow.source.git.commit`, 'abc123');
      write(root, `${RUN}/params/lr`, '0.01');
      write(root, `${RUN}/params/layers`, '[64, 32]');
      const metric = write(root, `${RUN}/metrics/train/loss`, '1700000001000 0.5 1\n1700000002000 inf 2\n');
      write(root, 'mlruns/1/fedcba9876543210fedcba9876543210/meta.yaml', runMeta({ run_id: 'fedcba9876543210fedcba9876543210', lifecycle_stage: 'deleted', deleted_time: '1700000200000' }));
      write(root, 'mlruns/.trash/2/meta.yaml', "experiment_id: '2'\nlifecycle_stage: deleted\nname: old\n");
      write(root, 'mlruns/.trash/2/aaaa0000aaaa0000aaaa0000aaaa0000/meta.yaml', runMeta({ run_id: 'aaaa0000aaaa0000aaaa0000aaaa0000' }));
      write(root, 'mlruns/models/churn/meta.yaml', 'aliases: {}\ncreation_timestamp: 1700000300000\nname: churn\n');
      write(root, 'mlruns/models/churn/version-1/meta.yaml', `current_stage: Production\ncreation_timestamp: 1700000300000\nrun_id: 0123456789abcdef0123456789abcdef\nsource: file:///home/u/proj/${RUN}/artifacts/model\nversion: 1\n`);
      write(root, 'mlruns/models/churn/version-2/meta.yaml', 'current_stage: None\nrun_id: fedcba9876543210fedcba9876543210\nsource: models:/m-1\nversion: 2\ndescription: second\n');
      write(root, 'mlruns/models/churn/version-3/meta.yaml', 'current_stage: Deleted_Internal\nversion: 3\n');
      write(root, 'mlruns/models/churn/aliases/champion', '2');
      write(root, 'mlruns/models/churn/aliases/challenger', '1');
      const { store } = await Store.open({ workspaceRoot: root, dbPath: null });
      const report = store.ingest();
      assert.deepEqual(report.problems, []);
      const run = store.getRun('mlflow:0123456789abcdef0123456789abcdef')!;
      assert.deepEqual([run.name, run.experiment, run.status, run.git.commit, run.hidden], ['from-tag', 'churn', 'running', 'abc123', false]);
      assert.deepEqual(run.params, { layers: [64, 32], lr: 0.01 });
      assert.deepEqual(store.metricPoints(run.uid, 'train/loss').map((p) => p.value), [0.5, Infinity]);
      assert.deepEqual(store.listRuns().map((r) => r.uid), ['mlflow:0123456789abcdef0123456789abcdef']);
      assert.deepEqual(store.listRuns({ includeHidden: true }).map((r) => [r.uid, r.experiment, r.hidden]).sort(), [
        ['mlflow:0123456789abcdef0123456789abcdef', 'churn', false],
        ['mlflow:aaaa0000aaaa0000aaaa0000aaaa0000', 'old', true],
        ['mlflow:fedcba9876543210fedcba9876543210', 'churn', true],
      ]);
      const versions = store.database.exec("SELECT name, version, path FROM model_versions WHERE origin = 'external' ORDER BY version")[0]!.values;
      assert.deepEqual(versions, [['churn', 1, `${RUN}/artifacts/model`], ['churn', 2, 'models:/m-1']]);
      const aliases = store.database.exec('SELECT alias, version FROM external_aliases ORDER BY alias')[0]!.values;
      assert.deepEqual(aliases, [['Production', 1], ['challenger', 1], ['champion', 2]]);

      fs.appendFileSync(metric, '1700000003000 0.25 3\n1700000004000 0.1');
      const grown = store.ingest([metric]);
      assert.deepEqual([grown.points, grown.problems], [1, []]);
      fs.appendFileSync(metric, '25 4\n');
      store.ingest([metric]);
      assert.deepEqual(store.metricPoints(run.uid, 'train/loss').map((p) => [p.step, p.value]), [[1, 0.5], [2, Infinity], [3, 0.25], [4, 0.125]]);

      write(root, `${RUN}/meta.yaml`, runMeta({ run_name: "''", status: '5' }));
      store.ingest();
      assert.deepEqual([store.getRun(run.uid)!.status, store.getRun(run.uid)!.ended, store.getRun(run.uid)!.name], ['killed', 1700000100, 'from-tag']);
      store.close();
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
