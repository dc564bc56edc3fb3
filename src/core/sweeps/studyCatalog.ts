/**
 * The studies of the index, assembled when asked (in the store worker) from what sources stated —
 * Optuna storages, KerasTuner projects, Hydra multiruns (tables `studies`, `study_trials`) — and
 * from runs that point at each other: MLflow child runs (`mlflow.parentRunId`, at any depth: a
 * child with children of its own is a study too) and runs started with a sweep name
 * (`exptrack.sweep`). Deleted runs are no trials. The runs come from the run catalog, so a study
 * costs no reading of its runs beyond what the Runs view already keeps.
 */
import type { Database } from 'sql.js';
import { metricValueToNumber, type MetricValue } from '../../shared/runEvents';
import type { RunStatus } from '../../shared/runEvents';
import type { RunSummary, SourceProblem } from '../../shared/runTypes';
import {
  emptyCounts, type Direction, type Objective, type ObjectiveChoice, type ObjectiveOrigin, type ParamDistribution, type StudyKind,
  type StudySummary, type TrialState, type TrialSummary,
} from '../../shared/sweepTypes';
import { isPlainObject } from '../ingest/readers/common/jsonValue';
import { restoredDistributions } from './distributions';
import type { RunRecord } from '../runs/runRecord';
import { bestTrials, kerasTunerObjective, sharedMetricObjective } from './objectives';

export const SWEEP_TAG = 'exptrack.sweep';
export const PARENT_RUN_TAG = 'mlflow.parentRunId';

/** What a study's sources stated, merged (see writeStudies). */
export interface StudyInfo {
  directions?: Direction[];
  objectiveNames?: string[];
  tuner?: string;
  /** KerasTuner's search space. */
  space?: Record<string, ParamDistribution>;
  /** KerasTuner ≥ 1.4.5: trial id → number. */
  numbers?: Record<string, number>;
  deleted?: boolean;
}

/** What a source stated about one trial. */
export interface TrialInfo {
  distributions?: Record<string, ParamDistribution>;
  trialId?: string;
  scoreMatches?: string[];
  metricDirections?: Record<string, string>;
  bracket?: number;
  round?: number;
  continues?: string;
}

/** A trial with the run it is and what its study's sources said of it. */
export interface StudyMember {
  record: RunRecord;
  info: TrialInfo;
  /** The objective values its source stated (Optuna's values, KerasTuner's score). */
  stated: (number | null)[];
  trial: TrialSummary;
}

export interface AssembledStudy {
  summary: StudySummary;
  info: StudyInfo;
  members: StudyMember[];
}

interface StatedTrial {
  runUid: string;
  studyUid: string;
  number: number | null;
  state: TrialState | null;
  values: (number | null)[] | null;
  info: TrialInfo;
}

interface StudyHead {
  uid: string;
  name: string;
  kind: StudyKind;
  path: string;
  info: StudyInfo;
  parentRun?: RunRecord;
  trials: { record: RunRecord; stated?: StatedTrial }[];
}

/** Every study with at least one trial that is not deleted, by experiment then name. */
export function assembleStudies(db: Database, records: readonly RunRecord[], choices: Readonly<Record<string, ObjectiveChoice>> = {}): AssembledStudy[] {
  const byUid = new Map(records.map((r) => [r.summary.uid, r]));
  const heads = new Map<string, StudyHead>();
  for (const row of db.exec('SELECT uid, name, kind, path, info FROM studies ORDER BY info IS NULL, source_id')[0]?.values ?? []) {
    const uid = String(row[0]);
    const info = parseJson(row[4]) as StudyInfo;
    if (info.space) info.space = restoredDistributions(info.space);
    const head = heads.get(uid);
    // Rows with details come first, and what an earlier row said stands.
    if (head) head.info = { ...info, ...head.info };
    else heads.set(uid, { uid, name: String(row[1]), kind: String(row[2]) as StudyKind, path: String(row[3]), info: { ...info }, trials: [] });
  }
  for (const t of statedTrials(db)) {
    const record = byUid.get(t.runUid);
    const head = heads.get(t.studyUid);
    if (record && head) head.trials.push({ record, stated: t });
  }
  for (const r of records) {
    const parent = r.tags.get(PARENT_RUN_TAG);
    const parentRecord = parent === undefined ? undefined : byUid.get(`mlflow:${parent.trim()}`);
    if (parentRecord) {
      const uid = `nested:${parentRecord.summary.uid}`;
      let head = heads.get(uid);
      if (!head) {
        const path = parentRecord.summary.sourcePath ?? parentRecord.summary.uid;
        heads.set(uid, (head = { uid, name: parentRecord.summary.name, kind: 'mlflow', path, info: {}, parentRun: parentRecord, trials: [] }));
      }
      head.trials.push({ record: r });
    }
    const sweep = r.tags.get(SWEEP_TAG)?.trim();
    if (sweep) {
      const uid = `sweep:${sweep}`;
      let head = heads.get(uid);
      if (!head) heads.set(uid, (head = { uid, name: sweep, kind: 'sweep', path: sweep, info: {}, trials: [] }));
      head.trials.push({ record: r });
    }
  }
  const studies: AssembledStudy[] = [];
  for (const head of heads.values()) {
    if (head.info.deleted || head.trials.length === 0) continue;
    studies.push(assemble(head, choices[head.uid]));
  }
  return studies.sort((a, b) => a.summary.experiment.localeCompare(b.summary.experiment) || a.summary.name.localeCompare(b.summary.name) || a.summary.uid.localeCompare(b.summary.uid));
}

function statedTrials(db: Database): StatedTrial[] {
  const out: StatedTrial[] = [];
  for (const row of db.exec('SELECT r.uid, t.study_uid, t.number, t.state, t.vals, t.info FROM study_trials t JOIN runs r ON r.id = t.run_id')[0]?.values ?? []) {
    const vals = parseJson(row[4]);
    out.push({
      runUid: String(row[0]), studyUid: String(row[1]), number: row[2] === null ? null : Number(row[2]),
      state: row[3] === null ? null : (String(row[3]) as TrialState),
      values: Array.isArray(vals) ? vals.map((v) => (v === null ? null : metricValueToNumber(v as MetricValue))) : null,
      info: trialInfo(row[5]),
    });
  }
  return out;
}

function trialInfo(raw: unknown): TrialInfo {
  const info = parseJson(raw) as TrialInfo;
  if (info.distributions) info.distributions = restoredDistributions(info.distributions);
  return info;
}

function assemble(head: StudyHead, choice: ObjectiveChoice | undefined): AssembledStudy {
  const members = numbered(head).map(({ record, stated, number }): StudyMember => ({
    record,
    info: stated?.info ?? {},
    stated: stated?.values ?? [],
    trial: { uid: record.summary.uid, number, state: stated?.state ?? stateOfRun(record.summary.status), values: [] },
  }));
  const { objectives, origin, valuesOf } = objectiveOf(head, members, choice);
  for (const m of members) {
    m.trial.values = valuesOf(m);
    if (m.info.bracket !== undefined) m.trial.bracket = m.info.bracket;
    if (m.info.round !== undefined) m.trial.round = m.info.round;
    if (m.info.continues !== undefined) m.trial.continues = m.info.continues;
  }
  const counts = emptyCounts();
  for (const m of members) counts[m.trial.state]++;
  const trials = members.map((m) => m.trial);
  const summary: StudySummary = {
    uid: head.uid, name: head.name, kind: head.kind, path: head.path,
    experiment: head.parentRun?.summary.experiment ?? mostCommon(members.map((m) => m.record.summary.experiment)),
    objectives, objectiveOrigin: origin, counts, trials, best: bestTrials(trials, objectives.map((o) => o.direction)),
  };
  if (head.info.tuner) summary.tuner = head.info.tuner;
  if (head.parentRun) summary.parentRun = head.parentRun.summary.uid;
  return { summary, info: head.info, members };
}

/**
 * Trials in number order. Numbers come from the files where they say them (Optuna, KerasTuner's
 * decimal ids and its display numbers, Hydra's job numbers); otherwise trials are numbered in
 * the order they ran (Hyperband: bracket by bracket, round by round; else by start time).
 */
function numbered(head: StudyHead): { record: RunRecord; stated?: StatedTrial; number: number }[] {
  const given = (t: StudyHead['trials'][number]) => {
    const id = t.stated?.info.trialId;
    return (id !== undefined ? head.info.numbers?.[id] : undefined) ?? t.stated?.number ?? null;
  };
  const withNumber = head.trials.map((t) => ({ ...t, number: given(t) }));
  const missing = withNumber.filter((t) => t.number === null).sort((a, b) => ranOrder(a, b));
  let next = Math.max(-1, ...withNumber.map((t) => t.number ?? -1)) + 1;
  for (const t of missing) t.number = next++;
  return (withNumber as { record: RunRecord; stated?: StatedTrial; number: number }[]).sort((a, b) => a.number - b.number || ranOrder(a, b));
}

function ranOrder(a: { record: RunRecord; stated?: StatedTrial }, b: { record: RunRecord; stated?: StatedTrial }): number {
  const ia = a.stated?.info ?? {};
  const ib = b.stated?.info ?? {};
  return (ib.bracket ?? 0) - (ia.bracket ?? 0) || (ia.round ?? 0) - (ib.round ?? 0)
    || (a.record.summary.started ?? 0) - (b.record.summary.started ?? 0) || (ia.trialId ?? a.record.summary.uid).localeCompare(ib.trialId ?? b.record.summary.uid);
}

/** The objectives and how each trial's values are read: stated (Optuna), chosen, or inferred. */
function objectiveOf(head: StudyHead, members: readonly StudyMember[], choice: ObjectiveChoice | undefined) {
  const lastOf = (name: string) => (m: StudyMember) => [metricLast(m.record, name)];
  if (head.kind === 'optuna') {
    const directions = head.info.directions ?? ['minimize'];
    const names = head.info.objectiveNames ?? directions.map((_, i) => (directions.length === 1 ? 'value' : `values_${i}`));
    return { objectives: directions.map((direction, i): Objective => ({ name: names[i] ?? `values_${i}`, direction })), origin: 'stated' as ObjectiveOrigin, valuesOf: (m: StudyMember) => padded(m.stated, directions.length) };
  }
  if (choice) return { objectives: [choice], origin: 'chosen' as ObjectiveOrigin, valuesOf: lastOf(choice.name) };
  if (head.kind === 'keras-tuner') {
    const objective = kerasTunerObjective(members.map((m) => ({ scoreMatches: m.info.scoreMatches, directions: m.info.metricDirections })));
    if (objective) return { objectives: [objective], origin: 'inferred' as ObjectiveOrigin, valuesOf: (m: StudyMember) => padded(m.stated, 1) };
  }
  const objective = sharedMetricObjective(
    members.map((m) => ({ state: m.trial.state, metrics: lastValues(m.record) })),
    head.parentRun ? lastValues(head.parentRun) : undefined,
  );
  if (objective) return { objectives: [objective], origin: 'inferred' as ObjectiveOrigin, valuesOf: lastOf(objective.name) };
  return { objectives: [] as Objective[], origin: 'none' as ObjectiveOrigin, valuesOf: () => [] };
}

function padded(values: readonly (number | null)[], n: number): (number | null)[] {
  return Array.from({ length: n }, (_, i) => values[i] ?? null);
}

function metricLast(r: RunRecord, name: string): number | null {
  const m = r.metrics.get(name);
  return m === undefined ? null : m.last;
}

function lastValues(r: RunRecord): Map<string, number> {
  return new Map([...r.metrics].map(([k, m]) => [k, m.last]));
}

/** A trial's state from its run's status, for studies whose files state none. */
export function stateOfRun(status: RunSummary['status']): TrialState {
  const states: Record<RunStatus | 'unknown', TrialState> = { finished: 'complete', failed: 'failed', killed: 'pruned', running: 'running', scheduled: 'waiting', unknown: 'running' };
  return states[status];
}

/** Problems a study shows only as a whole: a KerasTuner project without its oracle.json. */
export function studyProblems(studies: readonly AssembledStudy[]): SourceProblem[] {
  const out: SourceProblem[] = [];
  for (const s of studies) {
    if (s.summary.kind !== 'keras-tuner' || s.info.space !== undefined) continue;
    const first = s.members.find((m) => m.info.trialId !== undefined);
    out.push({
      path: first ? `${s.summary.path}/trial_${first.info.trialId}/trial.json` : s.summary.path,
      line: null,
      severity: 'warning',
      message: `KerasTuner project "${s.summary.name}" has no oracle.json: its ${s.members.length} trials are shown, but its search space and tuner are unknown`,
    });
  }
  return out;
}

function mostCommon(values: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best = '';
  let n = -1;
  for (const [v, c] of counts) if (c > n) [best, n] = [v, c];
  return best;
}

function parseJson(v: unknown): unknown {
  if (v === null || v === undefined) return {};
  try {
    const parsed: unknown = JSON.parse(String(v));
    return isPlainObject(parsed) || Array.isArray(parsed) ? parsed : {};
  } catch {
    return {};
  }
}
