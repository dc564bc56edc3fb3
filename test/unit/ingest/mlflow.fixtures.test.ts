/** Every MLflow fixture store, indexed through the Store; expected values were read from the files with a separate script. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { mlflowModelMetricReader } from '../../../src/core/ingest/readers/mlflow/modelMetricReader';
import { FIXTURES, fixtureWorkspace, readWhole, summaryOf } from './importSupport';
import { describeWithFixtures } from '../../support/fixtures';

describeWithFixtures('MLflow file store fixtures', () => {
  let ws: Awaited<ReturnType<typeof fixtureWorkspace>>;
  before(async () => (ws = await fixtureWorkspace(['mlflow'])));
  after(() => ws.close());

  const runsOf = (prefix: string) => ws.store.listRuns({ includeHidden: true }).filter((r) => r.sourcePath?.startsWith(prefix));

  it('reads them all without problems', () => {
    assert.deepEqual(ws.report.problems, []);
  });

  it('MLflow 1.x Keras autolog: FAILED run named by its mlflow.runName tag, 25 params, 30 epochs of 4 metrics', () => {
    const runs = runsOf('mlflow/mlflow1x_keras_autolog/');
    assert.equal(runs.length, 1);
    const run = ws.store.getRun('mlflow:51115b2ec9804a3d905c44403c6156a0')!;
    assert.deepEqual([run.name, run.experiment, run.status, run.started, run.ended, run.user, run.sourceKind],
      ['exp001', 'exp001', 'failed', 1623308182.625, 1623308235.407, 'futabato', 'mlflow']);
    assert.equal(run.sourcePath, 'mlflow/mlflow1x_keras_autolog/mlruns/1/51115b2ec9804a3d905c44403c6156a0');
    assert.equal(Object.keys(run.params).length, 25);
    assert.deepEqual([run.params.opt_learning_rate, run.params.metrics, run.params.class_weight, run.params.shuffle, run.params.epochs],
      [0.001, "['accuracy']", 'None', true, 30]);
    assert.equal(Object.keys(run.tags).length, 5);
    const uid = run.uid;
    assert.deepEqual(summaryOf(ws.store, uid, 'accuracy'), [30, 0.9991272687911987, 29]);
    assert.deepEqual(summaryOf(ws.store, uid, 'loss'), [30, 0.0029488434083759785, 29]);
    assert.deepEqual(summaryOf(ws.store, uid, 'val_accuracy'), [30, 0.9801999926567078, 29]);
    assert.deepEqual(summaryOf(ws.store, uid, 'val_loss'), [30, 0.11839914321899414, 29]);
    const first = ws.store.metricPoints(uid, 'loss')[0]!;
    assert.deepEqual(first, { step: 0, time: 1623308185.36, value: 0.2609947919845581 });
  });

  it('MLflow 1.2x on Windows: a run left RUNNING with end_time null and no name', () => {
    const runs = runsOf('mlflow/mlflow_running_run_windows/');
    assert.equal(runs.length, 1);
    const run = ws.store.getRun('mlflow:cb0096518b0e4c66a94428555f05420b')!;
    assert.deepEqual([run.status, run.started, run.ended, run.user, run.experiment], ['running', 1664364007.025, null, 'Administrator', 'Default']);
    assert.equal(run.name, 'cb0096518b0e4c66a94428555f05420b');
    assert.deepEqual(run.params, {
      AUGMENTATION: true, BATCH_SIZE: 16, CLASSES: 2, EPOCHS: 1, IMAGE_SIZE: [224, 224, 3], INCLUDE_TOP: false, LEARNING_RATE: 0.01, WEIGHTS: 'imagenet',
    });
    assert.deepEqual(summaryOf(ws.store, run.uid, 'accuracy'), [1, 0.7858095765113831, 0]);
    assert.deepEqual(summaryOf(ws.store, run.uid, 'loss'), [1, 3.2727866172790527, 0]);
  });

  it('MLflow 2.16: 13 FINISHED runs with run_name, custom tags and metric_0..4', () => {
    const runs = runsOf('mlflow/mlflow2_iris_notebook/');
    assert.equal(runs.length, 13);
    assert.ok(runs.every((r) => r.status === 'finished' && r.experiment === 'MLOps_CA_2'));
    assert.deepEqual(runs.map((r) => r.name).sort(), [
      'DT', 'DecisionTree', 'LogRegression', 'LogisticRegression', 'RF', 'RF', 'RandomForest', 'SVM', 'SVM', 'SVM_Kernel', 'SVM_kernel',
      'righteous-zebra-248', 'suave-boar-183',
    ]);
    const svm = ws.store.getRun('mlflow:8595f7931d3943f4a7ee038c1728c2c3')!;
    assert.deepEqual([svm.started, svm.ended], [1731484585.579, 1731484589.64]);
    assert.equal(Object.keys(svm.tags).length, 9);
    assert.deepEqual([svm.tags.tag1, svm.tags.tag2, svm.tags.tag3], ['SVM_kernel', 'Randomized Search CV', 'Production']);
    assert.deepEqual(summaryOf(ws.store, svm.uid, 'metric_3'), [1, 0.005040884017944336, 0]);
    const rf = ws.store.getRun('mlflow:425b6205924e4d7ebf10791f8edd827d')!;
    assert.deepEqual(rf.metrics.map((m) => [m.key, m.count, m.last]), [
      ['metric_0', 1, 0.975], ['metric_1', 1, 0.9666666666666667], ['metric_2', 1, 0.9629629629629629],
      ['metric_3', 1, 0.9583333333333334], ['metric_4', 1, 0.4286799430847168],
    ]);
    const points = runs.reduce((n, r) => n + ws.store.getRun(r.uid)!.metrics.reduce((s, m) => s + m.count, 0), 0);
    assert.equal(points, 50);
  });

  it('MLflow 3.1: two runs, duplicated metric lines counted once, params and tags', () => {
    const runs = runsOf('mlflow/mlflow3_registry_iris/');
    assert.deepEqual(runs.map((r) => [r.name, r.status, r.started, r.ended]).sort(), [
      ['luminous-hen-24', 'finished', 1753616860.306, 1753616865.13],
      ['rare-newt-593', 'finished', 1753616850.24, 1753616860.297],
    ]);
    const rf = ws.store.getRun('mlflow:fd160e7ab17b4da0a70bb7a1c0a5b5a3')!;
    assert.deepEqual(rf.params, { max_depth: 3, n_estimators: 100 });
    assert.deepEqual([rf.user, rf.git.commit, rf.tags.model], ['Dhivya Shankar', 'c4b266ed278f7fd74a851d1931c0ffa0150a1742', 'RandomForest']);
    assert.deepEqual(ws.store.metricPoints(rf.uid, 'accuracy'), [{ step: 0, time: 1753616860.571, value: 1 }]);
    assert.deepEqual(summaryOf(ws.store, 'mlflow:0ff4a018217a4522a883f1fac53ebb5d', 'accuracy'), [1, 0.9666666666666667, 0]);
  });

  it('MLflow 3 logged-model metrics carry the run id as a fourth field and do not double the run points', () => {
    const base = 'mlflow/mlflow3_registry_iris/mlruns/222440962282538811/models';
    const models = [
      ['m-917c21ba74b6488aa15474cbf4d1e1b4', 'fd160e7ab17b4da0a70bb7a1c0a5b5a3', 1753616860.571, 1],
      ['m-99ae68a99f3d412b8991af42ee8f79dc', '0ff4a018217a4522a883f1fac53ebb5d', 1753616850.424, 0.9666666666666667],
    ] as const;
    for (const [model, runId, time, value] of models) {
      const rel = `${base}/${model}/metrics/accuracy`;
      // In the fixture copy the run has its own accuracy file: nothing is added.
      const out = readWhole(mlflowModelMetricReader, path.join(ws.root, rel), rel);
      assert.deepEqual([out.batches, out.problems, out.lines], [[], [], 1]);
      // Without it (the reader is given a path whose run folder does not exist) the point goes to the named run.
      const detached = readWhole(mlflowModelMetricReader, path.join(FIXTURES, rel), rel);
      assert.deepEqual(detached.batches, []);
      const moved = mlflowModelMetricReader.read({
        path: `/nonexistent/${rel}`, relPath: rel, bytes: fs.readFileSync(path.join(FIXTURES, rel)), offset: 0, line: 1, state: undefined, atEnd: true,
      });
      const detachedOut = moved;
      assert.equal(detachedOut.batches[0]!.runUid, `mlflow:${runId}`);
      assert.deepEqual(detachedOut.batches[0]!.events, [{ t: 'metrics', step: 0, time, values: { accuracy: value } }]);
    }
  });

  it('reads the model registry: versions, sources resolved into the local store, run links', () => {
    const rows = ws.store.database.exec(`SELECT m.name, m.version, r.uid, m.path FROM model_versions m LEFT JOIN runs r ON r.id = m.run_id
      WHERE m.origin = 'external' ORDER BY m.name, m.version`)[0]!.values;
    assert.deepEqual(rows, [
      ['SVMClassifier', 1, 'mlflow:8595f7931d3943f4a7ee038c1728c2c3', 'mlflow/mlflow2_iris_notebook/mlruns/853099972095872099/8595f7931d3943f4a7ee038c1728c2c3/artifacts/model'],
      ['iris_model', 1, 'mlflow:fd160e7ab17b4da0a70bb7a1c0a5b5a3', 'mlflow/mlflow3_registry_iris/mlruns/222440962282538811/models/m-917c21ba74b6488aa15474cbf4d1e1b4/artifacts'],
      ['iris_model', 2, 'mlflow:fd160e7ab17b4da0a70bb7a1c0a5b5a3', 'mlflow/mlflow3_registry_iris/mlruns/222440962282538811/models/m-917c21ba74b6488aa15474cbf4d1e1b4/artifacts'],
    ]);
    assert.equal(ws.store.database.exec('SELECT count(*) FROM external_aliases')[0]!.values[0]![0], 0);
  });
});
