import * as assert from 'node:assert/strict';
import { ColumnAccumulator, DEFAULT_PROFILER_SETTINGS } from '../../../src/core/datasets/columnProfiler';
import { quantilesOf, standardHistogram } from '../../../src/core/datasets/histogram';
import { hashStringInto } from '../../../src/core/datasets/sketches/hashing';
import { HyperLogLog } from '../../../src/core/datasets/sketches/hyperLogLog';
import { Reservoir } from '../../../src/core/datasets/sketches/reservoir';
import { ValueCounter } from '../../../src/core/datasets/sketches/valueCounter';
import { FieldScratch, classifyValue } from '../../../src/core/datasets/typeInference';

function key(s: string): [number, number] {
  const k = { hashHi: 0, hashLo: 0 };
  hashStringInto(s, k);
  return [k.hashHi, k.hashLo];
}

function accumulate(values: unknown[], settings = DEFAULT_PROFILER_SETTINGS): ColumnAccumulator {
  const acc = new ColumnAccumulator('x', 0, settings);
  const s = new FieldScratch();
  for (const v of values) {
    classifyValue(v, s);
    if (s.kind === 0) continue;
    acc.record(s);
    if (!acc.countKnown(s.hashHi, s.hashLo)) acc.addNewFrom(s);
  }
  return acc;
}

describe('sketches', () => {
  it('counts values exactly up to the limit and refuses more', () => {
    const c = new ValueCounter(3, 2);
    for (const v of ['a', 'b', 'a', 'c', 'a']) {
      const [hi, lo] = key(v);
      if (!c.increment(hi, lo)) assert.equal(c.insert(hi, lo, v), true);
    }
    assert.deepEqual(c.entries(), [{ value: 'a', count: 3 }, { value: 'b', count: 1 }, { value: 'c', count: 1 }]);
    const [hi, lo] = key('d');
    assert.equal(c.increment(hi, lo), false);
    assert.equal(c.insert(hi, lo, 'd'), false);
    assert.equal(c.full, true);
  });

  it('keeps counts through many table growths', () => {
    const c = new ValueCounter(100_000);
    for (let r = 0; r < 3; r++) {
      for (let i = 0; i < 5000; i++) {
        const [hi, lo] = key(`v${i}`);
        if (!c.increment(hi, lo)) c.insert(hi, lo, `v${i}`);
      }
    }
    assert.equal(c.size, 5000);
    assert.ok(c.entries().every((e) => e.count === 3));
  });

  it('estimates distinct counts within 3 % (HyperLogLog, 2^14 registers)', () => {
    for (const n of [100, 5000, 200_000]) {
      const h = new HyperLogLog();
      for (let i = 0; i < n; i++) h.add(...key(`value-${i}`));
      for (let i = 0; i < n; i += 3) h.add(...key(`value-${i}`)); // repeats change nothing
      const e = h.estimate();
      assert.ok(Math.abs(e - n) / n < 0.03, `${n}: estimated ${e}`);
    }
  });

  it('keeps every value while they fit, then a uniform, seeded sample', () => {
    const small = new Reservoir(100, 1);
    for (let i = 0; i < 50; i++) small.add(i);
    assert.equal(small.exact, true);
    assert.deepEqual(small.sorted(), Array.from({ length: 50 }, (_, i) => i));

    const runs = [1, 2].map(() => {
      const r = new Reservoir(1000, 7);
      for (let i = 0; i < 100_000; i++) r.add(i);
      return r.sorted();
    });
    assert.deepEqual(runs[0], runs[1], 'the same seed gives the same sample');
    const sample = runs[0];
    assert.equal(sample.length, 1000);
    // Each tenth of the range should hold about 100 of the 1000 kept values.
    for (let d = 0; d < 10; d++) {
      const inDecile = sample.filter((x) => x >= d * 10_000 && x < (d + 1) * 10_000).length;
      assert.ok(inDecile > 60 && inDecile < 140, `decile ${d}: ${inDecile}`);
    }
  });

  it('builds TFDV-style standard histograms and interpolated quantiles', () => {
    const h = standardHistogram([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0, 10, 11, 5, { nan: 1, negInfinity: 0, posInfinity: 2 });
    assert.deepEqual(h.buckets.map((b) => [b.low, b.high, b.count]), [[0, 2, 2], [2, 4, 2], [4, 6, 2], [6, 8, 2], [8, 10, 3]]);
    assert.deepEqual([h.nan, h.posInfinity], [1, 2]);
    assert.deepEqual(standardHistogram([4, 4, 4], 4, 4, 3, 10, { nan: 0, negInfinity: 0, posInfinity: 0 }).buckets, [{ low: 4, high: 4, count: 3 }]);
    // A sample of half the values: counts scaled to the whole.
    assert.deepEqual(standardHistogram([0, 10], 0, 10, 4, 2, { nan: 0, negInfinity: 0, posInfinity: 0 }).buckets.map((b) => b.count), [2, 2]);
    assert.deepEqual(quantilesOf([1, 2, 3, 4], [0, 0.5, 1], 1, 4), [{ q: 0, value: 1 }, { q: 0.5, value: 2.5 }, { q: 1, value: 4 }]);
  });

  it('accumulates exact numeric statistics, kinds and value counts for a column', () => {
    const p = accumulate([1, 2, 3, 4, null, 0, NaN, Infinity, 2]).finish(9);
    assert.equal(p.type, 'float', 'NaN and Infinity are float values');
    assert.deepEqual(p.kinds, { int: 6, float: 2 });
    assert.equal(p.present, 8);
    assert.equal(p.missing, 1);
    const n = p.numeric!;
    assert.deepEqual([n.count, n.min, n.max, n.zeros, n.nan, n.infinite], [6, 0, 4, 1, 1, 1]);
    assert.ok(Math.abs(n.mean - 2) < 1e-12);
    // Squared deviations from 2: 1, 0, 1, 4, 4, 0 → population variance 10/6.
    assert.ok(Math.abs(n.std - Math.sqrt(10 / 6)) < 1e-12);
    assert.equal(n.exact, true);
    assert.deepEqual(p.distinct, { count: 7, exact: true });
    assert.deepEqual(p.valueCounts[0], { value: '2', count: 2 });
  });

  it('switches to an estimate past the exact bound and says so', () => {
    const settings = { ...DEFAULT_PROFILER_SETTINGS, exactDistinctLimit: 100, valueCountsLimit: 50 };
    const values = Array.from({ length: 5000 }, (_, i) => `id-${i % 2000}`);
    const p = accumulate(values, settings).finish(values.length);
    assert.equal(p.distinct.exact, false);
    assert.ok(Math.abs(p.distinct.count - 2000) / 2000 < 0.05, String(p.distinct.count));
    assert.equal(p.categorical!.complete, false);
    assert.equal(p.valueCounts.length, 50);
  });
});
