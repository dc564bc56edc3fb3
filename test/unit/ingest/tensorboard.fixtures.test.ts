/** Every TensorBoard event file among the fixtures; expected values come from a separate Python decoder. */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { tfeventsReader } from '../../../src/core/ingest/readers/tensorboard/tfeventsReader';
import { eventsOf, FIXTURES, fixtureWorkspace, readWhole, seriesOf, shape, summaryOf } from './importSupport';
import { describeWithFixtures } from '../../support/fixtures';

function readFixture(rel: string) {
  return readWhole(tfeventsReader, path.join(FIXTURES, rel), rel);
}

describeWithFixtures('TensorBoard fixtures', () => {
  let ws: Awaited<ReturnType<typeof fixtureWorkspace>>;
  before(async () => (ws = await fixtureWorkspace(['tensorboard', 'lightning'])));
  after(() => ws.close());

  it('reads them without problems', () => {
    assert.deepEqual(ws.report.problems, []);
  });

  it('Keras TF2 tensor-encoded scalars: train/ and validation/ form one run with prefixed keys', () => {
    const uid = 'tb:tensorboard/keras_tf2_tensor_scalars/tb_logs_at_2022-09-27-09-01-18';
    const run = ws.store.getRun(uid)!;
    assert.deepEqual([run.name, run.experiment, run.sourceKind, run.started, run.status],
      ['tb_logs_at_2022-09-27-09-01-18', 'tensorboard/keras_tf2_tensor_scalars', 'tensorboard', 1664269279, 'running']);
    assert.deepEqual(run.metrics.map((m) => [m.key, m.count, m.last, m.lastStep]), [
      ['train/epoch_accuracy', 1, 0.6858000159263611, 0],
      ['train/epoch_loss', 1, 6.332902908325195, 0],
      ['validation/epoch_accuracy', 1, 0.8940304517745972, 0],
      ['validation/epoch_loss', 1, 1.0975844860076904, 0],
      ['validation/evaluation_accuracy_vs_iterations', 1, 0.8940304517745972, 1250],
      ['validation/evaluation_loss_vs_iterations', 1, 1.0975844860076904, 1250],
    ]);
    assert.deepEqual(ws.store.metricPoints(uid, 'train/epoch_loss'), [{ step: 0, time: 1664274127.614427, value: 6.332902908325195 }]);
  });

  it('a run whose validation file holds only the header: one run, no points, no problem', () => {
    const run = ws.store.getRun('tb:tensorboard/keras_tf2_header_only_validation/tb_logs_at_2022-09-27-06-02-14')!;
    assert.deepEqual([run.started, run.metrics.length], [1664258536, 0]);
    const header = readFixture('tensorboard/keras_tf2_header_only_validation/tb_logs_at_2022-09-27-06-02-14/validation/events.out.tfevents.1664262367.1e98a51badab.15222.1.v2');
    assert.deepEqual([header.consumed, header.batches.length, header.problems.length], [40, 0, 0]);
  });

  it('Lightning TensorBoardLogger (simple_value scalars): epoch repeats steps, the version folder is the run', () => {
    const uid = 'lightning:lightning/tensorboardlogger/lightning_logs/version_0';
    assert.equal(ws.store.getRun(uid)!.started, 1679943638.580678);
    assert.deepEqual(summaryOf(ws.store, uid, 'train_loss'), [375, 0.3090575337409973, 18749]);
    assert.deepEqual(summaryOf(ws.store, uid, 'epoch'), [400, 24, 18749]);
    assert.deepEqual(summaryOf(ws.store, uid, 'val_loss'), [25, 0.3238891363143921, 18749]);
    assert.deepEqual(summaryOf(ws.store, uid, 'val_acc'), [25, 0.8865000009536743, 18749]);
    const out = readFixture('lightning/tensorboardlogger/lightning_logs/version_0/events.out.tfevents.1679943638.LAPTOP-OB7OKTBA.7812.0');
    assert.deepEqual(shape(seriesOf(out, 'train_loss')), [375, 49, 0.8999237418174744, 18749, 0.3090575337409973]);
    assert.deepEqual(shape(seriesOf(out, 'val_acc')), [25, 749, 0.8286666870117188, 18749, 0.8865000009536743]);
    assert.equal(seriesOf(out, 'train_loss')[0]![2], 1679943640.0609019);
  });

  it('Lightning TensorBoardLogger with the hparams plugin: hparams values skipped, hparams.yaml read as params', () => {
    const uid = 'lightning:lightning/tensorboardlogger_hparams/lightning_logs/version_119';
    const run = ws.store.getRun(uid)!;
    assert.deepEqual(run.metrics.map((m) => [m.key, m.count]), [
      ['epoch', 94], ['hp_metric', 1], ['lambda_adv', 40], ['lr-Adam', 40], ['train_domain_loss', 14],
      ['train_loss', 14], ['train_task_loss', 14], ['val_domain_acc', 40], ['val_loss', 40],
    ]);
    assert.deepEqual(summaryOf(ws.store, uid, 'val_loss'), [40, 0.40680643916130066, 719]);
    assert.deepEqual(summaryOf(ws.store, uid, 'lr-Adam'), [40, 0.00014000000373926014, 702]);
    assert.deepEqual(summaryOf(ws.store, uid, 'hp_metric'), [1, -1, 0]);
    assert.equal(Object.keys(run.params).length, 16);
    assert.deepEqual([run.params.learning_rate, run.params.group_identifier, run.params.dropout], [0.00014, 'gauge_id', 0.12]);
  });

  it('event files inside an MLflow run\'s artifacts are left to the MLflow importer, and read correctly when asked', () => {
    const base = 'mlflow/mlflow1x_keras_autolog/mlruns/1/51115b2ec9804a3d905c44403c6156a0/artifacts/tensorboard_logs';
    const train = `${base}/train/events.out.tfevents.1623308182.futabato-wsl.7444.156.v2`;
    const validation = `${base}/validation/events.out.tfevents.1623308185.futabato-wsl.7444.1575.v2`;
    const profile = `${base}/train/events.out.tfevents.1623308183.futabato-wsl.profile-empty`;
    assert.equal(tfeventsReader.matches(train), false);
    const t = readFixture(train);
    assert.deepEqual(shape(seriesOf(t, 'train/epoch_loss')), [30, 0, 0.2609947919845581, 29, 0.0029488434083759785]);
    assert.deepEqual(shape(seriesOf(t, 'train/epoch_accuracy')), [30, 0, 0.9231454730033875, 29, 0.9991272687911987]);
    const v = readFixture(validation);
    assert.deepEqual(shape(seriesOf(v, 'validation/evaluation_loss_vs_iterations')), [30, 430, 0.12224625051021576, 12900, 0.11839914321899414]);
    assert.deepEqual(shape(seriesOf(v, 'validation/epoch_accuracy')), [30, 0, 0.9664000272750854, 29, 0.9801999926567078]);
    assert.equal(seriesOf(v, 'validation/epoch_loss')[29]![2], 1623308234.696114);
    const p = readFixture(profile);
    assert.deepEqual([p.consumed, eventsOf(p).length, p.problems.length], [40, 0, 0]);
  });
});
