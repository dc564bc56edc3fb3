/**
 * Real notebooks executed in Jupyter, Colab and VS Code (fixtures/notebooks, non-ASCII names):
 * every run, tag and metric point the importer finds. Expected values were read off the printed
 * outputs in the files.
 */
import * as assert from 'node:assert/strict';
import { fixtureWorkspace } from './importSupport';
import { describeWithFixtures } from '../../support/fixtures';

const DVCLIVE = 'nb:notebooks/dvclive-exp-tracking/dvclive-exp-tracking.ipynb';
const IRIS = 'nb:notebooks/mlflow-iris/Iris_Classification_Experiment.ipynb';
const PRUNING = 'nb:notebooks/willismax/21.模型優化_剪枝_Pruning_.ipynb';
const SERVING = 'nb:notebooks/willismax/27.TensorFlow_Serving_REST_API_鐵人賽示範.ipynb';

describeWithFixtures('Notebook fixtures', () => {
  let ws: Awaited<ReturnType<typeof fixtureWorkspace>>;
  before(async () => (ws = await fixtureWorkspace(['notebooks'])));
  after(() => ws.close());

  const points = (uid: string) => Object.fromEntries(ws.store.getRun(uid)!.metrics.map((m) => [
    m.key, ws.store.metricPoints(uid, m.key).map((p) => [p.step, p.value]),
  ]));

  it('finds one finished notebook run per executed notebook, without problems', () => {
    assert.deepEqual(ws.report.problems, []);
    assert.equal(ws.report.sourcesSeen, 4);
    const runs = ws.store.listRuns().map((r) => [r.uid, r.name, r.experiment, r.status, r.sourceKind, r.sourcePath]).sort();
    assert.deepEqual(runs, [
      [DVCLIVE, 'dvclive-exp-tracking.ipynb', 'notebooks/dvclive-exp-tracking', 'finished', 'notebook', DVCLIVE.slice(3)],
      [IRIS, 'Iris_Classification_Experiment.ipynb', 'notebooks/mlflow-iris', 'finished', 'notebook', IRIS.slice(3)],
      [PRUNING, '21.模型優化_剪枝_Pruning_.ipynb', 'notebooks/willismax', 'finished', 'notebook', PRUNING.slice(3)],
      [SERVING, '27.TensorFlow_Serving_REST_API_鐵人賽示範.ipynb', 'notebooks/willismax', 'finished', 'notebook', SERVING.slice(3)],
    ].sort());
  });

  it('nbformat 4.5 (VS Code): the tqdm postfix of a Lightning fit, at its epoch', () => {
    assert.deepEqual(ws.store.getRun(DVCLIVE)!.tags, { 'notebook.executed_cells': '5' });
    assert.deepEqual(points(DVCLIVE), { loss: [[4, 0.0501]] });
  });

  it('nbformat 4.2 with counts 150–181 and two unrun cells: the printed scores', () => {
    assert.deepEqual(ws.store.getRun(IRIS)!.tags, { 'notebook.executed_cells': '13' });
    assert.deepEqual(points(IRIS), {
      Accuracy: [[0, 0.9666666666666667]], Precision: [[0, 0.9629629629629629]], Recall: [[0, 0.9583333333333334]],
    });
  });

  it('nbformat 4.0 from Colab: Keras fit and evaluate lines over several cells', () => {
    assert.deepEqual(ws.store.getRun(PRUNING)!.tags, { 'notebook.executed_cells': '25' });
    assert.deepEqual(points(PRUNING), {
      accuracy: [[0, 0.9153], [1, 0.9544], [1, 0.9569], [2, 0.9631], [2, 0.9667]],
      loss: [[0, 0.304], [1, 0.15], [1, 0.164], [2, 0.1232], [2, 0.1097]],
      val_accuracy: [[1, 0.9717], [2, 0.9752]],
      val_loss: [[1, 0.1084], [2, 0.0985]],
    });
  });

  it('nbformat 4.0 with a GPU accelerator: five epochs, the evaluation and saved_model_cli output', () => {
    assert.deepEqual(ws.store.getRun(SERVING)!.tags, { 'notebook.executed_cells': '16' });
    assert.deepEqual(points(SERVING), {
      StatefulPartitionedCall: [[5, 0]],
      'Test accuracy': [[5, 0.515500009059906]],
      loss: [[1, 1.7449], [2, 1.522], [3, 1.4336], [4, 1.3628], [5, 1.3165], [5, 1.3758]],
      serving_default_Conv1_input: [[5, 0]],
      sparse_categorical_accuracy: [[1, 0.3896], [2, 0.4709], [3, 0.5014], [4, 0.5241], [5, 0.54], [5, 0.5155]],
    });
  });
});
