/** Where the Runs view puts runs once studies are known (src/extension/runs/studyLayout.ts, plain data). */
import * as assert from 'node:assert/strict';
import { placeRuns } from '../../../src/extension/runs/studyLayout';
import type { RunSummary } from '../../../src/shared/runTypes';
import { emptyCounts, type StudySummary } from '../../../src/shared/sweepTypes';

const run = (uid: string, experiment = 'exp'): RunSummary => ({ uid, name: uid, experiment, status: 'finished', started: 0 } as unknown as RunSummary);
const study = (uid: string, trials: string[], extra: Partial<StudySummary> = {}): StudySummary => ({
  uid, name: uid, kind: 'mlflow', path: 'mlruns', experiment: 'exp', objectives: [], objectiveOrigin: 'none', counts: emptyCounts(),
  trials: trials.map((t, i) => ({ uid: t, number: i, state: 'complete', values: [] })), best: [], ...extra,
});

describe('Runs view: runs placed in their studies', () => {
  it('a trial under its study, loose runs in their experiment, a study none of whose trials is shown left out', () => {
    const placed = placeRuns([run('a'), run('b'), run('loose', 'other')], [study('s1', ['a', 'b'], { best: ['b'] }), study('s2', ['hidden'])]);
    assert.deepEqual([...placed.keys()].sort(), ['exp', 'other']);
    const exp = placed.get('exp')!;
    assert.deepEqual(exp.studies.map((s) => [s.study.uid, s.trials.map((t) => [t.run.uid, t.best])]), [['s1', [['a', false], ['b', true]]]]);
    assert.deepEqual(exp.runs, []);
    assert.deepEqual(placed.get('other')!.runs.map((r) => r.uid), ['loose']);
  });

  it('MLflow parents nest two levels deep: the parent run is the study node, a child parent holds its own study', () => {
    const runs = ['top', 'mid1', 'mid2', 'leaf1', 'leaf2'].map((u) => run(u));
    const placed = placeRuns(runs, [
      study('outer', ['mid1', 'mid2'], { parentRun: 'top' }),
      study('inner', ['leaf1', 'leaf2'], { parentRun: 'mid1' }),
    ]);
    const exp = placed.get('exp')!;
    assert.equal(exp.studies.length, 1, 'the inner study is inside the outer one');
    const outer = exp.studies[0]!;
    assert.equal(outer.parent?.uid, 'top');
    assert.deepEqual(outer.trials.map((t) => [t.run.uid, t.nested?.study.uid]), [['mid1', 'inner'], ['mid2', undefined]]);
    assert.deepEqual(outer.trials[0]!.nested!.trials.map((t) => t.run.uid), ['leaf1', 'leaf2']);
    assert.deepEqual(exp.runs, [], 'every run placed once');
  });

  it('a study whose parent run is filtered out still shows its trials; a loop of parents ends', () => {
    const placed = placeRuns([run('leaf')], [study('s', ['leaf'], { parentRun: 'gone' })]);
    assert.deepEqual(placed.get('exp')!.studies.map((s) => [s.parent, s.trials.length]), [[undefined, 1]]);
    const loop = placeRuns([run('x'), run('y')], [study('sx', ['y'], { parentRun: 'x' }), study('sy', ['x'], { parentRun: 'y' })]);
    const all = [...loop.values()].flatMap((p) => [...p.runs.map((r) => r.uid), ...p.studies.flatMap((s) => [s.parent?.uid, ...s.trials.map((t) => t.run.uid)])]);
    assert.ok(all.length <= 4);
  });
});
