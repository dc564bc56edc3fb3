import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { LOG_BATCH_LIMITS, planLogBatches } from '../../../src/core/mlflowSync/logBatches';
import { errorFromFetchFailure, errorFromResponse } from '../../../src/core/mlflowSync/mlflowErrors';
import { appendPulledEvents, emptyContent, missingEvents, readPulledRun } from '../../../src/core/mlflowSync/pulledRunLog';
import { proxiedArtifactPath } from '../../../src/core/mlflowSync/restClient';
import { acquireSyncLock, SyncBusyError, SyncStateStore, syncStatePath } from '../../../src/core/mlflowSync/syncState';
import { authorizationHeader, parseTrackingUri, trackingServerFromEnv } from '../../../src/core/mlflowSync/trackingServer';
import {
  fromWireValue, isValidMlflowKey, localPointIdentity, MLFLOW_SQL_INFINITY, paramToWire, toWireMetric, toWireValue, wireMetricIdentity,
} from '../../../src/core/mlflowSync/wireValues';
import type { WireKeyValue, WireMetric } from '../../../src/core/mlflowSync/mlflowTypes';
import { runTagsFor } from '../../../src/core/mlflowSync/runTags';
import type { RunDetail } from '../../../src/shared/runTypes';
import { tempWorkspace } from './syncWorkspace';

describe('mlflowSync/planLogBatches', () => {
  const kv = (prefix: string, n: number, size = 5): WireKeyValue[] => Array.from({ length: n }, (_, i) => ({ key: `${prefix}${i}`, value: 'v'.repeat(size) }));
  const metrics = (n: number, key = 'loss'): WireMetric[] => Array.from({ length: n }, (_, i) => ({ key, value: i, timestamp: 1000 + i, step: i }));

  it('keeps every batch within 1,000 metrics, 100 params, 100 tags and 1,000 entities, in order', () => {
    fc.assert(fc.property(fc.nat(450), fc.nat(450), fc.nat(5000), (p, t, m) => {
      const params = kv('p', p);
      const tags = kv('t', t);
      const points = metrics(m);
      const batches = planLogBatches(params, tags, points);
      for (const b of batches) {
        assert.ok(b.metrics.length <= 1000 && b.params.length <= 100 && b.tags.length <= 100);
        assert.ok(b.metrics.length + b.params.length + b.tags.length <= 1000);
        assert.ok(b.metrics.length + b.params.length + b.tags.length > 0);
      }
      assert.deepEqual(batches.flatMap((b) => b.params), params);
      assert.deepEqual(batches.flatMap((b) => b.tags), tags);
      assert.deepEqual(batches.flatMap((b) => b.metrics), points);
    }), { numRuns: 60 });
  });

  it('fills batches: 2,500 points take three requests, and params ride along with the first', () => {
    const batches = planLogBatches(kv('p', 3), kv('t', 2), metrics(2500));
    assert.deepEqual(batches.map((b) => [b.params.length, b.tags.length, b.metrics.length]), [[3, 2, 995], [0, 0, 1000], [0, 0, 505]]);
  });

  it('starts a new request before the body would pass MLflow\'s 1 MB', () => {
    const batches = planLogBatches(kv('p', 100, 6000), kv('t', 100, 8000), []);
    for (const b of batches) {
      const bytes = Buffer.byteLength(JSON.stringify({ run_id: 'x'.repeat(32), ...b }));
      assert.ok(bytes < 1_000_000, `${bytes} bytes`);
    }
    assert.ok(batches.length >= 2);
    assert.equal(LOG_BATCH_LIMITS.bytes < 1_000_000, true);
  });

  it('plans nothing when nothing is new', () => {
    assert.deepEqual(planLogBatches([], [], []), []);
  });
});

describe('mlflowSync/wireValues', () => {
  it('spells non-finite values as MLflow\'s protobuf-JSON does and reads the SQL store\'s infinity back', () => {
    assert.equal(toWireValue(NaN), 'NaN');
    assert.equal(toWireValue(Infinity), 'Infinity');
    assert.equal(toWireValue(-Infinity), '-Infinity');
    assert.equal(toWireValue(0.1), 0.1);
    assert.ok(Number.isNaN(fromWireValue('NaN')));
    assert.equal(fromWireValue('Infinity'), Infinity);
    assert.equal(fromWireValue(MLFLOW_SQL_INFINITY), Infinity);
    assert.equal(fromWireValue(-MLFLOW_SQL_INFINITY), -Infinity);
    assert.equal(fromWireValue('1.5'), 1.5);
  });

  it('gives a local point and the metric MLflow returns for it the same identity', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 2 ** 40 }), fc.integer({ min: 1e9, max: 2e9 }), fc.double(), (step, sec, value) => {
      const p = { step, time: sec + 0.001 * (step % 1000), value };
      const wire = toWireMetric('k', p, 0);
      // What the SQL store answers: infinities as the largest double.
      const answered = { ...wire, value: wire.value === 'Infinity' ? MLFLOW_SQL_INFINITY : wire.value === '-Infinity' ? -MLFLOW_SQL_INFINITY : wire.value };
      assert.equal(wireMetricIdentity(answered), localPointIdentity(p, 0));
    }), { numRuns: 300 });
  });

  it('uses step 0 and the fallback time for points without them', () => {
    assert.deepEqual(toWireMetric('k', { step: null, time: null, value: 1 }, 1234), { key: 'k', value: 1, timestamp: 1234, step: 0 });
  });

  it('writes params the way Python str() would where that reads back the same', () => {
    assert.equal(paramToWire(0.01), '0.01');
    assert.equal(paramToWire(true), 'True');
    assert.equal(paramToWire(null), 'None');
    assert.equal(paramToWire([64, 32]), '[64,32]');
    assert.equal(paramToWire('adam'), 'adam');
  });

  it('accepts the names MLflow accepts', () => {
    for (const ok of ['loss', 'val/acc', 'a.b-c_d', 'with space', 'x:y']) assert.ok(isValidMlflowKey(ok), ok);
    for (const bad of ['acc@1', '/abs', 'a/../b', 'a//b', '.', 'trail/', '', 'x'.repeat(251), 'loss(train)']) assert.ok(!isValidMlflowKey(bad), bad);
  });
});

describe('mlflowSync/trackingServer', () => {
  it('takes credentials out of the URI and prefers the environment', () => {
    const s = parseTrackingUri(' http://ana:s%40cret@127.0.0.1:5000/ ');
    assert.deepEqual(s, { uri: 'http://127.0.0.1:5000', username: 'ana', password: 's@cret' });
    assert.equal(authorizationHeader(s), `Basic ${Buffer.from('ana:s@cret').toString('base64')}`);
    const env = trackingServerFromEnv(undefined, { MLFLOW_TRACKING_URI: 'https://mlflow.example.org/base', MLFLOW_TRACKING_TOKEN: 't0k' });
    assert.equal(env.uri, 'https://mlflow.example.org/base');
    assert.equal(authorizationHeader(env), 'Bearer t0k');
    assert.equal(authorizationHeader(parseTrackingUri('http://h')), undefined);
  });

  it('refuses what is not an http(s) server, saying why', () => {
    assert.throws(() => parseTrackingUri(''), /no MLflow tracking URI/);
    assert.throws(() => parseTrackingUri('file:///tmp/mlruns'), /not an http\(s\) URI/);
    assert.throws(() => parseTrackingUri('databricks'), /not a URI/);
  });

  it('maps run artifact URIs to the artifact proxy', () => {
    assert.equal(proxiedArtifactPath('mlflow-artifacts:/1/abc/artifacts'), '/api/2.0/mlflow-artifacts/artifacts/1/abc/artifacts');
    assert.equal(proxiedArtifactPath('mlflow-artifacts://host:5000/1/abc/artifacts/'), '/api/2.0/mlflow-artifacts/artifacts/1/abc/artifacts');
    assert.throws(() => proxiedArtifactPath('s3://bucket/1/abc'), /does not proxy/);
  });
});

describe('mlflowSync/mlflowErrors', () => {
  it('sorts server answers into the kinds a person acts on', () => {
    assert.equal(errorFromResponse('http://h', 'runs/create', 401, '').kind, 'auth');
    assert.match(errorFromResponse('http://h', 'runs/create', 403, '{"error_code":"PERMISSION_DENIED","message":"no"}').message, /MLFLOW_TRACKING_TOKEN/);
    assert.equal(errorFromResponse('http://h', 'runs/log-batch', 429, 'slow down').kind, 'limit');
    const invalid = errorFromResponse('http://h', 'runs/log-batch', 400, '{"error_code":"INVALID_PARAMETER_VALUE","message":"A batch logging request can contain at most 1000 metrics"}');
    assert.equal(invalid.kind, 'invalid');
    assert.match(invalid.message, /at most 1000 metrics/);
    assert.equal(errorFromResponse('http://h', 'experiments/get-by-name', 404, '{"error_code":"RESOURCE_DOES_NOT_EXIST","message":"x"}').kind, 'not-found');
    const proxy = errorFromResponse('http://h', 'runs/get', 502, '<html><body><h1>Bad Gateway</h1></body></html>');
    assert.equal(proxy.kind, 'server');
    assert.match(proxy.message, /Bad Gateway/);
  });

  it('names the server when nothing answers', () => {
    const refused = Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
    assert.match(errorFromFetchFailure('http://127.0.0.1:9', 'runs/create', refused, 30_000).message, /cannot reach the MLflow server at http:\/\/127\.0\.0\.1:9 \(ECONNREFUSED\)/);
    const timeout = Object.assign(new Error('t'), { name: 'TimeoutError' });
    assert.match(errorFromFetchFailure('http://h', 'runs/create', timeout, 30_000).message, /did not answer runs\/create within 30 s/);
  });
});

describe('mlflowSync/syncState', () => {
  it('saves atomically and reads back; a damaged file is set aside, not lost', () => {
    const dir = tempWorkspace('exptrack-syncstate-');
    try {
      const state = SyncStateStore.load(dir);
      state.server('http://h').runs.r1 = { remoteRunId: 'abc', experimentId: '1', params: { lr: '0.1' }, tags: {}, metrics: { loss: { count: 3, digest: 'd' } }, artifacts: {} };
      state.save();
      assert.deepEqual(SyncStateStore.load(dir).server('http://h').runs.r1?.metrics.loss, { count: 3, digest: 'd' });
      assert.deepEqual(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp')), []);
      fs.writeFileSync(syncStatePath(dir), '{"version":1,"servers":{"h":{"runs":');
      const fresh = SyncStateStore.load(dir);
      assert.match(fresh.setAside ?? '', /mlflow-sync\.json\.unreadable-\d+/);
      assert.deepEqual(fresh.server('http://h').runs, {});
      assert.ok(fs.readdirSync(dir).some((f) => f.startsWith('mlflow-sync.json.unreadable-')));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('lets one push or pull run at a time, and takes over the lock of a process that died', () => {
    const dir = tempWorkspace('exptrack-synclock-');
    try {
      fs.writeFileSync(path.join(dir, 'mlflow-sync.lock'), JSON.stringify({ pid: process.ppid, since: 0 }));
      assert.throws(() => acquireSyncLock(dir), SyncBusyError);
      fs.writeFileSync(path.join(dir, 'mlflow-sync.lock'), JSON.stringify({ pid: 2 ** 22 + 12345, since: 0 }));
      const release = acquireSyncLock(dir);
      assert.ok(fs.existsSync(path.join(dir, 'mlflow-sync.lock')));
      release();
      assert.ok(!fs.existsSync(path.join(dir, 'mlflow-sync.lock')));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('mlflowSync/pulledRunLog', () => {
  const run = (status: 'RUNNING' | 'FINISHED', metrics: WireMetric[], params = [{ key: 'lr', value: '0.01' }]) => ({
    run: { info: { run_id: 'r'.repeat(32), experiment_id: '3', run_name: 'remote', status, start_time: 1732240000123, end_time: status === 'FINISHED' ? 1732240100000 : undefined },
      data: { params, tags: [{ key: 'mlflow.source.git.commit', value: 'abc' }, { key: 'exptrack.command', value: '["python","t.py"]' }] } },
    experimentName: 'exp', pageUri: 'http://h/#/experiments/3/runs/rrr', histories: new Map([['loss', metrics]]),
  });
  const m = (step: number, value: number | string): WireMetric => ({ key: 'loss', value, timestamp: 1732240001000 + step, step });

  it('writes a run the first time and appends only what changed afterwards', () => {
    const dir = tempWorkspace('exptrack-pulled-');
    try {
      const first = missingEvents(emptyContent(), run('RUNNING', [m(0, 1), m(1, 'NaN'), m(2, MLFLOW_SQL_INFINITY)]));
      assert.deepEqual(first[0], {
        t: 'run', v: 1, id: `mlflow-${'r'.repeat(32)}`, name: 'remote', experiment: 'exp', started: 1732240000.123,
        source: { kind: 'mlflow-server', path: 'http://h/#/experiments/3/runs/rrr' }, git: { commit: 'abc' }, command: ['python', 't.py'],
      });
      assert.deepEqual(first.filter((e) => e.t === 'metrics').map((e) => e.t === 'metrics' && e.values.loss), [1, NaN, Infinity]);
      const file = appendPulledEvents(dir, `mlflow-${'r'.repeat(32)}`, first);
      // A killed pull can leave half a line: it is cut off before the next append.
      fs.appendFileSync(file, '{"t":"metrics","ste');
      const content = readPulledRun(file);
      assert.equal(content.hasStart, true);
      const later = missingEvents(content, run('FINISHED', [m(2, 'Infinity'), m(0, 1), m(1, 'NaN'), m(3, 0.5)], [{ key: 'lr', value: '0.01' }, { key: 'bs', value: '32' }]));
      assert.deepEqual(later, [
        { t: 'params', values: { bs: 32 } },
        { t: 'metrics', step: 3, time: 1732240001.003, values: { loss: 0.5 } },
        { t: 'end', status: 'finished', ended: 1732240100 },
      ]);
      appendPulledEvents(dir, `mlflow-${'r'.repeat(32)}`, later);
      const text = fs.readFileSync(file, 'utf8');
      assert.ok(!text.includes('"ste\n') && text.endsWith('\n'));
      assert.deepEqual(missingEvents(readPulledRun(file), run('FINISHED', [m(0, 1), m(1, 'NaN'), m(2, 'Infinity'), m(3, 0.5)], [{ key: 'lr', value: '0.01' }, { key: 'bs', value: '32' }])), []);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('mlflowSync/runTagsFor', () => {
  const detail = (over: Partial<RunDetail>): RunDetail => ({
    uid: 'u1', name: 'n', experiment: 'e', status: 'finished', sourceKind: 'script', sourcePath: 'train.py', started: 1, ended: 2, exitCode: 0, keyMetric: null,
    hidden: false, runDir: null, command: ['python', 'train.py'], cwd: null, git: { commit: 'abc', branch: 'main', dirty: false }, env: {}, user: 'ana', note: 'why',
    params: {}, metrics: [], tags: {}, datasets: [], artifacts: [], models: [], ...over,
  });

  it('names git, user, source and note with MLflow\'s system tags and keeps the run\'s own tags', () => {
    assert.deepEqual(runTagsFor(detail({ tags: { team: 'vision', 'mlflow.runName': 'x' } })), {
      'exptrack.run_id': 'u1', 'mlflow.user': 'ana', 'mlflow.source.name': 'train.py', 'exptrack.source.kind': 'script', 'mlflow.source.type': 'LOCAL',
      'mlflow.source.git.commit': 'abc', 'mlflow.source.git.branch': 'main', 'exptrack.git.dirty': 'false', 'exptrack.command': '["python","train.py"]',
      'mlflow.note.content': 'why', team: 'vision',
    });
  });

  it('gives a run pulled from one server its own id on another', () => {
    assert.equal(runTagsFor(detail({ uid: 'mlflow-abc', sourceKind: 'mlflow-server', tags: { 'exptrack.run_id': 'elsewhere' } }))['exptrack.run_id'], 'mlflow-abc');
  });
});
