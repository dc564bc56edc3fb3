/**
 * TensorBoard event decoding (src/core/ingest/readers/tensorboard/protoReader.ts + eventProto.ts)
 * beside the protobuf libraries a reviewer would name instead: protobufjs and @bufbuild/protobuf,
 * both given the Event/Summary/TensorProto fields as a .proto (bench/protos/tensorboardEvent.proto).
 * Inputs: every record of every event file in ../shared/fixtures (TF1 Estimator, TF2 Keras tensor
 * scalars, PyTorch Lightning), framed once beforehand; each contender turns each record into the
 * same wall time, step and scalar tags/values, which are checked equal before anything is timed.
 * Figure: CPU milliseconds per MB of record data, and the ratio to ours.
 *
 *   npm run bench -- eventProto
 */
import * as fs from 'node:fs';
import { fromBinary, type DescMessage } from '@bufbuild/protobuf';
import type protobuf from 'protobufjs';
import { decodeEvent, newDecodedEvent } from '../src/core/ingest/readers/tensorboard/eventProto';
import { forEachRecord } from '../src/core/ingest/readers/tensorboard/tfRecord';
import { cpuSecondsPerRun, fixtureFiles, MB, printFigures, sameOrExit } from './libraryBench';
import { loadProto } from './protoSchemas';

interface Scalars {
  wallTime: number;
  step: number;
  tags: string[];
  values: number[];
}

interface Records {
  bytes: Buffer;
  view: DataView;
  ranges: [start: number, end: number][];
}

const files: Records[] = fixtureFiles((p) => /(^|\/)events\.out\.tfevents\./.test(p)).map((f) => {
  const bytes = fs.readFileSync(f.path);
  const ranges: [number, number][] = [];
  forEachRecord(bytes, 0, true, undefined, (start, end) => ranges.push([start, end]), (issue) => {
    throw new Error(`${f.relPath}: ${issue.message}`);
  });
  return { bytes, view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), ranges };
});
const recordBytes = files.reduce((n, f) => n + f.ranges.reduce((m, [s, e]) => m + e - s, 0), 0);
const recordCount = files.reduce((n, f) => n + f.ranges.length, 0);

// ---- ours

function oursAll(keep?: Scalars[]): number {
  const out = newDecodedEvent();
  let sum = 0;
  for (const f of files) {
    for (const [s, e] of f.ranges) {
      decodeEvent(f.bytes, s, e, f.view, out);
      for (let i = 0; i < out.count; i++) sum += out.values[i]!;
      keep?.push({ wallTime: out.wallTime, step: out.step, tags: out.tags.slice(0, out.count), values: out.values.slice(0, out.count) });
    }
  }
  return sum;
}

// ---- the libraries: a decoded message, then the same rules as eventProto.ts

type Obj = Record<string, unknown>;
// Both libraries are given camelCase field names (protobufjs's default, @bufbuild/protobuf's only way).
const has = (o: Obj, key: string): boolean => Object.prototype.hasOwnProperty.call(o, key) && o[key] !== undefined;
const int64 = (v: unknown): number => (typeof v === 'object' && v !== null ? (v as { toNumber(): number }).toNumber() : Number(v));
const DT_FLOAT = 1;
const DT_DOUBLE = 2;
const DT_INT32 = 3;
const DT_INT64 = 9;

function scalarTensor(t: Obj): number | undefined {
  const shape = t.tensorShape as Obj | undefined;
  const rank = shape === undefined ? 0 : shape.unknownRank ? -1 : (shape.dim as unknown[]).length;
  const dtype = (t.dtype as number | undefined) ?? 0;
  if (rank !== 0 || (dtype !== DT_FLOAT && dtype !== DT_DOUBLE && dtype !== DT_INT32 && dtype !== DT_INT64)) return undefined;
  if (has(t, 'tensorContent') && (t.tensorContent as Uint8Array).length > 0) {
    const c = t.tensorContent as Uint8Array;
    const size = dtype === DT_FLOAT || dtype === DT_INT32 ? 4 : 8;
    if (c.length < size) return undefined;
    const view = new DataView(c.buffer, c.byteOffset, size);
    if (dtype === DT_FLOAT) return view.getFloat32(0, true);
    if (dtype === DT_DOUBLE) return view.getFloat64(0, true);
    if (dtype === DT_INT32) return view.getInt32(0, true);
    return Number(view.getBigInt64(0, true));
  }
  for (const list of [t.floatVal, t.doubleVal, t.intVal, t.int64Val] as (unknown[] | undefined)[]) {
    if (list && list.length > 0) return int64(list[0]);
  }
  return undefined;
}

function scalarsOf(ev: Obj, out: Scalars): void {
  out.wallTime = has(ev, 'wallTime') ? (ev.wallTime as number) : 0;
  out.step = has(ev, 'step') ? int64(ev.step) : 0;
  out.tags.length = 0;
  out.values.length = 0;
  const summary = ev.summary as Obj | undefined;
  for (const v of (summary?.value as Obj[] | undefined) ?? []) {
    let value = has(v, 'simpleValue') ? (v.simpleValue as number) : undefined;
    if (has(v, 'tensor')) value = scalarTensor(v.tensor as Obj);
    if (has(v, 'tag') && value !== undefined) {
      out.tags.push(v.tag as string);
      out.values.push(value);
    }
  }
}

function libraryAll(decode: (bytes: Uint8Array) => Obj, keep?: Scalars[]): number {
  const out: Scalars = { wallTime: 0, step: 0, tags: [], values: [] };
  let sum = 0;
  for (const f of files) {
    for (const [s, e] of f.ranges) {
      scalarsOf(decode(f.bytes.subarray(s, e)), out);
      for (const v of out.values) sum += v;
      keep?.push({ ...out, tags: [...out.tags], values: [...out.values] });
    }
  }
  return sum;
}

const proto = loadProto('tensorboardEvent.proto', 'camelCase');
const pbjsEvent: protobuf.Type = proto.root.lookupType('tensorboard.Event');
const bufEvent: DescMessage = proto.registry.getMessage('tensorboard.Event')!;
const decoders: [string, (bytes: Uint8Array) => Obj][] = [
  ['protobufjs 8 (Type.decode)', (b) => pbjsEvent.decode(b) as unknown as Obj],
  ['@bufbuild/protobuf 2 (fromBinary)', (b) => fromBinary(bufEvent, b) as unknown as Obj],
];

// ---- same results, then the figures

const expected: Scalars[] = [];
oursAll(expected);
const scalarCount = expected.reduce((n, e) => n + e.values.length, 0);
console.log(`${files.length} event files, ${recordCount} records, ${(recordBytes / MB).toFixed(2)} MB of record data, ${scalarCount} scalars`);
for (const [name, decode] of decoders) {
  const got: Scalars[] = [];
  libraryAll(decode, got);
  const mismatches: string[] = [];
  got.forEach((g, i) => {
    const want = expected[i]!;
    if (!Object.is(g.wallTime, want.wallTime) || g.step !== want.step || g.tags.join('\n') !== want.tags.join('\n') || g.values.some((v, j) => !Object.is(v, want.values[j]))) {
      mismatches.push(`record ${i}: ${JSON.stringify(g)} vs ours ${JSON.stringify(want)}`);
    }
  });
  if (got.length !== expected.length) mismatches.push(`${got.length} records vs ours ${expected.length}`);
  sameOrExit(`${name} on all ${expected.length} records`, mismatches);
}
if (process.exitCode) process.exit();

const times = cpuSecondsPerRun([
  { name: 'ours (eventProto.ts)', run: () => oursAll() },
  ...decoders.map(([name, decode]) => ({ name, run: () => libraryAll(decode) })),
]);
printFigures('TensorBoard event decoding, CPU per MB of record data:', times, (1000 * MB) / recordBytes, 'ms/MB');
