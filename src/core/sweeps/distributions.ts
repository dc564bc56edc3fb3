/**
 * Search-space distributions of a study's parameters, in one shape for every tool: Optuna's
 * distribution JSON (current and legacy names), KerasTuner's hyperparameter space, or inferred from
 * the values trials logged (MLflow nested runs, Hydra multiruns, sweeps) when the files state none.
 */
import type { ParamDistribution } from '../../shared/sweepTypes';
import { isPlainObject } from '../ingest/readers/common/jsonValue';

/** Optuna's `distribution_to_json` form: `{"name": "IntDistribution", "attributes": {…}}` (a JSON string in storages). */
export function optunaDistribution(json: unknown): ParamDistribution | undefined {
  let parsed = json;
  if (typeof json === 'string') {
    try {
      parsed = JSON.parse(json);
    } catch {
      return undefined;
    }
  }
  if (!isPlainObject(parsed) || typeof parsed.name !== 'string' || !isPlainObject(parsed.attributes)) return undefined;
  const a = parsed.attributes;
  const low = num(a.low);
  const high = num(a.high);
  switch (parsed.name) {
    case 'CategoricalDistribution':
      return Array.isArray(a.choices) ? { kind: 'categorical', choices: a.choices } : undefined;
    case 'FloatDistribution':
      return bounded(low, high, (l, h) => ({ kind: 'float', low: l, high: h, log: a.log === true, step: num(a.step) ?? null }));
    case 'IntDistribution':
      return bounded(low, high, (l, h) => ({ kind: 'int', low: l, high: h, log: a.log === true, step: num(a.step) ?? 1 }));
    // Names of Optuna before 3.0, still read by its json_to_distribution.
    case 'UniformDistribution':
      return bounded(low, high, (l, h) => ({ kind: 'float', low: l, high: h, log: false, step: null }));
    case 'LogUniformDistribution':
      return bounded(low, high, (l, h) => ({ kind: 'float', low: l, high: h, log: true, step: null }));
    case 'DiscreteUniformDistribution':
      return bounded(low, high, (l, h) => ({ kind: 'float', low: l, high: h, log: false, step: num(a.q) ?? null }));
    case 'IntUniformDistribution':
      return bounded(low, high, (l, h) => ({ kind: 'int', low: l, high: h, log: false, step: num(a.step) ?? 1 }));
    case 'IntLogUniformDistribution':
      return bounded(low, high, (l, h) => ({ kind: 'int', low: l, high: h, log: true, step: num(a.step) ?? 1 }));
    default:
      return undefined;
  }
}

/**
 * Distributions as the index keeps them (JSON merge patch drops null members: a float without a
 * step comes back without `step`), each made whole again.
 */
export function restoredDistributions(map: unknown): Record<string, ParamDistribution> | undefined {
  if (!isPlainObject(map)) return undefined;
  const out: Record<string, ParamDistribution> = {};
  for (const [name, d] of Object.entries(map)) {
    if (!isPlainObject(d)) continue;
    if (d.kind === 'float') out[name] = { ...(d as unknown as ParamDistribution & { kind: 'float' }), step: num(d.step) ?? null };
    else if (d.kind === 'int' || d.kind === 'categorical') out[name] = d as unknown as ParamDistribution;
  }
  return out;
}

/** A value as a trial reports it, from Optuna's internal representation (a float; a categorical's index). */
export function externalValue(dist: ParamDistribution, internal: number): unknown {
  switch (dist.kind) {
    case 'categorical':
      return dist.choices[Math.trunc(internal)];
    case 'int':
      return Math.trunc(internal);
    case 'float':
      return internal;
  }
}

/**
 * A parameter's value as a number for importance: numbers as they are, a categorical as the index
 * of its choice (the first equal one, as Optuna's to_internal_repr). Undefined when it does not fit.
 */
export function internalValue(dist: ParamDistribution, value: unknown): number | undefined {
  if (dist.kind !== 'categorical') return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
  const key = choiceKey(value);
  const at = dist.choices.findIndex((c) => choiceKey(c) === key);
  return at < 0 ? undefined : at;
}

/** KerasTuner's `hyperparameters.space` entry: `{class_name: Int|Float|Choice|Boolean|Fixed, config: {…}}`. */
export function kerasTunerDistribution(entry: unknown): { name: string; distribution: ParamDistribution } | undefined {
  if (!isPlainObject(entry) || !isPlainObject(entry.config) || typeof entry.config.name !== 'string') return undefined;
  const c = entry.config;
  const name = c.name as string;
  const log = c.sampling === 'log' || c.sampling === 'reverse_log';
  const low = num(c.min_value);
  const high = num(c.max_value);
  switch (entry.class_name) {
    case 'Int': {
      const d = bounded(low, high, (l, h): ParamDistribution => ({ kind: 'int', low: l, high: h, log, step: num(c.step) ?? 1 }));
      return d && { name, distribution: d };
    }
    case 'Float': {
      const d = bounded(low, high, (l, h): ParamDistribution => ({ kind: 'float', low: l, high: h, log, step: num(c.step) ?? null }));
      return d && { name, distribution: d };
    }
    case 'Choice':
      return Array.isArray(c.values) ? { name, distribution: { kind: 'categorical', choices: c.values } } : undefined;
    case 'Boolean':
      return { name, distribution: { kind: 'categorical', choices: [false, true] } };
    case 'Fixed':
      return { name, distribution: { kind: 'categorical', choices: [c.value] } };
    default:
      return undefined;
  }
}

/**
 * A distribution that holds every value seen, for studies whose files state none: whole numbers
 * an int range, other numbers a float range (log when they span three orders of magnitude above
 * zero), anything else the distinct values as choices. Undefined when no value was seen.
 */
export function inferDistribution(values: readonly unknown[]): ParamDistribution | undefined {
  const present = values.filter((v) => v !== undefined);
  if (present.length === 0) return undefined;
  if (present.every((v) => typeof v === 'number' && Number.isFinite(v))) {
    const nums = present as number[];
    const low = Math.min(...nums);
    const high = Math.max(...nums);
    const log = low > 0 && high / low >= 1000;
    if (nums.every(Number.isInteger)) return { kind: 'int', low, high, log, step: 1 };
    return { kind: 'float', low, high, log, step: null };
  }
  const seen = new Map<string, unknown>();
  for (const v of present) if (!seen.has(choiceKey(v))) seen.set(choiceKey(v), v);
  const choices = [...seen.values()].sort((a, b) => choiceKey(a).localeCompare(choiceKey(b), undefined, { numeric: true }));
  return { kind: 'categorical', choices };
}

/** Whether a distribution allows one value only (Optuna's `single()`): such a parameter has no importance. */
export function isSingle(d: ParamDistribution): boolean {
  if (d.kind === 'categorical') return d.choices.length <= 1;
  if (d.low === d.high) return true;
  return d.step !== null && d.high - d.low < d.step;
}

export function sameDistribution(a: ParamDistribution, b: ParamDistribution): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function choiceKey(v: unknown): string {
  return JSON.stringify(v) ?? 'undefined';
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function bounded<T>(low: number | undefined, high: number | undefined, make: (low: number, high: number) => T): T | undefined {
  return low === undefined || high === undefined || low > high ? undefined : make(low, high);
}
