import * as assert from 'node:assert/strict';
import * as zlib from 'node:zlib';
import fc from 'fast-check';
import { CHUNK_POINTS, decodeChunk, decodeChunkInto, encodeChunk, forFiles } from '../../../src/core/store/seriesChunks';

/** The 32-bit words of the doubles: equal words are equal bits (NaN payloads and -0 included). */
const bits = (a: ArrayLike<number>) => [...new Uint32Array(Float64Array.from(a).buffer)];

function assertRoundTrip(steps: number[], times: number[], values: number[]): Uint8Array {
  const bytes = encodeChunk(steps, times, values);
  const back = decodeChunk(bytes, values.length);
  assert.deepEqual(bits(back.steps), bits(steps), 'steps');
  assert.deepEqual(bits(back.times), bits(times), 'times');
  assert.deepEqual(bits(back.values), bits(values), 'values');
  return bytes;
}

/** A NaN whose payload is not the one arithmetic makes. */
function oddNaN(): number {
  const f = new Float64Array(1);
  const u = new Uint32Array(f.buffer);
  u[0] = 0x1234;
  u[1] = 0xfff80000;
  return f[0]!;
}

const range = (n: number, f: (i: number) => number) => Array.from({ length: n }, (_, i) => f(i));
/** A full-precision curve: deflating its XOR-ed words saves only a few percent. */
const noisy = (n: number) => range(n, (i) => Math.exp(-i / 3000) + 0.05 * Math.sin(i * 0.37));
/** What float32 metrics become as doubles: the low 29 bits are zero, so they deflate well. */
const fromFloat32 = (n: number) => [...Float64Array.from(new Float32Array(noisy(n)))];

describe('store/seriesChunks: the encoding of a chunk of points', () => {
  it('gives back every double bit for bit, whatever each column holds', () => {
    const anyDouble = fc.oneof(fc.double(), fc.constantFrom(NaN, Infinity, -Infinity, -0, 0, oddNaN(), 5e-324));
    fc.assert(fc.property(fc.array(fc.tuple(anyDouble, anyDouble, anyDouble), { minLength: 1, maxLength: 300 }), (points) => {
      assertRoundTrip(points.map((p) => p[0]), points.map((p) => p[1]), points.map((p) => p[2]));
    }), { numRuns: 300 });
    // Columns that take each encoding, side by side.
    const n = CHUNK_POINTS;
    const cases: [string, number[], number[], number[]][] = [
      ['steps one apart, no times, a noisy curve', range(n, (i) => i), range(n, () => NaN), noisy(n)],
      ['steps ten apart from -0, even times, float32 values', range(n, (i) => (i === 0 ? -0 : i * 10)), range(n, (i) => 1732240000 + i * 0.5), fromFloat32(n)],
      ['irregular steps (repeats, a step back), irregular times', range(n, (i) => (i % 50 === 0 ? i - 7 : i)), range(n, (i) => 1732240000 + i * 0.1 + (i % 3) * 1e-3), noisy(n)],
      ['missing steps and times here and there', range(n, (i) => (i % 5 === 0 ? NaN : i)), range(n, (i) => (i % 7 === 0 ? NaN : 1732240000 + i)), noisy(n)],
      ['NaN, ±Infinity, -0 and an odd NaN among values', range(n, (i) => i), range(n, (i) => i), range(n, (i) => [NaN, Infinity, -Infinity, -0, oddNaN(), 1 / (i + 1)][i % 6]!)],
      ['one point', [3], [NaN], [-0]],
      ['a constant series', range(n, (i) => i * 2), range(n, (i) => i), range(n, () => 0.25)],
    ];
    for (const [what, steps, times, values] of cases) {
      try {
        assertRoundTrip(steps, times, values);
      } catch (e) {
        assert.fail(`${what}: ${(e as Error).message}`);
      }
    }
  });

  it('stores strided columns as two numbers; deflates what deflating makes much smaller and keeps noisy curves raw, unless compact', () => {
    const n = CHUNK_POINTS;
    const stridedNoTimesFloat32 = encodeChunk(range(n, (i) => i), range(n, () => NaN), fromFloat32(n)).byteLength;
    const stridedNoTimesNoisy = encodeChunk(range(n, (i) => i), range(n, () => NaN), noisy(n)).byteLength;
    const deflatedSteps = encodeChunk(range(n, (i) => i * i), range(n, () => NaN), noisy(n)).byteLength;
    // Header, two strides, the values, the CRC.
    assert.equal(stridedNoTimesNoisy, 10 + 16 + 16 + 8 * n + 4, 'noisy values raw, steps and times as strides');
    assert.ok(stridedNoTimesFloat32 < 0.6 * 8 * n, `float32 values deflated: ${stridedNoTimesFloat32} bytes`);
    assert.ok(deflatedSteps > stridedNoTimesNoisy && deflatedSteps < stridedNoTimesNoisy + 4 * n, `irregular steps deflated: ${deflatedSteps} bytes`);
    // A compact chunk (a live run's tail the index holds and rewrites) takes the smaller encoding.
    const compact = encodeChunk(range(n, (i) => i), range(n, () => NaN), noisy(n), 0, n, true);
    assert.ok(compact.byteLength < stridedNoTimesNoisy, `a compact chunk's noisy curve deflated: ${compact.byteLength} bytes`);
    assert.deepEqual(bits(decodeChunk(compact, n).values), bits(noisy(n)));
    // Moving out to the files, its noisy curve becomes raw, exactly as a chunk made for the files holds it.
    const moved = forFiles(compact, n);
    assert.equal(moved.byteLength, stridedNoTimesNoisy);
    assert.deepEqual(bits(decodeChunk(moved, n).values), bits(noisy(n)));
    const small = encodeChunk(range(n, (i) => i), range(n, () => NaN), fromFloat32(n), 0, n, true);
    assert.equal(forFiles(small, n), small, 'float32 values stay deflated: the same bytes');
    const damaged = Uint8Array.from(compact);
    damaged[20]! ^= 1;
    assert.throws(() => forFiles(damaged, n), /damaged/);
  });

  it('decodes into a series from any point on, with or without the times', () => {
    const a = { steps: range(100, (i) => i), times: range(100, (i) => 1000 + i), values: noisy(100) };
    const b = { steps: range(50, (i) => 100 + i * i), times: range(50, (i) => 2000 + i / 3), values: fromFloat32(50) };
    const out = { steps: new Float64Array(150), times: new Float64Array(0), values: new Float64Array(150) };
    decodeChunkInto(encodeChunk(a.steps, a.times, a.values), 100, out, 0);
    decodeChunkInto(encodeChunk(b.steps, b.times, b.values), 50, out, 100);
    assert.deepEqual(bits(out.steps), bits([...a.steps, ...b.steps]));
    assert.deepEqual(bits(out.values), bits([...a.values, ...b.values]));
    const withTimes = decodeChunk(encodeChunk(b.steps, b.times, b.values), 50, true);
    assert.deepEqual(bits(withTimes.times), bits(b.times));
  });

  it('fails to decode damaged bytes instead of reading them as other numbers', () => {
    const n = 40;
    // Raw values, stride steps and deflated times; then deflated values and steps.
    const chunks = [
      encodeChunk(range(n, (i) => i), range(n, (i) => 1732240000 + i * 0.1 + (i % 3) * 1e-3), noisy(n)),
      encodeChunk(range(n, (i) => i * i), range(n, () => NaN), fromFloat32(n)),
    ];
    for (const bytes of chunks) {
      for (let at = 0; at < bytes.length; at++) {
        for (const flip of [0x01, 0x80, 0xff]) {
          const damaged = Uint8Array.from(bytes);
          damaged[at]! ^= flip;
          assert.throws(() => decodeChunk(damaged, n), /damaged|cut short|format|encoding|holds/, `byte ${at} ^ ${flip}`);
        }
      }
      for (const length of [0, 5, 14, bytes.length - 1]) assert.throws(() => decodeChunk(bytes.subarray(0, length), n), /cut short|damaged/);
      assert.throws(() => decodeChunk(bytes, n + 1), /holds|expected/, 'a count the chunk does not hold');
    }
    // A chunk of another format with a valid checksum (as an index from an older version would name).
    const other = Uint8Array.from(chunks[0]!);
    other[0] = 1;
    new DataView(other.buffer).setUint32(other.length - 4, zlib.crc32(other.subarray(0, other.length - 4)) >>> 0, true);
    assert.throws(() => decodeChunk(other, n), /format 1/);
  });
});
