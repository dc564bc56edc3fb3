/**
 * Every study under ../shared/fixtures/sweeps/, indexed through the Store, against the numbers in
 * the fixtures README's "Sweeps" section (and, for the Pareto front, the repository's own export).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { StudySummary } from '../../../src/shared/sweepTypes';
import { FIXTURES, fixtureWorkspace } from '../ingest/importSupport';
import { describeWithFixtures } from '../../support/fixtures';

describeWithFixtures('Sweep fixtures', () => {
  let ws: Awaited<ReturnType<typeof fixtureWorkspace>>;
  let studies: StudySummary[];
  before(async () => {
    ws = await fixtureWorkspace(['sweeps']);
    studies = ws.store.listStudies();
  });
  after(() => ws.close());

  const study = (kind: string, pathPart: string, name?: string) => {
    const found = studies.filter((s) => s.kind === kind && s.path.includes(pathPart) && (name === undefined || s.name === name));
    assert.equal(found.length, 1, `one ${kind} study at ${pathPart} ${name ?? ''}: ${found.map((s) => s.uid).join(', ')}`);
    return found[0]!;
  };
  const bestOf = (s: StudySummary) => s.trials.filter((t) => s.best.includes(t.uid));

  it('finds 12 studies: 3 KerasTuner projects, 5 Optuna studies, 3 MLflow parents, 1 Hydra multirun', () => {
    const kinds = studies.map((s) => s.kind).sort();
    assert.deepEqual(kinds, ['hydra', 'keras-tuner', 'keras-tuner', 'keras-tuner', 'mlflow', 'mlflow', 'mlflow', 'optuna', 'optuna', 'optuna', 'optuna', 'optuna']);
  });

  it('problems: only the 5 BayesOpt trial files with a bare Infinity, as info', () => {
    const problems = ws.report.problems;
    assert.deepEqual(problems.map((p) => [p.path.replace(/^.*untitled_project\//, ''), p.severity]).sort(), [
      ['trial_000/trial.json', 'info'], ['trial_008/trial.json', 'info'], ['trial_013/trial.json', 'info'], ['trial_017/trial.json', 'info'], ['trial_027/trial.json', 'info'],
    ]);
    assert.ok(problems.every((p) => /Infinity or NaN/.test(p.message)));
    assert.deepEqual(ws.store.problems().filter((p) => p.severity !== 'info'), []);
  });

  describe('KerasTuner', () => {
    it('1.0.x Hyperband: 30 trials, objective val_accuracy (max, inferred), brackets and rounds rebuilt from the trials', () => {
      const s = study('keras-tuner', 'kt1_0x_hyperband_fmnist');
      assert.deepEqual([s.name, s.tuner, s.trials.length, s.counts.complete], ['intro_to_kt', 'Hyperband', 30, 30]);
      assert.deepEqual([s.objectives, s.objectiveOrigin], [[{ name: 'val_accuracy', direction: 'maximize' }], 'inferred']);
      const shape = new Map<string, number>();
      for (const t of s.trials) shape.set(`${t.bracket}/${t.round}`, (shape.get(`${t.bracket}/${t.round}`) ?? 0) + 1);
      assert.deepEqual(Object.fromEntries([...shape].sort()), { '0/0': 4, '1/0': 6, '1/1': 2, '2/0': 12, '2/1': 4, '2/2': 2 });
      assert.deepEqual(s.trials.map((t) => t.number), [...Array(30).keys()], 'numbered bracket by bracket, round by round');
      // A promoted trial continues a trial of the round before, with the same hyperparameters.
      const promoted = s.trials.filter((t) => (t.round ?? 0) > 0);
      assert.equal(promoted.length, 8);
      for (const t of promoted) {
        const from = s.trials.find((x) => x.uid === t.continues);
        assert.ok(from, `${t.uid} continues a trial of the study`);
        assert.deepEqual([from.bracket, from.round], [t.bracket, t.round! - 1]);
        assert.deepEqual(ws.store.getRun(t.uid)!.params, ws.store.getRun(from.uid)!.params);
      }
      const best = bestOf(s);
      assert.deepEqual(best.map((t) => [t.uid.replace(/^.*\//, ''), t.values]), [['bfc3bdc41ad5d08c38dda21e6bf1450d', [0.8891666531562805]]]);
      const run = ws.store.getRun(best[0]!.uid)!;
      assert.deepEqual(Object.keys(run.params).sort(), ['learning_rate', 'units']);
      assert.equal(run.metrics.find((m) => m.key === 'val_accuracy')!.last, 0.8891666531562805);
    });

    it('1.1.x RandomSearch: 20 trials 00..19, objective val_loss (min; the score equals val_mean_squared_error too), names with spaces', () => {
      const s = study('keras-tuner', 'kt1_1x_randomsearch_rbf');
      assert.deepEqual([s.tuner, s.trials.length, s.counts.complete, s.objectives, s.objectiveOrigin],
        ['RandomSearch', 20, 20, [{ name: 'val_loss', direction: 'minimize' }], 'inferred']);
      assert.deepEqual(s.trials.map((t) => t.uid.slice(-2)), Array.from({ length: 20 }, (_, i) => String(i).padStart(2, '0')));
      assert.deepEqual(bestOf(s).map((t) => [t.number, t.values]), [[13, [35.54623794555664]]]);
      assert.deepEqual(ws.store.getRun(s.trials[0]!.uid)!.params, { 'rbf neurons': 151, 'hidden neurons': 64, dropout: 0.5 });
    });

    it('≥ 1.4.5 BayesianOptimization: 100 trials, objective val_loss (min), Infinity scores kept as the worst', () => {
      const s = study('keras-tuner', 'kt1_4x_bayesopt_lstm');
      assert.deepEqual([s.tuner, s.trials.length, s.counts.complete, s.objectives[0]], ['BayesianOptimization', 100, 100, { name: 'val_loss', direction: 'minimize' }]);
      assert.deepEqual(bestOf(s).map((t) => [t.number, t.values]), [[29, [0.001136003527790308]]]);
      const infinite = s.trials.filter((t) => t.values[0] === Infinity).map((t) => t.number);
      assert.ok(infinite.includes(27), 'trial 027 scored Infinity');
      assert.equal(ws.store.getRun(s.trials[27]!.uid)!.metrics.find((m) => m.key === 'loss')!.last, Infinity);
    });
  });

  describe('Optuna', () => {
    const journal = 'optuna/journal_4studies_ga_cnn/optuna_journal_weights_ga.log';

    it('journal: 4 studies from 15 CREATE_STUDY lines, 176 trials (157/6/12/1), all maximised', () => {
      const names = ['ga_configuration_optimization', 'cnn_optimization_none', 'cnn_optimization_ga', 'cnn_optimization_random'];
      const found = names.map((n) => study('optuna', journal, n));
      assert.deepEqual(found.map((s) => s.trials.length), [157, 6, 12, 1]);
      assert.ok(found.every((s) => s.objectiveOrigin === 'stated' && s.objectives.length === 1 && s.objectives[0]!.direction === 'maximize'));
      assert.deepEqual(found.map((s) => s.uid.replace(/^.*#/, '')), ['0', '1', '2', '3'], 'study ids in order of first creation');
      assert.deepEqual(found.map((s) => [s.counts.complete, s.counts.pruned, s.counts.failed, s.counts.running]), [[58, 98, 1, 0], [6, 0, 0, 0], [10, 0, 2, 0], [1, 0, 0, 0]]);
      assert.deepEqual(found.map((s) => bestOf(s).map((t) => [t.number, t.values[0]])), [
        [[112, 0.33093083399327594]], [[3, 0.5049999952316284]], [[10, 0.5049999952316284]], [[0, 0.5]],
      ]);
    });

    it('journal: 1684 parameters (categoricals decoded), 191 intermediate values, pruned trials valued by their last report, failed ones none', () => {
      const all = studies.filter((s) => s.path.endsWith('optuna_journal_weights_ga.log'));
      let params = 0;
      let intermediate = 0;
      for (const s of all) {
        for (const t of s.trials) {
          const run = ws.store.getRun(t.uid)!;
          params += Object.keys(run.params).length;
          intermediate += run.metrics.find((m) => m.key === 'intermediate_value')?.count ?? 0;
        }
      }
      assert.deepEqual([params, intermediate], [1684, 191]);
      const ga = study('optuna', journal, 'ga_configuration_optimization');
      const pruned = ga.trials.filter((t) => t.state === 'pruned');
      assert.ok(pruned.every((t) => typeof t.values[0] === 'number'));
      const failed = ga.trials.find((t) => t.state === 'failed')!;
      assert.deepEqual(failed.values, [null]);
      const cnn = study('optuna', journal, 'cnn_optimization_none');
      assert.ok(cnn.trials.every((t) => ['adam', 'rmsprop', 'sgd'].includes(ws.store.getRun(t.uid)!.params.optimizer as string)));
      assert.equal(ws.store.getRun(pruned[0]!.uid)!.status, 'killed');
    });

    it('SQLite (Optuna 4.6): 1 study, 3 minimised objectives named MAE, RMSE, MAPE, 125 trials (122 complete, 3 failed)', () => {
      const s = study('optuna', 'optuna_study.db');
      assert.deepEqual([s.name, s.trials.length, s.counts.complete, s.counts.failed], ['stock_lstm_optuna', 125, 122, 3]);
      assert.deepEqual(s.objectives, ['MAE', 'RMSE', 'MAPE'].map((name) => ({ name, direction: 'minimize' })));
      assert.equal(s.trials.filter((t) => t.values.every((v) => v !== null)).length * 3, 366, '366 value rows');
      const failed = s.trials.filter((t) => t.state === 'failed');
      assert.ok(failed.every((t) => t.values.every((v) => v === null) && Object.keys(ws.store.getRun(t.uid)!.params).length > 0));
    });

    it('SQLite: the Pareto front is trial 105, as the repository\'s pareto_trials.csv says, with its decoded parameters', () => {
      const s = study('optuna', 'optuna_study.db');
      const [header, row] = fs.readFileSync(path.join(FIXTURES, 'sweeps/optuna/sqlite_nsga2_3objectives/pareto_trials.csv'), 'utf8').trim().split('\n');
      assert.ok(header!.startsWith('trial_number,MAE,RMSE,MAPE'));
      const cells = row!.split(',');
      const best = bestOf(s);
      assert.deepEqual(best.map((t) => [t.number, ...t.values]), [[Number(cells[0]), Number(cells[1]), Number(cells[2]), Number(cells[3])]]);
      const run = ws.store.getRun(best[0]!.uid)!;
      assert.deepEqual(run.params, {
        sequence_length: 50, hidden_size: 256, num_layers: 2, dropout: 0.2257264486294864, learning_rate: 0.004382289465422788, batch_size: 32, max_epochs: 60, patience: 25,
      });
      assert.deepEqual([run.tags.checkpoint_path, Number(run.tags.val_loss_best)], ['checkpoints_v2/trial_105.pt', Number(cells[4])]);
    });
  });

  it('MLflow nested runs: 3 parents × 10 children, objective validation_accuracy (max, inferred), best child per parent', () => {
    const nested = studies.filter((s) => s.kind === 'mlflow');
    assert.equal(nested.length, 3);
    assert.ok(nested.every((s) => s.trials.length === 10 && s.counts.complete === 10 && s.name === 'Optuna_MNIST_Hyperparameter_Tuning'));
    assert.ok(nested.every((s) => s.objectiveOrigin === 'inferred' && s.objectives[0]!.name === 'validation_accuracy' && s.objectives[0]!.direction === 'maximize'));
    const byParent = Object.fromEntries(nested.map((s) => [s.parentRun!.slice('mlflow:'.length, 'mlflow:'.length + 4), bestOf(s)[0]!.values[0]]));
    assert.deepEqual(byParent, { '7cee': 0.9446666666666667, d209: 0.9446666666666667, d779: 0.9496190476190476 });
    // The parents that logged it say the same best value.
    for (const s of nested) {
      const logged = ws.store.getRun(s.parentRun!)!.metrics.find((m) => m.key === 'best_validation_accuracy');
      if (logged) assert.equal(logged.last, bestOf(s)[0]!.values[0]);
    }
    assert.equal(ws.store.listRuns().filter((r) => r.uid.startsWith('mlflow:') && r.sourcePath?.includes('mlflow_nested')).length, 33);
  });

  it('the Runs table grouped by study: one group per study with its counts and best trial, the runs of none last', () => {
    const r = ws.store.runsTable({ filter: '', sort: [], columns: [], groupBy: { kind: 'study' }, pinned: [] });
    assert.ok(r.ok);
    const groups = r.groups!;
    assert.equal(groups.filter((g) => g.label !== null).length, 12);
    assert.equal(groups.at(-1)!.label, null, 'the MLflow parent runs, trials of no study, last');
    assert.deepEqual(groups.find((g) => g.label?.startsWith('cnn_optimization_ga ')), { label: 'cnn_optimization_ga · 10 complete · 2 failed · best #10 value=0.505', count: 12 });
    assert.deepEqual(groups.find((g) => g.label?.startsWith('stock_lstm_optuna ')), { label: 'stock_lstm_optuna · 122 complete · 3 failed · Pareto front: 1 trial', count: 125 });
    const ga = r.rows.filter((row) => row.group === 'cnn_optimization_ga · 10 complete · 2 failed · best #10 value=0.505');
    assert.equal(ga.length, 12);
    // The best trial's own row is marked too; with several objectives, each trial of the front.
    const gaStudy = study('optuna', 'journal_4studies_ga_cnn', 'cnn_optimization_ga');
    const number10 = gaStudy.trials.find((t) => t.number === 10)!.uid;
    assert.deepEqual(ga.filter((row) => row.best).map((row) => [row.uid, row.best]), [[number10, 'best']]);
    const lstm = r.rows.filter((row) => row.group?.startsWith('stock_lstm_optuna '));
    assert.deepEqual(lstm.filter((row) => row.best).map((row) => row.best), ['pareto']);
    const ungrouped = ws.store.runsTable({ filter: '', sort: [], columns: [], groupBy: null, pinned: [] });
    assert.ok(ungrouped.ok && ungrouped.rows.every((row) => row.best === undefined), 'marked only when grouped by study');
  });

  it('Hydra 1.1 multirun: 4 jobs 0..3 with their 7 overrides as parameters and monitoring.csv as metrics; no objective', () => {
    const s = study('hydra', 'optionsuite_hydra1_1_joblib');
    assert.deepEqual([s.name, s.trials.map((t) => t.number), s.objectiveOrigin, s.best], ['backTester 2022-05-27/21-45-14', [0, 1, 2, 3], 'none', []]);
    const runs = s.trials.map((t) => ws.store.getRun(t.uid)!);
    assert.deepEqual(runs.map((r) => [r.params['strategy.optimalDTE'], r.params['strategy.riskManagement']]),
      [[24, 'CLOSE_AT_50_PERCENT'], [24, 'HOLD_TO_EXPIRATION'], [45, 'CLOSE_AT_50_PERCENT'], [45, 'HOLD_TO_EXPIRATION']]);
    assert.ok(runs.every((r) => Object.keys(r.params).length === 7 && r.params['strategy.optPutToSellDelta'] === -0.175));
    assert.deepEqual(runs.map((r) => r.metrics.find((m) => m.key === 'NetLiq')!.count), [3161, 3162, 3162, 3160]);
    assert.equal(runs[0]!.metrics.length, 10);
  });
});
