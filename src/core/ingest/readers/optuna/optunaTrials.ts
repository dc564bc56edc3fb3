/**
 * What the two Optuna storages (journal file, SQLite database) have in common once read: trial
 * states, objective names, and the run events and trial record of a trial. Each trial is a run
 * `optuna:<storage>#<study id>/<number>`; its objective values are metrics named as Optuna's
 * `trials_dataframe` names them (`value`, `values_0`…, or the names given with set_metric_names),
 * its intermediate values the series `intermediate_value`, its user attributes tags.
 */
import { numberToMetricValue, type EndEvent, type MetricValue, type RunEvent } from '../../../../shared/runEvents';
import type { Direction, TrialState } from '../../../../shared/sweepTypes';
import type { ParamDistribution } from '../../../../shared/sweepTypes';
import { importedRunStart } from '../common/runIdentity';

/** Optuna's TrialState numbers, as the journal writes them; the database writes the names. */
const STATES: TrialState[] = ['running', 'complete', 'pruned', 'failed', 'waiting'];
const STATE_NAMES: Record<string, TrialState> = { RUNNING: 'running', COMPLETE: 'complete', PRUNED: 'pruned', FAIL: 'failed', WAITING: 'waiting' };
/** How a finished trial's run ends: a pruned trial was stopped early. */
const RUN_END: Partial<Record<TrialState, EndEvent['status']>> = { complete: 'finished', pruned: 'killed', failed: 'failed' };

export const INTERMEDIATE_KEY = 'intermediate_value';

export function trialState(v: unknown): TrialState | undefined {
  if (typeof v === 'number') return STATES[v];
  return typeof v === 'string' ? STATE_NAMES[v.toUpperCase()] : undefined;
}

export function isFinished(state: TrialState): boolean {
  return state === 'complete' || state === 'pruned' || state === 'failed';
}

/** Optuna's StudyDirection: 1 (or MINIMIZE) minimize, 2 (or MAXIMIZE) maximize; 0 NOT_SET counts as minimize. */
export function direction(v: unknown): Direction {
  return v === 2 || v === 'MAXIMIZE' ? 'maximize' : 'minimize';
}

/** The names of a study's objectives: those given with set_metric_names, else `value` / `values_<i>`. */
export function objectiveNames(count: number, metricNames: unknown): string[] {
  if (Array.isArray(metricNames) && metricNames.length === count && metricNames.every((n) => typeof n === 'string' && n !== '')) return metricNames as string[];
  return count === 1 ? ['value'] : Array.from({ length: count }, (_, i) => `values_${i}`);
}

export function studyUid(storage: string, studyId: number): string {
  return `optuna:${storage}#${studyId}`;
}

export function trialUid(storage: string, studyId: number, number: number): string {
  return `optuna:${storage}#${studyId}/${number}`;
}

/** The `run` event of a trial: named `<study> #<number>`, in the experiment named after the storage file. */
export function trialStart(storage: string, studyId: number, studyName: string, number: number, started: number | undefined): RunEvent {
  return importedRunStart({ id: trialUid(storage, studyId, number), kind: 'optuna', runPath: storage, started: started ?? 0, name: `${studyName} #${number}`, experiment: storage });
}

export function trialEnd(state: TrialState, ended: number | undefined, started: number | undefined): RunEvent | undefined {
  const status = RUN_END[state];
  return status ? { t: 'end', status, ended: ended ?? started ?? 0 } : undefined;
}

/** The objective values as metrics, and as the trial record keeps them (null where absent). */
export function trialValues(values: unknown, names: readonly string[]): { event?: RunEvent; record: (MetricValue | null)[] } | undefined {
  if (!Array.isArray(values)) return undefined;
  const record = values.map((v) => (typeof v === 'number' ? numberToMetricValue(v) : null));
  const metrics: Record<string, MetricValue> = {};
  record.forEach((v, i) => {
    if (v !== null) metrics[names[i] ?? `values_${i}`] = v;
  });
  return { record, event: Object.keys(metrics).length ? { t: 'metrics', values: metrics } : undefined };
}

/** A user attribute as a tag value: text as it is, anything else as JSON. */
export function attrText(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v) ?? String(v);
}

/** Trial details kept with the trial: the distribution each parameter was drawn from. */
export function distributionsInfo(dists: Record<string, ParamDistribution>): Record<string, unknown> {
  return { distributions: dists };
}
