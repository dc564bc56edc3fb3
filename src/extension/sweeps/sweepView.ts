/**
 * A study as the Sweep panel receives it (src/shared/protocol/sweep.ts): values per objective as
 * float64 columns in trial order, parameter values as numbers or text. Plain data, no VS Code.
 */
import type { SweepView } from '../../shared/protocol/sweep';
import type { ObjectiveChoice, StudyDetail } from '../../shared/sweepTypes';

export function sweepView(d: StudyDetail, choice: ObjectiveChoice | undefined): SweepView {
  return {
    uid: d.uid, name: d.name, kind: d.kind, path: d.path, experiment: d.experiment, tuner: d.tuner ?? null,
    objectives: d.objectives, objectiveOrigin: d.objectiveOrigin, choice: choice ?? null, counts: d.counts, best: d.best,
    trials: d.trials.map((t) => ({
      uid: t.uid, name: t.name, number: t.number, state: t.state, bracket: t.bracket ?? null, round: t.round ?? null, continues: t.continues ?? null,
    })),
    values: d.objectives.map((_, i) => Float64Array.from(d.trials, (t) => t.values[i] ?? NaN)),
    params: d.params.map((p) => ({
      name: p.name,
      kind: p.distribution.kind,
      log: p.distribution.kind !== 'categorical' && p.distribution.log,
      inferred: p.inferred,
      values: p.values.map(paramCell),
    })),
    importance: d.importance,
    metricKeys: d.metricKeys,
    curveKey: d.curveKey,
  };
}

function paramCell(v: unknown): number | string | null {
  if (v === undefined || v === null) return null;
  if (typeof v === 'number') return Number.isFinite(v) ? v : String(v);
  return typeof v === 'string' ? v : JSON.stringify(v);
}
