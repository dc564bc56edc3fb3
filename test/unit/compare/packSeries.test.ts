import * as assert from 'node:assert/strict';
import { packSeries } from '../../../src/extension/compare/packSeries';
import type { MetricSeries } from '../../../src/shared/compare/compareTypes';

const f = (...v: number[]) => Float64Array.from(v);
const series = (uid: string, times: Float64Array, smoothed: Float64Array | null = null): MetricSeries => ({
  uid, key: 'loss', steps: f(0, 1, 2), times, values: f(0.5, 0.25, 0.125), smoothed, bucketStarts: Uint32Array.from([0, 2, 3]), total: 3, nonFinite: 0,
});

describe('packSeries', () => {
  it('sends float32 views of one buffer, without wall times unless asked', () => {
    const packed = packSeries([series('a', f(1732240000.25, 1732240001.5, 1732240003)), series('b', f(NaN, NaN, NaN))], false);
    assert.ok(packed[0]!.values instanceof Float32Array);
    assert.equal(packed[0]!.values.buffer, packed[1]!.steps.buffer, 'one buffer for all');
    assert.deepEqual([...packed[1]!.values], [0.5, 0.25, 0.125]);
    assert.equal(packed[0]!.times, null);
    assert.equal(packed[0]!.timeBase, null);
    assert.equal(packed[0]!.smoothed, null);
    assert.equal(packed[0]!.bucketStarts.buffer, packed[1]!.bucketStarts.buffer, 'one buffer for the columns too');
    assert.deepEqual([...packed[1]!.bucketStarts], [0, 2, 3]);
  });

  it('sends the smoothed line beside the raw one', () => {
    const [a] = packSeries([series('a', f(), f(0.5, 0.4, 0.3))], false);
    assert.deepEqual([...a!.smoothed!].map((v) => Math.round(v * 10) / 10), [0.5, 0.4, 0.3]);
  });

  it('keeps wall times exact enough as float32 offsets from the first time', () => {
    const [a, b] = packSeries([series('a', f(1732240000.25, 1732240001.5, 1732240003)), series('b', f(NaN, 5, 6))], true);
    assert.equal(a!.timeBase, 1732240000.25);
    assert.deepEqual([...a!.times!].map((t) => t + a!.timeBase!), [1732240000.25, 1732240001.5, 1732240003]);
    assert.equal(b!.timeBase, 5);
    assert.ok(Number.isNaN(b!.times![0]!));
    assert.deepEqual([...b!.times!].slice(1), [0, 1]);
  });
});
