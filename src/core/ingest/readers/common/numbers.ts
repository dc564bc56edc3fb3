/** Number tokens as Python and the loggers built on it write them (`str(float)`, csv, json). */
import { numberToMetricValue, type MetricValue } from '../../../../shared/runEvents';

const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const NON_FINITE: Record<string, number> = {
  nan: NaN, '+nan': NaN, '-nan': NaN,
  inf: Infinity, '+inf': Infinity, infinity: Infinity, '+infinity': Infinity,
  '-inf': -Infinity, '-infinity': -Infinity,
};

/**
 * Parses what Python's `float()` accepts from a logger: decimals, exponents and the `nan`/`inf`
 * spellings in any letter case. `Number()` alone would take `""`, `0x10` and `Infinity` only.
 * Returns undefined for anything else.
 */
export function parsePythonFloat(token: string): number | undefined {
  const t = token.trim();
  if (DECIMAL.test(t)) return Number(t);
  const special = NON_FINITE[t.toLowerCase()];
  return special;
}

/** Parses an integer step (`12`, also `12.0` as pandas writes it); undefined when it is not one. */
export function parseStep(token: string): number | undefined {
  const n = parsePythonFloat(token);
  return n !== undefined && Number.isSafeInteger(n) ? n : undefined;
}

export function toMetricValue(n: number): MetricValue {
  return numberToMetricValue(n);
}
