import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { StdoutMetricParser, type StdoutMetricRecord } from '../../../src/core/capture/stdoutMetrics';
import { compileStdoutPatterns } from '../../../src/core/capture/stdoutPatterns';

function parseAll(text: string, parser = new StdoutMetricParser()): StdoutMetricRecord[] {
  return [...parser.push(text), ...parser.end()];
}

function parseChunks(chunks: string[], parser = new StdoutMetricParser()): StdoutMetricRecord[] {
  return [...chunks.flatMap((c) => parser.push(c)), ...parser.end()];
}

const BS = '\b';

/** What tf.keras 2.x prints to a pipe: each update erases the previous one with \b…\r. */
function kerasTf2Epoch(epoch: number, total: number, final: string): string {
  const updates = [
    `  1/938 [..............................] - ETA: 3:45 - loss: 2.3026 - accuracy: 0.0938`,
    ` 47/938 [>.............................] - ETA: 1s - loss: 1.2001 - accuracy: 0.6001`,
    `938/938 [==============================] - ${final}`,
  ];
  let out = `Epoch ${epoch}/${total}\n`;
  let previous = 0;
  for (const u of updates) {
    out += BS.repeat(previous) + '\r' + u;
    previous = u.length;
  }
  return out + '\n';
}

describe('capture/StdoutMetricParser', () => {
  it('reads a Keras (tf.keras 2) fit log: one record per epoch, step = the epoch printed', () => {
    const log = kerasTf2Epoch(1, 2, '3s 3ms/step - loss: 0.2995 - accuracy: 0.9130 - val_loss: 0.1404 - val_accuracy: 0.9582')
      + kerasTf2Epoch(2, 2, '3s 3ms/step - loss: 0.1425 - accuracy: 0.9577 - val_loss: 0.1040 - val_accuracy: 0.9688');
    assert.deepEqual(parseAll(log), [
      { step: 1, values: { loss: 0.2995, accuracy: 0.913, val_loss: 0.1404, val_accuracy: 0.9582 } },
      { step: 2, values: { loss: 0.1425, accuracy: 0.9577, val_loss: 0.104, val_accuracy: 0.9688 } },
    ]);
  });

  it('reads a Keras 3 fit log with colour escapes', () => {
    const bar = (n: string, rest: string) => `\x1b[1m${n}/938\x1b[0m \x1b[32m━━━━━━━━━━━━━━━━━━━━\x1b[0m\x1b[37m\x1b[0m ${rest}`;
    const log = 'Epoch 1/1\n'
      + '\r' + bar('  1', '\x1b[1m3:45\x1b[0m 241ms/step - accuracy: 0.0938 - loss: 2.3026')
      + BS.repeat(80) + '\r' + bar('938', '\x1b[1m3s\x1b[0m 3ms/step - accuracy: 0.8765 - loss: 0.4321 - val_accuracy: 0.9500 - val_loss: 0.1700')
      + '\n';
    assert.deepEqual(parseAll(log), [{ step: 1, values: { accuracy: 0.8765, loss: 0.4321, val_accuracy: 0.95, val_loss: 0.17 } }]);
  });

  it('reads PyTorch Lightning progress bars (stderr) and ignores its banner (stdout)', () => {
    const parser = new StdoutMetricParser();
    const records = [
      ...parser.push('GPU available: False, used: False\nTPU available: False, using: 0 TPU cores\n', 'stdout'),
      ...parser.push('\n  | Name  | Type   | Params | Mode\n-----------------------------------------\n0 | model | Linear | 7.9 K  | train\n', 'stdout'),
      ...parser.push('7.9 K     Trainable params\n0.031     Total estimated model params size (MB)\n', 'stdout'),
      ...parser.push('Epoch 0:   0%|          | 0/938 [00:00<?, ?it/s]\rEpoch 0:  10%|█         | 94/938 [00:01<00:09, 90.12it/s, v_num=0, train_loss=0.523]', 'stderr'),
      ...parser.push('\rEpoch 0: 100%|██████████| 938/938 [00:10<00:00, 90.12it/s, v_num=0, train_loss=0.123, val_loss=0.2]\n', 'stderr'),
      ...parser.push('Epoch 1: 100%|██████████| 938/938 [00:10<00:00, 91.00it/s, v_num=0, train_loss=0.101, val_loss=0.18]\n', 'stderr'),
      ...parser.push('`Trainer.fit` stopped: `max_epochs=2` reached.\n', 'stdout'),
      ...parser.end(),
    ];
    assert.deepEqual(records, [
      { step: 0, values: { train_loss: 0.123, val_loss: 0.2 } },
      { step: 1, values: { train_loss: 0.101, val_loss: 0.18 } },
    ]);
  });

  it('reads Hugging Face Trainer dict prints, counting steps per metric name', () => {
    const log = [
      "{'loss': 0.6931, 'grad_norm': 1.23, 'learning_rate': 4.5e-05, 'epoch': 0.33}",
      "{'loss': 0.5123, 'grad_norm': 1.01, 'learning_rate': 4e-05, 'epoch': 0.67}",
      "{'eval_loss': 0.45, 'eval_accuracy': np.float64(0.81), 'eval_runtime': 1.5, 'epoch': 1.0}",
      "{'train_runtime': 12.34, 'train_samples_per_second': 243.1, 'train_loss': 0.6, 'epoch': 1.0}",
      '',
    ].join('\n');
    assert.deepEqual(parseAll(log), [
      { step: 0, values: { loss: 0.6931, grad_norm: 1.23, learning_rate: 0.000045, epoch: 0.33 } },
      { step: 1, values: { loss: 0.5123, grad_norm: 1.01, learning_rate: 0.00004, epoch: 0.67 } },
      { step: 2, values: { eval_loss: 0.45, eval_accuracy: 0.81, eval_runtime: 1.5, epoch: 1 } },
      { step: 3, values: { train_runtime: 12.34, train_samples_per_second: 243.1, train_loss: 0.6, epoch: 1 } },
    ]);
  });

  it('counts occurrences per metric when no step is printed', () => {
    assert.deepEqual(parseAll('loss=0.5\nloss=0.4\nval_loss=0.6\nloss=0.3\n'), [
      { step: 0, values: { loss: 0.5 } },
      { step: 1, values: { loss: 0.4 } },
      { step: 0, values: { val_loss: 0.6 } },
      { step: 2, values: { loss: 0.3 } },
    ]);
  });

  it('keeps a step set by a marker line for the lines that follow, until the next marker', () => {
    assert.deepEqual(parseAll('loss=0.9\nepoch 1\nloss=0.5\nacc=0.7\nstep=120 loss=0.4\nloss=0.3\n'), [
      { step: 0, values: { loss: 0.9 } },
      { step: 1, values: { loss: 0.5 } },
      { step: 1, values: { acc: 0.7 } },
      { step: 120, values: { loss: 0.4 } },
      { step: 120, values: { loss: 0.3 } },
    ]);
  });

  it('prefers the finest marker of a line and keeps the epoch as a metric', () => {
    assert.deepEqual(parseAll('Epoch [2/10], Step [100/600], Loss: 0.2345\n'), [
      { step: 100, values: { Loss: 0.2345, epoch: 2 } },
    ]);
    assert.deepEqual(parseAll('epoch=1 global_step=500 step=20 loss=1\n'), [{ step: 500, values: { loss: 1, epoch: 1 } }]);
  });

  it('lets the last of a repeated key on one line win', () => {
    assert.deepEqual(parseAll('loss=1 loss=2\n'), [{ step: 0, values: { loss: 2 } }]);
  });

  it('reads the last line even without a final newline, and CRLF lines', () => {
    assert.deepEqual(parseAll('loss=0.5\r\nloss=0.25'), [{ step: 0, values: { loss: 0.5 } }, { step: 1, values: { loss: 0.25 } }]);
  });

  it('skips over-long lines and keeps the others', () => {
    const parser = new StdoutMetricParser({ maxLineLength: 100 });
    assert.deepEqual(parseAll(`loss=1\n${'loss=2 '.repeat(100)}\nloss=3\n`, parser), [
      { step: 0, values: { loss: 1 } }, { step: 1, values: { loss: 3 } },
    ]);
  });

  it('keeps separate partial lines per stream', () => {
    const parser = new StdoutMetricParser();
    const records = [
      ...parser.push('los', 'stdout'), ...parser.push('acc=0.', 'stderr'),
      ...parser.push('s=1\n', 'stdout'), ...parser.push('5\n', 'stderr'),
    ];
    assert.deepEqual(records, [{ step: 0, values: { loss: 1 } }, { step: 0, values: { acc: 0.5 } }]);
  });

  it('applies user patterns before the built-in ones, and only them on lines they match', () => {
    const { patterns, errors } = compileStdoutPatterns([
      { regex: 'mean reward (?<value>\\S+)', key: 'reward' },
      '(?<key>\\w+) is now (?<value>[-+.\\deE]+)',
      { regex: '^Iteration #(?<step>\\d+)' },
    ]);
    assert.deepEqual(errors, []);
    const parser = new StdoutMetricParser({ patterns });
    assert.deepEqual(parseAll('mean reward 12.5 (loss=3)\nloss=0.5\nIteration #7\ntemperature is now 0.7\nmean reward nan\n', parser), [
      { step: 0, values: { reward: 12.5 } },
      { step: 0, values: { loss: 0.5 } },
      { step: 7, values: { temperature: 0.7 } },
      { step: 7, values: { reward: NaN } },
    ]);
  });

  it('can run with user patterns only', () => {
    const { patterns } = compileStdoutPatterns([{ regex: 'R=(?<value>\\d+)', key: 'r' }]);
    const parser = new StdoutMetricParser({ patterns, builtInPatterns: false });
    assert.deepEqual(parseAll('loss=1 R=2\nloss=3\n', parser), [{ step: 0, values: { r: 2 } }]);
  });

  const alphabet = fc.constantFrom(
    'loss', '=', ':', ' ', '0.5', '1e-3', 'nan', '-inf', 'Epoch ', '3/10', 'step ', '\n', '\r', '\r\n', '\x1b[1m', '\x1b[0m',
    '\b', '[', ']', '{', '}', "'", ',', ' - ', 'val/acc', '%|', 'http://x.io/?a=1', '12:30:01', '1.2.3', '━', 'é', '\t', 'x',
  );
  const outputText = fc.oneof(fc.string({ maxLength: 300 }), fc.array(alphabet, { maxLength: 120 }).map((parts) => parts.join('')));

  it('never throws, and chunking the same text differently gives the same metrics', () => {
    fc.assert(fc.property(outputText, fc.array(fc.nat(), { maxLength: 12 }), (text, cuts) => {
      const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
      const chunks: string[] = [];
      let previous = 0;
      for (const p of points) {
        chunks.push(text.slice(previous, p));
        previous = p;
      }
      chunks.push(text.slice(previous));
      const maxLineLength = 40;
      const whole = parseAll(text, new StdoutMetricParser({ maxLineLength }));
      const chunked = parseChunks(chunks, new StdoutMetricParser({ maxLineLength }));
      assert.deepStrictEqual(chunked, whole);
    }), { numRuns: 3000 });
  });

  it('gives the same metrics when text arrives one character at a time', () => {
    const log = kerasTf2Epoch(1, 1, '3s 3ms/step - loss: 0.2995') + 'step=5 lr=1e-3\r\nloss=nan';
    assert.deepEqual(parseChunks([...log]), parseAll(log));
    assert.equal(parseAll(log).length, 3);
  });

  it('handles a long line full of candidates in reasonable time', () => {
    const line = 'a: 1 '.repeat(12000) + '\n' + 'loss=1 '.repeat(9000) + '\n' + ' :1'.repeat(20000) + '\n';
    const started = Date.now();
    parseAll(line);
    assert.ok(Date.now() - started < 2000, `took ${Date.now() - started} ms`);
  });
});
