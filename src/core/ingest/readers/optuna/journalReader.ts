/**
 * Reads an Optuna JournalFileStorage log as it grows: one JSON operation per line, replayed the way
 * Optuna's own `JournalStorageReplayResult` does. Ids are implicit: a study's id is the order of
 * the first CREATE_STUDY of its name (a name already in use is ignored), a trial's id the order of
 * CREATE_TRIAL lines of existing studies, its number the order within its study. Updates to a
 * finished trial are ignored, as Optuna ignores them. The replay state is kept between reads, so a
 * growing journal costs only its new lines.
 *
 * The file name is the user's choice: a `.log`, `.jsonl` or `.journal` file whose name says
 * `optuna` or `journal` is tried, and its first line decides (a line without `op_code` and
 * `worker_id` makes it someone else's log, passed over in silence).
 */
import { numberToMetricValue, type RunEvent } from '../../../../shared/runEvents';
import type { SourceProblem } from '../../../../shared/runTypes';
import type { ParamDistribution } from '../../../../shared/sweepTypes';
import { optunaDistribution, externalValue } from '../../../sweeps/distributions';
import { problem, type ReadInput, type ReadOutput, type RegistryRecord, type SourceReader, type StudyRecord, type TrialRecord } from '../../sourceReader';
import { capProblems } from '../common/fileProblems';
import { isPlainObject } from '../common/jsonValue';
import { isoSeconds } from '../common/isoTime';
import { parsePythonJson } from '../common/lenientJson';
import { baseName } from '../common/runIdentity';
import { forEachCompleteLine } from '../jsonLines';
import { RunBatches } from '../common/runBatches';
import {
  attrText, direction, INTERMEDIATE_KEY, isFinished, objectiveNames, studyUid, trialEnd, trialStart, trialState, trialUid, trialValues,
} from './optunaTrials';

const JOURNAL_NAME = /(?:optuna|journal)[^/]*\.(?:log|jsonl|journal)$/i;

/** Optuna's JournalOperation codes. */
const OP = {
  CREATE_STUDY: 0, DELETE_STUDY: 1, SET_STUDY_USER_ATTR: 2, SET_STUDY_SYSTEM_ATTR: 3, CREATE_TRIAL: 4, SET_TRIAL_PARAM: 5,
  SET_TRIAL_STATE_VALUES: 6, SET_TRIAL_INTERMEDIATE_VALUE: 7, SET_TRIAL_USER_ATTR: 8, SET_TRIAL_SYSTEM_ATTR: 9, DISCARD_TRIALS: 10,
} as const;

interface StudyState {
  name: string;
  objectives: number;
  deleted?: boolean;
  /** Trials created so far (the next trial's number). */
  count: number;
  metricNames?: string[];
}

/** The replay so far, carried between reads (JSON). */
interface JournalState {
  studies: StudyState[];
  /** By trial id: [study id, number, state (Optuna's number: 0 running … 4 waiting)]. */
  trials: [number, number, number][];
  foreign?: boolean;
  checked?: boolean;
  lines?: unknown;
}

export const optunaJournalReader: SourceReader = {
  id: 'optuna-journal@1',
  wholeFile: false,
  matches: (relPath) => JOURNAL_NAME.test(baseName(relPath)),
  read: readJournal,
};

function readJournal(input: ReadInput): ReadOutput {
  const prior = input.state as JournalState | undefined;
  const state: JournalState = prior ? { ...prior, studies: prior.studies.map((s) => ({ ...s })), trials: [...prior.trials] } : { studies: [], trials: [] };
  const problems: SourceProblem[] = [];
  const replay = new JournalReplay(input.relPath, state, problems);
  const result = forEachCompleteLine({ ...input, state: state.lines }, problems, (text, line) => {
    if (state.foreign) return;
    const parsed = parsePythonJson(text);
    const op = parsed.ok && isPlainObject(parsed.value) ? parsed.value : undefined;
    if (!state.checked) {
      state.checked = true;
      if (!op || typeof op.op_code !== 'number' || typeof op.worker_id !== 'string') {
        state.foreign = true;
        return;
      }
    }
    if (!parsed.ok) {
      problems.push(problem(input.relPath, line, `not a JSON operation (a line cut short?): skipped; ${parsed.message}`));
      return;
    }
    if (!op || typeof op.op_code !== 'number') {
      problems.push(problem(input.relPath, line, 'a line without "op_code": skipped'));
      return;
    }
    replay.apply(op, line);
  });
  const out: JournalState = { ...state };
  if (result.state) out.lines = result.state;
  else delete out.lines;
  return {
    batches: replay.batches.list(),
    consumed: result.consumed,
    lines: result.lines,
    state: out,
    problems: capProblems(problems, input.relPath),
    studies: replay.studies,
    trials: replay.trials,
    registry: replay.registry,
  };
}

class JournalReplay {
  readonly batches = new RunBatches();
  readonly studies: StudyRecord[] = [];
  readonly trials: TrialRecord[] = [];
  readonly registry: RegistryRecord[] = [];

  constructor(private readonly storage: string, private readonly state: JournalState, private readonly problems: SourceProblem[]) {}

  apply(op: Record<string, unknown>, line: number): void {
    switch (op.op_code) {
      case OP.CREATE_STUDY:
        return this.createStudy(op);
      case OP.DELETE_STUDY:
        return this.deleteStudy(op);
      case OP.SET_STUDY_USER_ATTR:
      case OP.SET_STUDY_SYSTEM_ATTR:
        return this.studyAttr(op, op.op_code === OP.SET_STUDY_USER_ATTR ? 'user_attr' : 'system_attr');
      case OP.CREATE_TRIAL:
        return this.createTrial(op, line);
      case OP.SET_TRIAL_PARAM:
        return this.setParam(op, line);
      case OP.SET_TRIAL_STATE_VALUES:
        return this.setStateValues(op);
      case OP.SET_TRIAL_INTERMEDIATE_VALUE:
        return this.setIntermediate(op);
      case OP.SET_TRIAL_USER_ATTR:
        return this.setUserAttr(op);
      case OP.SET_TRIAL_SYSTEM_ATTR:
      case OP.DISCARD_TRIALS:
        return;
      default:
        this.problems.push(problem(this.storage, line, `unknown Optuna journal operation ${String(op.op_code)}: skipped`, 'info'));
    }
  }

  private study(id: unknown): StudyState | undefined {
    const s = typeof id === 'number' ? this.state.studies[id] : undefined;
    return s && !s.deleted ? s : undefined;
  }

  /** A trial that exists and is not finished: Optuna ignores updates to any other. */
  private updatable(id: unknown): { studyId: number; number: number; study: StudyState } | undefined {
    const t = typeof id === 'number' ? this.state.trials[id] : undefined;
    const study = t && this.study(t[0]);
    if (!t || !study || isFinished(trialState(t[2])!)) return undefined;
    return { studyId: t[0], number: t[1], study };
  }

  private createStudy(op: Record<string, unknown>): void {
    const name = typeof op.study_name === 'string' ? op.study_name : undefined;
    if (name === undefined || this.state.studies.some((s) => !s.deleted && s.name === name)) return;
    const directions = Array.isArray(op.directions) ? op.directions.map(direction) : ['minimize' as const];
    const id = this.state.studies.length;
    this.state.studies.push({ name, objectives: directions.length, count: 0 });
    this.studies.push(this.record(id, { directions }));
  }

  private deleteStudy(op: Record<string, unknown>): void {
    const s = this.study(op.study_id);
    if (!s) return;
    const id = op.study_id as number;
    s.deleted = true;
    this.studies.push(this.record(id, { deleted: true }));
    // Its trials leave the Runs view as runs deleted in MLflow do.
    for (const [studyId, number] of this.state.trials) {
      if (studyId !== id) continue;
      const run = trialUid(this.storage, id, number);
      const hideId = `optuna-deleted:${run}`;
      this.registry.push({ id: hideId, time: 0, type: 'run.delete', json: JSON.stringify({ id: hideId, time: 0, actor: 'optuna', t: 'run.delete', run }) });
    }
  }

  private studyAttr(op: Record<string, unknown>, field: 'user_attr' | 'system_attr'): void {
    const s = this.study(op.study_id);
    const attr = op[field];
    if (!s || !isPlainObject(attr)) return;
    if (field === 'system_attr') {
      if (!('study:metric_names' in attr)) return;
      s.metricNames = objectiveNames(s.objectives, attr['study:metric_names']);
      this.studies.push(this.record(op.study_id as number, { objectiveNames: s.metricNames }));
      return;
    }
    this.studies.push(this.record(op.study_id as number, { userAttrs: attr }));
  }

  private record(id: number, info: Record<string, unknown>): StudyRecord {
    return { uid: studyUid(this.storage, id), name: this.state.studies[id]!.name, kind: 'optuna', path: this.storage, info: { storage: 'journal', ...info } };
  }

  private names(s: StudyState): string[] {
    return s.metricNames ?? objectiveNames(s.objectives, undefined);
  }

  private createTrial(op: Record<string, unknown>, line: number): void {
    const study = this.study(op.study_id);
    if (!study) return;
    const studyId = op.study_id as number;
    const number = study.count++;
    const code = typeof op.state === 'number' && trialState(op.state) ? op.state : 0;
    const state = trialState(code)!;
    this.state.trials.push([studyId, number, code]);
    const uid = trialUid(this.storage, studyId, number);
    const started = isoSeconds(op.datetime_start);
    const events: RunEvent[] = [trialStart(this.storage, studyId, study.name, number, started)];
    // A trial made from a template (enqueue_trial, add_trial) arrives whole.
    const dists: Record<string, ParamDistribution> = {};
    const params: Record<string, unknown> = {};
    if (isPlainObject(op.distributions) && isPlainObject(op.params)) {
      for (const [name, internal] of Object.entries(op.params)) {
        const d = optunaDistribution(op.distributions[name]);
        if (!d || typeof internal !== 'number') {
          this.problems.push(problem(this.storage, line, `parameter "${name}" without a readable distribution: skipped`));
          continue;
        }
        dists[name] = d;
        params[name] = externalValue(d, internal);
      }
    }
    if (Object.keys(params).length) events.push({ t: 'params', values: params as Record<string, never> });
    if (isPlainObject(op.intermediate_values)) {
      for (const [step, v] of Object.entries(op.intermediate_values)) {
        if (typeof v === 'number' && /^-?\d+$/.test(step)) events.push({ t: 'metrics', step: Number(step), values: { [INTERMEDIATE_KEY]: numberToMetricValue(v) } });
      }
    }
    if (isPlainObject(op.user_attrs)) for (const [k, v] of Object.entries(op.user_attrs)) events.push({ t: 'tag', key: k, value: attrText(v) });
    const values = trialValues(Array.isArray(op.values) ? op.values : typeof op.value === 'number' ? [op.value] : null, this.names(study));
    if (values?.event) events.push(values.event);
    const end = trialEnd(state, isoSeconds(op.datetime_complete), started);
    if (end) events.push(end);
    this.batches.add(uid, events);
    this.trials.push({ studyUid: studyUid(this.storage, studyId), runUid: uid, number, state, values: values?.record, info: Object.keys(dists).length ? { distributions: dists } : undefined });
  }

  private setParam(op: Record<string, unknown>, line: number): void {
    const t = this.updatable(op.trial_id);
    if (!t || typeof op.param_name !== 'string' || typeof op.param_value_internal !== 'number') return;
    const d = optunaDistribution(op.distribution);
    if (!d) {
      this.problems.push(problem(this.storage, line, `parameter "${op.param_name}" with an unreadable distribution: skipped`));
      return;
    }
    const uid = trialUid(this.storage, t.studyId, t.number);
    this.batches.add(uid, [{ t: 'params', values: { [op.param_name]: externalValue(d, op.param_value_internal) as never } }]);
    this.trials.push({ studyUid: studyUid(this.storage, t.studyId), runUid: uid, info: { distributions: { [op.param_name]: d } } });
  }

  private setStateValues(op: Record<string, unknown>): void {
    const t = this.updatable(op.trial_id);
    const state = trialState(op.state);
    if (!t || !state || typeof op.state !== 'number') return;
    const entry = this.state.trials[op.trial_id as number]!;
    // Optuna rejects RUNNING for a trial already running (another worker took it first).
    if (state === 'running' && entry[2] === 0) return;
    entry[2] = op.state;
    const uid = trialUid(this.storage, t.studyId, t.number);
    const events: RunEvent[] = [];
    if (state === 'running' && op.datetime_start !== undefined) {
      events.push(trialStart(this.storage, t.studyId, t.study.name, t.number, isoSeconds(op.datetime_start)));
    }
    const values = trialValues(op.values, this.names(t.study));
    if (values?.event) events.push(values.event);
    if (isFinished(state)) {
      const end = trialEnd(state, isoSeconds(op.datetime_complete), undefined);
      if (end) events.push(end);
    }
    this.batches.add(uid, events);
    this.trials.push({ studyUid: studyUid(this.storage, t.studyId), runUid: uid, state, values: values?.record });
  }

  private setIntermediate(op: Record<string, unknown>): void {
    const t = this.updatable(op.trial_id);
    if (!t || typeof op.step !== 'number' || !Number.isInteger(op.step) || typeof op.intermediate_value !== 'number') return;
    this.batches.add(trialUid(this.storage, t.studyId, t.number), [{ t: 'metrics', step: op.step, values: { [INTERMEDIATE_KEY]: numberToMetricValue(op.intermediate_value) } }]);
  }

  private setUserAttr(op: Record<string, unknown>): void {
    const t = this.updatable(op.trial_id);
    if (!t || !isPlainObject(op.user_attr)) return;
    this.batches.add(trialUid(this.storage, t.studyId, t.number), Object.entries(op.user_attr).map(([k, v]): RunEvent => ({ t: 'tag', key: k, value: attrText(v) })));
  }
}
