import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { downsampleMinMax, type PointColumns } from '../../../src/core/compare/downsample';

function columns(values: number[]): PointColumns {
  return {
    steps: Float64Array.from(values, (_, i) => i),
    times: Float64Array.from(values, (_, i) => 1000 + i),
    values: Float64Array.from(values),
  };
}

describe('downsampleMinMax', () => {
  it('keeps a series that fits the budget as it is, without non-finite values', () => {
    const out = downsampleMinMax(columns([3, NaN, 1, Infinity, 2, -Infinity]), 2000);
    assert.deepEqual([...out.values], [3, 1, 2]);
    assert.deepEqual([...out.steps], [0, 2, 4]);
    assert.deepEqual([...out.times], [1000, 1002, 1004]);
    assert.equal(out.nonFinite, 3);
  });

  it('bounds 10,000 points to 2,000 and keeps a one-step spike and dip', () => {
    const values = Array.from({ length: 10_000 }, (_, i) => Math.sin(i / 100) + Math.sin(i * 12.9898) * 0.1);
    values[4321] = 50;
    values[777] = -50;
    const out = downsampleMinMax(columns(values), 2000);
    assert.ok(out.values.length <= 2000, `${out.values.length} points`);
    assert.ok(out.values.length >= 1500, 'a noisy series uses the budget');
    const spike = out.values.indexOf(50);
    assert.equal(out.steps[spike], 4321);
    assert.equal(out.steps[out.values.indexOf(-50)], 777);
    assert.equal(out.steps[0], 0, 'the first point stays');
    assert.equal(out.steps[out.steps.length - 1], 9999, 'the last point stays');
  });

  it('keeps step order and every point it keeps is an input point', () => {
    fc.assert(fc.property(
      fc.array(fc.oneof(fc.double({ noNaN: true, min: -1e6, max: 1e6 }), fc.constant(NaN), fc.constant(Infinity)), { maxLength: 3000 }),
      fc.integer({ min: 1, max: 600 }),
      (values, maxPoints) => {
        const input = columns(values);
        const out = downsampleMinMax(input, maxPoints);
        assert.ok(out.values.length <= Math.max(4, maxPoints));
        for (let j = 0; j < out.steps.length; j++) {
          const i = out.steps[j]!;
          if (j > 0) assert.ok(i > out.steps[j - 1]!, 'strictly increasing steps');
          assert.equal(out.values[j], values[i]);
          assert.ok(Number.isFinite(out.values[j]!));
        }
        const finite = values.filter(Number.isFinite);
        if (finite.length) {
          // The extremes of the whole series always survive.
          assert.equal(Math.max(...out.values), Math.max(...finite));
          assert.equal(Math.min(...out.values), Math.min(...finite));
        } else {
          assert.equal(out.values.length, 0);
        }
        assert.equal(out.nonFinite, values.length - finite.length);
      },
    ), { numRuns: 200 });
  });

  it('keeps each bucket\'s extremes: a spike in any place of a long series survives', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 49_999 }), fc.integer({ min: 8, max: 3000 }), (at, maxPoints) => {
      const values = new Array<number>(50_000).fill(1);
      values[at] = 2;
      const out = downsampleMinMax(columns(values), maxPoints);
      assert.ok(out.values.length <= maxPoints);
      assert.equal(out.steps[out.values.indexOf(2)], at);
    }), { numRuns: 100 });
  });
});
