/**
 * One executed notebook cell as ExpTrack keeps it: its source and outputs, independent of where
 * they came from (a cell that just ran in VS Code, or a cell stored in a saved `.ipynb`).
 * Live runs write these as `.exptrack/runs/<id>/cells/<n>.json`; both paths read metrics from them.
 */

/** Text of one output beyond this many characters is cut, so one chatty cell cannot fill the disk. */
export const MAX_OUTPUT_TEXT = 1024 * 1024;

export type CellOutput =
  /** Printed text; `name` is the stream (`stdout`, `stderr`). */
  | { type: 'stream'; name: string; text: string; truncated?: true }
  /**
   * A rich output (an execution result or displayed data) in one MIME type: text types keep their
   * text, others (images, widgets) only their size. `result` marks a cell's value (`execute_result`).
   */
  | { type: 'data'; mime: string; text?: string; bytes?: number; result?: true; truncated?: true }
  /** An exception the cell raised. */
  | { type: 'error'; name: string; message: string; traceback?: string };

export interface CellSnapshot {
  /** Position of the cell in the notebook (0-based). */
  index: number;
  /** The kernel's execution counter, when the cell has one. */
  executionOrder: number | null;
  /** Whether the execution succeeded, when known (saved notebooks do not say). */
  success: boolean | null;
  /** Seconds since the epoch, when known. */
  started: number | null;
  ended: number | null;
  language: string | null;
  source: string;
  outputs: CellOutput[];
}

/** The JSON of `cells/<n>.json`: the snapshot plus the notebook it belongs to (workspace-relative). */
export interface CellFile extends CellSnapshot {
  notebook: string;
}

/** MIME types whose payload is text worth keeping in a snapshot. */
export function isTextMime(mime: string): boolean {
  return mime.startsWith('text/') || mime === 'application/json' || mime.endsWith('+json') || mime === 'application/javascript';
}

/** Cuts text to MAX_OUTPUT_TEXT characters; `truncated` says whether it was cut. */
export function capText(text: string): { text: string; truncated: boolean } {
  return text.length > MAX_OUTPUT_TEXT ? { text: text.slice(0, MAX_OUTPUT_TEXT), truncated: true } : { text, truncated: false };
}

/**
 * The printed text of an output that metrics may be read from, and the stream it belongs to:
 * stdout/stderr text and the plain-text form of results and displays (a printed `history` dict).
 * HTML, images and errors carry no metrics.
 */
export function metricTextOf(output: CellOutput): { stream: string; text: string } | undefined {
  if (output.type === 'stream') return { stream: output.name || 'stdout', text: output.text };
  if (output.type === 'data' && output.mime === 'text/plain' && output.text !== undefined) return { stream: 'result', text: output.text };
  return undefined;
}

/** The name of a cell's snapshot file: its execution order, else its place among the run's cells. */
export function cellFileName(executionOrder: number | null, counter: number): string {
  return `${executionOrder ?? counter}.json`;
}
