/**
 * Reads one dvclive series as it grows: `plots/metrics/<key>.tsv` (1.x/2.x, header `step\t<name>`,
 * plus `timestamp` when enabled) or `dvclive/<key>.tsv` (0.x, `timestamp\tstep\t<name>`, CRLF).
 * Columns are found by name; timestamps are epoch milliseconds. The series is named by its path
 * under the plots folder (`train/loss`), the header only names its last part.
 */
import type { MetricsEvent } from '../../../../shared/runEvents';
import type { SourceProblem } from '../../../../shared/runTypes';
import { problem, type ReadInput, type ReadOutput, type SourceReader } from '../../sourceReader';
import { capProblems } from '../common/fileProblems';
import { parsePythonFloat, parseStep, toMetricValue } from '../common/numbers';
import { readTableLog } from '../common/tableLog';
import { classifyDvclivePath, dvcliveRunUid } from './dvclivePaths';

export const dvcliveSeriesReader: SourceReader = {
  id: 'dvclive-series@1',
  wholeFile: false,
  matches: (relPath) => classifyDvclivePath(relPath)?.kind === 'series',
  read: readSeries,
};

function readSeries(input: ReadInput): ReadOutput {
  const file = classifyDvclivePath(input.relPath);
  if (file?.kind !== 'series') return { batches: [], consumed: input.bytes.length, lines: 0, problems: [] };
  const problems: SourceProblem[] = [];
  const events: MetricsEvent[] = [];
  const table = readTableLog(input, problems, {
    sniff: (line) => (line.includes('\t') ? '\t' : undefined),
    checkHeader: (header) => (header.includes('step') && header.length >= 2 ? undefined : 'expected a header with "step" and the value column: file not read'),
    onRow: (cells, header, line) => {
      const stepAt = header.indexOf('step');
      const timeAt = header.indexOf('timestamp');
      const valueAt = lastValueColumn(header);
      const step = parseStep(cells[stepAt]!);
      const value = parsePythonFloat(cells[valueAt]!);
      if (step === undefined || value === undefined) {
        problems.push(problem(input.relPath, line, step === undefined ? `step "${cells[stepAt]!.slice(0, 40)}" is not an integer: row skipped` : `value "${cells[valueAt]!.slice(0, 40)}" is not a number: row skipped`));
        return;
      }
      const e: MetricsEvent = { t: 'metrics', step, values: { [file.key]: toMetricValue(value) } };
      const ms = timeAt >= 0 ? parsePythonFloat(cells[timeAt]!) : undefined;
      if (ms !== undefined && Number.isFinite(ms)) e.time = ms / 1000;
      events.push(e);
    },
  });
  return {
    batches: events.length ? [{ runUid: dvcliveRunUid(file.runDir), events }] : [],
    consumed: table.consumed,
    lines: table.lines,
    state: table.state,
    problems: capProblems(problems, input.relPath),
  };
}

/** The value column: the last one that is neither step nor timestamp. */
function lastValueColumn(header: string[]): number {
  for (let i = header.length - 1; i >= 0; i--) if (header[i] !== 'step' && header[i] !== 'timestamp') return i;
  return header.length - 1;
}
