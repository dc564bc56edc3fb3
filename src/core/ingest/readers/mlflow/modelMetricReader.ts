/**
 * Reads MLflow 3 logged-model metrics (`<exp>/models/m-<id>/metrics/<key>`), whose lines carry the
 * run id as a fourth field. MLflow writes the same point into the run's own metric file, so a point
 * is added to the run only when the run has no file of that key (e.g. a model metric logged later
 * from outside the run); otherwise the run's file is the one that counts.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { MetricsEvent } from '../../../../shared/runEvents';
import type { SourceProblem } from '../../../../shared/runTypes';
import { problem, type ReadInput, type ReadOutput, type RunBatch, type SourceReader } from '../../sourceReader';
import { capProblems } from '../common/fileProblems';
import { classifyMlflowPath, mlflowRunUid } from './mlflowPaths';
import { readMetricLines } from './runMetricReader';

export const mlflowModelMetricReader: SourceReader = {
  id: 'mlflow-model-metric@1',
  wholeFile: false,
  matches: (relPath) => classifyMlflowPath(relPath)?.kind === 'modelMetric',
  read: readModelMetric,
};

function readModelMetric(input: ReadInput): ReadOutput {
  const file = classifyMlflowPath(input.relPath);
  if (file?.kind !== 'modelMetric') return { batches: [], consumed: input.bytes.length, lines: 0, problems: [] };
  const problems: SourceProblem[] = [];
  // <store>/<exp>/models/m-<id>/metrics/<key...>: the experiment folder is above models/.
  const keyDepth = file.key.split('/').length;
  const expDir = path.resolve(input.path, ...Array<string>(keyDepth + 3).fill('..'));
  const byRun = new Map<string, MetricsEvent[]>();
  const runHasOwnFile = new Map<string, boolean>();
  let missingRunId = 0;
  const { result, state } = readMetricLines(input, problems, file.key, (runId, e) => {
    if (!runId) {
      missingRunId++;
      return;
    }
    let own = runHasOwnFile.get(runId);
    if (own === undefined) {
      own = fs.existsSync(path.join(expDir, runId, 'metrics', ...file.key.split('/')));
      runHasOwnFile.set(runId, own);
    }
    if (own) return;
    const list = byRun.get(runId) ?? [];
    list.push(e);
    byRun.set(runId, list);
  });
  if (missingRunId) problems.push(problem(input.relPath, null, `${missingRunId} point(s) without the run id field: not attributed to a run`, 'info'));
  const batches: RunBatch[] = [...byRun].map(([runId, events]) => ({ runUid: mlflowRunUid(runId), events }));
  return { batches, consumed: result.consumed, lines: result.lines, state, problems: capProblems(problems, input.relPath) };
}
