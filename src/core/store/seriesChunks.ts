/**
 * The encoding of one chunk of a metric series: up to CHUNK_POINTS points as three float64
 * columns (steps, times, values; NaN stands for "no step" and "no time", values keep NaN and
 * ±Infinity bit for bit). Each column is stored the cheapest way to read that still keeps it small:
 *
 * - as a start and a stride, when every point is exactly `start + i × stride` (steps logged one
 *   apart, evenly spaced times, no times at all): nothing to decode;
 * - XOR-ed with the previous word, as Gorilla does for floats, then deflated at zlib's fastest
 *   level: consecutive words share sign, exponent and high mantissa bits (float32 metrics also end
 *   in zero bits), so the result is mostly zero bytes;
 * - as raw little-endian float64, copied as they are: full-precision noisy curves deflate by a few
 *   percent only, and inflating them would cost more than all else a chart does.
 *
 * A chunk for the series files, which charts read in bulk, deflates a column only when that takes
 * at most ZLIB_WORTH of the raw bytes. A `compact` chunk, which the index holds while it has room
 * (the growing tail of a live run, rewritten as points arrive), takes whichever is smaller; when it
 * moves out to the files, a column deflating made only a little smaller is stored raw (forFiles).
 *
 * A chart by step never touches the times column. A CRC-32 of the whole chunk makes damaged bytes
 * fail to decode instead of reading as other numbers (raw and stride columns have no checksum of their own).
 *
 *   0  u8   FORMAT
 *   1  u8   the columns' encodings: steps | times << 2 | values << 4
 *   2  u32  bytes of the steps column, then u32 of the times column (the values take the rest)
 *  10       steps, times, values
 *  -4  u32  CRC-32 of every byte before it
 */
import * as zlib from 'node:zlib';

export const CHUNK_POINTS = 4096;

/** The first byte of every chunk: a chunk written in another format fails to decode. */
const FORMAT = 2;
const HEADER = 10;
const enum Encoding {
  Stride = 0,
  Deflated = 1,
  Raw = 2,
}
/** A deflated column is kept in the series files when it is at most this share of the raw bytes. */
export const ZLIB_WORTH = 0.75;

export interface PointColumns {
  steps: Float64Array;
  /** Empty when the times were not read; otherwise as long as `values`. */
  times: Float64Array;
  values: Float64Array;
}

/** What the index keeps about a chunk besides its bytes: the pyramid's first level. */
export interface ChunkStats {
  count: number;
  /** Finite-step range; null when no point has a step. */
  minStep: number | null;
  maxStep: number | null;
  /** Finite-value range; null when no value is finite. */
  lo: number | null;
  hi: number | null;
}

interface EncodedColumn {
  encoding: Encoding;
  bytes: Uint8Array;
}

export function encodeChunk(steps: ArrayLike<number>, times: ArrayLike<number>, values: ArrayLike<number>, from = 0, to = values.length, compact = false): Uint8Array {
  return assemble([steps, times, values].map((c) => {
    const column = new Float64Array(to - from);
    for (let i = 0; i < column.length; i++) column[i] = c[from + i]!;
    return encodeColumn(column, compact ? 1 : ZLIB_WORTH);
  }));
}

/**
 * A compact chunk as the series files keep it: a deflated column that deflating made only a little
 * smaller becomes raw (inflated, never deflated again). The same bytes when nothing changes. Throws on damaged bytes.
 */
export function forFiles(bytes: Uint8Array, count: number): Uint8Array {
  const columns = parse(bytes);
  let changed = false;
  for (const c of columns) {
    if (c.encoding !== Encoding.Deflated || c.bytes.byteLength <= ZLIB_WORTH * count * 8) continue;
    const raw = new Float64Array(count);
    decodeColumn(c.encoding, c.bytes, count, raw, 0);
    c.encoding = Encoding.Raw;
    c.bytes = new Uint8Array(raw.buffer);
    changed = true;
  }
  return changed ? assemble(columns) : bytes;
}

/** The chunk's columns (fresh arrays); `times` is empty unless `withTimes`. Throws on damaged bytes. */
export function decodeChunk(bytes: Uint8Array, count: number, withTimes = true): PointColumns {
  const out = { steps: new Float64Array(count), times: new Float64Array(withTimes ? count : 0), values: new Float64Array(count) };
  decodeChunkInto(bytes, count, out, 0);
  return out;
}

/**
 * Decodes the chunk into `out` from point `at` on: steps and values, and times when `out.times`
 * is not empty. Throws on damaged bytes.
 */
export function decodeChunkInto(bytes: Uint8Array, count: number, out: PointColumns, at: number): void {
  const [steps, times, values] = parse(bytes);
  decodeColumn(steps.encoding, steps.bytes, count, out.steps, at);
  if (out.times.length > 0) decodeColumn(times.encoding, times.bytes, count, out.times, at);
  decodeColumn(values.encoding, values.bytes, count, out.values, at);
}

/** Steps, times and values in one chunk, behind the header, with the CRC-32 after them. */
function assemble(columns: readonly EncodedColumn[]): Uint8Array {
  const [s, t, v] = columns as [EncodedColumn, EncodedColumn, EncodedColumn];
  const out = new Uint8Array(HEADER + s.bytes.byteLength + t.bytes.byteLength + v.bytes.byteLength + 4);
  const view = new DataView(out.buffer);
  view.setUint8(0, FORMAT);
  view.setUint8(1, s.encoding | (t.encoding << 2) | (v.encoding << 4));
  view.setUint32(2, s.bytes.byteLength, true);
  view.setUint32(6, t.bytes.byteLength, true);
  let at = HEADER;
  for (const c of columns) {
    out.set(c.bytes, at);
    at += c.bytes.byteLength;
  }
  view.setUint32(at, zlib.crc32(out.subarray(0, at)) >>> 0, true);
  return out;
}

/** The encoded steps, times and values of a chunk (views of its bytes), once its CRC-32 and header are checked. */
function parse(bytes: Uint8Array): [EncodedColumn, EncodedColumn, EncodedColumn] {
  const n = bytes.byteLength;
  if (n < HEADER + 4) throw new Error('a series chunk is cut short');
  const view = new DataView(bytes.buffer, bytes.byteOffset, n);
  if (view.getUint32(n - 4, true) !== zlib.crc32(bytes.subarray(0, n - 4)) >>> 0) throw new Error('a series chunk is damaged (its CRC-32 does not match)');
  if (bytes[0] !== FORMAT) throw new Error(`a series chunk is in format ${bytes[0]}, not ${FORMAT}`);
  const kinds = bytes[1]!;
  const stepsEnd = HEADER + view.getUint32(2, true);
  const timesEnd = stepsEnd + view.getUint32(6, true);
  if (timesEnd > n - 4) throw new Error('a series chunk is cut short');
  return [
    { encoding: kinds & 3, bytes: bytes.subarray(HEADER, stepsEnd) },
    { encoding: (kinds >> 2) & 3, bytes: bytes.subarray(stepsEnd, timesEnd) },
    { encoding: (kinds >> 4) & 3, bytes: bytes.subarray(timesEnd, n - 4) },
  ];
}

/** `column`: a fresh array, which a raw encoding keeps; deflated when that takes at most `worth` of the raw bytes. */
function encodeColumn(column: Float64Array, worth: number): EncodedColumn {
  const n = column.length;
  if (n > 0) {
    const stride = new Float64Array([column[0]!, n > 1 ? column[1]! - column[0]! : 0]);
    const bytes = new Uint8Array(stride.buffer);
    const back = new Float64Array(n);
    decodeColumn(Encoding.Stride, bytes, n, back, 0);
    if (sameBits(back, column)) return { encoding: Encoding.Stride, bytes };
  }
  const deflated = xorDeflate(column);
  if (deflated.byteLength <= worth * n * 8) return { encoding: Encoding.Deflated, bytes: deflated };
  return { encoding: Encoding.Raw, bytes: new Uint8Array(column.buffer, column.byteOffset, n * 8) };
}

function decodeColumn(encoding: number, bytes: Uint8Array, n: number, out: Float64Array, at: number): void {
  if (encoding === Encoding.Stride) {
    if (bytes.byteLength !== 16) throw new Error(`a series chunk holds a stride of ${bytes.byteLength} bytes, expected 16`);
    const view = new DataView(bytes.buffer, bytes.byteOffset, 16);
    const start = view.getFloat64(0, true);
    const stride = view.getFloat64(8, true);
    for (let i = 0; i < n; i++) out[at + i] = start + i * stride;
  } else if (encoding === Encoding.Raw) {
    if (bytes.byteLength !== n * 8) throw new Error(`a series chunk holds ${bytes.byteLength} bytes for a column, expected ${n * 8}`);
    new Uint8Array(out.buffer, out.byteOffset + at * 8, n * 8).set(bytes);
  } else if (encoding === Encoding.Deflated) {
    unxorInto(inflateWords(bytes, n), n, out, at);
  } else {
    throw new Error(`a series chunk names an unknown column encoding ${encoding}`);
  }
}

/** The inflated words of a column of `n` float64, as 32-bit words. */
function inflateWords(bytes: Uint8Array, n: number): Uint32Array {
  // A chunk size of the whole output inflates in one pass, without growing and joining pieces.
  const raw = zlib.inflateSync(bytes, { chunkSize: Math.max(64, n * 8) });
  if (raw.byteLength !== n * 8) throw new Error(`a series chunk holds ${raw.byteLength} bytes for a column, expected ${n * 8}`);
  const aligned = raw.byteOffset % 4 === 0 ? raw : Buffer.from(raw);
  return new Uint32Array(aligned.buffer, aligned.byteOffset, n * 2);
}

function unxorInto(src: Uint32Array, n: number, dst: Float64Array, at: number): void {
  if (n === 0) return;
  const d = new Uint32Array(dst.buffer, dst.byteOffset + at * 8, n * 2);
  let lo = src[0]!;
  let hi = src[1]!;
  d[0] = lo;
  d[1] = hi;
  for (let i = 1; i < n; i++) {
    lo ^= src[2 * i]!;
    hi ^= src[2 * i + 1]!;
    d[2 * i] = lo;
    d[2 * i + 1] = hi;
  }
}

/** XOR-ed with the previous word, then deflated (the column is left as it was). */
function xorDeflate(column: Float64Array): Uint8Array {
  const words = new Float64Array(column);
  const u = new Uint32Array(words.buffer);
  for (let i = column.length - 1; i > 0; i--) {
    u[2 * i] ^= u[2 * i - 2]!;
    u[2 * i + 1] ^= u[2 * i - 1]!;
  }
  // A 4 KB window is plenty for XOR-ed columns and makes each call's setup 4× cheaper than the default,
  // which counts when a run adds a few points at a time.
  return zlib.deflateSync(new Uint8Array(words.buffer), { level: 1, windowBits: 12, memLevel: 4 });
}

function sameBits(a: Float64Array, b: Float64Array): boolean {
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length * 2);
  const y = new Uint32Array(b.buffer, b.byteOffset, b.length * 2);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

export function chunkStats(steps: ArrayLike<number>, values: ArrayLike<number>, from = 0, to = values.length): ChunkStats {
  let minStep = Infinity;
  let maxStep = -Infinity;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = from; i < to; i++) {
    const s = steps[i]!;
    if (s < minStep) minStep = s;
    if (s > maxStep) maxStep = s;
    const v = values[i]!;
    if (Number.isFinite(v)) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  return {
    count: to - from,
    minStep: minStep === Infinity ? null : minStep,
    maxStep: maxStep === -Infinity ? null : maxStep,
    lo: lo === Infinity ? null : lo,
    hi: hi === -Infinity ? null : hi,
  };
}
