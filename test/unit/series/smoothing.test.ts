// Each smoothing against a reference written from its published description, not from the code
// under test: TensorBoard's debiased EMA (the smoothed value is the average of the values so far
// weighted w^age), W&B's time-weighted EMA (as in docs.wandb.ai's line-plot smoothing page: the
// weight min(sqrt(p), 0.999) decays with the x gap in thousandths of the x range), W&B's Gaussian
// (weights of a normal distribution of the given standard deviation, points on both sides) and
// running average (the mean of the points in a window before and after the point) — each as a
// plain weighted mean over every point, on inputs whose answer is known.
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { avgInto, emaInto, freshState, gaussInto, twemaInto, WIDE_KERNEL } from '../../../src/core/series/smoothers';
import { parseSmoothing } from '../../../src/shared/compare/smoothing';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** TensorBoard's EMA as the weighted mean Σ w^(t−i) y_i / Σ w^(t−i) over the finite values so far. */
function emaReference(ys: number[], w: number): number[] {
  return ys.map((y, t) => {
    if (!Number.isFinite(y)) return y;
    let num = 0;
    let den = 0;
    let age = 0;
    for (let i = t; i >= 0; i--) {
      if (!Number.isFinite(ys[i]!)) continue;
      num += Math.pow(w, age) * ys[i]!;
      den += Math.pow(w, age);
      age++;
    }
    return num / den;
  });
}

/** W&B's TWEMA as the weighted mean with weights w^((x_t − x_i) · 1000 / rangeOfX), w = min(sqrt(p), 0.999). */
function twemaReference(xs: number[], ys: number[], p: number, rangeOfX: number): number[] {
  const w = Math.min(Math.sqrt(p), 0.999);
  return ys.map((y, t) => {
    if (!Number.isFinite(y)) return y;
    let num = 0;
    let den = 0;
    for (let i = 0; i <= t; i++) {
      if (!Number.isFinite(ys[i]!)) continue;
      const weight = Math.pow(w, ((xs[t]! - xs[i]!) * 1000) / rangeOfX);
      num += weight * ys[i]!;
      den += weight;
    }
    return num / den;
  });
}

/** A Gaussian kernel over every point (no cut-off). */
function gaussReference(xs: number[], ys: number[], sigma: number): number[] {
  return ys.map((_, t) => gaussAt(xs, ys, sigma, t));
}

function gaussAt(xs: number[], ys: number[], sigma: number, t: number): number {
  {
    const y = ys[t]!;
    if (!Number.isFinite(y)) return y;
    let num = 0;
    let den = 0;
    ys.forEach((v, i) => {
      if (!Number.isFinite(v)) return;
      const d = xs[i]! - xs[t]!;
      const weight = Math.exp(-(d * d) / (2 * sigma * sigma));
      num += weight * v;
      den += weight;
    });
    return num / den;
  }
}

/** The mean of the finite values whose x lies in [x − N/2, x + N/2). */
function avgReference(xs: number[], ys: number[], n: number): number[] {
  return ys.map((y, t) => {
    if (!Number.isFinite(y)) return y;
    const inWindow = ys.filter((v, i) => Number.isFinite(v) && xs[i]! >= xs[t]! - n / 2 && xs[i]! < xs[t]! + n / 2);
    return inWindow.reduce((a, b) => a + b, 0) / inWindow.length;
  });
}

function ema(ys: number[], w: number): number[] {
  const out = new Float64Array(ys.length);
  emaInto(ys, 0, ys.length, w, freshState(), out);
  return [...out];
}

function twema(xs: number[], ys: number[], p: number, rangeOfX: number): number[] {
  const out = new Float64Array(ys.length);
  twemaInto(xs, ys, 0, ys.length, p, rangeOfX, freshState(), out);
  return [...out];
}

function gauss(xs: number[], ys: number[], sigma: number): number[] {
  const out = new Float64Array(ys.length);
  gaussInto(xs, ys, ys.length, 0, ys.length, sigma, out);
  return [...out];
}

function avg(xs: number[], ys: number[], n: number): number[] {
  const out = new Float64Array(ys.length);
  avgInto(xs, ys, ys.length, 0, ys.length, n, out);
  return [...out];
}

function close(actual: readonly number[], expected: readonly number[], tolerance: number, what: string): void {
  assert.equal(actual.length, expected.length);
  expected.forEach((e, i) => {
    if (!Number.isFinite(e)) assert.ok(Object.is(actual[i], e), `${what}[${i}]: ${actual[i]} is ${e}`);
    else assert.ok(Math.abs(actual[i]! - e) <= tolerance * Math.max(1, Math.abs(e)), `${what}[${i}]: ${actual[i]} vs ${e}`);
  });
}

const noisy = (n: number, seed: number) => range(n).map((i) => Math.exp(-i / 50) + 0.1 * Math.sin(i * 7.1 + seed));
const finiteOrNot = fc.oneof({ weight: 20, arbitrary: fc.double({ min: -1e3, max: 1e3, noNaN: true }) }, fc.constant(NaN), fc.constant(Infinity));

describe('smoothing (against the published algorithms)', () => {
  it('ema: TensorBoard\'s debiased EMA, by hand and against the weighted mean', () => {
    // [1, 2, 3] at w = 0.5: 1; (0.25 + 1) / 0.75; (0.625 + 1.5) / 0.875.
    close(ema([1, 2, 3], 0.5), [1, 5 / 3, 17 / 7], 1e-15, 'by hand');
    assert.equal(ema([10, 10.5], 0.9)[0], 10, 'the first value is itself, not pulled towards zero');
    for (const w of [0.1, 0.6, 0.9, 0.99]) close(ema(noisy(300, w), w), emaReference(noisy(300, w), w), 1e-12, `w=${w}`);
    fc.assert(fc.property(fc.array(finiteOrNot, { maxLength: 80 }), fc.double({ min: 0, max: 0.999, noNaN: true }), (ys, w) => {
      close(ema(ys, w), emaReference(ys, w), 1e-9, 'random');
    }), { numRuns: 300 });
  });

  it('ema divides by the debiasing term at every point, bit for bit, even where it stops computing it', () => {
    // The recursion as TensorBoard writes it, with 1 − w^count taken at every point.
    const direct = (ys: number[], w: number) => {
      let last = 0;
      let count = 0;
      return ys.map((v) => {
        if (!Number.isFinite(v)) return v;
        last = last * w + (1 - w) * v;
        count++;
        return last / (w === 1 ? 1 : 1 - Math.pow(w, count));
      });
    };
    const ys = noisy(5000, 1).map((v, i) => (i % 777 === 5 ? NaN : i % 901 === 7 ? -Infinity : v));
    for (const w of [0, 1e-9, 0.1, 0.6, 0.9, 0.99, 0.999, 1]) {
      const expected = direct(ys, w);
      ema(ys, w).forEach((v, i) => assert.ok(Object.is(v, expected[i]), `w=${w} [${i}]: ${v} vs ${expected[i]}`));
      // Continued from a state saved before and after the debiasing vanished.
      const state = freshState();
      const out = new Float64Array(ys.length);
      for (const [from, to] of [[0, 3], [3, 100], [100, 5000]] as const) emaInto(ys, from, to, w, state, out);
      out.forEach((v, i) => assert.ok(Object.is(v, expected[i]), `w=${w} continued [${i}]`));
    }
  });

  it('ema continues from a saved state exactly as over the whole series (what a zoom relies on)', () => {
    const ys = noisy(1000, 3);
    const whole = ema(ys, 0.8);
    const state = freshState();
    const out = new Float64Array(ys.length);
    emaInto(ys, 0, 400, 0.8, state, out);
    emaInto(ys, 400, 1000, 0.8, state, out);
    assert.deepEqual([...out], whole);
  });

  it('twema: W&B\'s time-weighted EMA, by hand and against the weighted mean', () => {
    // Evenly spaced points one thousandth of the range apart decay by sqrt(p) a point: p = 0.25 is ema at 0.5.
    close(twema([0, 1, 2], [1, 2, 3], 0.25, 1000), [1, 5 / 3, 17 / 7], 1e-15, 'by hand');
    const xs = range(300).map((i) => i * 3 + (i % 7 === 0 ? 5 : 0));
    const ys = noisy(300, 1);
    for (const p of [0.1, 0.6, 0.9, 0.999]) close(twema(xs, ys, p, 900), twemaReference(xs, ys, p, 900), 1e-10, `p=${p}`);
    // Twice the density at the same x range smooths alike: the gap, not the count, decays the weight.
    const sparse = twema(range(50).map((i) => i * 2), range(50).map(() => 1), 0.6, 100);
    assert.ok(sparse.every((v) => Math.abs(v - 1) < 1e-12));
    fc.assert(fc.property(fc.array(finiteOrNot, { minLength: 1, maxLength: 60 }), fc.double({ min: 0, max: 1, noNaN: true }), (ys, p) => {
      const xs2 = ys.map((_, i) => i * 10);
      close(twema(xs2, ys, p, 10 * Math.max(1, ys.length - 1)), twemaReference(xs2, ys, p, 10 * Math.max(1, ys.length - 1)), 1e-9, 'random');
    }), { numRuns: 300 });
  });

  it('gauss: a normal kernel of σ steps on both sides', () => {
    const xs = range(101);
    // An impulse at the middle spreads as the kernel itself, normalised.
    const impulse = xs.map((x) => (x === 50 ? 1 : 0));
    const sigma = 3;
    const kernel = (d: number) => Math.exp(-(d * d) / (2 * sigma * sigma));
    let total = 0;
    for (let d = -50; d <= 50; d++) total += kernel(d);
    const out = gauss(xs, impulse, sigma);
    // (The kernel is cut off at 4 σ, where its weight is e^-8: a relative difference of about 1e-5.)
    for (const d of [0, 1, 2, 5, 9]) assert.ok(Math.abs(out[50 + d]! / (kernel(d) / total) - 1) < 1e-4, `d=${d}`);
    // A straight line stays straight away from the ends (the kernel is symmetric); a constant stays constant.
    const line = gauss(xs, xs.map((x) => 2 * x + 1), sigma);
    for (let i = 15; i <= 85; i++) assert.ok(Math.abs(line[i]! - (2 * i + 1)) < 1e-9, `line at ${i}`);
    assert.ok(gauss(xs, xs.map(() => 4), 7).every((v) => Math.abs(v - 4) < 1e-12));
    // Uneven steps and non-finite values, against the kernel over every point.
    const uneven = range(200).map((i) => i * 1.5 + (i % 3));
    const ys = noisy(200, 2).map((v, i) => (i % 37 === 0 ? NaN : v));
    close(gauss(uneven, ys, 4), gaussReference(uneven, ys, 4), 1e-3, 'uneven');
  });

  it('gauss over a kernel wider than the binning threshold stays within what a chart can show', () => {
    const n = 20_000;
    const xs = range(n);
    const ys = noisy(n, 5);
    const sigma = WIDE_KERNEL; // far more points under the kernel than WIDE_KERNEL
    const out = gauss(xs, ys, sigma);
    for (let i = 0; i < n; i += 997) {
      const reference = gaussAt(xs, ys, sigma, i);
      assert.ok(Math.abs(out[i]! - reference) < 1e-4, `at ${i}: ${out[i]} vs ${reference}`);
    }
  });

  it('avg: the mean of the points in a window of N steps around each point', () => {
    const xs = range(10);
    const ys = xs.map((x) => x + 1);
    // Window 3 at step 0 holds steps 0 and 1 (−1.5 ≤ s < 1.5); inside, the mean of a line is the line.
    close(avg(xs, ys, 3), [1.5, 2, 3, 4, 5, 6, 7, 8, 9, 9.5], 1e-15, 'by hand');
    close(avg(xs, ys, 4), [1.5, 2, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5, 8.5, 9], 1e-15, 'an even window: two before, one after');
    fc.assert(fc.property(fc.array(finiteOrNot, { maxLength: 80 }), fc.integer({ min: 1, max: 30 }), (ys2, n) => {
      const xs2 = ys2.map((_, i) => i * 2 + (i % 3));
      close(avg(xs2, ys2, n), avgReference(xs2, ys2, n), 1e-9, 'random');
    }), { numRuns: 300 });
  });

  it('reads smoothing specs as the CLI and the panel write them', () => {
    assert.deepEqual(parseSmoothing('ema:0.6'), { kind: 'ema', amount: 0.6 });
    assert.deepEqual(parseSmoothing('twema:0.9'), { kind: 'twema', amount: 0.9 });
    assert.deepEqual(parseSmoothing('gauss:3'), { kind: 'gauss', amount: 3 });
    assert.deepEqual(parseSmoothing('avg:10'), { kind: 'avg', amount: 10 });
    assert.deepEqual(parseSmoothing('none'), { kind: 'none', amount: 0 });
    assert.deepEqual(parseSmoothing('ema:0'), { kind: 'none', amount: 0 });
    assert.throws(() => parseSmoothing('ema:1.5'), /weight from 0 to 0.999/);
    assert.throws(() => parseSmoothing('avg:2.5'), /whole number/);
    assert.throws(() => parseSmoothing('median:3'), /not one of/);
  });
});
