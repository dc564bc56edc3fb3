/**
 * The one-dimensional Parzen estimators PED-ANOVA compares, on a grid, as Optuna 5 builds them
 * (`optuna/importance/_ped_anova/scott_parzen_estimator.py`): a numeric parameter's values are
 * counted on at most 50 grid points (log-spaced for log distributions) and smoothed with discrete
 * truncated normals whose width follows Scott's rule, plus a wide prior kernel; a categorical one
 * is a mixture of per-observation kernels with a uniform prior.
 */
import type { ParamDistribution } from '../../../shared/sweepTypes';
import { gaussMass } from './normal';

/** The densities of the estimator at grid points 0 … size − 1. */
export interface GridDensity {
  size: number;
  pdf: Float64Array;
}

const PRIOR_WEIGHT = 1;
/** 0.5/1.64: 1.64σ (90%) of the narrowest kernel fits inside one grid cell. */
const SIGMA_MIN = 0.5 / 1.64;

/** How many grid points a distribution is counted on. */
export function gridSize(d: ParamDistribution, maxSteps: number): number {
  if (d.kind === 'categorical') return d.choices.length;
  if (d.kind === 'int' && d.log) return Math.min(Math.ceil(Math.log(d.high - d.low + 1) / Math.log(2)) + 1, maxSteps);
  if (d.step !== null && !d.log) return Math.min(pythonRound((d.high - d.low) / d.step) + 1, maxSteps);
  return maxSteps;
}

/** How many of `values` (internal values: numbers, categorical indices) fall on each grid point. */
export function gridCounts(d: ParamDistribution, values: readonly number[], maxSteps: number): Int32Array {
  const size = gridSize(d, maxSteps);
  const counts = new Int32Array(size);
  if (d.kind === 'categorical') {
    for (const v of values) counts[v]!++;
    return counts;
  }
  const [low, high] = d.log ? [Math.log(d.low), Math.log(d.high)] : [d.low, d.high];
  const stepSize = (high - low) / (size - 1);
  for (const raw of values) {
    const v = d.log ? Math.log(raw) : raw;
    // Ties at a midpoint go to the lower grid point, as in Optuna.
    const i = Math.ceil((v - low) / stepSize - 0.5);
    counts[Math.min(size - 1, Math.max(0, i))]!++;
  }
  return counts;
}

export function gridDensity(d: ParamDistribution, counts: Int32Array): GridDensity {
  const size = counts.length;
  const observed: number[] = [];
  const weights: number[] = [];
  counts.forEach((c, i) => {
    if (c > 0) {
      observed.push(i);
      weights.push(c);
    }
  });
  const pdf = d.kind === 'categorical' ? categoricalPdf(size, observed, weights) : numericPdf(size, observed, weights);
  return { size, pdf };
}

function mixtureWeights(weights: readonly number[]): number[] {
  if (weights.length === 0) return [1];
  const all = [...weights, PRIOR_WEIGHT];
  const total = all.reduce((a, b) => a + b, 0);
  return all.map((w) => w / total);
}

function categoricalPdf(choices: number, observed: readonly number[], weights: readonly number[]): Float64Array {
  const pdf = new Float64Array(choices);
  if (observed.length === 0) return pdf.fill(1 / choices);
  const mix = mixtureWeights(weights);
  const kernels = observed.length + 1;
  const base = PRIOR_WEIGHT / kernels;
  const observedRowSum = choices * base + 1;
  const priorRowSum = choices * base;
  for (let c = 0; c < choices; c++) {
    let p = 0;
    observed.forEach((o, k) => {
      p += mix[k]! * (base + (o === c ? 1 : 0)) / observedRowSum;
    });
    p += mix[kernels - 1]! * (priorRowSum === 0 ? 0 : base / priorRowSum);
    pdf[c] = p;
  }
  return pdf;
}

function numericPdf(size: number, observed: readonly number[], weights: readonly number[]): Float64Array {
  const low = 0;
  const high = size - 1;
  const total = weights.reduce((a, b) => a + b, 0);
  const mean = observed.reduce((s, o, i) => s + o * weights[i]!, 0) / total;
  let sigma = Math.sqrt(observed.reduce((s, o, i) => s + (o - mean) ** 2 * weights[i]!, 0) / Math.max(1, total - 1));
  const cumulative: number[] = [];
  weights.reduce((acc, w) => {
    cumulative.push(acc + w);
    return acc + w;
  }, 0);
  const q1 = searchSorted(cumulative, Math.floor(total / 4), 'left');
  const q3 = searchSorted(cumulative, Math.floor((total * 3) / 4), 'right');
  const iqr = observed[Math.min(observed.length - 1, q3)]! - observed[q1]!;
  sigma = 1.059 * Math.min(iqr / 1.34, sigma) * total ** -0.2;
  const mus = [...observed, (low + high) / 2];
  const sigmas = [...observed.map(() => Math.max(sigma, SIGMA_MIN)), high - low + 1];
  const mix = mixtureWeights(weights);
  const pdf = new Float64Array(size);
  mus.forEach((mu, k) => {
    const s = sigmas[k]!;
    const norm = gaussMass((low - 0.5 - mu) / s, (high + 0.5 - mu) / s);
    if (norm === 0) return;
    for (let x = 0; x < size; x++) pdf[x]! += (mix[k]! * gaussMass((x - 0.5 - mu) / s, (x + 0.5 - mu) / s)) / norm;
  });
  return pdf;
}

/** numpy's searchsorted over a sorted array: the first index whose value is ≥ (left) or > (right) `v`. */
function searchSorted(sorted: readonly number[], v: number, side: 'left' | 'right'): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (side === 'left' ? sorted[mid]! < v : sorted[mid]! <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Python's round(): halves to the even neighbour. */
function pythonRound(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}
