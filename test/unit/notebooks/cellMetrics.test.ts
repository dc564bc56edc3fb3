import * as assert from 'node:assert/strict';
import { CellMetricReader } from '../../../src/core/notebooks/cellMetrics';
import { compileStdoutPatterns } from '../../../src/core/capture/stdoutPatterns';
import { metricTextOf, type CellOutput } from '../../../src/core/notebooks/cellSnapshot';

const stdout = (text: string): CellOutput => ({ type: 'stream', name: 'stdout', text });

describe('notebooks/CellMetricReader', () => {
  it('reads Keras progress lines, with the epoch marker as the step', () => {
    const reader = new CellMetricReader();
    const records = reader.read({ outputs: [stdout(
      'Epoch 1/2\n1688/1688 [====] - 22s 12ms/step - loss: 0.1640 - accuracy: 0.9569 - val_loss: 0.1084\n'
      + 'Epoch 2/2\n1688/1688 [====] - 19s 11ms/step - loss: 0.1232 - accuracy: 0.9631 - val_loss: nan\n',
    )] });
    assert.equal(records.length, 2);
    assert.deepEqual(records[0], { step: 1, values: { loss: 0.164, accuracy: 0.9569, val_loss: 0.1084 } });
    assert.equal(records[1]!.step, 2);
    assert.ok(Number.isNaN(records[1]!.values.val_loss));
  });

  it('counts printed key: value per name across cells, and finishes a last line without a newline', () => {
    const reader = new CellMetricReader();
    assert.deepEqual(reader.read({ outputs: [stdout('loss: 0.5')] }), [{ step: 0, values: { loss: 0.5 } }]);
    assert.deepEqual(reader.read({ outputs: [stdout('loss: 0.25\nacc=-inf\n')] }), [
      { step: 1, values: { loss: 0.25 } }, { step: 0, values: { acc: -Infinity } },
    ]);
  });

  it('reads a printed dict result, not HTML, images or errors', () => {
    const reader = new CellMetricReader();
    const outputs: CellOutput[] = [
      { type: 'data', mime: 'text/html', text: '<b>loss: 1</b>' },
      { type: 'data', mime: 'image/png', bytes: 10 },
      { type: 'error', name: 'ValueError', message: 'loss: 3', traceback: 'loss: 4' },
      { type: 'data', mime: 'text/plain', text: "{'loss': 0.75, 'val_loss': 0.5}", result: true },
    ];
    assert.deepEqual(outputs.map((o) => metricTextOf(o)?.stream ?? null), [null, null, null, 'result']);
    assert.deepEqual(reader.read({ outputs }), [{ step: 0, values: { loss: 0.75, val_loss: 0.5 } }]);
  });

  it('keeps stdout and stderr lines apart and applies user patterns first', () => {
    const { patterns } = compileStdoutPatterns([{ regex: 'reward (?<value>\\S+)', key: 'reward' }]);
    const reader = new CellMetricReader(patterns);
    const records = reader.read({ outputs: [
      { type: 'stream', name: 'stdout', text: 'mean reward ' },
      { type: 'stream', name: 'stderr', text: 'warning: x\n' },
      { type: 'stream', name: 'stdout', text: '12.5\n' },
    ] });
    assert.deepEqual(records, [{ step: 0, values: { reward: 12.5 } }]);
  });
});
