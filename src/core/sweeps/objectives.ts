/**
 * Objectives of studies whose files do not state them, and the best trials by an objective.
 * KerasTuner never writes its objective: it is the metric every trial's score equals. MLflow parent
 * runs, Hydra multiruns and named sweeps have none either: it is the metric their trials share,
 * when one stands out (a usual name such as val_loss, or the only one), with its direction from a
 * `best_<metric>` the parent logged, else from its name.
 */
import { PREFERRED_KEY_METRICS } from '../../shared/runTypes';
import type { Direction, Objective, TrialState } from '../../shared/sweepTypes';

const MINIMIZED = /loss|err|mse|mae|rmse|mape|perplexity|latency|duration|time|cost|regret|wer|cer/i;
const MAXIMIZED = /acc|auc|f1|precision|recall|r2|reward|return|bleu|rouge|iou|dice|score|ndcg|map@|hit|gain|profit/i;

/** The direction a metric's name suggests (a loss is minimised, an accuracy maximised); minimise when unsure. */
export function directionFromName(name: string): Direction {
  if (MINIMIZED.test(name)) return 'minimize';
  return MAXIMIZED.test(name) ? 'maximize' : 'minimize';
}

/** Picks among metric names, the usual ones first (val_loss, loss, accuracy…), then validation ones, then by name. */
export function preferredName(names: Iterable<string>): string | undefined {
  const list = [...names];
  if (list.length === 0) return undefined;
  for (const k of PREFERRED_KEY_METRICS) if (list.includes(k)) return k;
  const validation = list.filter((n) => /^val/i.test(n)).sort();
  return validation[0] ?? [...list].sort()[0];
}

/** KerasTuner: the metric all scored trials' scores equal, with the direction KerasTuner gave it. */
export function kerasTunerObjective(trials: readonly { scoreMatches?: string[]; directions?: Record<string, string> }[]): Objective | undefined {
  const scored = trials.filter((t) => t.scoreMatches !== undefined);
  if (scored.length === 0) return undefined;
  let common: Set<string> | undefined;
  for (const t of scored) common = new Set(t.scoreMatches!.filter((m) => !common || common.has(m)));
  const name = preferredName(common ?? []);
  if (!name) return undefined;
  const said = scored.map((t) => t.directions?.[name]).find((d) => d === 'min' || d === 'max');
  return { name, direction: said === 'max' ? 'maximize' : said === 'min' ? 'minimize' : directionFromName(name) };
}

/** A trial as shared-metric inference sees it: its state and the last value of each metric. */
export interface MetricTrial {
  state: TrialState;
  metrics: ReadonlyMap<string, number>;
}

/**
 * The metric the trials share that stands out, or undefined: among the metrics every complete
 * trial has (every trial, when none is complete), a usual name, else one the parent logged as
 * `best_<name>`, else the only one.
 */
export function sharedMetricObjective(trials: readonly MetricTrial[], parentMetrics?: ReadonlyMap<string, number>): Objective | undefined {
  const complete = trials.filter((t) => t.state === 'complete');
  const basis = complete.length ? complete : trials;
  if (basis.length === 0) return undefined;
  const shared = [...basis[0]!.metrics.keys()].filter((k) => basis.every((t) => t.metrics.has(k)));
  let name = PREFERRED_KEY_METRICS.find((k) => shared.includes(k));
  name ??= shared.filter((k) => parentMetrics?.has(`best_${k}`)).sort()[0];
  if (name === undefined && shared.length === 1) name = shared[0];
  if (name === undefined) return undefined;
  return { name, direction: directionFromBest(name, basis, parentMetrics) ?? directionFromName(name) };
}

/** A parent's `best_<name>` equal to the trials' maximum (or minimum) says which way is better. */
function directionFromBest(name: string, trials: readonly MetricTrial[], parentMetrics?: ReadonlyMap<string, number>): Direction | undefined {
  const best = parentMetrics?.get(`best_${name}`);
  if (best === undefined) return undefined;
  const values = trials.map((t) => t.metrics.get(name)!).filter((v) => !Number.isNaN(v));
  if (values.length === 0) return undefined;
  const max = Math.max(...values);
  const min = Math.min(...values);
  if (best === max && best !== min) return 'maximize';
  if (best === min && best !== max) return 'minimize';
  return undefined;
}

/** A trial as best-trial selection sees it. */
export interface RankedTrial {
  uid: string;
  number: number;
  state: TrialState;
  values: (number | null)[];
}

/**
 * The best complete trial by one objective (the lowest number among equals, as Optuna keeps the
 * first), or with several objectives the Pareto front: the complete trials no other dominates
 * (NaN counting as the worst value, as Optuna normalises it).
 */
export function bestTrials(trials: readonly RankedTrial[], directions: readonly Direction[]): string[] {
  const complete = trials.filter((t) => t.state === 'complete' && t.values.length === directions.length && t.values.every((v) => v !== null));
  if (directions.length === 0 || complete.length === 0) return [];
  const loss = (t: RankedTrial) => t.values.map((v, i) => (Number.isNaN(v!) ? Infinity : directions[i] === 'maximize' ? -v! : v!));
  if (directions.length === 1) {
    const ranked = complete.filter((t) => !Number.isNaN(t.values[0]!));
    if (ranked.length === 0) return [];
    let best = ranked[0]!;
    for (const t of ranked) {
      const [a, b] = [loss(t)[0]!, loss(best)[0]!];
      if (a < b || (a === b && t.number < best.number)) best = t;
    }
    return [best.uid];
  }
  const losses = complete.map(loss);
  return complete.filter((_, i) => !losses.some((other, j) => j !== i && dominates(other, losses[i]!))).map((t) => t.uid);
}

function dominates(a: readonly number[], b: readonly number[]): boolean {
  if (a.every((v, i) => v === b[i])) return false;
  return a.every((v, i) => v <= b[i]!);
}
