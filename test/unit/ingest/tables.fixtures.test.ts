/** Lightning CSVLogger, Keras CSVLogger and dvclive fixtures; expected values computed with Python's csv module. */
import * as assert from 'node:assert/strict';
import { fixtureWorkspace, summaryOf } from './importSupport';
import { describeWithFixtures } from '../../support/fixtures';

describeWithFixtures('Lightning CSVLogger fixtures', () => {
  let ws: Awaited<ReturnType<typeof fixtureWorkspace>>;
  before(async () => (ws = await fixtureWorkspace(['lightning'])));
  after(() => ws.close());

  it('reads them without problems', () => assert.deepEqual(ws.report.problems, []));

  it('interleaved rows with CRLF: train and validation rows share a step; hparams as params', () => {
    const uid = 'lightning:lightning/csvlogger_interleaved_crlf/lightning_logs/version_0';
    const run = ws.store.getRun(uid)!;
    assert.deepEqual([run.name, run.experiment, run.sourceKind], ['version_0', 'lightning/csvlogger_interleaved_crlf/lightning_logs', 'lightning']);
    assert.deepEqual(run.params, { hidden_dim: 64, input_dim: 4, lr: 1e-5, num_layers: 2, output_dim: 1 });
    assert.deepEqual(summaryOf(ws.store, uid, 'train_loss'), [25, 902.565185546875, 24]);
    assert.deepEqual(summaryOf(ws.store, uid, 'val_loss'), [5, 681.0682373046875, 24]);
    assert.deepEqual(summaryOf(ws.store, uid, 'epoch'), [30, 4, 24]);
    assert.deepEqual(ws.store.metricPoints(uid, 'val_loss')[0], { step: 4, time: null, value: 681.5775146484375 });
    assert.deepEqual(ws.store.metricPoints(uid, 'train_loss')[0], { step: 0, time: null, value: 944.161865234375 });
  });

  it('legacy column order with nan and 1.6e+24', () => {
    const uid = 'lightning:lightning/csvlogger_legacy_nan/lightning_logs/version_0';
    const disc = ws.store.metricPoints(uid, 'train_disc_loss');
    assert.equal(disc.length, 320);
    assert.equal(disc[0]!.value, 1.6226933508321501e24);
    assert.ok(Number.isNaN(disc[319]!.value) && disc[319]!.step === 319);
    assert.equal(ws.store.metricPoints(uid, 'train_gen_loss').filter((p) => Number.isNaN(p.value)).length, 320);
    assert.deepEqual(summaryOf(ws.store, uid, 'epoch'), [320, 79, 319]);
  });

  it('insertion-ordered header with test rows after training', () => {
    const uid = 'lightning:lightning/csvlogger_test_rows/lightning_logs/version_9';
    assert.deepEqual(ws.store.getRun(uid)!.metrics.map((m) => [m.key, m.count, m.last, m.lastStep]), [
      ['epoch', 4, 3, 2580], ['test_acc', 1, 0.9451000094413757, 2580], ['test_loss', 1, 0.17238597571849823, 2580],
      ['val_acc', 3, 0.9434000253677368, 2579], ['val_loss', 3, 0.18903666734695435, 2579],
    ]);
    assert.deepEqual(ws.store.metricPoints(uid, 'val_loss')[0], { step: 859, time: null, value: 0.30859971046447754 });
  });

  it('train, validation and test rows (test epoch = last + 1)', () => {
    const uid = 'lightning:lightning/csvlogger_train_val_test/logs/lightning_logs/version_0';
    assert.deepEqual(summaryOf(ws.store, uid, 'train_loss'), [75, 0.363405704498291, 3749]);
    assert.deepEqual(summaryOf(ws.store, uid, 'epoch'), [81, 5, 3750]);
    assert.deepEqual(summaryOf(ws.store, uid, 'val_acc'), [5, 0.8585833311080933, 3749]);
    assert.deepEqual(summaryOf(ws.store, uid, 'test_loss'), [1, 0.42061805725097656, 3750]);
    assert.deepEqual(ws.store.metricPoints(uid, 'val_loss')[0], { step: 749, time: null, value: 0.48415347933769226 });
    assert.deepEqual(ws.store.metricPoints(uid, 'train_loss')[0], { step: 49, time: null, value: 0.8250705599784851 });
    assert.deepEqual(ws.store.getRun(uid)!.params, {});
  });

  it('finds exactly the six Lightning runs', () => {
    assert.deepEqual(ws.store.listRuns().map((r) => r.uid).sort(), [
      'lightning:lightning/csvlogger_interleaved_crlf/lightning_logs/version_0',
      'lightning:lightning/csvlogger_legacy_nan/lightning_logs/version_0',
      'lightning:lightning/csvlogger_test_rows/lightning_logs/version_9',
      'lightning:lightning/csvlogger_train_val_test/logs/lightning_logs/version_0',
      'lightning:lightning/tensorboardlogger/lightning_logs/version_0',
      'lightning:lightning/tensorboardlogger_hparams/lightning_logs/version_119',
    ]);
  });
});

describeWithFixtures('Keras CSVLogger fixtures', () => {
  let ws: Awaited<ReturnType<typeof fixtureWorkspace>>;
  before(async () => (ws = await fixtureWorkspace(['keras_csvlogger'])));
  after(() => ws.close());

  it('Keras 2019 (acc, CRLF) and TF 2025 (accuracy): one run per file, epoch as step', () => {
    assert.deepEqual(ws.report.problems, []);
    const old = 'keras:keras_csvlogger/keras2019_acc/logs/training_log.csv';
    const tf = 'keras:keras_csvlogger/tf2025_accuracy/logs/training_log.csv';
    assert.deepEqual(ws.store.listRuns().map((r) => r.uid).sort(), [old, tf]);
    assert.deepEqual([ws.store.getRun(old)!.name, ws.store.getRun(old)!.experiment], ['training_log.csv', 'keras_csvlogger/keras2019_acc/logs']);
    assert.deepEqual(summaryOf(ws.store, old, 'acc'), [25, 0.9764738446320651, 24]);
    assert.deepEqual(summaryOf(ws.store, old, 'val_loss'), [25, 1.5732454202360653, 24]);
    assert.deepEqual(ws.store.metricPoints(old, 'loss')[0], { step: 0, time: null, value: 1.3229182053562547 });
    assert.deepEqual(summaryOf(ws.store, tf, 'accuracy'), [25, 0.9781345129013062, 24]);
    assert.deepEqual(summaryOf(ws.store, tf, 'val_accuracy'), [25, 0.6916426420211792, 24]);
    assert.deepEqual(ws.store.metricPoints(tf, 'val_loss')[0], { step: 0, time: null, value: 1.2698657512664795 });
  });
});
