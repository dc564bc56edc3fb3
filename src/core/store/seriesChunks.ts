/**
 * The encoding of one chunk of a metric series: up to CHUNK_POINTS points as three float64
 * columns (steps, times, values; NaN stands for "no step" and "no time", values keep NaN and
 * ±Infinity bit for bit). Each column is XOR-ed with the previous word, as Gorilla does for floats:
 * consecutive steps, times and most curves share sign, exponent and high mantissa bits, so the
 * result is mostly zero bytes, which zlib's fastest level then packs to about 5 bytes a point. Both
 * steps run in native code or over 32-bit words, so 1M points decode in about 40 ms; zlib's own
 * checksum (Adler-32) makes a damaged chunk fail to decode instead of reading as other numbers.
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
  const words = new Float64Array(3 * n);
  for (let i = 0; i < n; i++) {
    words[i] = steps[from + i]!;
    words[n + i] = times[from + i]!;
    words[2 * n + i] = values[from + i]!;
  }
  const u = new Uint32Array(words.buffer);
  for (let c = 0; c < 3; c++) {
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

/** The chunk's columns (views of one fresh buffer). Throws on damaged bytes. */
export function decodeChunk(bytes: Uint8Array, count: number): PointColumns {
  const raw = zlib.inflateSync(bytes);
  if (raw.byteLength !== count * 24) throw new Error(`a series chunk holds ${raw.byteLength} bytes, expected ${count * 24}`);
  // inflateSync's buffer may sit at any offset of a shared pool: copy when it is not 8-byte aligned.
  const aligned = raw.byteOffset % 8 === 0 ? raw : Buffer.from(raw);
  const u = new Uint32Array(aligned.buffer, aligned.byteOffset, count * 6);
  for (let c = 0; c < 3; c++) {
    const base = c * count * 2;
    for (let i = 1; i < count; i++) {
      u[base + 2 * i] ^= u[base + 2 * i - 2]!;
      u[base + 2 * i + 1] ^= u[base + 2 * i - 1]!;
    }
  }
  const f = new Float64Array(aligned.buffer, aligned.byteOffset, count * 3);
  return { steps: f.subarray(0, count), times: f.subarray(count, 2 * count), values: f.subarray(2 * count) };
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
