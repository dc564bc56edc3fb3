/**
 * Where the Runs view puts each run once studies are known: a trial under its study, a study
 * under its experiment, an MLflow parent run as the node of its study (with its children below,
 * a child that is a parent itself nesting its own study), every other run loose in its experiment.
 * Only the runs shown (under a filter, the matching ones) are placed; a study none of whose trials
 * is shown is left out. Plain data, no VS Code: unit-tested.
 */
import type { RunSummary } from '../../shared/runTypes';
import type { StudySummary, TrialSummary } from '../../shared/sweepTypes';

export interface PlacedTrial {
  run: RunSummary;
  trial: TrialSummary;
  study: StudySummary;
  best: boolean;
  /** The study this trial is the MLflow parent run of. */
  nested?: PlacedStudy;
}

export interface PlacedStudy {
  study: StudySummary;
  /** The MLflow parent run the study is (shown as the study's node). */
  parent?: RunSummary;
  trials: PlacedTrial[];
}

export interface ExperimentPlacement {
  studies: PlacedStudy[];
  runs: RunSummary[];
}

export function placeRuns(runs: readonly RunSummary[], studies: readonly StudySummary[]): Map<string, ExperimentPlacement> {
  const shown = new Map(runs.map((r) => [r.uid, r]));
  const byParent = new Map(studies.filter((s) => s.parentRun !== undefined).map((s) => [s.parentRun!, s]));
  const trialOf = new Map<string, StudySummary>();
  for (const s of studies) for (const t of s.trials) if (!trialOf.has(t.uid)) trialOf.set(t.uid, s);
  const placed = new Set<string>();

  const place = (study: StudySummary, seen: ReadonlySet<string>): PlacedStudy | undefined => {
    const best = new Set(study.best);
    const trials: PlacedTrial[] = [];
    for (const trial of study.trials) {
      const run = shown.get(trial.uid);
      if (!run || trialOf.get(trial.uid) !== study) continue;
      const inner = byParent.get(trial.uid);
      const nested = inner && !seen.has(inner.uid) ? place(inner, new Set([...seen, inner.uid])) : undefined;
      trials.push({ run, trial, study, best: best.has(trial.uid), ...(nested ? { nested } : {}) });
      placed.add(trial.uid);
    }
    const parent = study.parentRun === undefined ? undefined : shown.get(study.parentRun);
    if (trials.length === 0 && !parent) return undefined;
    if (parent) placed.add(parent.uid);
    return { study, ...(parent ? { parent } : {}), trials };
  };

  const out = new Map<string, ExperimentPlacement>();
  const bucket = (experiment: string) => {
    let b = out.get(experiment);
    if (!b) out.set(experiment, (b = { studies: [], runs: [] }));
    return b;
  };
  for (const s of studies) {
    // A study whose parent run is a trial of another study is placed inside that one.
    if (s.parentRun !== undefined && trialOf.has(s.parentRun) && shown.has(s.parentRun)) continue;
    const p = place(s, new Set([s.uid]));
    if (p) bucket(s.experiment).studies.push(p);
  }
  for (const r of runs) if (!placed.has(r.uid)) bucket(r.experiment).runs.push(r);
  return out;
}
