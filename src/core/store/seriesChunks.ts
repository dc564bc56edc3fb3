/**
 * The encoding of one chunk of a metric series: up to CHUNK_POINTS points as three float64
 * columns (steps, times, values; NaN stands for "no step" and "no time", values keep NaN and
 * ±Infinity bit for bit). Each column is XOR-ed with the previous word, as Gorilla does for floats:
 * consecutive steps, times and most curves share sign, exponent and high mantissa bits, so the
 * result is mostly zero bytes, which zlib's fastest level then packs to 5–8 bytes a point. Steps
 * and values form one stream, times another, so a chart by step never inflates the times. Both
 * passes run in native code or over 32-bit words (1M points decode in tens of milliseconds), and
 * zlib's own checksum (Adler-32) makes a damaged chunk fail to decode instead of reading as other numbers.
 */
import * as zlib from 'node:zlib';

export const CHUNK_POINTS = 4096;

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

export function encodeChunk(steps: ArrayLike<number>, times: ArrayLike<number>, values: ArrayLike<number>, from = 0, to = values.length): Uint8Array {
  const n = to - from;
  const stepsAndValues = new Float64Array(2 * n);
  const timesOnly = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    stepsAndValues[i] = steps[from + i]!;
    stepsAndValues[n + i] = values[from + i]!;
    timesOnly[i] = times[from + i]!;
  }
  // Two streams: a chart by step (the usual one) inflates steps and values only.
  const a = pack(stepsAndValues, 2, n);
  const b = pack(timesOnly, 1, n);
  const out = new Uint8Array(4 + a.byteLength + b.byteLength);
  new DataView(out.buffer).setUint32(0, a.byteLength, true);
  out.set(a, 4);
  out.set(b, 4 + a.byteLength);
  return out;
}

/** The chunk's columns (views of fresh buffers); `times` is empty unless `withTimes`. Throws on damaged bytes. */
export function decodeChunk(bytes: Uint8Array, count: number, withTimes = true): PointColumns {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const split = bytes.byteLength >= 4 ? view.getUint32(0, true) : 0;
  if (split + 4 > bytes.byteLength) throw new Error('a series chunk is cut short');
  const sv = unpack(bytes.subarray(4, 4 + split), 2, count);
  const times = withTimes ? unpack(bytes.subarray(4 + split), 1, count) : new Float64Array(0);
  return { steps: sv.subarray(0, count), times, values: sv.subarray(count) };
}

/**
 * Decodes the chunk into `out` from point `at` on: steps and values, and times when `out.times`
 * is not empty. The XOR is undone while copying, so a series read chunk by chunk is copied once.
 * Throws on damaged bytes.
 */
export function decodeChunkInto(bytes: Uint8Array, count: number, out: PointColumns, at: number): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const split = bytes.byteLength >= 4 ? view.getUint32(0, true) : 0;
  if (split + 4 > bytes.byteLength) throw new Error('a series chunk is cut short');
  const sv = inflateWords(bytes.subarray(4, 4 + split), 2, count);
  unxorInto(sv, 0, count, out.steps, at);
  unxorInto(sv, count * 2, count, out.values, at);
  if (out.times.length > 0) unxorInto(inflateWords(bytes.subarray(4 + split), 1, count), 0, count, out.times, at);
}

/** The inflated words of a stream of `columns` columns of `n` float64 each, as 32-bit words. */
function inflateWords(bytes: Uint8Array, columns: number, n: number): Uint32Array {
  // A chunk size of the whole output inflates in one pass, without growing and joining pieces.
  const raw = zlib.inflateSync(bytes, { chunkSize: Math.max(64, columns * n * 8) });
  if (raw.byteLength !== columns * n * 8) throw new Error(`a series chunk holds ${raw.byteLength} bytes, expected ${columns * n * 8}`);
  const aligned = raw.byteOffset % 4 === 0 ? raw : Buffer.from(raw);
  return new Uint32Array(aligned.buffer, aligned.byteOffset, columns * n * 2);
}

function unxorInto(src: Uint32Array, from: number, n: number, dst: Float64Array, at: number): void {
  if (n === 0) return;
  const d = new Uint32Array(dst.buffer, dst.byteOffset + at * 8, n * 2);
  let lo = src[from]!;
  let hi = src[from + 1]!;
  d[0] = lo;
  d[1] = hi;
  for (let i = 1; i < n; i++) {
    lo ^= src[from + 2 * i]!;
    hi ^= src[from + 2 * i + 1]!;
    d[2 * i] = lo;
    d[2 * i + 1] = hi;
  }
}

/** XOR-ed with the previous word, column by column, then deflated. */
function pack(words: Float64Array, columns: number, n: number): Uint8Array {
  const u = new Uint32Array(words.buffer);
  for (let c = 0; c < columns; c++) {
    const base = c * n * 2;
    for (let i = n - 1; i > 0; i--) {
      u[base + 2 * i] ^= u[base + 2 * i - 2]!;
      u[base + 2 * i + 1] ^= u[base + 2 * i - 1]!;
    }
  }
  // A 4 KB window is plenty for XOR-ed columns and makes each call's setup 4× cheaper than the default,
  // which counts when a run adds a few points at a time.
  return zlib.deflateSync(new Uint8Array(words.buffer), { level: 1, windowBits: 12, memLevel: 4 });
}

function unpack(bytes: Uint8Array, columns: number, n: number): Float64Array {
  const raw = zlib.inflateSync(bytes);
  if (raw.byteLength !== columns * n * 8) throw new Error(`a series chunk holds ${raw.byteLength} bytes, expected ${columns * n * 8}`);
  // inflateSync's buffer may sit at any offset of a shared pool: copy when it is not 8-byte aligned.
  const aligned = raw.byteOffset % 8 === 0 ? raw : Buffer.from(raw);
  const u = new Uint32Array(aligned.buffer, aligned.byteOffset, columns * n * 2);
  for (let c = 0; c < columns; c++) {
    const base = c * n * 2;
    for (let i = 1; i < n; i++) {
      u[base + 2 * i] ^= u[base + 2 * i - 2]!;
      u[base + 2 * i + 1] ^= u[base + 2 * i - 1]!;
    }
  }
  return new Float64Array(aligned.buffer, aligned.byteOffset, columns * n);
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
