/**
 * Line splitting for append-only JSON-lines logs that may be growing while they are read: a last
 * line without its newline is left for the next read, and over-long lines are passed over with a
 * message (also when their bytes arrive over several reads).
 */
import type { SourceProblem } from '../../../shared/runTypes';
import { problem, type ReadInput } from '../sourceReader';

/** Longer lines are skipped with a message: a sane event is a few KB, a 10 MB line is damage. */
export const MAX_LINE_BYTES = 1024 * 1024;

const NEWLINE = 0x0a;

interface JsonLinesState {
  /** Set while the bytes of an over-long line are being passed over. */
  skippingFromLine?: number;
  skippedBytes?: number;
}

export interface JsonLinesResult {
  consumed: number;
  lines: number;
  state: JsonLinesState | undefined;
}

/** Calls `onLine` for every complete, non-blank line of `input.bytes` with its 1-based line number. */
export function forEachCompleteLine(input: ReadInput, problems: SourceProblem[], onLine: (text: string, line: number) => void): JsonLinesResult {
  const state: JsonLinesState = { ...((input.state as JsonLinesState | undefined) ?? {}) };
  const { bytes } = input;
  const limitMb = MAX_LINE_BYTES / 1024 / 1024;
  let pos = 0;
  let line = input.line;
  let lines = 0;
  while (pos < bytes.length) {
    const nl = bytes.indexOf(NEWLINE, pos);
    if (nl < 0) {
      if (state.skippingFromLine !== undefined || bytes.length - pos > MAX_LINE_BYTES) {
        state.skippingFromLine ??= line;
        state.skippedBytes = (state.skippedBytes ?? 0) + bytes.length - pos;
        pos = bytes.length;
      }
      break;
    }
    const skipped = (state.skippedBytes ?? 0) + nl - pos;
    if (state.skippingFromLine !== undefined || skipped > MAX_LINE_BYTES) {
      problems.push(problem(input.relPath, state.skippingFromLine ?? line, `line of ${(skipped / 1024 / 1024).toFixed(1)} MB is longer than ${limitMb} MB: skipped`));
      delete state.skippingFromLine;
      delete state.skippedBytes;
    } else {
      const text = bytes.toString('utf8', pos, nl);
      if (text.trim() !== '') onLine(text.endsWith('\r') ? text.slice(0, -1) : text, line);
    }
    pos = nl + 1;
    line++;
    lines++;
  }
  return { consumed: pos, lines, state: state.skippingFromLine !== undefined ? state : undefined };
}
