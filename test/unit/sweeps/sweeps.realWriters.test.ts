/**
 * Sweeps against their real writers from PyPI (requirements-test.txt, in .venv): Optuna runs
 * studies into a SQLite database and a journal file while the index reads them after every trial,
 * as the extension's file watcher has it do, and the studies it shows must be what Optuna says
 * at the end (states, values, parameters, best trial or Pareto front). MLflow writes nested runs
 * two levels deep, each parent run a study of its children.
 */
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { StoreClient } from '../../../src/core/store/storeClient';
import type { StudySummary } from '../../../src/shared/sweepTypes';
import { tempDir } from '../ingest/importSupport';

const PYTHON = path.resolve(__dirname, '../../../.venv/bin/python');
const WORKER = path.join(__dirname, '../helpers/storeWorkerFromSource.cjs');
const PY_ENV = { ...process.env, MLFLOW_ALLOW_FILE_STORE: 'true', MLFLOW_TRACKING_URI: 'file:./mlruns', PYTHONUNBUFFERED: '1', GIT_PYTHON_REFRESH: 'quiet' };

/** Fails (never skips) when a writer is missing: CI installs them, and a skipped test would hide it. */
function requireModule(module: string): void {
  assert.ok(fs.existsSync(PYTHON), `${PYTHON} is missing: run bash scripts/setup-test-host.sh`);
  const probe = spawnSync(PYTHON, ['-c', `import ${module}`], { encoding: 'utf8', env: PY_ENV });
  assert.equal(probe.status, 0, `${module} is not installed in .venv (pip install -r requirements-test.txt): ${probe.stderr.trim().split('\n').at(-1)}`);
}

/**
 * Two studies per storage, a trial at a time, a line on stdout after each: "single" (one objective,
 * intermediate values, pruned and failed trials) and "pareto" (two objectives, failed trials).
 * At the end, what Optuna itself reads back from the storage.
 */
const OPTUNA_SCRIPT = `
import json, math, sys, optuna
from optuna.storages import JournalStorage
from optuna.storages.journal import JournalFileBackend
optuna.logging.set_verbosity(optuna.logging.ERROR)
kind, target, seed, trials = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
storage = ("sqlite:///" + target) if kind == "sqlite" else JournalStorage(JournalFileBackend(target))

def single(trial):
    x = trial.suggest_float("x", -5, 5)
    lr = trial.suggest_float("lr", 1e-4, 1e-1, log=True)
    layers = trial.suggest_int("layers", 1, 4)
    opt = trial.suggest_categorical("optimizer", ["adam", "sgd", "rmsprop"])
    if trial.number % 7 == 3:
        raise RuntimeError("diverged")
    value = (x - 1) ** 2 + layers * 0.1 + (0.5 if opt == "sgd" else 0) + abs(math.log10(lr) + 2)
    for step in range(4):
        trial.report(value + (3 - step), step)
        if trial.number % 5 == 4 and step == 1:
            raise optuna.TrialPruned()
    return value

def pareto(trial):
    a = trial.suggest_float("a", 0, 1)
    b = trial.suggest_int("b", 0, 10, step=2)
    if trial.number % 6 == 5:
        raise ValueError("bad config")
    return a + b * 0.05, (1 - a) ** 2 + (10 - b) * 0.03

studies = [
    optuna.create_study(study_name="single", storage=storage, direction="minimize", sampler=optuna.samplers.RandomSampler(seed=seed)),
    optuna.create_study(study_name="pareto", storage=storage, directions=["minimize", "minimize"], sampler=optuna.samplers.RandomSampler(seed=seed)),
]
for i in range(trials):
    for study, fn in zip(studies, [single, pareto]):
        study.optimize(fn, n_trials=1, catch=(RuntimeError, ValueError))
        print(json.dumps({"study": study.study_name, "trials": i + 1}), flush=True)

def state(t):
    return {"COMPLETE": "complete", "PRUNED": "pruned", "FAIL": "failed", "RUNNING": "running", "WAITING": "waiting"}[t.state.name]

out = []
for s in optuna.get_all_study_summaries(storage):
    study = optuna.load_study(study_name=s.study_name, storage=storage)
    best = [study.best_trial.number] if len(study.directions) == 1 else sorted(t.number for t in study.best_trials)
    out.append({"name": study.study_name, "directions": [d.name.lower() for d in study.directions], "best": best,
                "trials": [{"number": t.number, "state": state(t), "values": t.values, "params": t.params,
                            "intermediate": len(t.intermediate_values)} for t in study.trials]})
print(json.dumps({"done": out}), flush=True)
`;

interface OptunaTrial { number: number; state: string; values: number[] | null; params: Record<string, unknown>; intermediate: number }
interface OptunaStudy { name: string; directions: string[]; best: number[]; trials: OptunaTrial[] }

const TRIALS = 24;

describe('Sweeps written by their real writers (PyPI) → Store', function () {
  this.timeout(240_000);
  let root: string;
  beforeEach(() => (root = tempDir('exptrack-sweep-writers-')));
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  for (const kind of ['sqlite', 'journal'] as const) {
    it(`Optuna ${kind === 'sqlite' ? 'SQLite' : 'journal'} storage: two studies read after every trial while Optuna writes them, then exactly what Optuna reads back`, async () => {
      requireModule('optuna');
      const file = path.join(root, kind === 'sqlite' ? 'study.db' : 'optuna_journal.log');
      const seed = Date.now() % 100_000;
      const { client } = await StoreClient.start({ workerPath: WORKER, workspaceRoot: root, dbPath: null });
      const child = spawn(PYTHON, ['-c', OPTUNA_SCRIPT, kind, file, String(seed), String(TRIALS)], { cwd: root, env: PY_ENV, stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += String(d)));
      const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
      const counts = (studies: StudySummary[], name: string) => studies.find((s) => s.name === name)?.trials.length ?? 0;
      let done: OptunaStudy[] | undefined;
      let reads = 0;
      try {
        for await (const line of readline.createInterface({ input: child.stdout })) {
          const msg = JSON.parse(line) as { study?: string; trials?: number; done?: OptunaStudy[] };
          if (msg.done) {
            done = msg.done;
            continue;
          }
          // As the watcher would: the file changed, read it (again, a moment later, while a write is under way).
          const deadline = Date.now() + 10_000;
          for (;;) {
            await client.call('ingest', [file]);
            reads++;
            if (counts(await client.call('listStudies'), msg.study!) >= msg.trials!) break;
            assert.ok(Date.now() < deadline, `trial ${msg.trials} of ${msg.study} not in the index after 10 s (seed ${seed})`);
            await new Promise((r) => setTimeout(r, 50));
          }
        }
        assert.equal(await exited, 0, stderr);
        await client.call('ingest', [file]);
        assert.ok(done, 'Optuna printed the studies it reads back');
        const studies = await client.call('listStudies');
        assert.deepEqual(studies.map((s) => s.name).sort(), ['pareto', 'single']);
        for (const expected of done) {
          const study = studies.find((s) => s.name === expected.name)!;
          const what = `${kind} ${expected.name} (seed ${seed})`;
          assert.equal(study.kind, 'optuna');
          assert.equal(study.objectiveOrigin, 'stated');
          assert.deepEqual(study.objectives.map((o) => o.direction), expected.directions, what);
          assert.deepEqual(study.trials.map((t) => [t.number, t.state]), expected.trials.map((t) => [t.number, t.state]), what);
          for (const state of ['complete', 'pruned', 'failed'] as const) {
            assert.equal(study.counts[state], expected.trials.filter((t) => t.state === state).length, `${what}: ${state}`);
          }
          const byNumber = new Map(study.trials.map((t) => [t.number, t]));
          for (const t of expected.trials) {
            const mine = byNumber.get(t.number)!;
            if (t.state === 'complete') assert.deepEqual(mine.values, t.values, `${what}: trial ${t.number}'s values`);
            const run = (await client.call('getRun', mine.uid))!;
            assert.deepEqual(run.params, t.params, `${what}: trial ${t.number}'s params`);
            const intermediate = run.metrics.find((m) => m.key === 'intermediate_value')?.count ?? 0;
            assert.equal(intermediate, t.intermediate, `${what}: trial ${t.number}'s intermediate values`);
          }
          assert.deepEqual(study.best.map((uid) => byNumber.get(study.trials.find((t) => t.uid === uid)!.number)!.number).sort((a, b) => a - b), expected.best, `${what}: best`);
        }
        const single = done.find((s) => s.name === 'single')!;
        assert.ok(['pruned', 'failed', 'complete'].every((s) => single.trials.some((t) => t.state === s)), 'the study has every state');
        assert.ok(reads >= TRIALS * 2, `read after every trial (${reads} reads)`);
      } finally {
        child.kill();
        await client.close();
      }
    });
  }

  it('MLflow: nested runs two levels deep are a study per parent, the inner ones inside the outer one', async () => {
    requireModule('mlflow');
    const script = `
import json, mlflow
mlflow.set_experiment("nested")
with mlflow.start_run(run_name="search") as top:
    for i in range(3):
        with mlflow.start_run(run_name=f"lr-{i}", nested=True) as mid:
            mlflow.log_param("lr", 10 ** -(i + 1))
            for j in range(2):
                with mlflow.start_run(run_name=f"lr-{i}-seed-{j}", nested=True) as leaf:
                    mlflow.log_params({"lr": 10 ** -(i + 1), "seed": j})
                    mlflow.log_metric("val_loss", 1.0 / (i + 1) + j * 0.01)
            mlflow.log_metric("val_loss", 1.0 / (i + 1))
print(json.dumps({"top": top.info.run_id}))
`;
    const done = spawnSync(PYTHON, ['-c', script], { cwd: root, env: PY_ENV, encoding: 'utf8', timeout: 120_000 });
    assert.equal(done.status, 0, done.stderr);
    const top = `mlflow:${(JSON.parse(done.stdout.trim().split('\n').at(-1)!) as { top: string }).top}`;
    const { client } = await StoreClient.start({ workerPath: WORKER, workspaceRoot: root, dbPath: null });
    try {
      await client.call('ingest');
      const studies = (await client.call('listStudies')).filter((s) => s.kind === 'mlflow');
      assert.equal(studies.length, 4, 'the top run and its 3 children are parents');
      const outer = studies.find((s) => s.parentRun === top)!;
      assert.ok(outer, 'a study for the top run');
      assert.equal(outer.trials.length, 3);
      const runs = await Promise.all(outer.trials.map(async (t) => (await client.call('getRun', t.uid))!));
      assert.deepEqual(runs.map((r) => r.name).sort(), ['lr-0', 'lr-1', 'lr-2']);
      for (const mid of outer.trials) {
        const inner = studies.find((s) => s.parentRun === mid.uid);
        assert.ok(inner, `a study for child ${mid.uid}`);
        assert.equal(inner.trials.length, 2);
        assert.equal(inner.counts.complete, 2);
        assert.deepEqual(inner.objectives, [{ name: 'val_loss', direction: 'minimize' }]);
        assert.equal(inner.objectiveOrigin, 'inferred');
        const best = (await client.call('getRun', inner.best[0]!))!;
        assert.match(best.name, /-seed-0$/, 'the lower loss of the two seeds');
      }
      const bestMid = (await client.call('getRun', outer.best[0]!))!;
      assert.equal(bestMid.name, 'lr-2', 'the child with the lowest val_loss');
    } finally {
      await client.close();
    }
  });
});
