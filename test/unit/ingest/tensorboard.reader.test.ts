import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { crc32c, maskCrc } from '../../../src/core/ingest/readers/tensorboard/crc32c';
import { tfeventsReader } from '../../../src/core/ingest/readers/tensorboard/tfeventsReader';
import { frameRecord } from '../../../src/core/ingest/readers/tensorboard/tfRecord';
import { Store } from '../../../src/core/store/store';
import { eventsOf, readPieces, seriesOf, tempDir } from './importSupport';
import { eventRecord, headerRecord, imageRecord } from './tbEventWriter';

const REL = 'logs/run1/events.out.tfevents.1700000000.host.local.1.0';

describe('TensorBoard event reader', () => {
  it('computes CRC-32C and TensorFlow masking on known values', () => {
    assert.equal(crc32c(Buffer.from('123456789')), 0xe3069283);
    assert.equal(crc32c(Buffer.alloc(32)), 0x8a9136aa);
    assert.equal(crc32c(Buffer.alloc(32, 0xff)), 0x62a8ab43);
    // A range inside a larger buffer, as the TFRecord reader checks each record's length and data.
    assert.equal(crc32c(Buffer.from('..123456789..'), 2, 11), 0xe3069283);
    assert.equal(crc32c(Buffer.from('123456789'), 4, 4), 0);
    assert.equal(maskCrc(0), 0xa282ead8);
  });

  it('reads simple_value and scalar tensors (float_val, tensor_content float and double), skipping non-scalars', () => {
    const bytes = Buffer.concat([
      headerRecord(1700000000),
      eventRecord({ wallTime: 1700000001.5, step: 1, scalars: [['loss', 0.5], ['acc', 0.25]] }),
      eventRecord({ wallTime: 1700000002, step: 2, scalars: [['loss', 0.375]], encoding: 'float_val' }),
      eventRecord({ wallTime: 1700000003, step: 3, scalars: [['loss', 0.125]], encoding: 'tensor_content' }),
      eventRecord({ wallTime: 1700000004, step: -4, scalars: [['lr', 1e-300]], encoding: 'double_content' }),
      imageRecord(1700000005, 5),
    ]);
    const outs = readPieces(tfeventsReader, bytes, REL);
    assert.deepEqual(outs[0]!.problems, []);
    assert.equal(outs[0]!.consumed, bytes.length);
    assert.deepEqual(seriesOf(outs, 'loss'), [[1, 0.5, 1700000001.5], [2, 0.375, 1700000002], [3, 0.125, 1700000003]]);
    assert.deepEqual(seriesOf(outs, 'acc'), [[1, 0.25, 1700000001.5]]);
    assert.deepEqual(seriesOf(outs, 'lr'), [[-4, 1e-300, 1700000004]]);
    const run = eventsOf(outs).find((e) => e.t === 'run');
    assert.deepEqual(run && [run.t, run.runUid, run.name, run.experiment, run.started], ['run', 'tb:logs/run1', 'run1', 'logs', 1700000000]);
  });

  it('leaves a half-written last record for later without a problem, then reads it when complete', () => {
    const full = Buffer.concat([headerRecord(1), eventRecord({ wallTime: 2, step: 1, scalars: [['x', 1]] }), eventRecord({ wallTime: 3, step: 2, scalars: [['x', 2]] })]);
    for (let cut = 1; cut < full.length; cut += 7) {
      const outs = readPieces(tfeventsReader, full, REL, undefined, [cut]);
      assert.deepEqual(outs.flatMap((o) => o.problems), [], `cut at ${cut}`);
      assert.deepEqual(seriesOf(outs, 'x').map((p) => p[1]), [1, 2], `cut at ${cut}`);
    }
    const half = full.subarray(0, full.length - 5);
    const out = tfeventsReader.read({ path: '/x', relPath: REL, bytes: half, offset: 0, line: 1, state: undefined, atEnd: true });
    assert.deepEqual([out.problems, seriesOf(out, 'x').length], [[], 1]);
    assert.ok(out.consumed < half.length);
  });

  it('reports a record failing its data CRC, skips it and keeps the others', () => {
    const good1 = eventRecord({ wallTime: 2, step: 1, scalars: [['x', 1]] });
    const bad = Buffer.from(eventRecord({ wallTime: 3, step: 2, scalars: [['x', 2]] }));
    bad[bad.length - 6]! ^= 0xff;
    const good2 = eventRecord({ wallTime: 4, step: 3, scalars: [['x', 3]] });
    const out = readPieces(tfeventsReader, Buffer.concat([headerRecord(1), good1, bad, good2]), REL);
    assert.deepEqual(seriesOf(out, 'x').map((p) => p[1]), [1, 3]);
    const [p] = out[0]!.problems;
    assert.match(p!.message, /record 3 at byte \d+ fails its data checksum/);
    assert.equal(p!.path, REL);
  });

  it('reports a damaged length header once, finds the next intact record, keeps the rest', () => {
    const a = eventRecord({ wallTime: 2, step: 1, scalars: [['x', 1]] });
    const b = Buffer.from(eventRecord({ wallTime: 3, step: 2, scalars: [['x', 2]] }));
    b[2] = 0x55; // the length no longer matches its CRC
    const c = eventRecord({ wallTime: 4, step: 3, scalars: [['x', 3]] });
    const bytes = Buffer.concat([headerRecord(1), a, b, c]);
    const whole = readPieces(tfeventsReader, bytes, REL);
    assert.deepEqual(seriesOf(whole, 'x').map((p) => p[1]), [1, 3]);
    assert.equal(whole[0]!.problems.length, 1);
    assert.match(whole[0]!.problems[0]!.message, /damaged record header at byte \d+: \d+ bytes skipped/);
    const pieces = readPieces(tfeventsReader, bytes, REL, undefined, [bytes.length - c.length - 10, bytes.length - 3]);
    assert.deepEqual(seriesOf(pieces, 'x').map((p) => p[1]), [1, 3]);
    assert.equal(pieces.flatMap((o) => o.problems).length, 1);
  });

  it('reports garbage, a zero-length file and a record that is not an event, without throwing', () => {
    const garbage = Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 37) & 0xff));
    const g = readPieces(tfeventsReader, garbage, REL);
    assert.equal(g[0]!.consumed, garbage.length);
    assert.match(g[0]!.problems[0]!.message, /damaged record header at byte 0: the rest of the file \(300 bytes\) skipped/);
    const empty = tfeventsReader.read({ path: '/x', relPath: REL, bytes: Buffer.alloc(0), offset: 0, line: 1, state: undefined, atEnd: true });
    assert.deepEqual(empty.problems.map((p) => p.message), ['empty file']);
    const notEvent = readPieces(tfeventsReader, Buffer.concat([headerRecord(1), frameRecord(Buffer.from([0x0a, 0xff]))]), REL);
    assert.match(notEvent[0]!.problems[0]!.message, /record 2 is not a readable event/);
  });

  it('matches event files by name, never profiler data or files inside an MLflow run', () => {
    assert.ok(tfeventsReader.matches('events.out.tfevents.1664258536.1e98a51badab.15222.0.v2'));
    assert.ok(tfeventsReader.matches('a/b/events.out.tfevents.1740572383.Nicolass-MacBook-Pro.local.10873.0'));
    assert.ok(tfeventsReader.matches('a/train/events.out.tfevents.1623308183.futabato-wsl.profile-empty'));
    assert.ok(!tfeventsReader.matches('a/train/plugins/profile/2021_06_10/futabato-wsl.xplane.pb'));
    assert.ok(!tfeventsReader.matches('mlruns/1/abc/artifacts/tb/events.out.tfevents.1.host'));
    assert.ok(!tfeventsReader.matches('a/events.out.tfevents'));
  });

  it('grows live through the Store: a half-written record waits, the train/validation pair is one run', async () => {
    const root = tempDir();
    try {
      const train = path.join(root, 'tb/fit/train/events.out.tfevents.1700000000.host.1.v2');
      const val = path.join(root, 'tb/fit/validation/events.out.tfevents.1700000010.host.2.v2');
      fs.mkdirSync(path.dirname(train), { recursive: true });
      fs.mkdirSync(path.dirname(val), { recursive: true });
      const r2 = eventRecord({ wallTime: 1700000020, step: 1, scalars: [['epoch_loss', 0.5]], encoding: 'tensor_content' });
      fs.writeFileSync(train, Buffer.concat([headerRecord(1700000000), eventRecord({ wallTime: 1700000005, step: 0, scalars: [['epoch_loss', 1]] }), r2.subarray(0, 9)]));
      fs.writeFileSync(val, Buffer.concat([headerRecord(1700000010), eventRecord({ wallTime: 1700000006, step: 0, scalars: [['epoch_loss', 2]] })]));
      const { store } = await Store.open({ workspaceRoot: root, dbPath: null });
      const first = store.ingest();
      assert.deepEqual([first.problems, first.points], [[], 2]);
      const run = store.getRun('tb:tb/fit')!;
      assert.deepEqual([run.name, run.experiment, run.started, run.sourceKind], ['fit', 'tb', 1700000000, 'tensorboard']);
      fs.appendFileSync(train, r2.subarray(9));
      const second = store.ingest([train]);
      assert.deepEqual([second.problems, second.points], [[], 1]);
      assert.deepEqual(store.metricPoints('tb:tb/fit', 'train/epoch_loss').map((p) => [p.step, p.value]), [[0, 1], [1, 0.5]]);
      assert.deepEqual(store.metricPoints('tb:tb/fit', 'validation/epoch_loss').map((p) => p.value), [2]);
      store.close();
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
