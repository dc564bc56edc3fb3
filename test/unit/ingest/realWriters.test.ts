/**
 * The importers against the real writers from PyPI (requirements-test.txt, installed in .venv by
 * scripts/setup-test-host.sh): MLflow's tracking client, tensorboardX and dvclive write runs with
 * random values (NaN and ±inf included) into a temp workspace; the Store must give back exactly
 * what was written. A live test checks that points appended by a running writer reach the index
 * within a second, polled the way the extension's file watcher asks for them.
 */
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { Store } from '../../../src/core/store/store';
import { StoreClient } from '../../../src/core/store/storeClient';
import { tempDir } from './importSupport';

const PYTHON = path.resolve(__dirname, '../../../.venv/bin/python');
const WORKER = path.join(__dirname, '../helpers/storeWorkerFromSource.cjs');
/** MLflow 3.7+ refuses the file store unless asked for it. */
const PY_ENV = { ...process.env, MLFLOW_ALLOW_FILE_STORE: 'true', MLFLOW_TRACKING_URI: 'file:./mlruns', PYTHONUNBUFFERED: '1', GIT_PYTHON_REFRESH: 'quiet' };

/** Why the writer cannot be used here (the test is skipped with this), or undefined. */
function missingWriter(module: string): string | undefined {
  if (!fs.existsSync(PYTHON)) return `${PYTHON} is missing: run bash scripts/setup-test-host.sh`;
  const probe = spawnSync(PYTHON, ['-c', `import ${module}`], { encoding: 'utf8', env: PY_ENV });
  return probe.status === 0 ? undefined : `${module} is not installed in .venv (pip install -r requirements-test.txt): ${probe.stderr.trim().split('\n').at(-1)}`;
}

/** Skips the test, saying why, when the writer is not installed. */
function skipWithout(ctx: Mocha.Context, module: string): void {
  const missing = missingWriter(module);
  if (!missing) return;
  console.log(`      skipped: ${missing}`);
  ctx.skip();
}

function runPython(script: string, cwd: string, spec: unknown): unknown {
  const done = spawnSync(PYTHON, ['-c', script], { cwd, input: JSON.stringify(spec), encoding: 'utf8', env: PY_ENV, timeout: 120_000 });
  assert.equal(done.status, 0, `python failed:\n${done.stderr}`);
  return JSON.parse(done.stdout.trim().split('\n').at(-1)!);
}

/** A small seeded generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SEED = Number(process.env.EXPTRACK_TEST_SEED ?? Date.now() % 100_000);

/** `count` values of every magnitude, with NaN, Infinity and -Infinity at random places. */
function randomValues(rand: () => number, count: number): number[] {
  const values = Array.from({ length: count }, () => (rand() - 0.5) * 10 ** Math.floor(rand() * 12 - 6));
  for (const special of [NaN, Infinity, -Infinity]) values[Math.floor(rand() * count)] = special;
  return values;
}

/** Increasing steps with gaps. */
function randomSteps(rand: () => number, count: number): number[] {
  let step = Math.floor(rand() * 5);
  return Array.from({ length: count }, () => (step += 1 + Math.floor(rand() * 3)));
}

/** JSON cannot hold NaN/±inf: they travel as Python's float() spellings. */
const toWire = (v: number): number | string => (Number.isFinite(v) ? v : Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf');

const sameValues = (actual: number[], expected: number[], what: string) =>
  assert.deepEqual(actual.map(String), expected.map(String), `${what} (seed ${SEED})`);

describe('Real writers from PyPI → Store', function () {
  this.timeout(120_000);
  let root: string;
  beforeEach(() => (root = tempDir('exptrack-writers-')));
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('MLflow (file store): runs, params, tags, statuses and every metric point with its step and time', async function () {
    skipWithout(this, 'mlflow');
    const rand = random(SEED);
    const runs = ['FINISHED', 'FAILED', 'KILLED'].map((status, r) => {
      const metrics = Object.fromEntries(['loss', 'val/acc'].map((key) => {
        const n = 5 + Math.floor(rand() * 40);
        const steps = randomSteps(rand, n);
        const values = randomValues(rand, n);
        return [key, steps.map((s, i) => [s, values[i]!, 1_700_000_000_000 + r * 1_000_000 + i * 1000 + Math.floor(rand() * 999)] as const)];
      }));
      return { name: `run ${r} é`, status, params: { lr: rand() / 100, batch: 1 + Math.floor(rand() * 512), optimizer: 'adam', shuffle: rand() < 0.5 }, metrics };
    });
    const ids = runPython(`
import json, sys, mlflow
from mlflow.tracking import MlflowClient
spec = json.load(sys.stdin)
client = MlflowClient()
mlflow.set_experiment("random writers")
ids = []
for run in spec:
    with mlflow.start_run(run_name=run["name"]) as active:
        mlflow.log_params(run["params"])
        mlflow.set_tag("seed", "${SEED}")
        for key, points in run["metrics"].items():
            for step, value, ts in points:
                client.log_metric(active.info.run_id, key, float(value), timestamp=ts, step=step)
        ids.append(active.info.run_id)
    client.set_terminated(active.info.run_id, status=run["status"])
print(json.dumps(ids))
`, root, runs.map((r) => ({ ...r, metrics: Object.fromEntries(Object.entries(r.metrics).map(([k, ps]) => [k, ps.map(([s, v, t]) => [s, toWire(v), t])])) }))) as string[];

    const { store } = await Store.open({ workspaceRoot: root, dbPath: null });
    try {
      const report = store.ingest();
      assert.deepEqual(report.problems, []);
      assert.deepEqual(store.listRuns().map((r) => r.uid).sort(), ids.map((id) => `mlflow:${id}`).sort());
      runs.forEach((run, r) => {
        const uid = `mlflow:${ids[r]}`;
        const detail = store.getRun(uid)!;
        assert.deepEqual([detail.name, detail.experiment, detail.status], [run.name, 'random writers', run.status.toLowerCase()]);
        assert.deepEqual(detail.params, run.params);
        assert.equal(detail.tags.seed, String(SEED));
        for (const [key, points] of Object.entries(run.metrics)) {
          const got = store.metricPoints(uid, key);
          assert.equal(got.length, points.length, `${uid} ${key} count`);
          assert.deepEqual(got.map((p) => [p.step, p.time]), points.map(([s, , t]) => [s, t / 1000]), `${key} steps and times (seed ${SEED})`);
          sameValues(got.map((p) => p.value), points.map(([, v]) => v), `${uid} ${key} values`);
          const summary = detail.metrics.find((m) => m.key === key)!;
          assert.deepEqual([summary.count, summary.lastStep], [points.length, points.at(-1)![0]]);
        }
      });
    } finally {
      store.close();
    }
  });

  it('tensorboardX: scalars of several tags at their steps, as float32, and the train/validation pair', async function () {
    skipWithout(this, 'tensorboardX');
    const rand = random(SEED + 1);
    const series = (key: string) => {
      const n = 5 + Math.floor(rand() * 60);
      const steps = randomSteps(rand, n);
      const values = randomValues(rand, n);
      return { key, points: steps.map((s, i) => [s, values[i]!] as const) };
    };
    const spec = { 'logs/fit/train': [series('epoch_loss'), series('lr/group_0')], 'logs/fit/validation': [series('epoch_loss')], 'solo': [series('reward')] };
    runPython(`
import json, sys
from tensorboardX import SummaryWriter
spec = json.load(sys.stdin)
for folder, tags in spec.items():
    w = SummaryWriter(folder)
    for tag in tags:
        for step, value in tag["points"]:
            w.add_scalar(tag["key"], float(value), step)
    w.close()
print("[]")
`, root, Object.fromEntries(Object.entries(spec).map(([d, ts]) => [d, ts.map((t) => ({ key: t.key, points: t.points.map(([s, v]) => [s, toWire(v)]) }))])));

    const { store } = await Store.open({ workspaceRoot: root, dbPath: null });
    try {
      assert.deepEqual(store.ingest().problems, []);
      assert.deepEqual(store.listRuns().map((r) => r.uid).sort(), ['tb:logs/fit', 'tb:solo']);
      const expected: [string, string, readonly (readonly [number, number])[]][] = [
        ['tb:logs/fit', 'train/epoch_loss', spec['logs/fit/train'][0]!.points],
        ['tb:logs/fit', 'train/lr/group_0', spec['logs/fit/train'][1]!.points],
        ['tb:logs/fit', 'validation/epoch_loss', spec['logs/fit/validation'][0]!.points],
        ['tb:solo', 'reward', spec.solo[0]!.points],
      ];
      for (const [uid, key, points] of expected) {
        const got = store.metricPoints(uid, key);
        assert.deepEqual(got.map((p) => p.step), points.map(([s]) => s), `${uid} ${key} steps`);
        sameValues(got.map((p) => p.value), points.map(([, v]) => Math.fround(v)), `${uid} ${key} values`);
        assert.ok(got.every((p) => p.time !== null && Math.abs(p.time - Date.now() / 1000) < 600), 'wall times of the writing');
      }
      assert.deepEqual(store.getRun('tb:logs/fit')!.metrics.map((m) => m.key), ['train/epoch_loss', 'train/lr/group_0', 'validation/epoch_loss']);
    } finally {
      store.close();
    }
  });

  it('dvclive: params, every step of nested and flat metrics, and the summary', async function () {
    skipWithout(this, 'dvclive');
    const rand = random(SEED + 2);
    const n = 3 + Math.floor(rand() * 40);
    const loss = randomValues(rand, n);
    const acc = Array.from({ length: n }, () => rand());
    const params = { lr: rand() / 10, epochs: n, model: { layers: [64, 32], act: 'relu' } };
    runPython(`
import json, sys
from dvclive import Live
spec = json.load(sys.stdin)
with Live(save_dvc_exp=False) as live:
    live.log_params(spec["params"])
    for loss, acc in zip(spec["loss"], spec["acc"]):
        live.log_metric("train/loss", float(loss))
        live.log_metric("acc", acc)
        live.next_step()
print("[]")
`, root, { params, loss: loss.map(toWire), acc });

    const { store } = await Store.open({ workspaceRoot: root, dbPath: null });
    try {
      assert.deepEqual(store.ingest().problems, []);
      const runs = store.listRuns();
      assert.deepEqual(runs.map((r) => r.uid), ['dvclive:dvclive']);
      const detail = store.getRun('dvclive:dvclive')!;
      // Nested params are flattened with dots, as DVC names them (`model.layers`).
      assert.deepEqual(detail.params, { epochs: n, lr: params.lr, 'model.act': 'relu', 'model.layers': [64, 32] });
      const steps = Array.from({ length: n }, (_, i) => i);
      const lossPoints = store.metricPoints('dvclive:dvclive', 'train/loss');
      assert.deepEqual(lossPoints.map((p) => p.step), steps);
      sameValues(lossPoints.map((p) => p.value), loss, 'train/loss values');
      sameValues(store.metricPoints('dvclive:dvclive', 'acc').map((p) => p.value), acc, 'acc values');
      const summary = Object.fromEntries(detail.metrics.map((m) => [m.key, [m.count, m.lastStep]]));
      assert.deepEqual(summary['train/loss'], [n, n - 1]);
      assert.deepEqual(summary.acc, [n, n - 1]);
    } finally {
      store.close();
    }
  });

  describe('live: points appended by a running writer reach the index within a second', () => {
    const writers = [
      {
        name: 'MLflow', module: 'mlflow', file: (first: { path: string }) => first.path,
        script: `
import json, sys, time, os, mlflow
mlflow.set_experiment("live")
with mlflow.start_run() as run:
    path = os.path.join(run.info.artifact_uri.replace("file://", "").rsplit("/artifacts", 1)[0], "metrics", "loss")
    for i in range(POINTS):
        mlflow.log_metric("loss", [0.5, float("nan"), float("inf"), -float("inf")][i % 4] if i < 4 else 1.0 / (i + 1), step=i)
        print(json.dumps({"i": i, "t": time.time(), "path": path, "uid": "mlflow:" + run.info.run_id}), flush=True)
        time.sleep(0.25)
`,
        uid: () => undefined,
        key: 'loss',
      },
      {
        name: 'tensorboardX', module: 'tensorboardX', file: (first: { path: string }) => first.path,
        script: `
import json, sys, time, os, glob
from tensorboardX import SummaryWriter
w = SummaryWriter("tb/live")
path = glob.glob("tb/live/events.out.tfevents.*")[0]
for i in range(POINTS):
    w.add_scalar("loss", 1.0 / (i + 1), i)
    w.flush()
    print(json.dumps({"i": i, "t": time.time(), "path": os.path.abspath(path)}), flush=True)
    time.sleep(0.25)
w.close()
`,
        uid: () => 'tb:tb/live',
        key: 'loss',
      },
      {
        name: 'dvclive', module: 'dvclive', file: (first: { path: string }) => first.path,
        script: `
import json, sys, time, os
from dvclive import Live
with Live("live", save_dvc_exp=False) as live:
    for i in range(POINTS):
        live.log_metric("loss", 1.0 / (i + 1))
        live.next_step()
        print(json.dumps({"i": i, "t": time.time(), "path": os.path.abspath("live/plots/metrics/loss.tsv")}), flush=True)
        time.sleep(0.25)
`,
        uid: () => 'dvclive:live',
        key: 'loss',
      },
    ];

    for (const writer of writers) {
      it(writer.name, async function () {
        skipWithout(this, writer.module);
        const POINTS = 8;
        const { client } = await StoreClient.start({ workerPath: WORKER, workspaceRoot: root, dbPath: null });
        const child = spawn(PYTHON, ['-c', writer.script.replace('POINTS', String(POINTS))], { cwd: root, env: PY_ENV, stdio: ['ignore', 'pipe', 'pipe'] });
        let stderr = '';
        child.stderr.on('data', (d) => (stderr += String(d)));
        const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
        const latencies: number[] = [];
        try {
          let uid: string | undefined = writer.uid();
          for await (const line of readline.createInterface({ input: child.stdout })) {
            const written = JSON.parse(line) as { i: number; t: number; path: string; uid?: string };
            uid ??= written.uid;
            const file = writer.file(written);
            // As the watcher would: a change event for the file, then an ingest of that file, until the point shows.
            for (;;) {
              await client.call('ingest', [file]);
              const points = uid ? await client.call('metricPoints', uid, writer.key) : [];
              if (points.length > written.i) break;
              if (Date.now() - written.t * 1000 > 3000) assert.fail(`point ${written.i} not in the index after 3 s (${points.length} points)`);
              await new Promise((r) => setTimeout(r, 50));
            }
            latencies.push(Date.now() - written.t * 1000);
          }
          assert.equal(await exited, 0, stderr);
          assert.equal(latencies.length, POINTS);
          const points = await client.call('metricPoints', uid!, writer.key);
          assert.deepEqual(points.map((p) => p.step), Array.from({ length: POINTS }, (_, i) => i));
          console.log(`      written → indexed: ${latencies.map((l) => l.toFixed(0)).join(', ')} ms`);
          assert.ok(Math.max(...latencies) < 1000, `latencies ${latencies.join(', ')} ms`);
        } finally {
          child.kill();
          await client.close();
        }
      });
    }
  });
});
