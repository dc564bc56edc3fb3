/** Typing of command-line parameter values: `0.01` is a number, `true` a boolean, `[64,32]` a list. */

const DECIMAL_NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const LEADING_ZERO_INTEGER = /^[+-]?0\d/;

/** True when `text` is a plain decimal number such as `3`, `-0.5`, `.5` or `1e-3`. */
export function isDecimalNumber(text: string): boolean {
  return DECIMAL_NUMBER.test(text);
}

/**
 * The typed value of one command-line argument:
 * - decimal numbers (`3`, `-0.5`, `1e-3`) become numbers, except integers too large to be exact
 *   and zero-padded integers such as `007` (identifiers rather than quantities), which stay text;
 * - `true` / `false` in any letter case become booleans;
 * - JSON arrays and objects (`[64,32]`, `{"a":1}`) are parsed;
 * - everything else is kept as the string it was.
 */
export function parseParamValue(text: string): unknown {
  if (DECIMAL_NUMBER.test(text)) {
    if (LEADING_ZERO_INTEGER.test(text) && !/[.eE]/.test(text)) return text;
    const n = Number(text);
    if (!Number.isFinite(n)) return text;
    if (!/[.eE]/.test(text) && !Number.isSafeInteger(n)) return text;
    return n;
  }
  const lower = text.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  const first = text.trimStart()[0];
  if (first === '[' || first === '{') {
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed === 'object' && parsed !== null) return parsed;
    } catch {
      // Not JSON (e.g. a Python list with quotes): keep the text.
    }
  }
  return text;
}
