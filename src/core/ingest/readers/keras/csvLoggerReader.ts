/**
 * Reads the file of Keras's `CSVLogger` callback as it grows: a header `epoch,<sorted metric keys>`
 * then one row per epoch; `NA` marks a key not logged in that epoch. Its file name is the user's
 * choice, so ownership is claimed only for names that read like a training log (`training.log`,
 * `training_log.csv`, `history.csv`, ...) and the header decides: a file whose first column is not
 * `epoch` is passed over silently.
 */
import type { MetricValue, MetricsEvent, RunEvent } from '../../../../shared/runEvents';
import type { SourceProblem } from '../../../../shared/runTypes';
import { problem, type ReadInput, type ReadOutput, type SourceReader } from '../../sourceReader';
import { capProblems } from '../common/fileProblems';
import { parsePythonFloat, parseStep, toMetricValue } from '../common/numbers';
import { baseName, creationSeconds, importedRunStart } from '../common/runIdentity';
import { readTableLog } from '../common/tableLog';

/** `*log*.csv` / `*history*.csv`; `.log` files only when named for training (many `.log` files are plain output). */
const LOG_NAME = /^[^/]*(?:log|history)[^/]*\.(?:csv|tsv)$|^[^/]*(?:train|history|epoch|keras|csvlog)[^/]*\.log$/i;
const NOT_KERAS = /(?:^|\/)(?:\.exptrack|mlruns)\//;
const SEPARATORS = [',', '\t', ';'];

export const kerasCsvLoggerReader: SourceReader = {
  id: 'keras-csvlogger@1',
  wholeFile: false,
  matches: (relPath) => LOG_NAME.test(baseName(relPath)) && !NOT_KERAS.test(relPath),
  read: readCsvLogger,
};

export function kerasRunUid(relPath: string): string {
  return `keras:${relPath}`;
}

function readCsvLogger(input: ReadInput): ReadOutput {
  const runUid = kerasRunUid(input.relPath);
  const problems: SourceProblem[] = [];
  const events: RunEvent[] = [];
  const table = readTableLog(input, problems, {
    sniff: (line) => SEPARATORS.find((sep) => line.startsWith(`epoch${sep}`)),
    onRow: (cells, header, line) => {
      const epoch = parseStep(cells[0]!.trim());
      if (epoch === undefined) {
        problems.push(problem(input.relPath, line, `epoch "${cells[0]!.slice(0, 40)}" is not an integer: row skipped`));
        return;
      }
      const values: Record<string, MetricValue> = {};
      for (let i = 1; i < cells.length; i++) {
        const cell = cells[i]!.trim();
        if (cell === '' || cell === 'NA') continue;
        const n = parsePythonFloat(cell);
        if (n === undefined) problems.push(problem(input.relPath, line, `"${header[i]}" is not a number ("${cell.slice(0, 40)}"): cell skipped`));
        else values[header[i]!] = toMetricValue(n);
      }
      if (Object.keys(values).length) events.push({ t: 'metrics', step: epoch, values } satisfies MetricsEvent);
    },
  });
  if (table.sawHeader) {
    events.unshift(importedRunStart({ id: runUid, kind: 'keras', runPath: input.relPath, started: creationSeconds(input.path) }));
  }
  return {
    batches: events.length ? [{ runUid, events }] : [],
    consumed: table.consumed,
    lines: table.lines,
    state: table.state,
    problems: capProblems(problems, input.relPath),
  };
}
