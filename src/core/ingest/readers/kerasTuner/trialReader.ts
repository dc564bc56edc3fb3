/**
 * Reads a KerasTuner `trial_<id>/trial.json` (rewritten whole by the tuner as the trial goes): the
 * trial as a run with its hyperparameters, metrics and status, and as a trial of the project's study
 * with its score. The files never say which metric the score is (the objective): the metrics whose
 * value equals the score are kept with the trial, and the study finds the objective from them
 * (src/core/sweeps). Hyperband's bookkeeping values (`tuner/bracket`, `tuner/round`,
 * `tuner/trial_id` of the trial a promoted one continues) become the trial's bracket, round and link.
 *
 * KerasTuner ≥ 1.4.5 writes `Infinity` and `NaN` as Python does (not JSON): they are read as numbers.
 */
import { numberToMetricValue, type MetricValue, type RunEvent } from '../../../../shared/runEvents';
import type { SourceProblem } from '../../../../shared/runTypes';
import type { TrialState } from '../../../../shared/sweepTypes';
import { problem, type ReadInput, type ReadOutput, type SourceReader, type TrialRecord } from '../../sourceReader';
import { unusableTextProblem } from '../common/fileProblems';
import { isPlainObject, toJsonValue } from '../common/jsonValue';
import { parsePythonJson } from '../common/lenientJson';
import { creationSeconds, importedRunStart, parentDir } from '../common/runIdentity';
import {
  isTrialFile, kerasTunerNames, kerasTunerStudyUid, kerasTunerTrialUid, numberOfTrialId, projectOfTrial, trialIdOfPath,
} from './kerasTunerPaths';

/** KerasTuner's TrialStatus; STOPPED is a trial the tuner ended early. */
const STATES: Record<string, TrialState> = { COMPLETED: 'complete', RUNNING: 'running', IDLE: 'waiting', STOPPED: 'pruned', INVALID: 'failed', FAILED: 'failed' };
const RUN_END = { complete: 'finished', pruned: 'killed', failed: 'failed' } as const;
const TUNER_PREFIX = 'tuner/';

export const kerasTunerTrialReader: SourceReader = {
  id: 'keras-tuner-trial@1',
  wholeFile: true,
  matches: isTrialFile,
  read: readTrial,
};

function readTrial(input: ReadInput): ReadOutput {
  const done = { consumed: input.bytes.length, lines: 0, batches: [] };
  const unusable = unusableTextProblem(input.relPath, input.bytes);
  if (unusable) return { ...done, problems: [unusable] };
  const parsed = parsePythonJson(input.bytes.toString('utf8'));
  if (!parsed.ok) return { ...done, problems: [problem(input.relPath, parsed.line, `not JSON: ${parsed.message}`)] };
  const trial = parsed.value;
  if (!isPlainObject(trial) || !isPlainObject(trial.hyperparameters)) {
    return { ...done, problems: [problem(input.relPath, 1, 'not a KerasTuner trial (no "hyperparameters"): skipped')] };
  }
  const problems: SourceProblem[] = [];
  if (parsed.pythonTokens) problems.push(problem(input.relPath, 1, 'Infinity or NaN written as Python does (not JSON): read as numbers', 'info'));

  const project = projectOfTrial(input.relPath);
  const trialId = typeof trial.trial_id === 'string' && trial.trial_id !== '' ? trial.trial_id : trialIdOfPath(input.relPath);
  const uid = kerasTunerTrialUid(project, trialId);
  const names = kerasTunerNames(project);
  const stateText = typeof trial.status === 'string' ? trial.status : '';
  const state = STATES[stateText] ?? 'running';
  if (!(stateText in STATES)) problems.push(problem(input.relPath, 1, `unknown trial status ${JSON.stringify(trial.status)}: shown as running`, 'info'));

  const started = creationSeconds(parentDir(input.path));
  const events: RunEvent[] = [importedRunStart({
    id: uid, kind: 'keras-tuner', runPath: parentDir(input.relPath), started, name: `${names.name} trial_${trialId}`, experiment: names.experiment,
  })];
  const values = isPlainObject(trial.hyperparameters.values) ? trial.hyperparameters.values : {};
  const params = Object.fromEntries(Object.entries(values).filter(([k]) => !k.startsWith(TUNER_PREFIX)).map(([k, v]) => [k, toJsonValue(v)]));
  if (Object.keys(params).length) events.push({ t: 'params', values: params });

  const metrics = readMetrics(trial.metrics, input.relPath, problems);
  events.push(...metrics.events);
  const score = typeof trial.score === 'number' ? trial.score : null;
  if (score !== null) events.push({ t: 'metrics', values: { score: numberToMetricValue(score) } });
  const end = state in RUN_END ? RUN_END[state as keyof typeof RUN_END] : undefined;
  if (end) events.push({ t: 'end', status: end, ended: started });

  const info: Record<string, unknown> = { trialId, metricDirections: metrics.directions };
  // The metrics equal to the score: the objective is among them.
  if (score !== null) info.scoreMatches = Object.entries(metrics.last).filter(([, v]) => sameNumber(v, score)).map(([k]) => k);
  const bracket = values['tuner/bracket'];
  const round = values['tuner/round'];
  if (typeof bracket === 'number') info.bracket = bracket;
  if (typeof round === 'number') info.round = round;
  if (typeof values['tuner/trial_id'] === 'string') info.continues = kerasTunerTrialUid(project, values['tuner/trial_id']);
  const record: TrialRecord = { studyUid: kerasTunerStudyUid(project), runUid: uid, state, values: [score === null ? null : numberToMetricValue(score)], info };
  const number = numberOfTrialId(trialId);
  if (number !== undefined) record.number = number;
  return {
    ...done,
    batches: [{ runUid: uid, events, runDir: parentDir(input.relPath) }],
    problems,
    studies: [{ uid: kerasTunerStudyUid(project), name: names.name, kind: 'keras-tuner', path: project }],
    trials: [record],
  };
}

/**
 * `metrics.metrics.<name>`: `{direction, observations: [{value: [x], step}]}` (a one-element list;
 * a bare number in the oldest files). Each observation is a point; the last one is the metric's value.
 */
function readMetrics(raw: unknown, relPath: string, problems: SourceProblem[]) {
  const events: RunEvent[] = [];
  const last: Record<string, number> = {};
  const directions: Record<string, 'min' | 'max'> = {};
  const tracker = isPlainObject(raw) && isPlainObject(raw.metrics) ? raw.metrics : {};
  for (const [name, history] of Object.entries(tracker)) {
    if (!isPlainObject(history)) continue;
    if (history.direction === 'min' || history.direction === 'max') directions[name] = history.direction;
    const observations = Array.isArray(history.observations) ? history.observations : [];
    for (const o of observations) {
      const value = isPlainObject(o) ? (Array.isArray(o.value) ? o.value[o.value.length - 1] : o.value) : undefined;
      if (typeof value !== 'number') {
        problems.push(problem(relPath, 1, `metric "${name}" has an observation without a number: skipped`));
        continue;
      }
      const step = isPlainObject(o) && typeof o.step === 'number' && Number.isInteger(o.step) ? o.step : undefined;
      const values: Record<string, MetricValue> = { [name]: numberToMetricValue(value) };
      events.push(step === undefined ? { t: 'metrics', values } : { t: 'metrics', step, values });
      last[name] = value;
    }
  }
  return { events, last, directions };
}

function sameNumber(a: number, b: number): boolean {
  return a === b || (Number.isNaN(a) && Number.isNaN(b));
}
