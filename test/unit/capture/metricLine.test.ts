import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { extractLineMetrics, parseMetricNumber } from '../../../src/core/capture/metricLine';

const metrics = (line: string) => Object.fromEntries(extractLineMetrics(line).metrics);
const steps = (line: string) => extractLineMetrics(line).steps;

describe('capture/metricLine', () => {
  it('reads key=value pairs, several per line, with path-like keys', () => {
    assert.deepEqual(metrics('loss=0.41 val/acc=0.87 train_loss = 1e-3 lr=5e-05 grad.norm=-2'), {
      loss: 0.41, 'val/acc': 0.87, train_loss: 0.001, lr: 0.00005, 'grad.norm': -2,
    });
  });

  it('reads key: value fields of Keras progress lines (TF 2 and Keras 3)', () => {
    assert.deepEqual(
      metrics('938/938 [==============================] - 3s 3ms/step - loss: 0.2995 - accuracy: 0.9130 - val_loss: 0.1404 - val_accuracy: 0.9582'),
      { loss: 0.2995, accuracy: 0.913, val_loss: 0.1404, val_accuracy: 0.9582 },
    );
    assert.deepEqual(metrics('1875/1875 - 3s - loss: 0.2995 - accuracy: 0.9130 - 3s/epoch - 2ms/step'), { loss: 0.2995, accuracy: 0.913 });
    assert.deepEqual(metrics('938/938 ━━━━━━━━━━━━━━━━━━━━ 3s 3ms/step - accuracy: 0.8765 - loss: 0.4321'), { accuracy: 0.8765, loss: 0.4321 });
  });

  it('reads Python dict prints (Hugging Face Trainer), numpy-wrapped values included', () => {
    assert.deepEqual(metrics("{'loss': 0.5, 'grad_norm': 1.234, 'learning_rate': 5e-05, 'epoch': 1.0}"), {
      loss: 0.5, grad_norm: 1.234, learning_rate: 0.00005, epoch: 1,
    });
    assert.deepEqual(metrics("{'eval_loss': 0.41, 'eval_accuracy': np.float64(0.91), 'eval_runtime': 1.2, 'epoch': 2.0}"), {
      eval_loss: 0.41, eval_accuracy: 0.91, eval_runtime: 1.2, epoch: 2,
    });
    assert.deepEqual(metrics('{"loss": 0.25, "name": "x", "acc": 0.75}'), { loss: 0.25, acc: 0.75 });
  });

  it('reads tensor(...) values', () => {
    assert.deepEqual(metrics("train_loss=tensor(0.5000, device='cuda:0') val_loss: tensor(0.25)"), { train_loss: 0.5, val_loss: 0.25 });
  });

  it('reads nan and infinities', () => {
    const m = metrics('loss=nan acc=inf x=-inf y: NaN, z=Infinity');
    assert.ok(Number.isNaN(m.loss));
    assert.equal(m.acc, Infinity);
    assert.equal(m.x, -Infinity);
    assert.ok(Number.isNaN(m.y));
    assert.equal(m.z, Infinity);
    assert.deepEqual(metrics('info=3 inference: 2'), { info: 3, inference: 2 });
    assert.deepEqual(metrics('x=info'), {});
  });

  it('keeps "train" / "val" words that name a key: value', () => {
    assert.deepEqual(metrics('Epoch 1: train loss: 0.5, val loss: 0.6'), { 'train loss': 0.5, 'val loss': 0.6 });
    assert.deepEqual(metrics('Validation loss: 0.6'), { 'Validation loss': 0.6 });
    assert.deepEqual(metrics('Average loss: 0.6'), {});
  });

  it('finds step markers: epochs, steps, iterations, global steps', () => {
    assert.deepEqual(steps('Epoch 3/10'), [{ kind: 'epoch', value: 3 }]);
    assert.deepEqual(steps('Epoch [3/10], Step [100/600], Loss: 0.2345'), [{ kind: 'epoch', value: 3 }, { kind: 'step', value: 100 }]);
    assert.deepEqual(steps('epoch 3 step=120 iter: 50 global_step=7 global step 8'), [
      { kind: 'epoch', value: 3 }, { kind: 'step', value: 120 }, { kind: 'iteration', value: 50 },
      { kind: 'global_step', value: 7 }, { kind: 'global_step', value: 8 },
    ]);
    assert.deepEqual(steps("{'step': 12, 'epoch': 1.0}"), [{ kind: 'step', value: 12 }]);
    assert.deepEqual(metrics('epoch=3 loss=0.5'), { loss: 0.5 });
  });

  it('counts a fractional epoch as a metric, not a step', () => {
    assert.deepEqual(steps('epoch=0.27 loss=0.5'), []);
    assert.deepEqual(metrics('epoch=0.27 loss=0.5'), { epoch: 0.27, loss: 0.5 });
  });

  it('reads Lightning progress bars, without the logger version v_num', () => {
    const line = 'Epoch 0: 100%|██████████| 938/938 [00:10<00:00, 90.12it/s, v_num=0, train_loss=0.123, val_loss=0.2]';
    assert.deepEqual(metrics(line), { train_loss: 0.123, val_loss: 0.2 });
    assert.deepEqual(steps(line), [{ kind: 'epoch', value: 0 }]);
  });

  it('reads logging lines with timestamps, without taking the time for a metric', () => {
    assert.deepEqual(metrics('2024-01-01 12:30:01,123 INFO epoch=3 loss=0.5 lr=1e-3'), { loss: 0.5, lr: 0.001 });
    assert.deepEqual(metrics('INFO:root:loss=0.5'), { loss: 0.5 });
    assert.deepEqual(metrics('[12:30:01] acc: 0.9'), { acc: 0.9 });
  });

  it('produces nothing for lines that only look like metrics', () => {
    for (const line of [
      'Downloading https://example.com/data.tar.gz?lr=0.1&batch=32',
      'Downloading data: 45%|████▌     | 45/100 [00:01<00:02, 30.1MB/s]',
      'see https://example.com/run?loss=0.5 for details',
      'saving to /tmp/lr=0.1/epoch=0-step=938.ckpt',
      'torch version: 1.2.3', 'version=2.1.0+cu118', 'Python 3.11.7',
      'time: 12:30:01', 'started at 12:30:01',
      ' 45%|████▌     | 45/100 [00:01<00:02, 30.12it/s]',
      '1/10 [==>.....] - ETA: 0s', 'eta: 3',
      'TPU available: False, using: 0 TPU cores',
      'Total params: 1,234,567 (4.71 MB)', 'Saving model to disk: 3 files',
      'Namespace(lr=0.01, epochs=10, batch_size=64)',
      'date=2024-01-01', 'speed=2s', 'acc=95%', 'size=3/10', 'count=1,234',
      '`Trainer.fit` stopped: `max_epochs=2` reached.',
      'Requirement already satisfied: numpy==1.26.0 in ./.venv',
      'Accuracy: 9830/10000 (98%)',
      'tensor(0.5, device=\'cuda:0\')',
    ]) {
      assert.deepEqual(metrics(line), {}, line);
    }
  });

  it('ignores a key: value followed by more words, but accepts one followed by another pair', () => {
    assert.deepEqual(metrics('loss: 0.5 acc: 0.9'), { loss: 0.5, acc: 0.9 });
    assert.deepEqual(metrics('workers: 4 processes started'), {});
  });

  it('accepts a value at the end of a sentence', () => {
    assert.deepEqual(metrics('Finished with loss=0.25.'), { loss: 0.25 });
  });

  it('parses metric values as Python and JavaScript print them', () => {
    assert.equal(parseMetricNumber('0.5'), 0.5);
    assert.equal(parseMetricNumber('-1e-3'), -0.001);
    assert.ok(Number.isNaN(parseMetricNumber('nan')!));
    assert.equal(parseMetricNumber('-inf'), -Infinity);
    assert.equal(parseMetricNumber('+Infinity'), Infinity);
    assert.equal(parseMetricNumber('abc'), undefined);
    assert.equal(parseMetricNumber(''), undefined);
    assert.equal(parseMetricNumber('1.2.3'), undefined);
  });

  it('never throws on any text, and gives only named numeric metrics and integer steps', () => {
    const piece = fc.constantFrom('loss', 'epoch', 'step ', '=', ':', ' ', '0.5', '-1e-3', 'nan', 'inf', "'", '{', '}', ',', ' - ',
      '3/10', '[', ']', 'train ', 'tensor(', 'np.float64(', ')', '\t', 'http://', '%', '12:30');
    const text = fc.oneof(fc.string({ maxLength: 200 }), fc.array(piece, { maxLength: 60 }).map((p) => p.join('')));
    fc.assert(fc.property(text, (line) => {
      const { metrics, steps } = extractLineMetrics(line);
      for (const [key, value] of metrics) {
        assert.ok(key.length > 0);
        assert.equal(typeof value, 'number');
      }
      for (const s of steps) assert.ok(Number.isSafeInteger(s.value) && s.value >= 0);
    }), { numRuns: 3000 });
  });
});
