/** A VS Code notebook cell as ExpTrack snapshots it (src/core/notebooks/cellSnapshot.ts). */
import * as vscode from 'vscode';
import { capText, isTextMime, type CellOutput, type CellSnapshot } from '../../core/notebooks/cellSnapshot';

const STDOUT = 'application/vnd.code.notebook.stdout';
const STDERR = 'application/vnd.code.notebook.stderr';
const ERROR = 'application/vnd.code.notebook.error';

const decoder = new TextDecoder();

export function cellSnapshot(cell: vscode.NotebookCell, summary: vscode.NotebookCellExecutionSummary, now: number): CellSnapshot {
  return {
    index: cell.index,
    executionOrder: summary.executionOrder ?? null,
    success: summary.success ?? null,
    started: summary.timing ? summary.timing.startTime / 1000 : null,
    ended: (summary.timing?.endTime ?? now) / 1000,
    language: cell.document.languageId,
    source: cell.document.getText(),
    outputs: cell.outputs.flatMap(outputsOf),
  };
}

function outputsOf(output: vscode.NotebookCellOutput): CellOutput[] {
  // The Jupyter extension says which kind of output it was; a result is the cell's value.
  const result = (output.metadata as { outputType?: unknown } | undefined)?.outputType === 'execute_result';
  return output.items.map((item): CellOutput => {
    if (item.mime === STDOUT || item.mime === STDERR) {
      const { text, truncated } = capText(decoder.decode(item.data));
      return { type: 'stream', name: item.mime === STDOUT ? 'stdout' : 'stderr', text, ...(truncated ? { truncated: true as const } : {}) };
    }
    if (item.mime === ERROR) return errorOf(decoder.decode(item.data));
    if (isTextMime(item.mime)) {
      const { text, truncated } = capText(decoder.decode(item.data));
      return { type: 'data', mime: item.mime, text, ...(result ? { result: true as const } : {}), ...(truncated ? { truncated: true as const } : {}) };
    }
    return { type: 'data', mime: item.mime, bytes: item.data.byteLength, ...(result ? { result: true as const } : {}) };
  });
}

/** VS Code's error output: `{ name, message, stack }` as JSON. */
function errorOf(json: string): CellOutput {
  try {
    const e = JSON.parse(json) as { name?: unknown; message?: unknown; stack?: unknown };
    return {
      type: 'error', name: typeof e.name === 'string' ? e.name : 'Error', message: typeof e.message === 'string' ? e.message : '',
      ...(typeof e.stack === 'string' && e.stack ? { traceback: e.stack } : {}),
    };
  } catch {
    return { type: 'error', name: 'Error', message: json.slice(0, 10_000) };
  }
}
