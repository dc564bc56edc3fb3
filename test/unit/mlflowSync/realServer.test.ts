/**
 * Push, pull and resume against a real MLflow tracking server (`.venv/bin/mlflow server`, SQLite
 * backend, proxied artifacts, on 127.0.0.1), reading results back through MLflow's own Python
 * client. Skipped, saying why, when the venv has no MLflow server.
 */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Store } from '../../../src/core/store/store';
import type { MetricPoint, RunDetail } from '../../../src/shared/runTypes';
import { MlflowRestClient } from '../../../src/core/mlflowSync/restClient';
import { parseTrackingUri } from '../../../src/core/mlflowSync/trackingServer';
import { MLFLOW_SQL_INFINITY } from '../../../src/core/mlflowSync/wireValues';
import { mlflowUnavailable, REPO_ROOT, runPythonJson, startMlflowServer, type MlflowTestServer } from './mlflowServer';
import { appendEvents, cli, metricEvents, runDirOf, tempWorkspace, valueAt } from './syncWorkspace';

const READ_BACK = path.join(__dirname, 'readBack.py');
const EXPERIMENT = 'sync-test';
const RUN_A = '20261122-010000-aaaaaaaa';
const RUN_B = '20261122-010100-bbbbbbbb';
const START_A = 1732240000.123;
const START_B = 1732240300.5;

type Triple = [number, number, number | string];
interface RemoteRun {
  run_id: string; name: string; status: string; start_time: number; end_time: number | null;
  params: Record<string, string>; tags: Record<string, string>; histories: Record<string, Triple[]>; artifacts: Record<string, string>;
}

/** What MLflow's SQL store keeps for a local value: NaN stays NaN, ±Infinity becomes ±max double. */
function sqlStoreValue(v: number): number | string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return MLFLOW_SQL_INFINITY;
  if (v === -Infinity) return -MLFLOW_SQL_INFINITY;
  return v;
}

function expectedHistory(points: MetricPoint[]): Triple[] {
  return points.map((p) => [p.step ?? 0, Math.round(p.time! * 1000), sqlStoreValue(p.value)] as Triple).sort(byStepTime);
}

function byStepTime(a: Triple, b: Triple): number {
  return a[0] - b[0] || a[1] - b[1];
}

function readBack(server: MlflowTestServer, extra: Record<string, unknown> = {}): { runs: RemoteRun[]; reference?: Triple[] } {
  return runPythonJson(READ_BACK, { uri: server.uri, experiment: EXPERIMENT, download_dir: fs.mkdtempSync(path.join(server.dir, 'dl-')), ...extra });
}

async function openStore(root: string): Promise<Store> {
  const { store } = await Store.open({ workspaceRoot: root, dbPath: null });
  store.ingest();
  return store;
}

describe('MLflow sync with a real MLflow server', function () {
  this.timeout(600_000);
  let server: MlflowTestServer | undefined;
  const roots: string[] = [];

  before(async function () {
    const why = await mlflowUnavailable();
    if (why) {
      console.log(`      skipped: ${why}`);
      this.skip();
    }
    server = await startMlflowServer();
  });

  after(async () => {
    await server?.stop();
    for (const r of roots) fs.rmSync(r, { recursive: true, force: true });
  });

  describe('runs', () => {
    let a: string;
    let localA: Map<string, RunDetail>;
    let pointsA: Map<string, MetricPoint[]>;

    before(async () => {
      a = tempWorkspace('exptrack-mlflow-a-');
      roots.push(a);
      appendEvents(a, RUN_A, [
        { t: 'run', v: 1, id: RUN_A, name: 'baseline', experiment: EXPERIMENT, started: START_A, source: { kind: 'script', path: 'train.py' },
          command: ['python', 'train.py', '--lr', '0.01'], git: { commit: '0123456789abcdef0123456789abcdef01234567', branch: 'main', dirty: true }, user: 'ana' },
        { t: 'params', values: { lr: 0.01, layers: [64, 32], optimizer: 'adam', flag: true, batch: 32 } },
        { t: 'tag', key: 'team', value: 'vision' },
        ...metricEvents('loss', 0, 10_000, START_A),
        ...metricEvents('acc', 0, 50, START_A),
        { t: 'metrics', step: 1, time: START_A + 1, values: { 'acc@1': 0.5 } },
        { t: 'end', status: 'finished', exit: 0, ended: 1732240100.5 },
      ]);
      fs.writeFileSync(path.join(runDirOf(a, RUN_A), 'stdout.log'), 'epoch 1 loss=0.5\nepoch 2 loss=0.4\n');
      fs.writeFileSync(path.join(runDirOf(a, RUN_A), 'code.patch'), 'diff --git a/train.py b/train.py\n+lr = 0.01\n');
      appendEvents(a, RUN_B, [
        { t: 'run', v: 1, id: RUN_B, name: 'still running', experiment: EXPERIMENT, started: START_B },
        { t: 'params', values: { lr: 0.1 } },
        ...metricEvents('val/acc', 0, 5, START_B),
      ]);
      const store = await openStore(a);
      localA = new Map([RUN_A, RUN_B].map((uid) => [uid, store.getRun(uid)!]));
      pointsA = new Map();
      for (const run of localA.values()) for (const m of run.metrics) pointsA.set(`${run.uid}/${m.key}`, store.metricPoints(run.uid, m.key));
      store.close();
    });

    it('pushes runs that MLflow\'s own client reads back exactly, NaN, infinities and a 10,000-point metric included', async () => {
      const pushed = await cli(a, ['mlflow', 'push', '--all', '--uri', server!.uri, '--json']);
      assert.equal(pushed.code, 0, pushed.err);
      const report = JSON.parse(pushed.out) as { points: number; batches: number; runs: { uid: string; remote: string; artifacts: string[] }[] };
      assert.equal(report.points, 10_000 + 50 + 5);
      assert.ok(report.batches >= 11, `10,050 points need at least 11 batches of 1,000, got ${report.batches}`);
      assert.deepEqual(report.runs.find((r) => r.uid === RUN_A)?.artifacts.sort(), ['code.patch', 'stdout.log']);
      assert.match(pushed.err, /metric "acc@1" not sent/);

      const loss = pointsA.get(`${RUN_A}/loss`)!;
      const back = readBack(server!, { reference: { key: 'loss', points: loss.map((p) => [p.step, Math.round(p.time! * 1000), Number.isFinite(p.value) ? p.value : String(p.value)]) } });
      assert.equal(back.runs.length, 2);
      const runA = back.runs.find((r) => r.tags['exptrack.run_id'] === RUN_A)!;
      const runB = back.runs.find((r) => r.tags['exptrack.run_id'] === RUN_B)!;
      assert.equal(runA.name, 'baseline');
      assert.equal(runA.status, 'FINISHED');
      assert.equal(runA.start_time, 1732240000123);
      assert.equal(runA.end_time, 1732240100500);
      assert.deepEqual(runA.params, { lr: '0.01', layers: '[64,32]', optimizer: 'adam', flag: 'True', batch: '32' });
      assert.equal(runA.tags['mlflow.source.git.commit'], '0123456789abcdef0123456789abcdef01234567');
      assert.equal(runA.tags['mlflow.source.git.branch'], 'main');
      assert.equal(runA.tags['mlflow.user'], 'ana');
      assert.equal(runA.tags.team, 'vision');
      assert.equal(runA.tags['exptrack.command'], '["python","train.py","--lr","0.01"]');
      assert.deepEqual(Object.keys(runA.histories).sort(), ['acc', 'loss']);
      assert.deepEqual(runA.histories.loss!.sort(byStepTime), expectedHistory(loss));
      assert.deepEqual(runA.histories.acc!.sort(byStepTime), expectedHistory(pointsA.get(`${RUN_A}/acc`)!));
      assert.ok(runA.histories.loss!.some((t) => t[2] === 'NaN') && runA.histories.loss!.some((t) => t[2] === MLFLOW_SQL_INFINITY));
      // The same points logged by MLflow's own client with log_batch read back identically.
      assert.deepEqual(runA.histories.loss!.sort(byStepTime), back.reference!.sort(byStepTime));
      assert.equal(runA.artifacts['stdout.log'], 'epoch 1 loss=0.5\nepoch 2 loss=0.4\n');
      assert.equal(runA.artifacts['code.patch'], 'diff --git a/train.py b/train.py\n+lr = 0.01\n');
      assert.equal(runB.status, 'RUNNING');
      assert.deepEqual(runB.histories['val/acc']!.sort(byStepTime), expectedHistory(pointsA.get(`${RUN_B}/val/acc`)!));
    });

    it('sends nothing the second time, and only the new points and the end after the runs grew, in whatever order they sort', async () => {
      const again = await cli(a, ['mlflow', 'push', '--all', '--uri', server!.uri, '--json']);
      assert.equal(again.code, 0, again.err);
      assert.equal((JSON.parse(again.out) as { points: number; batches: number }).points, 0);
      assert.equal((JSON.parse(again.out) as { points: number; batches: number }).batches, 0);

      appendEvents(a, RUN_B, [...metricEvents('val/acc', 5, 1500, START_B), { t: 'end', status: 'failed', exit: 1, ended: START_B + 60 }]);
      const grown = await cli(a, ['mlflow', 'push', RUN_B, '--uri', server!.uri, '--json']);
      assert.equal(grown.code, 0, grown.err);
      assert.equal((JSON.parse(grown.out) as { points: number }).points, 1500);
      const runB = readBack(server!).runs.find((r) => r.tags['exptrack.run_id'] === RUN_B)!;
      assert.equal(runB.histories['val/acc']!.length, 1505);
      assert.equal(runB.status, 'FAILED');
      assert.equal(runB.end_time, Math.round((START_B + 60) * 1000));

      // Points that sort before those already sent (same step, earlier time): the sent prefix no
      // longer matches, so the server's history decides what is new.
      appendEvents(a, RUN_A, [500, 600, 700].map((ms, i) => ({ t: 'metrics' as const, step: 0, time: (Math.round(START_A * 1000) + ms) / 1000, values: { acc: -i - 1 } })));
      const reordered = await cli(a, ['mlflow', 'push', RUN_A, '--uri', server!.uri, '--json']);
      assert.equal(reordered.code, 0, reordered.err);
      assert.equal((JSON.parse(reordered.out) as { points: number }).points, 3);
      const runA = readBack(server!).runs.find((r) => r.tags['exptrack.run_id'] === RUN_A)!;
      assert.equal(runA.histories.acc!.length, 53);

      const store = await openStore(a);
      for (const [uid, key] of [[RUN_B, 'val/acc'], [RUN_A, 'acc']] as const) pointsA.set(`${uid}/${key}`, store.metricPoints(uid, key));
      localA.set(RUN_B, store.getRun(RUN_B)!);
      localA.set(RUN_A, store.getRun(RUN_A)!);
      store.close();
    });

    it('pulls the experiment into a fresh workspace with the same values, and not back into the one that pushed it', async () => {
      const b = tempWorkspace('exptrack-mlflow-b-');
      roots.push(b);
      const pulled = await cli(b, ['mlflow', 'pull', '--experiment', EXPERIMENT, '--uri', server!.uri]);
      assert.equal(pulled.code, 0, pulled.err);
      assert.match(pulled.out, /sync-test: 2 new, 0 updated, 0 unchanged, 0 pushed from here/);

      const store = await openStore(b);
      try {
        const runs = store.listRuns();
        assert.equal(runs.length, 2);
        for (const summary of runs) {
          const remote = store.getRun(summary.uid)!;
          const local = localA.get(remote.tags['exptrack.run_id']!)!;
          assert.match(remote.uid, /^mlflow-[0-9a-f]{32}$/);
          assert.equal(remote.sourceKind, 'mlflow-server');
          assert.equal(remote.name, local.name);
          assert.equal(remote.experiment, EXPERIMENT);
          assert.equal(remote.status, local.status);
          assert.equal(remote.started, local.started);
          assert.equal(remote.ended, local.ended);
          assert.deepEqual(remote.params, local.params);
          assert.deepEqual(remote.git, local.git);
          assert.deepEqual(remote.command, local.command);
          assert.equal(remote.user, local.user);
          for (const [key, value] of Object.entries(local.tags)) assert.equal(remote.tags[key], value);
          const keys = local.metrics.map((m) => m.key).filter((k) => k !== 'acc@1');
          assert.deepEqual(remote.metrics.map((m) => m.key), keys);
          for (const key of keys) {
            // Exactly the local points: steps, times, and values with NaN and ±Infinity as they were.
            assert.deepEqual(store.metricPoints(remote.uid, key), pointsA.get(`${local.uid}/${key}`), `${local.name}/${key}`);
          }
          if (local.uid === RUN_A) {
            assert.equal(fs.readFileSync(path.join(b, remote.runDir!, 'stdout.log'), 'utf8'), 'epoch 1 loss=0.5\nepoch 2 loss=0.4\n');
            assert.equal(fs.readFileSync(path.join(b, remote.runDir!, 'code.patch'), 'utf8'), 'diff --git a/train.py b/train.py\n+lr = 0.01\n');
          }
        }
      } finally {
        store.close();
      }

      const again = await cli(b, ['mlflow', 'pull', '--experiment', EXPERIMENT, '--uri', server!.uri]);
      assert.match(again.out, /sync-test: 0 new, 0 updated, 2 unchanged/);
      const home = await cli(a, ['mlflow', 'pull', '--experiment', EXPERIMENT, '--uri', server!.uri]);
      assert.match(home.out, /sync-test: 0 new, 0 updated, 0 unchanged, 2 pushed from here/);
      assert.ok(!fs.readdirSync(path.join(a, '.exptrack', 'runs')).some((d) => d.startsWith('mlflow-')));
    });

    it('resumes a push killed midway without sending any point twice', async () => {
      const c = tempWorkspace('exptrack-mlflow-c-');
      roots.push(c);
      const uid = '20261122-020000-cccccccc';
      const total = 40_000;
      appendEvents(c, uid, [{ t: 'run', v: 1, id: uid, name: 'big', experiment: EXPERIMENT, started: START_A }, ...metricEvents('big/loss', 0, total, START_A),
        { t: 'end', status: 'finished', ended: START_A + 200 }]);
      const stateFile = path.join(c, '.exptrack', 'mlflow-sync.json');
      const child = spawn(process.execPath, ['-r', 'tsx/cjs', path.join(REPO_ROOT, 'src/cli/main.ts'), '--workspace', c, 'mlflow', 'push', uid, '--uri', server!.uri],
        { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr!.on('data', (d) => (stderr += d));
      let exited = false;
      child.once('exit', () => (exited = true));
      let sentAtKill = -1;
      while (!exited) {
        try {
          const count = (JSON.parse(fs.readFileSync(stateFile, 'utf8')) as { servers: Record<string, { runs: Record<string, { metrics: Record<string, { count: number }> }> }> })
            .servers[server!.uri]?.runs[uid]?.metrics['big/loss']?.count ?? 0;
          if (count >= 3_000) {
            child.kill('SIGKILL');
            sentAtKill = count;
            break;
          }
        } catch {
          // not written yet, or caught mid-rename
        }
        await new Promise((r) => setTimeout(r, 5));
      }
      assert.ok(sentAtKill > 0, `the push finished before it could be killed: ${stderr}`);
      await new Promise<void>((resolve) => (exited ? resolve() : child.once('exit', () => resolve())));

      const client = new MlflowRestClient(parseTrackingUri(server!.uri));
      const state = JSON.parse(fs.readFileSync(stateFile, 'utf8')) as { servers: Record<string, { runs: Record<string, { remoteRunId: string; incomplete?: boolean }> }> };
      const remoteRunId = state.servers[server!.uri]!.runs[uid]!.remoteRunId;
      assert.equal(state.servers[server!.uri]!.runs[uid]!.incomplete, true);
      // The server may still be writing the batch that was in flight when the push died: wait until its count holds still.
      let onServer = -1;
      for (let previous = -2; onServer !== previous;) {
        previous = onServer;
        await new Promise((r) => setTimeout(r, 700));
        onServer = (await client.getMetricHistory(remoteRunId, 'big/loss')).length;
      }
      assert.ok(onServer >= sentAtKill && onServer < total, `${onServer} points on the server after the kill`);

      const resumed = await cli(c, ['mlflow', 'push', uid, '--uri', server!.uri, '--json']);
      assert.equal(resumed.code, 0, resumed.err);
      const report = JSON.parse(resumed.out) as { points: number; runs: { remote: string }[] };
      assert.equal(report.runs[0]!.remote, 'existing');
      assert.equal(report.points, total - onServer, 'only the points the server did not have were sent');
      const history = await client.getMetricHistory(remoteRunId, 'big/loss');
      assert.equal(history.length, total);
      assert.equal(new Set(history.map((m) => `${m.step}`)).size, total);
      for (const m of history.slice(0, 2000)) {
        const expected = sqlStoreValue(valueAt(Number(m.step)));
        assert.deepEqual(m.value === 'NaN' ? 'NaN' : m.value, expected);
      }
      const run = await client.getRun(remoteRunId);
      assert.equal(run.info.status, 'FINISHED');
      assert.equal((await client.searchRuns({ experimentIds: [run.info.experiment_id], filter: `tags.\`exptrack.run_id\` = '${uid}'` })).items.length, 1, 'one remote run');
    });
  });

  describe('registered models and aliases', () => {
    it('pushes versions (with their runs) and aliases, and pulls them into another workspace', async () => {
      const d = tempWorkspace('exptrack-mlflow-models-');
      roots.push(d);
      const uid = '20261122-040000-dddddddd';
      appendEvents(d, uid, [
        { t: 'run', v: 1, id: uid, name: 'trainer', experiment: 'models-exp', started: START_A },
        ...metricEvents('val_acc', 0, 3, START_A),
        { t: 'model', name: 'churn', path: 'out/model.onnx' },
        { t: 'end', status: 'finished', ended: START_A + 10 },
      ]);
      const promoted = await cli(d, ['promote', 'churn', '1', '--alias', 'staging', '--reason', 'first candidate']);
      assert.equal(promoted.code, 0, promoted.err);

      const pushed = await cli(d, ['mlflow', 'push', '--models', '--uri', server!.uri]);
      assert.equal(pushed.code, 0, pushed.err);
      assert.match(pushed.out, /model churn v1 ↔ MLflow version 1: created/);
      assert.match(pushed.out, /model churn alias "staging" → version 1: set/);
      const client = new MlflowRestClient(parseTrackingUri(server!.uri));
      const remote = (await client.getRegisteredModel('churn'))!;
      assert.deepEqual(remote.aliases, [{ alias: 'staging', version: '1' }]);
      const [version] = (await client.searchModelVersions('churn')).items;
      const state = JSON.parse(fs.readFileSync(path.join(d, '.exptrack', 'mlflow-sync.json'), 'utf8')) as { servers: Record<string, { runs: Record<string, { remoteRunId: string }> }> };
      const remoteRunId = state.servers[server!.uri]!.runs[uid]!.remoteRunId;
      assert.equal(version!.run_id, remoteRunId);
      assert.equal(version!.source, `runs:/${remoteRunId}/model.onnx`);

      const again = await cli(d, ['mlflow', 'push', '--models', '--uri', server!.uri]);
      assert.equal(again.code, 0, again.err);
      assert.match(again.out, /models: nothing to change/);
      assert.equal((await client.searchModelVersions('churn')).items.length, 1);

      const e = tempWorkspace('exptrack-mlflow-models-pull-');
      roots.push(e);
      const pulled = await cli(e, ['mlflow', 'pull', '--experiment', 'models-exp', '--models', '--uri', server!.uri]);
      assert.equal(pulled.code, 0, pulled.err);
      assert.match(pulled.out, /model churn v1 ↔ MLflow version 1: registered/);
      const store = await openStore(e);
      try {
        const churn = store.modelRegistry().models.find((m) => m.name === 'churn')!;
        assert.equal(churn.versions.length, 1);
        assert.equal(churn.versions[0]!.runUid, `mlflow-${remoteRunId}`);
        assert.deepEqual(churn.versions[0]!.aliases, ['staging']);
      } finally {
        store.close();
      }
      const pulledAgain = await cli(e, ['mlflow', 'pull', '--models', '--uri', server!.uri]);
      assert.equal(pulledAgain.code, 0, pulledAgain.err);
      assert.match(pulledAgain.out, /models: nothing to change/);
    });
  });
});
