/** Writes TensorBoard event records the way TensorFlow/PyTorch do, for tests and the benchmark. */
import { frameRecord } from '../../../src/core/ingest/readers/tensorboard/tfRecord';

function varint(n: number | bigint): number[] {
  let v = BigInt.asUintN(64, BigInt(n));
  const out: number[] = [];
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v) b |= 0x80;
    out.push(b);
  } while (v);
  return out;
}

function key(field: number, wire: number): number[] {
  return varint(field * 8 + wire);
}

function len(field: number, body: number[]): number[] {
  return [...key(field, 2), ...varint(body.length), ...body];
}

function double(v: number): number[] {
  const b = Buffer.alloc(8);
  b.writeDoubleLE(v);
  return [...b];
}

function float(v: number): number[] {
  const b = Buffer.alloc(4);
  b.writeFloatLE(v);
  return [...b];
}

export type ScalarEncoding = 'simple' | 'float_val' | 'tensor_content' | 'double_content';

function value(tag: string, v: number, encoding: ScalarEncoding): number[] {
  const tagBytes = [...Buffer.from(tag, 'utf8')];
  if (encoding === 'simple') return [...len(1, tagBytes), ...key(2, 5), ...float(v)];
  const dtype = encoding === 'double_content' ? 2 : 1;
  const payload = encoding === 'float_val' ? [...key(5, 5), ...float(v)]
    : len(4, encoding === 'double_content' ? double(v) : float(v));
  const tensor = [...key(1, 0), ...varint(dtype), ...len(2, []), ...payload];
  const metadata = len(1, len(1, [...Buffer.from('scalars')]));
  return [...len(1, tagBytes), ...len(9, metadata), ...len(8, tensor)];
}

export function eventBytes(opts: { wallTime: number; step?: number; scalars?: [string, number][]; encoding?: ScalarEncoding; fileVersion?: string }): Buffer {
  const body = [...key(1, 1), ...double(opts.wallTime)];
  if (opts.step !== undefined) body.push(...key(2, 0), ...varint(opts.step));
  if (opts.fileVersion) body.push(...len(3, [...Buffer.from(opts.fileVersion)]));
  if (opts.scalars?.length) {
    const summary = opts.scalars.flatMap(([tag, v]) => len(1, value(tag, v, opts.encoding ?? 'simple')));
    body.push(...len(5, summary));
  }
  return Buffer.from(body);
}

/** One framed record. */
export function eventRecord(opts: Parameters<typeof eventBytes>[0]): Buffer {
  return frameRecord(eventBytes(opts));
}

export function headerRecord(wallTime: number): Buffer {
  return eventRecord({ wallTime, fileVersion: 'brain.Event:2' });
}

/** A non-scalar value (an image summary): must be skipped. */
export function imageRecord(wallTime: number, step: number): Buffer {
  const image = len(4, [...key(1, 0), ...varint(2), ...key(2, 0), ...varint(2)]);
  const summary = len(1, [...len(1, [...Buffer.from('sample')]), ...image]);
  return frameRecord(Buffer.from([...key(1, 1), ...double(wallTime), ...key(2, 0), ...varint(step), ...len(5, summary)]));
}
