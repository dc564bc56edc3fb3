/**
 * Incremental reading of a growing table log (a header row, then one row per record): Lightning's
 * metrics.csv, Keras's CSVLogger file, dvclive's .tsv series. Rows are cut by the same CSV tokenizer
 * that reads datasets (src/core/datasets/csv), so quoted cells may hold delimiters, line breaks and
 * `""`. The header is kept in the reader state, so later reads of appended bytes know the columns.
 * A row whose cell count differs from the header is reported and skipped; the rows around it still
 * count. A row that is not complete yet (no line end, or a quote still open) waits for more bytes.
 */
import { CsvTokenizer, fieldText } from '../../../datasets/csv/csvTokenizer';
import type { SourceProblem } from '../../../../shared/runTypes';
import { problem, type ReadInput } from '../../sourceReader';

/** A row still open after this many bytes or lines is damage (a quote never closed), not a row being written. */
const MAX_PENDING_ROW_BYTES = 1024 * 1024;
const MAX_PENDING_ROW_LINES = 100;

export interface TableLogState {
  header?: string[];
  sep?: string;
  /** Set when the header showed the file is not of the expected kind: the rest is passed over. */
  foreign?: boolean;
}

export interface TableLogHandlers {
  /** Picks the separator from the header line, or undefined when this is not the expected kind of file. */
  sniff(headerLine: string): string | undefined;
  /** Validates the header; a message makes the file foreign-with-a-problem, undefined accepts it. */
  checkHeader?(header: string[]): string | undefined;
  onRow(cells: string[], header: string[], line: number): void;
}

export interface TableLogResult {
  consumed: number;
  lines: number;
  state: TableLogState;
  /** True when this read saw the header (the first read of the file). */
  sawHeader: boolean;
}

export function readTableLog(input: ReadInput, problems: SourceProblem[], handlers: TableLogHandlers): TableLogResult {
  const state: TableLogState = { ...((input.state as TableLogState | undefined) ?? {}) };
  const { bytes } = input;
  if (input.offset === 0 && bytes.length === 0 && input.atEnd) problems.push(problem(input.relPath, null, 'empty file'));
  if (state.foreign) return { consumed: bytes.length, lines: countLines(bytes, 0, bytes.length), state, sawHeader: false };
  if (!state.sep) {
    // The separator is told from the first line, before any row is cut.
    const firstEnd = bytes.indexOf(0x0a);
    if (firstEnd < 0) return { consumed: 0, lines: 0, state, sawHeader: false };
    const sep = handlers.sniff(bytes.toString('utf8', 0, firstEnd).replace(/\r$/, ''));
    if (sep === undefined) return { consumed: bytes.length, lines: countLines(bytes, 0, bytes.length), state: { foreign: true }, sawHeader: false };
    state.sep = sep;
  }
  const tokenizer = new CsvTokenizer(state.sep.charCodeAt(0));
  tokenizer.line = input.line;
  let sawHeader = false;
  const onRow = (buf: Buffer, t: CsvTokenizer, line: number) => {
    if (state.foreign) return;
    const cells = Array.from({ length: t.count }, (_, i) => fieldText(buf, t, i));
    if (cells.some((c) => c.includes('\u0000'))) {
      problems.push(problem(input.relPath, line, 'binary data in a text line: line skipped'));
      return;
    }
    if (!state.header) {
      const header = cells.map((h) => h.trim());
      const complaint = handlers.checkHeader?.(header);
      if (complaint !== undefined) {
        state.foreign = true;
        problems.push(problem(input.relPath, line, complaint));
        return;
      }
      state.header = header;
      sawHeader = true;
      return;
    }
    if (cells.length !== state.header.length) {
      problems.push(problem(input.relPath, line, `row has ${cells.length} cells but the header has ${state.header.length}: row skipped`));
      return;
    }
    // Several writers appending to one file repeat the header: it is not a row.
    if (cells.every((c, i) => c.trim() === state.header![i])) return;
    handlers.onRow(cells, state.header, line);
  };
  const sink = { row: onRow, unterminatedQuote: () => undefined };
  let pos = 0;
  for (;;) {
    pos = tokenizer.scan(bytes, pos, bytes.length, false, sink);
    if (state.foreign) {
      pos = bytes.length;
      break;
    }
    // What is left is a row still being written, or one whose quote never closes.
    const pendingLines = countLines(bytes, pos, bytes.length);
    if (bytes.length - pos <= MAX_PENDING_ROW_BYTES && pendingLines <= MAX_PENDING_ROW_LINES) break;
    problems.push(problem(input.relPath, tokenizer.line, 'unterminated quote: row skipped'));
    const next = bytes.indexOf(0x0a, pos);
    pos = next + 1;
    tokenizer.line++;
  }
  return { consumed: pos, lines: countLines(bytes, 0, pos), state, sawHeader };
}

function countLines(bytes: Buffer, from: number, to: number): number {
  let n = 0;
  for (let i = bytes.indexOf(0x0a, from); i >= 0 && i < to; i = bytes.indexOf(0x0a, i + 1)) n++;
  return n;
}
