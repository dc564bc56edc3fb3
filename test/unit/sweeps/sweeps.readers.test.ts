/**
 * KerasTuner and Hydra folders, sweep names and nested runs made here to reach what the fixtures do
 * not have: a project without oracle.json, a damaged trial file, Hydra's override grammar, runs
 * grouped by `exptrack.sweep`, best trials and Pareto fronts with ties and NaN.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseOverride } from '../../../src/core/ingest/readers/hydra/overridesReader';
import { Store } from '../../../src/core/store/store';
import { bestTrials, directionFromName } from '../../../src/core/sweeps/objectives';
import { tempDir } from '../ingest/importSupport';

function write(root: string, rel: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  fs.writeFileSync(path.join(root, rel), text);
}

function ktTrial(id: string, score: number | string, values: Record<string, unknown>, status = 'COMPLETED'): string {
  return `{"trial_id": "${id}", "hyperparameters": {"space": [], "values": ${JSON.stringify(values)}}, "metrics": {"metrics": {"val_loss": {"direction": "min", "observations": [{"value": [${score}], "step": 3}]}, "loss": {"direction": "min", "observations": [{"value": [0.5], "step": 3}]}}}, "score": ${score}, "best_step": 3, "status": "${status}"}`;
}

describe('sweeps read from folders made here', () => {
  let root: string;
  let store: Store;
  beforeEach(async () => {
    root = tempDir('exptrack-sweeps-');
    store = (await Store.open({ workspaceRoot: root, dbPath: null })).store;
  });
  afterEach(() => {
    store.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('KerasTuner without oracle.json: a warning names the project, and every readable trial is kept', () => {
    write(root, 'tuning/proj/trial_0/trial.json', ktTrial('0', 0.75, { units: 32 }));
    write(root, 'tuning/proj/trial_1/trial.json', ktTrial('1', 'NaN', { units: 64 }));
    write(root, 'tuning/proj/trial_2/trial.json', ktTrial('2', 0.25, { units: 96 }, 'RUNNING'));
    write(root, 'tuning/proj/trial_3/trial.json', '{"trial_id": "3", "hyperparameters": {"values": {"units": 1');
    const report = store.ingest();
    assert.deepEqual(report.problems.map((p) => [p.path, p.line, p.severity]), [
      ['tuning/proj/trial_1/trial.json', 1, 'info'],
      ['tuning/proj/trial_3/trial.json', 1, 'warning'],
    ]);
    const [s] = store.listStudies();
    assert.deepEqual([s!.name, s!.experiment, s!.tuner, s!.trials.map((t) => [t.number, t.state, t.values[0]])], [
      'proj', 'tuning', undefined, [[0, 'complete', 0.75], [1, 'complete', NaN], [2, 'running', 0.25]],
    ]);
    assert.deepEqual([s!.objectives, s!.best], [[{ name: 'val_loss', direction: 'minimize' }], [s!.trials[0]!.uid]], 'NaN is no best; a running trial neither');
    const missing = store.problems().filter((p) => p.severity === 'warning' && /oracle/.test(p.message));
    assert.deepEqual(missing.map((p) => [p.path, p.message]), [[
      'tuning/proj/trial_0/trial.json', 'KerasTuner project "proj" has no oracle.json: its 3 trials are shown, but its search space and tuner are unknown',
    ]]);
    write(root, 'tuning/proj/oracle.json', '{"hyperparameters": {"space": [{"class_name": "Int", "config": {"name": "units", "min_value": 32, "max_value": 128, "step": 32, "sampling": "linear"}}], "values": {}}, "ongoing_trials": {}}');
    store.ingest();
    assert.deepEqual(store.problems().filter((p) => /oracle/.test(p.message)), [], 'the warning goes once the oracle is there');
    assert.equal(store.listStudies()[0]!.tuner, 'RandomSearch');
    assert.deepEqual(store.studyDetail(s!.uid)!.params.map((p) => [p.name, p.distribution, p.inferred]), [['units', { kind: 'int', low: 32, high: 128, log: false, step: 32 }, false]]);
  });

  it('Hydra overrides: key=value, +add, ++force, ~delete, quotes, null, lists', () => {
    assert.deepEqual(['a.b=1', '+c=x y', '++d=0.5', '~e', "f='1'", 'g=null', 'h=[1,2]', 'i=true', 'no-equals'].map(parseOverride), [
      { key: 'a.b', value: 1 }, { key: 'c', value: 'x y' }, { key: 'd', value: 0.5 }, null, { key: 'f', value: '1' }, { key: 'g', value: null },
      { key: 'h', value: [1, 2] }, { key: 'i', value: true }, undefined,
    ]);
  });

  it('a Hydra job with a CSV of steps; a CSV beside no .hydra/ is someone else\'s', () => {
    write(root, 'multirun/2026-01-01/10-00-00/0/.hydra/overrides.yaml', '- lr=0.1\n- model=small\n');
    write(root, 'multirun/2026-01-01/10-00-00/0/losses.csv', 'step,val_loss,note\n0,0.9,start\n1,0.5,\n');
    write(root, 'multirun/2026-01-01/10-00-00/1/.hydra/overrides.yaml', '- lr=0.01\n- model=small\n');
    write(root, 'multirun/2026-01-01/10-00-00/1/losses.csv', 'step,val_loss\n0,0.8\n1,0.3\n2,0.2\n');
    write(root, 'multirun/notes/7/table.csv', 'a,b\n1,2\n');
    // Hydra writes no end: a job counts as done once its files have not changed for a while.
    const hourAgo = Date.now() / 1000 - 3600;
    for (const f of fs.readdirSync(root, { recursive: true }) as string[]) fs.utimesSync(path.join(root, f), hourAgo, hourAgo);
    const report = store.ingest();
    assert.deepEqual(report.problems.map((p) => [p.path, p.severity, p.message]), [
      ['multirun/2026-01-01/10-00-00/0/losses.csv', 'info', '1 cell(s) that are not numbers passed over (columns note)'],
    ]);
    const [s] = store.listStudies();
    assert.deepEqual([s!.name, s!.objectives, s!.objectiveOrigin], ['2026-01-01/10-00-00', [{ name: 'val_loss', direction: 'minimize' }], 'inferred']);
    assert.deepEqual(s!.trials.map((t) => [t.number, t.values[0]]), [[0, 0.5], [1, 0.2]]);
    assert.deepEqual(s!.best, [s!.trials[1]!.uid]);
    assert.equal(store.studyDetail(s!.uid)!.curveKey, 'val_loss');
    assert.equal(store.listRuns().length, 2);
  });

  it('runs started with one sweep name are a study; MLflow children of a child are a study of their own', () => {
    const run = (id: string, extra: string[]) => write(root, `.exptrack/runs/${id}/events.jsonl`, [
      `{"t":"run","v":1,"id":"${id}","name":"${id}","experiment":"exp","started":${1_700_000_000 + Number(id.slice(1))}}`, ...extra, '{"t":"end","status":"finished","ended":1800000000}', ''].join('\n'));
    run('r1', ['{"t":"tag","key":"exptrack.sweep","value":"lr-search"}', '{"t":"params","values":{"lr":0.1}}', '{"t":"metrics","step":0,"values":{"accuracy":0.7}}']);
    run('r2', ['{"t":"tag","key":"exptrack.sweep","value":"lr-search"}', '{"t":"params","values":{"lr":0.01}}', '{"t":"metrics","step":0,"values":{"accuracy":0.9}}']);
    run('r3', ['{"t":"params","values":{"lr":1}}']);
    const mlrun = (id: string, parent: string | null, acc: number) => {
      const dir = `mlruns/1/${id}`;
      write(root, `${dir}/meta.yaml`, `run_id: ${id}\nrun_name: ${id}\nexperiment_id: '1'\nstart_time: ${1_700_000_000_000 + acc * 1000}\nend_time: 1700000900000\nstatus: 3\nlifecycle_stage: active\n`);
      if (parent) write(root, `${dir}/tags/mlflow.parentRunId`, parent);
      write(root, `${dir}/metrics/val_loss`, `1700000000000 ${acc} 0\n`);
    };
    write(root, 'mlruns/1/meta.yaml', "experiment_id: '1'\nname: nested\nlifecycle_stage: active\n");
    mlrun('top', null, 9);
    mlrun('mid', 'top', 5);
    mlrun('leaf1', 'mid', 3);
    mlrun('leaf2', 'mid', 2);
    store.ingest();
    const studies = store.listStudies();
    const sweep = studies.find((s) => s.kind === 'sweep')!;
    assert.deepEqual([sweep.name, sweep.trials.map((t) => t.uid), sweep.objectives[0], sweep.best], ['lr-search', ['r1', 'r2'], { name: 'accuracy', direction: 'maximize' }, ['r2']]);
    const nested = studies.filter((s) => s.kind === 'mlflow').map((s) => [s.parentRun, s.trials.map((t) => t.uid), s.best]);
    assert.deepEqual(nested.sort(), [
      ['mlflow:mid', ['mlflow:leaf2', 'mlflow:leaf1'], ['mlflow:leaf2']],
      ['mlflow:top', ['mlflow:mid'], ['mlflow:mid']],
    ]);
  });
});

describe('best trials', () => {
  const t = (number: number, values: (number | null)[], state: 'complete' | 'pruned' = 'complete') => ({ uid: `t${number}`, number, state, values });

  it('one objective: the best by direction, the first among equals, NaN and unfinished trials never', () => {
    const trials = [t(0, [NaN]), t(1, [0.5]), t(2, [0.2]), t(3, [0.2]), t(4, [0.01], 'pruned'), t(5, [null])];
    assert.deepEqual(bestTrials(trials, ['minimize']), ['t2']);
    assert.deepEqual(bestTrials(trials, ['maximize']), ['t1']);
    assert.deepEqual(bestTrials([t(0, [NaN])], ['minimize']), []);
  });

  it('several objectives: the Pareto front, equal trials both kept, NaN the worst', () => {
    const trials = [t(0, [1, 5]), t(1, [2, 2]), t(2, [5, 1]), t(3, [3, 3]), t(4, [2, 2]), t(5, [0.5, NaN])];
    assert.deepEqual(bestTrials(trials, ['minimize', 'minimize']), ['t0', 't1', 't2', 't4', 't5']);
    assert.deepEqual(bestTrials(trials, ['maximize', 'minimize']), ['t2']);
  });

  it('directions from names: losses and errors down, accuracies and scores up', () => {
    assert.deepEqual(['val_loss', 'mae', 'val_accuracy', 'f1', 'NetLiq', 'episode_reward'].map(directionFromName),
      ['minimize', 'minimize', 'maximize', 'maximize', 'minimize', 'maximize']);
  });
});
