/**
 * Incremental reading of a growing table log (a header line, then one row per line): Lightning's
 * metrics.csv, Keras's CSVLogger file, dvclive's .tsv series. The header is kept in the reader
 * state, so later reads of appended bytes know the columns. A row whose cell count differs from
 * the header is reported and skipped; the rows around it still count.
 */
import type { SourceProblem } from '../../../../shared/runTypes';
import { problem, type ReadInput } from '../../sourceReader';
import { forEachCompleteLine } from '../jsonLines';
import { splitDelimitedRow } from './delimitedRow';

export interface TableLogState {
  header?: string[];
  sep?: string;
  /** Set when the header showed the file is not of the expected kind: the rest is passed over. */
  foreign?: boolean;
  /** The line splitter's own state (an over-long line being skipped). */
  lines?: unknown;
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
  const prior = (input.state as TableLogState | undefined) ?? {};
  const state: TableLogState = { ...prior };
  let sawHeader = false;
  if (input.offset === 0 && input.bytes.length === 0 && input.atEnd) problems.push(problem(input.relPath, null, 'empty file'));
  const result = forEachCompleteLine({ ...input, state: prior.lines }, problems, (raw, line) => {
    if (state.foreign) return;
    if (raw.includes('\u0000')) {
      problems.push(problem(input.relPath, line, 'binary data in a text line: line skipped'));
      return;
    }
    if (!state.header) {
      const sep = handlers.sniff(raw);
      const header = sep === undefined ? undefined : splitDelimitedRow(raw, sep)?.map((h) => h.trim());
      const complaint = header === undefined ? undefined : handlers.checkHeader?.(header);
      if (sep === undefined || header === undefined || complaint !== undefined) {
        state.foreign = true;
        if (complaint) problems.push(problem(input.relPath, line, complaint));
        return;
      }
      state.header = header;
      state.sep = sep;
      sawHeader = true;
      return;
    }
    const cells = splitDelimitedRow(raw, state.sep!);
    if (!cells) {
      problems.push(problem(input.relPath, line, 'unterminated quote: row skipped'));
      return;
    }
    if (cells.length !== state.header.length) {
      problems.push(problem(input.relPath, line, `row has ${cells.length} cells but the header has ${state.header.length}: row skipped`));
      return;
    }
    // Several writers appending to one file repeat the header: it is not a row.
    if (cells.every((c, i) => c.trim() === state.header![i])) return;
    handlers.onRow(cells, state.header, line);
  });
  const out: TableLogState = { ...state };
  if (result.state) out.lines = result.state;
  else delete out.lines;
  return { consumed: result.consumed, lines: result.lines, state: out, sawHeader };
}
