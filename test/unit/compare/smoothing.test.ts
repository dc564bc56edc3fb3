import * as assert from 'node:assert/strict';
import { debiasedEma } from '../../../src/shared/compare/smoothing';

/** TensorBoard's smoothing as written in its vz_line_chart (the reference). */
function tensorboardSmooth(ys: number[], weight: number): number[] {
  let last = ys.length > 0 ? 0 : NaN;
  let numAccum = 0;
  const isConstant = ys.every((v) => v === ys[0]);
  return ys.map((nextVal) => {
    if (isConstant || !Number.isFinite(nextVal)) return nextVal;
    last = last * weight + (1 - weight) * nextVal;
    numAccum++;
    const debiasWeight = weight === 1 ? 1 : 1 - Math.pow(weight, numAccum);
    return last / debiasWeight;
  });
}

describe('debiasedEma', () => {
  it('matches TensorBoard on a noisy series for several weights', () => {
    const ys = Array.from({ length: 500 }, (_, i) => Math.exp(-i / 100) + Math.sin(i * 7.1) * 0.1);
    for (const w of [0.1, 0.6, 0.9, 0.99]) {
      const ours = debiasedEma(ys, w);
      tensorboardSmooth(ys, w).forEach((v, i) => assert.ok(Math.abs(ours[i]! - v) < 1e-12, `w=${w} i=${i}`));
    }
  });

  it('is not biased towards zero at the start', () => {
    const out = debiasedEma([10, 10.5, 9.5, 10], 0.9);
    assert.equal(out[0], 10, 'the first value is itself');
    for (const v of out) assert.ok(v > 9 && v < 11);
  });

  it('returns the values for weight 0 and keeps a constant series constant', () => {
    assert.deepEqual([...debiasedEma([1, 5, 2], 0)], [1, 5, 2]);
    assert.deepEqual([...debiasedEma([0.3, 0.3, 0.3], 0.95)], [0.3, 0.3, 0.3]);
  });

  it('passes non-finite values through without letting them into the average', () => {
    const out = debiasedEma([1, NaN, 3, Infinity, 5], 0.5);
    assert.ok(Number.isNaN(out[1]!));
    assert.equal(out[3], Infinity);
    const finite = debiasedEma([1, 3, 5], 0.5);
    assert.deepEqual([out[0], out[2], out[4]], [...finite]);
  });

  it('smooths more with a larger weight', () => {
    const ys = Array.from({ length: 200 }, (_, i) => (i % 2 ? 1 : -1));
    const spread = (a: Float64Array) => Math.max(...a.slice(100)) - Math.min(...a.slice(100));
    assert.ok(spread(debiasedEma(ys, 0.9)) < spread(debiasedEma(ys, 0.5)));
  });
});
