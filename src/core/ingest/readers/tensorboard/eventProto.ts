/**
 * Decodes the scalars of one `tensorboard.Event` record. Field numbers (event.proto, summary.proto,
 * tensor.proto): Event{wall_time=1 double, step=2 int64, summary=5}; Summary{value=1 repeated};
 * Value{tag=1, simple_value=2 float, metadata=9, tensor=8}; TensorProto{dtype=1, tensor_shape=2,
 * tensor_content=4, float_val=5, double_val=6, int_val=7, int64_val=10}. Scalars come either as
 * simple_value (TF1, PyTorch, Lightning) or as a rank-0 numeric tensor (TF2 Keras); images,
 * histograms, text and rank>0 tensors are not scalars and are left out.
 */
import { ProtoReader, WIRE_FIXED32, WIRE_FIXED64, WIRE_LEN, WIRE_VARINT } from './protoReader';

export interface DecodedEvent {
  wallTime: number;
  step: number;
  scalars: [tag: string, value: number][];
}

const DT_FLOAT = 1;
const DT_DOUBLE = 2;
const DT_INT32 = 3;
const DT_INT64 = 9;

/** Throws ProtoError on a malformed record. */
export function decodeEvent(buf: Uint8Array, start: number, end: number): DecodedEvent {
  const r = new ProtoReader(buf, start, end);
  const event: DecodedEvent = { wallTime: 0, step: 0, scalars: [] };
  while (!r.done) {
    const [field, wire] = r.key();
    if (field === 1 && wire === WIRE_FIXED64) event.wallTime = r.double();
    else if (field === 2 && wire === WIRE_VARINT) event.step = r.int64();
    else if (field === 5 && wire === WIRE_LEN) readSummary(r.sub(), event.scalars);
    else r.skip(wire);
  }
  return event;
}

function readSummary(r: ProtoReader, out: [string, number][]): void {
  while (!r.done) {
    const [field, wire] = r.key();
    if (field === 1 && wire === WIRE_LEN) {
      const scalar = readValue(r.sub());
      if (scalar) out.push(scalar);
    } else r.skip(wire);
  }
}

function readValue(r: ProtoReader): [string, number] | undefined {
  let tag: string | undefined;
  let value: number | undefined;
  while (!r.done) {
    const [field, wire] = r.key();
    if (field === 1 && wire === WIRE_LEN) tag = r.string();
    else if (field === 2 && wire === WIRE_FIXED32) value = r.float();
    else if (field === 8 && wire === WIRE_LEN) value = readScalarTensor(r.sub());
    else r.skip(wire);
  }
  return tag !== undefined && value !== undefined ? [tag, value] : undefined;
}

/** The value of a rank-0 float/double/int tensor; undefined for anything else. */
function readScalarTensor(r: ProtoReader): number | undefined {
  let dtype = 0;
  let rank = 0;
  let content: [number, number] | undefined;
  let listed: number | undefined;
  while (!r.done) {
    const [field, wire] = r.key();
    if (field === 1 && wire === WIRE_VARINT) dtype = r.varint();
    else if (field === 2 && wire === WIRE_LEN) rank = shapeRank(r.sub());
    else if (field === 4 && wire === WIRE_LEN) content = r.bytes();
    else if (field === 5) listed = repeated(r, wire, WIRE_FIXED32, () => r.float()) ?? listed;
    else if (field === 6) listed = repeated(r, wire, WIRE_FIXED64, () => r.double()) ?? listed;
    else if (field === 7 || field === 10) listed = repeated(r, wire, WIRE_VARINT, () => r.int64()) ?? listed;
    else r.skip(wire);
  }
  if (rank !== 0) return undefined;
  if (dtype !== DT_FLOAT && dtype !== DT_DOUBLE && dtype !== DT_INT32 && dtype !== DT_INT64) return undefined;
  if (content) return fromContent(r.buf, content[0], content[1], dtype);
  return listed;
}

/** Reads a repeated scalar field, packed or not; returns its first value. */
function repeated(r: ProtoReader, wire: number, elementWire: number, readOne: () => number): number | undefined {
  if (wire === elementWire) return readOne();
  if (wire !== WIRE_LEN) {
    r.skip(wire);
    return undefined;
  }
  const packed = r.sub();
  const first = packed.done ? undefined : readOneFrom(packed, elementWire);
  return first;
}

function readOneFrom(r: ProtoReader, elementWire: number): number {
  if (elementWire === WIRE_FIXED32) return r.float();
  if (elementWire === WIRE_FIXED64) return r.double();
  return r.int64();
}

function shapeRank(r: ProtoReader): number {
  let rank = 0;
  while (!r.done) {
    const [field, wire] = r.key();
    if (field === 2 && wire === WIRE_LEN) {
      rank++;
      r.skip(wire);
    } else if (field === 3 && wire === WIRE_VARINT && r.varint() !== 0) {
      return -1; // unknown_rank
    } else if (!(field === 3 && wire === WIRE_VARINT)) r.skip(wire);
  }
  return rank;
}

function fromContent(buf: Uint8Array, start: number, end: number, dtype: number): number | undefined {
  const view = new DataView(buf.buffer, buf.byteOffset + start, end - start);
  const size = dtype === DT_FLOAT || dtype === DT_INT32 ? 4 : 8;
  if (end - start < size) return undefined;
  if (dtype === DT_FLOAT) return view.getFloat32(0, true);
  if (dtype === DT_DOUBLE) return view.getFloat64(0, true);
  if (dtype === DT_INT32) return view.getInt32(0, true);
  return Number(view.getBigInt64(0, true));
}
