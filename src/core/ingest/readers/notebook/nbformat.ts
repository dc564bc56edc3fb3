/**
 * Reads the code cells of a saved Jupyter notebook (nbformat 4.0 – 4.5) into cell snapshots.
 * Jupyter, Colab and VS Code write `source` and output text either as one string or as an array of
 * lines; execution counts may be null (a cell that never ran, or was interrupted) and out of order.
 * Cells that make no sense are reported and skipped; the rest of the notebook is still read.
 */
import type { SourceProblem } from '../../../../shared/runTypes';
import { capText, isTextMime, type CellOutput, type CellSnapshot } from '../../../notebooks/cellSnapshot';
import { problem } from '../../sourceReader';
import { isPlainObject } from '../common/jsonValue';

export interface ParsedNotebook {
  nbformat: string;
  language: string | null;
  /** Code cells, in document order. */
  cells: CellSnapshot[];
}

export function parseNotebook(text: string, relPath: string, problems: SourceProblem[]): ParsedNotebook | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    problems.push(problem(relPath, jsonErrorLine(text, e as Error), `not a notebook: ${(e as Error).message}`));
    return undefined;
  }
  if (!isPlainObject(raw) || !Array.isArray(raw.cells)) {
    const old = isPlainObject(raw) && Array.isArray(raw.worksheets);
    problems.push(problem(relPath, null, old ? 'nbformat 3 notebooks are not read (open and save it in Jupyter to convert it)' : 'not a notebook: no "cells" list'));
    return undefined;
  }
  if (raw.nbformat !== 4) {
    problems.push(problem(relPath, null, `nbformat ${String(raw.nbformat)} is not read (only nbformat 4)`));
    return undefined;
  }
  const metadata = isPlainObject(raw.metadata) ? raw.metadata : {};
  const languageInfo = isPlainObject(metadata.language_info) ? metadata.language_info : {};
  const kernelspec = isPlainObject(metadata.kernelspec) ? metadata.kernelspec : {};
  const language = stringOr(languageInfo.name) ?? stringOr(kernelspec.language);

  const cells: CellSnapshot[] = [];
  raw.cells.forEach((cell: unknown, index: number) => {
    if (!isPlainObject(cell)) {
      problems.push(problem(relPath, null, `cell ${index + 1} is not an object: skipped`));
      return;
    }
    if (cell.cell_type !== 'code') return;
    const count = cell.execution_count;
    if (count !== null && count !== undefined && !(typeof count === 'number' && Number.isSafeInteger(count))) {
      problems.push(problem(relPath, null, `cell ${index + 1}: execution_count ${JSON.stringify(count)} is not a number: taken as not run`));
    }
    const outputs = Array.isArray(cell.outputs) ? cell.outputs : [];
    if (cell.outputs !== undefined && !Array.isArray(cell.outputs)) {
      problems.push(problem(relPath, null, `cell ${index + 1}: "outputs" is not a list: outputs skipped`));
    }
    cells.push({
      index,
      executionOrder: typeof count === 'number' && Number.isSafeInteger(count) ? count : null,
      success: null,
      started: null,
      ended: null,
      language,
      source: multilineText(cell.source) ?? '',
      outputs: outputs.flatMap((o: unknown) => readOutput(o, index, relPath, problems)),
    });
  });
  return { nbformat: `${raw.nbformat}.${typeof raw.nbformat_minor === 'number' ? raw.nbformat_minor : 0}`, language, cells };
}

function readOutput(output: unknown, cellIndex: number, relPath: string, problems: SourceProblem[]): CellOutput[] {
  if (!isPlainObject(output)) {
    problems.push(problem(relPath, null, `cell ${cellIndex + 1}: an output is not an object: skipped`));
    return [];
  }
  switch (output.output_type) {
    case 'stream': {
      const capped = capText(multilineText(output.text) ?? '');
      return [{ type: 'stream', name: stringOr(output.name) ?? 'stdout', text: capped.text, ...(capped.truncated ? { truncated: true as const } : {}) }];
    }
    case 'execute_result':
    case 'display_data': {
      const data = isPlainObject(output.data) ? output.data : {};
      const result = output.output_type === 'execute_result';
      return Object.entries(data).map(([mime, value]): CellOutput => {
        const text = isTextMime(mime) ? (multilineText(value) ?? JSON.stringify(value)) : undefined;
        if (text !== undefined) {
          const capped = capText(text);
          return { type: 'data', mime, text: capped.text, ...(result ? { result: true as const } : {}), ...(capped.truncated ? { truncated: true as const } : {}) };
        }
        return { type: 'data', mime, bytes: payloadBytes(value), ...(result ? { result: true as const } : {}) };
      });
    }
    case 'error': {
      const traceback = Array.isArray(output.traceback) ? output.traceback.filter((l): l is string => typeof l === 'string').join('\n') : undefined;
      return [{ type: 'error', name: stringOr(output.ename) ?? 'Error', message: stringOr(output.evalue) ?? '', ...(traceback ? { traceback } : {}) }];
    }
    default:
      problems.push(problem(relPath, null, `cell ${cellIndex + 1}: unknown output type ${JSON.stringify(output.output_type)}: skipped`, 'info'));
      return [];
  }
}

/** nbformat's multiline string: one string, or an array of strings joined as they are. */
function multilineText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value.join('');
  return undefined;
}

function payloadBytes(value: unknown): number {
  const text = multilineText(value) ?? JSON.stringify(value) ?? '';
  return Buffer.byteLength(text, 'utf8');
}

function stringOr(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/** The 1-based line of a JSON.parse error, from the position V8 reports. */
function jsonErrorLine(text: string, e: Error): number | null {
  const m = /position (\d+)/.exec(e.message);
  if (!m) return null;
  const position = Number(m[1]);
  let line = 1;
  for (let i = 0; i < position && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
