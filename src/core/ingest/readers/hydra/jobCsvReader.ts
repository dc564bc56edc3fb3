/**
 * Reads a CSV table a Hydra multirun job wrote into its own folder (`<sweep>/<n>/monitoring.csv`)
 * as that job's metrics, as it grows: one series per numeric column. A first column named
 * step/epoch/iteration is the step; one holding dates or times (a backtest's `Date`) gives each
 * row its time, with the row's position as the step; otherwise the position is the step. Cells
 * that are not numbers are counted and passed over. A CSV in a folder that is not a Hydra job
 * (no `.hydra/overrides.yaml` beside it) is someone else's and passed over in silence.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { MetricValue, MetricsEvent } from '../../../../shared/runEvents';
import type { SourceProblem } from '../../../../shared/runTypes';
import { problem, type ReadInput, type ReadOutput, type SourceReader } from '../../sourceReader';
import { capProblems } from '../common/fileProblems';
import { isoSeconds } from '../common/isoTime';
import { parsePythonFloat, parseStep, toMetricValue } from '../common/numbers';
import { parentDir } from '../common/runIdentity';
import { readTableLog, type TableLogState } from '../common/tableLog';
import { hydraRunUid, isJobCsv } from './hydraPaths';

const STEP_COLUMN = /^(?:step|epoch|iteration|iter|global_step)$/i;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

interface JobCsvState {
  table?: TableLogState;
  /** Data rows read so far (the step of a row without a step column). */
  rows: number;
  /** What the first column is, decided on the first data row. */
  first?: 'step' | 'time' | 'metric';
  notJob?: boolean;
  skippedCells?: number;
}

export const hydraJobCsvReader: SourceReader = {
  id: 'hydra-job-csv@1',
  wholeFile: false,
  matches: isJobCsv,
  read: readJobCsv,
};

function readJobCsv(input: ReadInput): ReadOutput {
  const prior = (input.state as JobCsvState | undefined) ?? { rows: 0 };
  const state: JobCsvState = { ...prior };
  const jobDirAbs = path.dirname(input.path);
  if (state.notJob || (input.offset === 0 && !fs.existsSync(path.join(jobDirAbs, '.hydra', 'overrides.yaml')))) {
    return { batches: [], consumed: input.bytes.length, lines: 0, state: { ...state, notJob: true }, problems: [] };
  }
  const problems: SourceProblem[] = [];
  const events: MetricsEvent[] = [];
  let skipped = 0;
  const skippedColumns = new Set<string>();
  const table = readTableLog({ ...input, state: state.table }, problems, {
    sniff: (line) => (line.includes('\t') && !line.includes(',') ? '\t' : ','),
    checkHeader: (header) => (header.some((h) => h === '') ? 'header has an empty column name: file not read' : undefined),
    onRow: (cells, header) => {
      state.first ??= firstColumnKind(header[0]!, cells[0]!.trim());
      const values: Record<string, MetricValue> = {};
      let step = state.rows;
      let time: number | undefined;
      cells.forEach((raw, i) => {
        const cell = raw.trim();
        if (i === 0 && state.first === 'step') {
          step = parseStep(cell) ?? step;
          return;
        }
        if (i === 0 && state.first === 'time') {
          time = cellTime(cell);
          return;
        }
        if (cell === '') return;
        const n = parsePythonFloat(cell);
        if (n === undefined) {
          skipped++;
          skippedColumns.add(header[i]!);
        } else {
          values[header[i]!] = toMetricValue(n);
        }
      });
      state.rows++;
      if (Object.keys(values).length === 0) return;
      events.push(time === undefined ? { t: 'metrics', step, values } : { t: 'metrics', step, time, values });
    },
  });
  state.table = table.state;
  if (skipped) {
    problems.push(problem(input.relPath, null, `${skipped} cell(s) that are not numbers passed over (columns ${[...skippedColumns].slice(0, 5).join(', ')})`, 'info'));
  }
  return {
    batches: events.length ? [{ runUid: hydraRunUid(parentDir(input.relPath)), events }] : [],
    consumed: table.consumed,
    lines: table.lines,
    state,
    problems: capProblems(problems, input.relPath),
  };
}

function firstColumnKind(name: string, cell: string): JobCsvState['first'] {
  if (STEP_COLUMN.test(name)) return 'step';
  if (cellTime(cell) !== undefined) return 'time';
  return 'metric';
}

function cellTime(cell: string): number | undefined {
  return isoSeconds(DATE_ONLY.test(cell) ? `${cell}T00:00:00` : cell);
}
