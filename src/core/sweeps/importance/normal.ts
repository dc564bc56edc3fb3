/**
 * The standard normal distribution's probability mass between two points, to double precision in
 * both tails: erfc from its positive-term series near 0 and its continued fraction further out.
 */

const SQRT_PI = Math.sqrt(Math.PI);

/** erfc(x) for x ≥ 0. */
function erfcPositive(x: number): number {
  if (x < 2.5) {
    // erf(x) = 2/√π · e^(−x²) · Σ 2ⁿ x^(2n+1) / (1·3·…·(2n+1)): every term positive, no cancellation.
    let term = x;
    let sum = x;
    for (let n = 1; n < 200; n++) {
      term *= (2 * x * x) / (2 * n + 1);
      sum += term;
      if (term < sum * 1e-17) break;
    }
    return 1 - (2 / SQRT_PI) * Math.exp(-x * x) * sum;
  }
  // erfc(x) = e^(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))), evaluated by Lentz's method.
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let n = 1; n < 500; n++) {
    const a = n / 2;
    d = x + a * d;
    d = Math.abs(d) < tiny ? tiny : d;
    c = x + a / c;
    c = Math.abs(c) < tiny ? tiny : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / SQRT_PI / f;
}

export function erfc(x: number): number {
  return x >= 0 ? erfcPositive(x) : 2 - erfcPositive(-x);
}

/** P(a < Z < b) for a standard normal Z, computed on the side of 0 that keeps it exact. */
export function gaussMass(a: number, b: number): number {
  if (b <= a) return 0;
  if (a >= 0) return 0.5 * (erfc(a / Math.SQRT2) - erfc(b / Math.SQRT2));
  if (b <= 0) return 0.5 * (erfc(-b / Math.SQRT2) - erfc(-a / Math.SQRT2));
  return 1 - 0.5 * erfc(-a / Math.SQRT2) - 0.5 * erfc(b / Math.SQRT2);
}
