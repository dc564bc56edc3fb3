/** Reads `mlruns/<exp>/<run>/metrics/<key>`: an append-only log, one point per line, read as it grows. */
import type { MetricsEvent } from '../../../../shared/runEvents';
import type { SourceProblem } from '../../../../shared/runTypes';
import { problem, type ReadInput, type ReadOutput, type SourceReader } from '../../sourceReader';
import { forEachCompleteLine } from '../jsonLines';
import { capProblems } from '../common/fileProblems';
import { toMetricValue } from '../common/numbers';
import { classifyMlflowPath, mlflowRunDir, mlflowRunUid } from './mlflowPaths';
import { parseMetricLine } from './metricLine';

interface MetricFileState {
  /** The last line read: MLflow can write a point twice, and an exact repeat is the same point. */
  last?: string;
  lines?: unknown;
}

export const mlflowMetricReader: SourceReader = {
  id: 'mlflow-metric@1',
  wholeFile: false,
  matches: (relPath) => classifyMlflowPath(relPath)?.kind === 'runMetric',
  read: readRunMetric,
};

function readRunMetric(input: ReadInput): ReadOutput {
  const file = classifyMlflowPath(input.relPath);
  if (file?.kind !== 'runMetric') return { batches: [], consumed: input.bytes.length, lines: 0, problems: [] };
  const problems: SourceProblem[] = [];
  const { events, result, state } = readMetricLines(input, problems, file.key);
  return {
    batches: events.length ? [{ runUid: mlflowRunUid(file.runId), events, runDir: mlflowRunDir(file) }] : [],
    consumed: result.consumed,
    lines: result.lines,
    state,
    problems: capProblems(problems, input.relPath),
  };
}

/** Parses the complete lines of a metric file into one metrics event per distinct point. */
export function readMetricLines(input: ReadInput, problems: SourceProblem[], key: string, onRunId?: (runId: string | undefined, e: MetricsEvent) => void) {
  const prior = (input.state as MetricFileState | undefined) ?? {};
  let last = prior.last;
  const events: MetricsEvent[] = [];
  if (input.offset === 0 && input.bytes.length === 0 && input.atEnd) problems.push(problem(input.relPath, null, 'empty file'));
  const result = forEachCompleteLine({ ...input, state: prior.lines }, problems, (text, line) => {
    if (text === last) return;
    last = text;
    if (text.includes('\u0000')) {
      problems.push(problem(input.relPath, line, 'binary data in a metric line: line skipped'));
      return;
    }
    const parsed = parseMetricLine(text);
    if (!parsed.ok) {
      problems.push(problem(input.relPath, line, `${parsed.message}: line skipped`));
      return;
    }
    const e: MetricsEvent = { t: 'metrics', step: parsed.point.step, time: parsed.point.time, values: { [key]: toMetricValue(parsed.point.value) } };
    if (onRunId) onRunId(parsed.point.runId, e);
    else events.push(e);
  });
  const state: MetricFileState = {};
  if (last !== undefined) state.last = last;
  if (result.state) state.lines = result.state;
  return { events, result, state };
}
