/**
 * Hyperparameter searches as ExpTrack shows them: a study (Optuna's word; a KerasTuner project, an
 * MLflow parent run, a Hydra multirun, runs started with one sweep name) made of trials, each trial
 * a run of the index. Used by the store, the CLI, the Runs view and the Sweep panel.
 */

export const TRIAL_STATES = ['complete', 'pruned', 'failed', 'running', 'waiting'] as const;
export type TrialState = (typeof TRIAL_STATES)[number];

/** Where a study comes from. */
export const STUDY_KINDS = ['optuna', 'keras-tuner', 'mlflow', 'hydra', 'sweep'] as const;
export type StudyKind = (typeof STUDY_KINDS)[number];

export type Direction = 'minimize' | 'maximize';

export interface Objective {
  /** The metric it is (KerasTuner, MLflow, Hydra, sweeps) or Optuna's name for it (`value`, `values_1`, or set_metric_names). */
  name: string;
  direction: Direction;
}

/**
 * How the objective is known: `stated` by the tool (Optuna), `inferred` (KerasTuner's score matched
 * to a metric; the metric all trials share), `chosen` by the user, or `none` (no best trial then).
 */
export type ObjectiveOrigin = 'stated' | 'inferred' | 'chosen' | 'none';

/** An objective a user picked for a study that states none (the Sweep panel, `--objective`). */
export interface ObjectiveChoice {
  name: string;
  direction: Direction;
}

export interface TrialSummary {
  /** The trial's run. */
  uid: string;
  /** Its number in the study, from 0 (KerasTuner's decimal trial ids keep their number). */
  number: number;
  state: TrialState;
  /** One value per objective (NaN and ±Infinity kept); null where the trial has none. */
  values: (number | null)[];
  /** Hyperband: the bracket and round of the trial, and the trial it continues (a uid). */
  bracket?: number;
  round?: number;
  continues?: string;
}

export type TrialCounts = Record<TrialState, number>;

export interface StudySummary {
  uid: string;
  name: string;
  kind: StudyKind;
  /** The file or folder the study is read from, workspace-relative. */
  path: string;
  /** The experiment its trials belong to (where the Runs view shows it). */
  experiment: string;
  objectives: Objective[];
  objectiveOrigin: ObjectiveOrigin;
  /** The search algorithm when the files say it (KerasTuner: Hyperband, BayesianOptimization, RandomSearch). */
  tuner?: string;
  /** MLflow nested runs: the parent run, itself a run of the index. */
  parentRun?: string;
  counts: TrialCounts;
  /** Ordered by number. */
  trials: TrialSummary[];
  /** The best trial by the objective and its direction, or with several objectives the Pareto front (uids). */
  best: string[];
}

/** How a parameter's values are spread, for importance and the axes of the Sweep panel. */
export type ParamDistribution =
  | { kind: 'float'; low: number; high: number; log: boolean; step: number | null }
  | { kind: 'int'; low: number; high: number; log: boolean; step: number }
  | { kind: 'categorical'; choices: unknown[] };

export interface ParamImportance {
  name: string;
  /** Share of the importance, the values summing to 1 as Optuna normalises them. */
  importance: number;
}

export interface StudyImportance {
  /** The objective (index) the importance is for. */
  objective: number;
  /** PED-ANOVA, Optuna's default evaluator (see src/core/sweeps/importance). */
  method: 'ped-anova';
  params: ParamImportance[];
  /** Complete trials with finite values that the importance is computed from. */
  trialsUsed: number;
}

export interface StudyParam {
  name: string;
  /** As the study states it (Optuna, KerasTuner) or as inferred from the values seen. */
  distribution: ParamDistribution;
  inferred: boolean;
  /** One value per trial, in the order of StudyDetail.trials (undefined when the trial has none). */
  values: unknown[];
}

export interface TrialDetail extends TrialSummary {
  name: string;
  started: number | null;
  ended: number | null;
}

export interface StudyDetail extends Omit<StudySummary, 'trials'> {
  trials: TrialDetail[];
  params: StudyParam[];
  /** null with a reason when it cannot be computed (too few complete trials, no objective, no parameters). */
  importance: StudyImportance | { objective: number; reason: string } | null;
  /** The metric whose points are each trial's curve: Optuna's intermediate values, else the objective's series. */
  curveKey: string | null;
  /** Every metric the trials logged (what an objective can be chosen from). */
  metricKeys: string[];
}

export function emptyCounts(): TrialCounts {
  return { complete: 0, pruned: 0, failed: 0, running: 0, waiting: 0 };
}

/** "58 complete · 98 pruned · 1 failed", leaving out states no trial is in. */
export function countsText(counts: TrialCounts): string {
  return TRIAL_STATES.filter((s) => counts[s] > 0).map((s) => `${counts[s]} ${s}`).join(' · ') || 'no trials';
}
