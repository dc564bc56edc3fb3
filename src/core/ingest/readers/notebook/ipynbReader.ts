/**
 * Indexes a saved `.ipynb` that was executed elsewhere (Jupyter, Colab) as one notebook run, from
 * the outputs stored in it: metrics are read from the cells' printed text in execution-count
 * order, as they were printed. Only notebooks with stored outputs of numbered (executed) cells
 * count; an unexecuted notebook is passed over silently.
 *
 * Notebooks that ExpTrack recorded live in VS Code (listed in `.exptrack/notebook-runs.json`) are
 * skipped: their outputs belong to runs already recorded cell by cell.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { MetricValue, RunEvent } from '../../../../shared/runEvents';
import type { SourceProblem } from '../../../../shared/runTypes';
import { CellMetricReader } from '../../../notebooks/cellMetrics';
import type { CellSnapshot } from '../../../notebooks/cellSnapshot';
import { isListedNotebook, readNotebookRuns } from '../../../notebooks/notebookRunsMap';
import type { ReadInput, ReadOutput, SourceReader } from '../../sourceReader';
import { capProblems, unusableTextProblem } from '../common/fileProblems';
import { toMetricValue } from '../common/numbers';
import { creationSeconds, importedRunStart, modifiedSeconds } from '../common/runIdentity';
import { parseNotebook } from './nbformat';

const NOTEBOOK = /\.ipynb$/i;
/** Jupyter's autosave copies, and ExpTrack's own folder, hold no runs of their own. */
const NOT_A_RUN = /(?:^|\/)(?:\.ipynb_checkpoints|\.exptrack)\//;

export const ipynbReader: SourceReader = {
  id: 'ipynb@1',
  wholeFile: true,
  matches: (relPath) => NOTEBOOK.test(relPath) && !NOT_A_RUN.test(relPath),
  read: readNotebookFile,
};

export function notebookRunUid(relPath: string): string {
  return `nb:${relPath}`;
}

function readNotebookFile(input: ReadInput): ReadOutput {
  const done = (batches: ReadOutput['batches'], problems: SourceProblem[]): ReadOutput => ({
    batches, consumed: input.bytes.length, lines: 0, problems: capProblems(problems, input.relPath),
  });
  if (input.bytes.length === 0) return done([], []); // a notebook just created by an editor
  const unusable = unusableTextProblem(input.relPath, input.bytes);
  if (unusable) return done([], [unusable]);
  if (recordedLive(input)) return done([], []);

  const problems: SourceProblem[] = [];
  const notebook = parseNotebook(input.bytes.toString('utf8'), input.relPath, problems);
  if (!notebook) return done([], problems);
  const executed = executedCells(notebook.cells);
  if (!executed.some((c) => c.outputs.length > 0)) return done([], problems);

  const runUid = notebookRunUid(input.relPath);
  const events: RunEvent[] = [importedRunStart({ id: runUid, kind: 'notebook', runPath: input.relPath, started: creationSeconds(input.path) })];
  const reader = new CellMetricReader();
  for (const cell of executed) {
    for (const record of reader.read(cell)) {
      const values: Record<string, MetricValue> = {};
      for (const [key, value] of Object.entries(record.values)) values[key] = toMetricValue(value);
      events.push({ t: 'metrics', step: record.step, values });
    }
  }
  events.push({ t: 'tag', key: 'notebook.executed_cells', value: String(executed.length) });
  events.push({ t: 'end', status: 'finished', ended: modifiedSeconds(input.path) });
  return done([{ runUid, events }], problems);
}

/** Executed cells in the order they ran: by execution count (document order among equals). */
function executedCells(cells: CellSnapshot[]): CellSnapshot[] {
  return cells.filter((c) => c.executionOrder !== null).sort((a, b) => a.executionOrder! - b.executionOrder! || a.index - b.index);
}

/** Whether the extension records this notebook live: `<workspace>/.exptrack/notebook-runs.json` lists it. */
function recordedLive(input: ReadInput): boolean {
  const root = workspaceRootOf(input.path, input.relPath);
  return root !== undefined && isListedNotebook(readNotebookRuns(path.join(root, '.exptrack')), input.path);
}

function workspaceRootOf(absPath: string, relPath: string): string | undefined {
  const parts = relPath.split('/').length;
  let root = absPath;
  for (let i = 0; i < parts; i++) root = path.dirname(root);
  return root;
}
