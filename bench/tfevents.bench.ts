/**
 * P7: TensorBoard scalar reading speed beside a raw read of the same file. Writes a ~64 MB event
 * file of framed records with correct CRCs (one scalar per event, as PyTorch writes them), then
 * times (a) reading its bytes in the source tracker's 8 MB chunks and (b) the same reads passed
 * through the tfevents reader, both in CPU seconds of this process. Goal: >= 50 MB/s.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { tfeventsReader } from '../src/core/ingest/readers/tensorboard/tfeventsReader';
import { eventRecord, headerRecord } from '../test/unit/ingest/tbEventWriter';

const TARGET_BYTES = 64 * 1024 * 1024;
const CHUNK = 8 * 1024 * 1024;

function writeEventFile(file: string): number {
  const block: Buffer[] = [];
  for (let i = 0; i < 1000; i++) {
    block.push(eventRecord({ wallTime: 1700000000 + i * 0.01, step: i, scalars: [[i % 2 ? 'train/loss' : 'val/accuracy', Math.fround(1 / (i + 1))]] }));
  }
  const blockBytes = Buffer.concat(block);
  const fd = fs.openSync(file, 'w');
  let size = 0;
  fs.writeSync(fd, headerRecord(1700000000));
  while (size < TARGET_BYTES) size += fs.writeSync(fd, blockBytes);
  fs.closeSync(fd);
  return fs.statSync(file).size;
}

function timeRead(file: string, size: number, parse: boolean): { seconds: number; points: number } {
  const fd = fs.openSync(file, 'r');
  // CPU time of this process, not wall time: the figure then holds on a machine shared with other work.
  const start = process.cpuUsage();
  let offset = 0;
  let points = 0;
  let state: unknown;
  try {
    while (offset < size) {
      const length = Math.min(CHUNK, size - offset);
      const bytes = Buffer.allocUnsafe(length);
      const got = fs.readSync(fd, bytes, 0, length, offset);
      if (!parse) {
        offset += got;
        continue;
      }
      const out = tfeventsReader.read({ path: file, relPath: 'bench/events.out.tfevents.1700000000.bench', bytes: bytes.subarray(0, got), offset, line: 1, state, atEnd: offset + got >= size });
      for (const b of out.batches) for (const e of b.events) if (e.t === 'metrics') points += Object.keys(e.values).length;
      offset += out.consumed;
      state = out.state;
    }
  } finally {
    fs.closeSync(fd);
  }
  const used = process.cpuUsage(start);
  return { seconds: (used.user + used.system) / 1e6, points };
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exptrack-bench-tfevents-'));
try {
  const file = path.join(dir, 'events.out.tfevents.1700000000.bench');
  const size = writeEventFile(file);
  const mb = size / 1024 / 1024;
  timeRead(file, size, false); // warm the page cache
  const raw = Math.min(...[0, 1, 2].map(() => timeRead(file, size, false).seconds));
  const runs = [0, 1, 2].map(() => timeRead(file, size, true));
  const parsed = Math.min(...runs.map((r) => r.seconds));
  const rate = mb / parsed;
  const rawRate = mb / raw;
  console.log(`P7 tfevents: ${rate.toFixed(1)} MB/s (raw read ${rawRate.toFixed(1)} MB/s, ratio ${(rate / rawRate).toFixed(3)}; ${mb.toFixed(1)} MB, ${runs[0]!.points} scalars) ${rate >= 50 ? 'OK' : 'BELOW GOAL'} (goal >= 50 MB/s)`);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
