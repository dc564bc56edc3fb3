/**
 * Parameter importance by PED-ANOVA, the evaluator Optuna's `get_param_importances` uses by default
 * since Optuna 5 (fANOVA was the default before): how differently a parameter is spread among the
 * best 10 % of the complete trials than among all of them, measured as the Pearson divergence of
 * two Parzen estimators on a grid (Watanabe et al., IJCAI 2023; conditional parameters by
 * regime, KDD 2026). It needs no random forest, so it is deterministic and cheap: linear in trials
 * times parameters. Written after `optuna/importance/_ped_anova/evaluator.py` (target quantile 0.1,
 * region quantile 1.0, evaluated locally, 50 grid steps, prior weight 1, at least 2 trials per
 * regime) and checked against Optuna itself on the same studies (test/unit/sweeps).
 *
 * With several objectives, Optuna ranks trials by Pareto dominance; here each objective is taken
 * on its own, as Optuna does when given `target=lambda t: t.values[i]` (negated to maximise).
 */
import type { Direction, ParamDistribution, ParamImportance } from '../../../shared/sweepTypes';
import { isSingle, sameDistribution } from '../distributions';
import { gridCounts, gridDensity } from './parzenGrid';

const TARGET_QUANTILE = 0.1;
const GRID_STEPS = 50;
const MIN_TRIALS_IN_REGIME = 2;

/** A complete trial as importance sees it: its objective value and each parameter it has. */
export interface ImportanceTrial {
  value: number;
  /** Parameter → its distribution in this trial and its internal value (a categorical's index). */
  params: ReadonlyMap<string, { distribution: ParamDistribution; value: number }>;
}

export type ImportanceResult = { ok: true; params: ParamImportance[]; trialsUsed: number } | { ok: false; reason: string };

export function pedAnovaImportance(trials: readonly ImportanceTrial[], direction: Direction): ImportanceResult {
  const names = [...new Set(trials.flatMap((t) => [...t.params.keys()]))].sort();
  if (names.length === 0) return { ok: false, reason: 'the trials have no parameters' };
  const sign = direction === 'minimize' ? 1 : -1;
  const region = trials.filter((t) => Number.isFinite(t.value));
  if (region.length <= 1) return { ok: false, reason: 'importance needs at least 2 complete trials with a finite value' };
  const target = new Set(topQuantile(region, TARGET_QUANTILE, sign));
  const quantile = target.size / region.length;
  const raw = names.map((name) => {
    let importance = 0;
    for (const { distribution, trials: inRegime } of regimes(name, region)) {
      const inTarget = inRegime.filter((t) => target.has(t));
      if (isSingle(distribution) || inTarget.length === 0) continue;
      const alpha = inTarget.length / target.size;
      const beta = inRegime.length / region.length;
      importance += (alpha ** 2 / beta) * pearsonDivergence(name, distribution, inTarget, inRegime);
    }
    return { name, importance: importance * quantile ** 2 };
  });
  const sum = raw.reduce((s, p) => s + p.importance, 0);
  const params = raw.map((p) => ({ name: p.name, importance: sum === 0 ? 1 / raw.length : p.importance / sum }));
  params.sort((a, b) => b.importance - a.importance || a.name.localeCompare(b.name));
  return { ok: true, params, trialsUsed: region.length };
}

/** The trials whose loss is at or below the `q`-quantile (ties kept), as Optuna's _QuantileFilter. */
function topQuantile(trials: readonly ImportanceTrial[], q: number, sign: number): ImportanceTrial[] {
  const losses = trials.map((t) => sign * t.value);
  const cutoff = [...losses].sort((a, b) => a - b)[Math.ceil(q * losses.length) - 1]!;
  return trials.filter((_, i) => losses[i]! <= cutoff);
}

/** Trials grouped by the distribution the parameter had in them; trials without it, and regimes under 2 trials, left out. */
function regimes(name: string, trials: readonly ImportanceTrial[]): { distribution: ParamDistribution; trials: ImportanceTrial[] }[] {
  const out: { distribution: ParamDistribution; trials: ImportanceTrial[] }[] = [];
  for (const t of trials) {
    const p = t.params.get(name);
    if (!p) continue;
    const regime = out.find((r) => sameDistribution(r.distribution, p.distribution));
    if (regime) regime.trials.push(t);
    else out.push({ distribution: p.distribution, trials: [t] });
  }
  return out.filter((r) => r.trials.length >= MIN_TRIALS_IN_REGIME);
}

function pearsonDivergence(name: string, d: ParamDistribution, top: readonly ImportanceTrial[], local: readonly ImportanceTrial[]): number {
  const values = (ts: readonly ImportanceTrial[]) => ts.map((t) => t.params.get(name)!.value);
  const pTop = gridDensity(d, gridCounts(d, values(top), GRID_STEPS)).pdf;
  const pLocal = gridDensity(d, gridCounts(d, values(local), GRID_STEPS)).pdf;
  let divergence = 0;
  for (let i = 0; i < pTop.length; i++) {
    const a = pTop[i]! + 1e-12;
    const b = pLocal[i]! + 1e-12;
    divergence += b * (a / b - 1) ** 2;
  }
  return divergence;
}
