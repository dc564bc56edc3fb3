/**
 * CRC-32C of TFRecord framing (src/core/ingest/readers/tensorboard/crc32c.ts, which calls `crc-32`)
 * beside `crc-32` called directly, the slicing-by-8 that crc32c.ts held before (kept below, so the
 * figure that replaced it can be measured again), and `@node-rs/crc32` (a native addon using the
 * processor's CRC instructions). Inputs: the event files in ../shared/fixtures, checked as the
 * TFRecord reader checks them — each record's 8-byte length and then its data, one call each —
 * and, for scale, each whole file in one call. Every checksum is compared with ours, and ours with
 * the one stored in the file. Figure: CPU milliseconds per MB checked, and the ratio to ours.
 *
 *   npm run bench -- crc32c
 */
import * as fs from 'node:fs';
import { crc32c as nativeCrc32c } from '@node-rs/crc32';
import CRC32C from 'crc-32/crc32c';
import { crc32c, maskCrc } from '../src/core/ingest/readers/tensorboard/crc32c';
import { forEachRecord, HEADER_BYTES } from '../src/core/ingest/readers/tensorboard/tfRecord';
import { cpuSecondsPerRun, fixtureFiles, MB, printFigures, sameOrExit } from './libraryBench';

interface Checked {
  bytes: Buffer;
  /** [start, end) of every range the reader checks: each record's length field, then its data. */
  ranges: number[];
}

const files: Checked[] = fixtureFiles((p) => /(^|\/)events\.out\.tfevents\./.test(p)).map((f) => {
  const bytes = fs.readFileSync(f.path);
  const ranges: number[] = [];
  forEachRecord(bytes, 0, true, undefined, (start, end) => ranges.push(start - HEADER_BYTES, start - HEADER_BYTES + 8, start, end), (issue) => {
    throw new Error(`${f.relPath}: ${issue.message}`);
  });
  return { bytes, ranges };
});
const checkedBytes = files.reduce((n, f) => n + f.ranges.reduce((m, v, i) => m + (i % 2 ? v : -v), 0), 0);
const fileBytes = files.reduce((n, f) => n + f.bytes.length, 0);
const callCount = files.reduce((n, f) => n + f.ranges.length / 2, 0);

// ---- the slicing-by-8 CRC-32C written by hand before crc-32 replaced it

const TABLES: Uint32Array[] = (() => {
  const tables = Array.from({ length: 8 }, () => new Uint32Array(256));
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
    tables[0]![n] = c >>> 0;
  }
  for (let n = 0; n < 256; n++) {
    let c = tables[0]![n]!;
    for (let t = 1; t < 8; t++) {
      c = tables[0]![c & 0xff]! ^ (c >>> 8);
      tables[t]![n] = c >>> 0;
    }
  }
  return tables;
})();

function slicingBy8(bytes: Uint8Array, start: number, end: number): number {
  const [t0, t1, t2, t3, t4, t5, t6, t7] = TABLES as [Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array];
  let crc = 0xffffffff;
  let i = start;
  const fast = end - 8;
  while (i <= fast) {
    const a = (crc ^ (bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24))) >>> 0;
    crc = t7[a & 0xff]! ^ t6[(a >>> 8) & 0xff]! ^ t5[(a >>> 16) & 0xff]! ^ t4[a >>> 24]!
      ^ t3[bytes[i + 4]!]! ^ t2[bytes[i + 5]!]! ^ t1[bytes[i + 6]!]! ^ t0[bytes[i + 7]!]!;
    i += 8;
  }
  while (i < end) crc = t0[(crc ^ bytes[i++]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

type Crc = (bytes: Buffer, start: number, end: number) => number;
const contenders: [string, Crc][] = [
  ['ours (crc32c.ts, on crc-32)', (b, s, e) => crc32c(b, s, e)],
  ['crc-32 1.2 called directly', (b, s, e) => CRC32C.buf(b.subarray(s, e)) >>> 0],
  ['slicing-by-8 (hand-written before)', slicingBy8],
  ['@node-rs/crc32 1.10 (native, SSE4.2)', (b, s, e) => nativeCrc32c(b.subarray(s, e))],
];

function recordsAll(crc: Crc, keep?: number[]): number {
  let x = 0;
  for (const f of files) {
    const r = f.ranges;
    for (let i = 0; i < r.length; i += 2) {
      const c = crc(f.bytes, r[i]!, r[i + 1]!);
      x ^= c;
      keep?.push(c);
    }
  }
  return x;
}

function wholeFiles(crc: Crc, keep?: number[]): number {
  let x = 0;
  for (const f of files) {
    const c = crc(f.bytes, 0, f.bytes.length);
    x ^= c;
    keep?.push(c);
  }
  return x;
}

// ---- same results: ours matches the CRCs stored in the files, and every other contender matches ours

const stored: number[] = [];
for (const f of files) {
  for (let i = 0; i < f.ranges.length; i += 2) stored.push(f.bytes.readUInt32LE(f.ranges[i + 1]!));
}
const ours: number[] = [];
recordsAll(contenders[0]![1], ours);
sameOrExit(`ours against the ${stored.length} CRCs stored in the files`, ours.flatMap((c, i) => (maskCrc(c) === stored[i] ? [] : [`check ${i}: ${maskCrc(c)} vs stored ${stored[i]}`])));
const oursWhole: number[] = [];
wholeFiles(contenders[0]![1], oursWhole);
for (const [name, crc] of contenders.slice(1)) {
  const got: number[] = [];
  recordsAll(crc, got);
  wholeFiles(crc, got);
  const want = [...ours, ...oursWhole];
  sameOrExit(`${name} on ${want.length} ranges`, got.flatMap((c, i) => (c === want[i] ? [] : [`range ${i}: ${c} vs ours ${want[i]}`])));
}
if (process.exitCode) process.exit();

console.log(`${files.length} event files (${(fileBytes / MB).toFixed(2)} MB): ${callCount} checks as the reader makes them (${(checkedBytes / MB).toFixed(2)} MB, ${(checkedBytes / callCount).toFixed(0)} bytes a check)`);
printFigures('record by record, as the TFRecord reader checks (CPU per MB):',
  cpuSecondsPerRun(contenders.map(([name, crc]) => ({ name, run: () => recordsAll(crc) }))), (1000 * MB) / checkedBytes, 'ms/MB');
printFigures('each whole file in one call, for scale (CPU per MB):',
  cpuSecondsPerRun(contenders.map(([name, crc]) => ({ name, run: () => wholeFiles(crc) }))), (1000 * MB) / fileBytes, 'ms/MB');
