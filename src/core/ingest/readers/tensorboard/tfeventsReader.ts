/**
 * Reads TensorBoard event files (`events.out.tfevents.*`) as they grow: every scalar becomes a
 * metric point at the event's step and wall time (seconds). Event files copied into an MLflow
 * run's artifacts are left to the MLflow importer, which already has those metrics.
 */
import type { MetricValue, MetricsEvent, RunEvent } from '../../../../shared/runEvents';
import type { SourceProblem } from '../../../../shared/runTypes';
import { problem, type ReadInput, type ReadOutput, type SourceReader } from '../../sourceReader';
import { capProblems } from '../common/fileProblems';
import { toMetricValue } from '../common/numbers';
import { baseName, importedRunStart } from '../common/runIdentity';
import { decodeEvent, newDecodedEvent } from './eventProto';
import { forEachRecord, type FramingState } from './tfRecord';
import { isEventFileName, isFirstFileOfRun, isProfileEmpty, tbRunLayout } from './tbRunLayout';

const MLFLOW_ARTIFACTS = /(?:^|\/)mlruns\/.*\/artifacts\//;

interface TfeventsState {
  framing?: FramingState;
  /** The run event was emitted (or this file is not the one that emits it). */
  runDone?: boolean;
}

export const tfeventsReader: SourceReader = {
  id: 'tfevents@1',
  wholeFile: false,
  matches: (relPath) => isEventFileName(baseName(relPath)) && !MLFLOW_ARTIFACTS.test(relPath),
  read: readTfevents,
};

function readTfevents(input: ReadInput): ReadOutput {
  const prior = (input.state as TfeventsState | undefined) ?? {};
  const layout = tbRunLayout(input.relPath);
  const problems: SourceProblem[] = [];
  const events: RunEvent[] = [];
  let runDone = prior.runDone ?? (isProfileEmpty(input.relPath) || !isFirstFileOfRun(input.path, layout));
  if (input.offset === 0 && input.bytes.length === 0 && input.atEnd) problems.push(problem(input.relPath, null, 'empty file'));

  const decoded = newDecodedEvent();
  const framing = forEachRecord(input.bytes, input.offset, input.atEnd, prior.framing, (start, end, index, view) => {
    try {
      decodeEvent(input.bytes, start, end, view, decoded);
    } catch (e) {
      problems.push(problem(input.relPath, null, `record ${index + 1} is not a readable event (${(e as Error).message}): skipped`));
      return;
    }
    if (!runDone && Number.isFinite(decoded.wallTime)) {
      events.push(importedRunStart({ id: layout.runUid, kind: 'tensorboard', runPath: layout.runDir, started: decoded.wallTime }));
      runDone = true;
    }
    const { tags, values: numbers, count } = decoded;
    if (count === 0) return;
    const values: Record<string, MetricValue> = {};
    for (let i = 0; i < count; i++) values[layout.prefix === '' ? tags[i]! : layout.prefix + tags[i]!] = toMetricValue(numbers[i]!);
    const metrics: MetricsEvent = { t: 'metrics', values };
    if (Number.isSafeInteger(decoded.step)) metrics.step = decoded.step;
    if (Number.isFinite(decoded.wallTime)) metrics.time = decoded.wallTime;
    events.push(metrics);
  }, (issue) => problems.push(problem(input.relPath, null, issue.message)));

  const state: TfeventsState = { framing: framing.state };
  if (runDone) state.runDone = true;
  return {
    batches: events.length ? [{ runUid: layout.runUid, events }] : [],
    consumed: framing.consumed,
    lines: 0,
    state,
    problems: capProblems(problems, input.relPath),
  };
}
