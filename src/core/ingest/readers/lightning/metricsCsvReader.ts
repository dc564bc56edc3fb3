/**
 * Reads Lightning's CSVLogger `version_N/metrics.csv` as it grows. Columns are found by name (their
 * order changed between Lightning versions); rows are sparse (an empty cell was not logged in that
 * row), and training and validation rows may share a step. `step` is the step of the row; every
 * other column, `epoch` included, is a series, as Lightning logged it.
 */
import * as path from 'node:path';
import type { MetricValue, MetricsEvent, RunEvent } from '../../../../shared/runEvents';
import type { SourceProblem } from '../../../../shared/runTypes';
import { problem, type ReadInput, type ReadOutput, type SourceReader } from '../../sourceReader';
import { capProblems } from '../common/fileProblems';
import { parsePythonFloat, parseStep, toMetricValue } from '../common/numbers';
import { creationSeconds, importedRunStart, parentDir } from '../common/runIdentity';
import { readTableLog } from '../common/tableLog';
import { isLightningVersionDir, lightningRunUid } from './lightningPaths';

export const lightningMetricsReader: SourceReader = {
  id: 'lightning-metrics-csv@1',
  wholeFile: false,
  matches: (relPath) => relPath.endsWith('/metrics.csv') && isLightningVersionDir(parentDir(relPath)),
  read: readLightningMetrics,
};

function readLightningMetrics(input: ReadInput): ReadOutput {
  const runDir = parentDir(input.relPath);
  const runUid = lightningRunUid(runDir);
  const problems: SourceProblem[] = [];
  const events: RunEvent[] = [];
  const table = readTableLog(input, problems, {
    sniff: (line) => (line.includes(',') || line.trim() !== '' ? ',' : undefined),
    checkHeader: (header) => (header.some((h) => h === '') ? 'header has an empty column name: file not read' : undefined),
    onRow: (cells, header, line) => {
      const values: Record<string, MetricValue> = {};
      let step: number | undefined;
      cells.forEach((raw, i) => {
        const cell = raw.trim();
        if (cell === '') return;
        const column = header[i]!;
        if (column === 'step') {
          step = parseStep(cell);
          if (step === undefined) problems.push(problem(input.relPath, line, `step "${cell}" is not an integer: row kept without a step`));
          return;
        }
        const n = parsePythonFloat(cell);
        if (n === undefined) problems.push(problem(input.relPath, line, `"${column}" is not a number ("${cell.slice(0, 40)}"): cell skipped`));
        else values[column] = toMetricValue(n);
      });
      if (Object.keys(values).length === 0) return;
      const e: MetricsEvent = { t: 'metrics', values };
      if (step !== undefined) e.step = step;
      events.push(e);
    },
  });
  if (table.sawHeader) {
    events.unshift(importedRunStart({ id: runUid, kind: 'lightning', runPath: runDir, started: creationSeconds(path.dirname(input.path)) }));
  }
  return {
    batches: events.length ? [{ runUid, events }] : [],
    consumed: table.consumed,
    lines: table.lines,
    state: table.state,
    problems: capProblems(problems, input.relPath),
  };
}
