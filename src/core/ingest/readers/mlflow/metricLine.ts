/**
 * One line of an MLflow metric file: `<timestamp_ms> <value> <step>`, where the value is Python's
 * `str(float)` (`nan`, `inf`, `-inf` included). Legacy lines have no step (it is 0); MLflow 3
 * logged-model files add the run id as a fourth field.
 */
import { parsePythonFloat } from '../common/numbers';

export interface MetricLine {
  /** Seconds since the epoch. */
  time: number;
  value: number;
  step: number;
  runId?: string;
}

export type MetricLineResult = { ok: true; point: MetricLine } | { ok: false; message: string };

const INTEGER = /^[+-]?\d+$/;

export function parseMetricLine(line: string): MetricLineResult {
  const fields = line.trim().split(/\s+/);
  if (fields.length < 2 || fields.length > 4) return { ok: false, message: `expected "<timestamp> <value> <step>", got ${fields.length} field(s)` };
  const [ts, val, stepText, runId] = fields as [string, string, string?, string?];
  if (!INTEGER.test(ts) || !Number.isSafeInteger(Number(ts))) return { ok: false, message: `bad timestamp "${clip(ts)}"` };
  const value = parsePythonFloat(val);
  if (value === undefined) return { ok: false, message: `bad value "${clip(val)}"` };
  let step = 0;
  if (stepText !== undefined) {
    if (!INTEGER.test(stepText) || !Number.isSafeInteger(Number(stepText))) return { ok: false, message: `bad step "${clip(stepText)}"` };
    step = Number(stepText);
  }
  const point: MetricLine = { time: Number(ts) / 1000, value, step };
  if (runId !== undefined) point.runId = runId;
  return { ok: true, point };
}

function clip(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}
