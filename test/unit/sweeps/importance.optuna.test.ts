/**
 * Parameter importance and best trials against Optuna itself (optuna from PyPI, in .venv through
 * requirements-test.txt): the same top-3 order and the same values, on the Optuna fixtures read by
 * Optuna's own storages, on the other fixtures' studies rebuilt in Optuna from what ExpTrack read,
 * and on studies Optuna generates here with every kind of distribution.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ParamDistribution, StudyDetail } from '../../../src/shared/sweepTypes';
import { Store } from '../../../src/core/store/store';
import { fixtureWorkspace, tempDir } from '../ingest/importSupport';
import { describeWithFixtures } from '../../support/fixtures';

const PYTHON = path.resolve(__dirname, '../../../.venv/bin/python');
const SCRIPT = path.join(__dirname, 'optunaImportance.py');

interface OptunaAnswer {
  name: string;
  /** Generated studies: the journal written. */
  file?: string;
  importances: ([string, number][] | { error: string })[];
  best: number[];
}

function optuna(request: unknown): OptunaAnswer[] {
  const done = spawnSync(PYTHON, [SCRIPT], { input: JSON.stringify(request), encoding: 'utf8', timeout: 300_000 });
  assert.equal(done.status, 0, `optuna failed (pip install -r requirements-test.txt into .venv):\n${done.stderr}`);
  return JSON.parse(done.stdout.trim().split('\n').at(-1)!) as OptunaAnswer[];
}

/**
 * Same top-3 order as Optuna, and every importance within 1e-6 of Optuna's. Where Optuna cannot
 * tell (under 2 trials) it gives every parameter the same share; ExpTrack says why it gives none.
 */
function assertSameImportance(detail: StudyDetail, expected: OptunaAnswer['importances'][number], what: string): void {
  if (!Array.isArray(expected)) {
    assert.ok(detail.importance && 'reason' in detail.importance, `${what}: Optuna could not (${expected.error}), nor ExpTrack`);
    return;
  }
  if (detail.importance && 'reason' in detail.importance) {
    assert.ok(expected.every(([, v]) => v === expected[0]![1]), `${what}: ExpTrack gave none (${detail.importance.reason}) where Optuna ranked ${JSON.stringify(expected)}`);
    return;
  }
  assert.ok(detail.importance && 'params' in detail.importance, `${what}: ${JSON.stringify(detail.importance)}`);
  const ours = detail.importance.params;
  assert.deepEqual(ours.slice(0, 3).map((p) => p.name), expected.slice(0, 3).map(([name]) => name), `${what}: top 3`);
  const theirs = new Map(expected);
  for (const p of ours) assert.ok(Math.abs(p.importance - theirs.get(p.name)!) < 1e-6, `${what}: ${p.name} ${p.importance} vs ${theirs.get(p.name)}`);
  assert.equal(ours.length, expected.length, `${what}: the same parameters`);
}

function optunaJson(d: ParamDistribution): unknown {
  switch (d.kind) {
    case 'float':
      return { name: 'FloatDistribution', attributes: { low: d.low, high: d.high, log: d.log, step: d.step } };
    case 'int':
      return { name: 'IntDistribution', attributes: { low: d.low, high: d.high, log: d.log, step: d.step } };
    case 'categorical':
      return { name: 'CategoricalDistribution', attributes: { choices: d.choices } };
  }
}

/** A study as Optuna's create_trial can rebuild it: its complete trials with the parameters ExpTrack read. */
function rebuildSpec(detail: StudyDetail) {
  return {
    directions: detail.objectives.map((o) => o.direction),
    trials: detail.trials.flatMap((t, i) => {
      if (t.state !== 'complete' || t.values.some((v) => v === null || Number.isNaN(v))) return [];
      const params = Object.fromEntries(detail.params.filter((p) => p.values[i] !== undefined).map((p) => [p.name, p.values[i]]));
      const distributions = Object.fromEntries(detail.params.filter((p) => p.values[i] !== undefined).map((p) => [p.name, optunaJson(p.distribution)]));
      return [{ params, distributions, values: t.values.map((v) => (Number.isFinite(v) ? v : String(v))) }];
    }),
  };
}

function compareStudies(store: Store, uids: string[], answers: OptunaAnswer[], label: (i: number) => string): void {
  uids.forEach((uid, i) => {
    const answer = answers[i]!;
    const summary = store.listStudies().find((s) => s.uid === uid)!;
    answer.importances.forEach((expected, objective) => {
      assertSameImportance(store.studyDetail(uid, { objective })!, expected, `${label(i)} objective ${objective}`);
    });
    const best = summary.trials.filter((t) => summary.best.includes(t.uid)).map((t) => t.number).sort((a, b) => a - b);
    assert.deepEqual(best, answer.best, `${label(i)}: best trials`);
  });
}

describeWithFixtures('importance and best trials against Optuna, on the fixtures', function () {
  this.timeout(300_000);
  let ws: Awaited<ReturnType<typeof fixtureWorkspace>>;
  before(async () => (ws = await fixtureWorkspace(['sweeps'])));
  after(() => ws.close());

  for (const storage of ['sweeps/optuna/journal_4studies_ga_cnn/optuna_journal_weights_ga.log', 'sweeps/optuna/sqlite_nsga2_3objectives/optuna_study.db']) {
    it(`${path.basename(storage)}, read by Optuna's own storage`, () => {
      // A copy: Optuna's storages may write (a lock file, a schema check).
      const copy = path.join(tempDir('exptrack-optuna-'), path.basename(storage));
      fs.copyFileSync(path.join(ws.root, storage), copy);
      const answers = optuna({ mode: 'storage', url: copy.endsWith('.db') ? `sqlite:///${copy}` : copy });
      const ours = ws.store.listStudies().filter((s) => s.path === storage);
      assert.deepEqual(ours.map((s) => s.name).sort(), answers.map((a) => a.name).sort());
      const uids = answers.map((a) => ours.find((s) => s.name === a.name)!.uid);
      compareStudies(ws.store, uids, answers, (i) => answers[i]!.name);
      fs.rmSync(path.dirname(copy), { recursive: true, force: true });
    });
  }

  it('KerasTuner projects and MLflow parents, rebuilt in Optuna from the trials ExpTrack read', () => {
    const studies = ws.store.listStudies().filter((s) => s.kind === 'keras-tuner' || s.kind === 'mlflow');
    assert.equal(studies.length, 6);
    const details = studies.map((s) => ws.store.studyDetail(s.uid)!);
    const answers = optuna({ mode: 'trials', studies: details.map(rebuildSpec) });
    compareStudies(ws.store, studies.map((s) => s.uid), answers, (i) => `${studies[i]!.kind} ${studies[i]!.path}`);
  });
});

describe('importance and best trials against Optuna, on studies Optuna generates', function () {
  this.timeout(300_000);

  it('8 random studies (float, log, stepped, int, log int, categorical, a conditional parameter; either direction)', async () => {
    const root = tempDir('exptrack-generated-');
    const seed = Number(process.env.EXPTRACK_TEST_SEED ?? Date.now() % 100_000);
    try {
      const answers = optuna({ mode: 'generate', dir: root, seed, count: 8 });
      const { store } = await Store.open({ workspaceRoot: root, dbPath: null });
      try {
        assert.deepEqual(store.ingest().problems, []);
        for (const answer of answers) {
          const ours = store.listStudies().filter((s) => s.path === path.basename(answer.file!));
          assert.equal(ours.length, 1);
          compareStudies(store, [ours[0]!.uid], [answer], () => `${path.basename(answer.file!)} (seed ${seed})`);
        }
      } finally {
        store.close();
      }
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
