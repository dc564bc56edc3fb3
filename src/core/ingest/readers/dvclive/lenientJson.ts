/**
 * JSON as Python's `json.dump` writes it: standard JSON plus the bare tokens `NaN`, `Infinity` and
 * `-Infinity` (dvclive's metrics.json, sklearn plot files). Those tokens, outside strings, are
 * turned into marked strings for JSON.parse and back into numbers by its reviver.
 */

const MARK = '\u0000nonfinite:';
const TOKENS: [string, number][] = [['-Infinity', -Infinity], ['Infinity', Infinity], ['NaN', NaN]];

export type LenientJsonResult = { ok: true; value: unknown } | { ok: false; message: string; line: number | null };

export function parseLenientJson(text: string): LenientJsonResult {
  const marked = markNonFinite(text);
  try {
    const value: unknown = JSON.parse(marked, (_key, v: unknown) =>
      typeof v === 'string' && v.startsWith(MARK) ? Number(v.slice(MARK.length)) : v);
    return { ok: true, value };
  } catch (e) {
    const message = (e as Error).message;
    const at = /position (\d+)/.exec(message);
    const line = at ? lineAt(marked, Number(at[1])) : null;
    return { ok: false, message: message.replace(/\u0000nonfinite:/g, ''), line };
  }
}

function markNonFinite(text: string): string {
  if (!/NaN|Infinity/.test(text)) return text;
  let out = '';
  let i = 0;
  let copiedTo = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '"') {
      i = endOfString(text, i);
      continue;
    }
    const token = TOKENS.find(([t]) => text.startsWith(t, i));
    if (token && !isWordChar(text[i - 1]) && !isWordChar(text[i + token[0].length])) {
      out += `${text.slice(copiedTo, i)}"${MARK}${token[1]}"`;
      i += token[0].length;
      copiedTo = i;
      continue;
    }
    i++;
  }
  return out + text.slice(copiedTo);
}

function endOfString(text: string, quote: number): number {
  let i = quote + 1;
  while (i < text.length) {
    if (text[i] === '\\') i += 2;
    else if (text[i] === '"') return i + 1;
    else i++;
  }
  return i;
}

function isWordChar(ch: string | undefined): boolean {
  return ch !== undefined && /[\w.+-]/.test(ch);
}

function lineAt(text: string, position: number): number {
  let line = 1;
  for (let i = 0; i < position && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
