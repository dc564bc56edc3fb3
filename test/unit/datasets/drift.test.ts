import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Histogram } from '../../../src/shared/schemaDiff';
import {
  alignHistograms, jensenShannon, jensenShannonCategorical, jensenShannonHistograms, lInfinity, psi, psiCategorical, psiNumeric, rebucket,
} from '../../../src/core/datasets/drift';
import { schemaDiffFiles } from '../../../src/core/datasets/schemaDiffFiles';

/** Formulas agree to 1e-9; decimals written out by hand to 10 places agree to 1e-9 too. */
const close = (actual: number | undefined, expected: number, what = '') => {
  assert.ok(actual !== undefined && Math.abs(actual - expected) < 1e-9, `${what}: ${actual} ≠ ${expected}`);
};

const hist = (buckets: [number, number, number][], extra: Partial<Histogram> = {}): Histogram => ({
  buckets: buckets.map(([low, high, count]) => ({ low, high, count })),
  nan: 0,
  negInfinity: 0,
  posInfinity: 0,
  ...extra,
});

describe('drift measures (checked against values worked out by hand)', () => {
  it('L-infinity: the largest change of a value share, each side normalised on its own', () => {
    // A: a 3/4, b 1/4. B: a 1/4, b 1/4, c 2/4. |Δ|: a 0.5, b 0, c 0.5 → 0.5, first at "a".
    const d = lInfinity([{ value: 'a', count: 3 }, { value: 'b', count: 1 }], [{ value: 'a', count: 1 }, { value: 'b', count: 1 }, { value: 'c', count: 2 }]);
    assert.deepEqual(d, { distance: 0.5, value: 'a' });
    assert.deepEqual(lInfinity([{ value: 'x', count: 5 }], [{ value: 'x', count: 50 }]), { distance: 0, value: 'x' });
    assert.equal(lInfinity([], [{ value: 'x', count: 1 }]), undefined);
  });

  it('Jensen–Shannon over categories, in bits', () => {
    // P = (.75, .25, 0), Q = (.25, .25, .5), M = (.5, .25, .25).
    // KL(P‖M) = .75·log2(1.5) = 0.438721875…; KL(Q‖M) = .25·log2(.5) + .5·log2(2) = 0.25.
    const r = jensenShannonCategorical([{ value: 'a', count: 3 }, { value: 'b', count: 1 }], [{ value: 'a', count: 1 }, { value: 'b', count: 1 }, { value: 'c', count: 2 }]);
    close(r?.value, (0.75 * Math.log2(1.5) + 0.25) / 2, 'JS');
    close(r?.value, 0.3443609378, 'JS (decimal)');
    close(jensenShannon([1, 0], [0, 1]), 1, 'disjoint supports');
    close(jensenShannon([2, 2], [5, 5]), 0, 'same shares');
  });

  it("re-buckets a histogram onto finer boundaries as TFDV does (uniform within a bucket)", () => {
    assert.deepEqual(rebucket([{ low: 0, high: 1, count: 2 }, { low: 1, high: 2, count: 2 }], [0, 0.5, 1, 1.5, 2]), [1, 1, 1, 1]);
    assert.deepEqual(rebucket([{ low: 0.5, high: 1.5, count: 4 }], [0, 0.5, 1, 1.5, 2]), [0, 2, 2, 0]);
  });

  it('Jensen–Shannon over numeric histograms aligned on the union of their boundaries', () => {
    // A: [0,1]:2 [1,2]:2 → (1,1,1,1) on 0,.5,1,1.5,2. B: [.5,1.5]:4 → (0,2,2,0).
    // P = (.25,.25,.25,.25), Q = (0,.5,.5,0), M = (.125,.375,.375,.125).
    // KL(P‖M) = .5·log2(2) + .5·log2(2/3) = 0.20751874…; KL(Q‖M) = log2(4/3) = 0.41503749….
    const r = jensenShannonHistograms(hist([[0, 1, 2], [1, 2, 2]]), hist([[0.5, 1.5, 4]]));
    close(r?.value, (0.5 + 0.5 * Math.log2(2 / 3) + Math.log2(4 / 3)) / 2, 'JS');
    close(r?.value, 0.3112781245, 'JS (decimal)');
    assert.deepEqual(r!.buckets.map((b) => [b.low, b.high, b.a, b.b]), [[0, 0.5, 0.25, 0], [0.5, 1, 0.25, 0.5], [1, 1.5, 0.25, 0.5], [1.5, 2, 0.25, 0]]);
  });

  it('keeps point buckets (constant columns) as point masses', () => {
    close(jensenShannonHistograms(hist([[5, 5, 10]]), hist([[5, 5, 3]]))?.value, 0, 'same constant');
    close(jensenShannonHistograms(hist([[5, 5, 10]]), hist([[6, 6, 10]]))?.value, 1, 'different constants');
    // A constant inside B's range is still a separate point mass, as in TFDV: disjoint → 1.
    close(jensenShannonHistograms(hist([[5, 5, 10]]), hist([[0, 10, 10]]))?.value, 1, 'point vs range');
  });

  it('puts NaN and infinities in buckets shared by both sides', () => {
    const aligned = alignHistograms(hist([[0, 1, 9]], { nan: 1, posInfinity: 2 }), hist([[0, 1, 9]], { nan: 1 }));
    assert.deepEqual(aligned.map((b) => [b.label, b.a, b.b]), [['[0, 1]', 9, 9], ['+Infinity', 2, 0], ['NaN', 1, 1]]);
    close(jensenShannonHistograms(hist([[0, 1, 9]], { nan: 1 }), hist([[0, 1, 9]], { nan: 1 }))?.value, 0, 'equal NaN shares');
  });

  it('PSI = Σ (b − a)·ln(b / a), zero shares replaced by 1e-4', () => {
    // (.9 − .5)·ln(1.8) + (.1 − .5)·ln(.2) = 0.23511470… + 0.64377516…
    close(psi([0.5, 0.5], [0.9, 0.1]), 0.4 * Math.log(1.8) - 0.4 * Math.log(0.2), 'PSI');
    close(psi([0.5, 0.5], [0.9, 0.1]), 0.8788898309, 'PSI (decimal)');
    // Expected (1, 0), actual (.5, .5): (.5 − 1)·ln(.5) + (.5 − 1e-4)·ln(.5 / 1e-4).
    close(psi([1, 0], [0.5, 0.5]), -0.5 * Math.log(0.5) + (0.5 - 1e-4) * Math.log(0.5 / 1e-4), 'PSI with a zero share');
    close(psiCategorical([{ value: 'a', count: 1 }, { value: 'b', count: 1 }], [{ value: 'a', count: 9 }, { value: 'b', count: 1 }])?.value, 0.8788898309, 'categorical PSI');
  });

  it("PSI over A's deciles", () => {
    const a = Array.from({ length: 10 }, (_, i) => i + 1);
    const same = psiNumeric(a, a)!;
    close(same.value, 0, 'same sample');
    assert.equal(same.bins.length, 10);
    assert.ok(same.bins.every((b) => Math.abs(b.a - 0.1) < 1e-12));
    // All of B in the top decile: 9 bins (1e-4 − .1)·ln(1e-4/.1) plus (1 − .1)·ln(10).
    const shifted = psiNumeric(a, Array(10).fill(10))!;
    close(shifted.value, 9 * (1e-4 - 0.1) * Math.log(1e-4 / 0.1) + 0.9 * Math.log(10), 'PSI shifted');
    // Few distinct values: repeated edges merge. Deciles of (0,0,0,0,1,1,1,1) are 0,0,0,0,.5,1,1,1,1
    // → edges 0, .5, 1 → bins ≤0, (0,.5], (.5,1], >1 holding .5, 0, .5, 0 of A.
    const few = psiNumeric([0, 0, 0, 0, 1, 1, 1, 1], [0, 1])!;
    assert.deepEqual(few.bins.map((b) => [b.label, b.a, b.b]), [['≤ 0', 0.5, 0.5], ['(0, 0.5]', 0, 0], ['(0.5, 1]', 0.5, 0.5], ['> 1', 0, 0]]);
    close(few.value, 0, 'same shares');
  });

  it('computes the same figures end to end from two small CSV files', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exptrack-drift-'));
    try {
      fs.writeFileSync(path.join(dir, 'a.csv'), 'x,c\n0,red\n0,red\n1,red\n1,blue\n');
      fs.writeFileSync(path.join(dir, 'b.csv'), 'x,c\n0,red\n1,blue\n1,blue\n1,green\n');
      const diff = await schemaDiffFiles(path.join(dir, 'a.csv'), path.join(dir, 'b.csv'), { thresholds: { jensenShannon: 0.01, lInfinity: 0.2, psi: 0.05 } });
      const x = diff.columns.find((c) => c.name === 'x')!;
      // Same [0, 1] range, so the same 10 buckets: P = (.5, …, .5), Q = (.25, …, .75), M = (.375, …, .625).
      // KL(P‖M) = .5·log2(.5/.375) + .5·log2(.5/.625); KL(Q‖M) = .25·log2(.25/.375) + .75·log2(.75/.625).
      const klP = 0.5 * Math.log2(0.5 / 0.375) + 0.5 * Math.log2(0.5 / 0.625);
      const klQ = 0.25 * Math.log2(0.25 / 0.375) + 0.75 * Math.log2(0.75 / 0.625);
      close(x.drift?.jensenShannon?.value, (klP + klQ) / 2, 'numeric JS');
      close(x.drift?.jensenShannon?.value, 0.0487949406, 'numeric JS (decimal)');
      const c = x && diff.columns.find((col) => col.name === 'c')!;
      // A: red .75, blue .25. B: red .25, blue .5, green .25 → L∞ = .5 at "red" (first of the ties in order: blue .25, green .25, red .5).
      assert.equal(c.drift?.lInfinity?.value, 0.5);
      assert.equal(c.drift?.lInfinity?.maxValue, 'red');
      assert.deepEqual(
        diff.findings.filter((f) => f.column === 'c').map((f) => f.kind),
        ['COMPARATOR_JENSEN_SHANNON_DIVERGENCE_HIGH', 'COMPARATOR_L_INFTY_HIGH', 'ENUM_TYPE_UNEXPECTED_STRING_VALUES', 'PSI_HIGH'],
      );
      const linf = diff.findings.find((f) => f.kind === 'COMPARATOR_L_INFTY_HIGH')!;
      assert.deepEqual([linf.measured, linf.threshold, linf.severity], [0.5, 0.2, 'warning']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
