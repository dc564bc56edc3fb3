/**
 * How local values become MLflow's and back.
 *
 * Metric values: JSON has no NaN or ±Infinity, and MLflow's protobuf-JSON accepts (and answers
 * with) the strings "NaN", "Infinity" and "-Infinity" for doubles. MLflow's SQL stores keep NaN
 * but store ±Infinity as ±1.7976931348623157e308 (the largest double), for its own Python
 * client too; reading back, that value is taken as ±Infinity again.
 *
 * Times: local times are float seconds, MLflow's are integer milliseconds (rounded here).
 * Params: MLflow keeps strings; numbers, booleans and lists are written the way Python's str()
 * would write them where that reads back the same (`0.01`, `True`, `[64,32]`).
 */
import type { MetricPoint } from '../../shared/runTypes';
import type { WireMetric, WireNumber } from './mlflowTypes';

/** What MLflow's SQL store writes for +Infinity. */
export const MLFLOW_SQL_INFINITY = 1.7976931348623157e308;

export function toWireValue(value: number): WireNumber {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'Infinity';
  if (value === -Infinity) return '-Infinity';
  return value;
}

export function fromWireValue(v: WireNumber): number {
  if (typeof v === 'number') return v === MLFLOW_SQL_INFINITY ? Infinity : v === -MLFLOW_SQL_INFINITY ? -Infinity : v;
  if (v === 'NaN' || v === 'nan') return NaN;
  if (v === 'Infinity' || v === 'inf') return Infinity;
  if (v === '-Infinity' || v === '-inf') return -Infinity;
  return fromWireValue(Number(v));
}

export function secondsToMs(seconds: number): number {
  return Math.round(seconds * 1000);
}

export function msToSeconds(ms: number): number {
  return ms / 1000;
}

/**
 * A local point as MLflow's metric. MLflow needs a step and a timestamp: a point without a step is
 * step 0 (what MLflow's client logs by default) and one without a time takes `fallbackTimeMs`.
 */
export function toWireMetric(key: string, p: MetricPoint, fallbackTimeMs: number): WireMetric {
  return { key, value: toWireValue(p.value), timestamp: p.time === null ? fallbackTimeMs : secondsToMs(p.time), step: p.step ?? 0 };
}

/**
 * Identity of a point as both sides can state it: (step, time in ms, value); NaN equals NaN, and
 * the largest double equals Infinity (the SQL store cannot tell them apart).
 */
export function pointIdentity(step: number, timeMs: number, value: number): string {
  const v = value === MLFLOW_SQL_INFINITY ? Infinity : value === -MLFLOW_SQL_INFINITY ? -Infinity : value;
  return `${step}|${timeMs}|${Number.isNaN(v) ? 'NaN' : Object.is(v, -0) ? '0' : String(v)}`;
}

export function wireMetricIdentity(m: WireMetric): string {
  return pointIdentity(Number(m.step ?? 0), Number(m.timestamp), fromWireValue(m.value));
}

export function localPointIdentity(p: MetricPoint, fallbackTimeMs: number): string {
  return pointIdentity(p.step ?? 0, p.time === null ? fallbackTimeMs : secondsToMs(p.time), p.value);
}

/** A local parameter value as MLflow's string. */
export function paramToWire(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'number') return String(value);
  return JSON.stringify(value);
}

/** MLflow's names of metrics, params and tags: letters, digits, `_ - . / : space`, no `..` or leading `/`. */
export function isValidMlflowKey(key: string): boolean {
  if (key === '' || key.length > 250 || !/^[/\w.\- :]*$/.test(key)) return false;
  if (key.startsWith('/') || key.split('/').some((part) => part === '..' || part === '.')) return false;
  return !key.includes('//') && !key.endsWith('/');
}
