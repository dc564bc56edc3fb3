/**
 * Sweeps: a 1,000-trial Optuna study written by Optuna into a journal file (8 parameters, pruned
 * trials with intermediate values), then, timed:
 *   ours       the journal read into a fresh index, the study grouped (listStudies) and its
 *              parameter importance computed (studyDetail), in this process;
 *   reference  Optuna itself in the same run: load_study from the same journal and
 *              get_param_importances (its default evaluator), timed inside Python.
 * Goal: ours ≤ 2 s.
 *
 *   npx tsx bench/sweeps.bench.ts [trials]
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Store } from '../src/core/store/store';

const TRIALS = Number(process.argv[2] ?? 1000);
const PYTHON = path.join(__dirname, '../.venv/bin/python');

const WRITE = `
import sys, optuna
from optuna.storages import JournalStorage
from optuna.storages.journal import JournalFileBackend
optuna.logging.set_verbosity(optuna.logging.ERROR)
storage = JournalStorage(JournalFileBackend(sys.argv[1]))
study = optuna.create_study(study_name="bench", storage=storage, direction="minimize", sampler=optuna.samplers.RandomSampler(seed=1))
def objective(t):
    x = t.suggest_float("x", -5, 5); y = t.suggest_float("y", -5, 5)
    lr = t.suggest_float("lr", 1e-5, 1e-1, log=True); layers = t.suggest_int("layers", 1, 8)
    units = t.suggest_int("units", 16, 512, log=True); drop = t.suggest_float("dropout", 0, 0.5, step=0.05)
    opt = t.suggest_categorical("optimizer", ["adam", "sgd", "rmsprop"]); act = t.suggest_categorical("activation", ["relu", "tanh"])
    v = (x - 1) ** 2 + 0.1 * y ** 2 + abs(__import__("math").log10(lr) + 3) + (0.3 if opt == "sgd" else 0) + 0.01 * layers
    if t.number % 5 == 4:
        for step in range(3): t.report(v + 3 - step, step)
        raise optuna.TrialPruned()
    return v
study.optimize(objective, n_trials=int(sys.argv[2]))
`;

const REFERENCE = `
import sys, time, json, optuna
from optuna.storages import JournalStorage
from optuna.storages.journal import JournalFileBackend
optuna.logging.set_verbosity(optuna.logging.ERROR)
t0 = time.perf_counter()
study = optuna.load_study(study_name="bench", storage=JournalStorage(JournalFileBackend(sys.argv[1])))
imp = optuna.importance.get_param_importances(study)
print(json.dumps({"ms": (time.perf_counter() - t0) * 1000, "top": list(imp)[:3]}))
`;

function line(what: string, ours: string, ref: string, ratio: number, goal: string): void {
  console.log(`${what.padEnd(58)} ${ours.padStart(10)}   ref ${ref.padStart(10)}   ratio ${ratio.toFixed(2)}   goal ${goal}`);
}

async function main(): Promise<void> {
  if (!fs.existsSync(PYTHON)) throw new Error(`${PYTHON} is missing: run bash scripts/setup-test-host.sh`);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'exptrack-sweeps-bench-'));
  try {
    const journal = path.join(root, 'optuna_journal.log');
    const written = spawnSync(PYTHON, ['-c', WRITE, journal, String(TRIALS)], { encoding: 'utf8' });
    if (written.status !== 0) throw new Error(`optuna failed: ${written.stderr}`);

    const ref = spawnSync(PYTHON, ['-c', REFERENCE, journal], { encoding: 'utf8' });
    if (ref.status !== 0) throw new Error(`optuna failed: ${ref.stderr}`);
    const reference = JSON.parse(ref.stdout.trim().split('\n').at(-1)!) as { ms: number; top: string[] };

    // The index is open (as in the extension) before the clock starts.
    const { store } = await Store.open({ workspaceRoot: root, dbPath: null });
    const t0 = performance.now();
    store.ingest([journal]);
    const t1 = performance.now();
    const [study] = store.listStudies();
    const t2 = performance.now();
    const detail = store.studyDetail(study!.uid);
    const oursMs = performance.now() - t0;
    console.log(`read ${(t1 - t0).toFixed(0)} ms · grouped ${(t2 - t1).toFixed(0)} ms · detail and importance ${(oursMs - (t2 - t0)).toFixed(0)} ms`);
    store.close();

    const top = detail?.importance && 'params' in detail.importance ? detail.importance.params.slice(0, 3).map((p) => p.name) : [];
    console.log(`study: ${study!.trials.length} trials (${study!.counts.complete} complete, ${study!.counts.pruned} pruned), ${fs.statSync(journal).size >> 10} KB journal`);
    console.log(`top 3 by importance: ours ${top.join(', ')} · Optuna ${reference.top.join(', ')}${top.join() === reference.top.join() ? ' (same order)' : ' (DIFFERENT)'}`);
    line(`S1 ${TRIALS}-trial journal: read, grouped, importance`, `${oursMs.toFixed(0)} ms`, `${reference.ms.toFixed(0)} ms`, oursMs / reference.ms, '<= 2000 ms (ref: Optuna load_study + get_param_importances)');
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
