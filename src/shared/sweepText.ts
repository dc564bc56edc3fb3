/** How a study reads as text, the same in the Runs view, the Runs table and the Sweep panel's pickers. */
import { formatMetricValue } from './format';
import { countsText, type StudySummary } from './sweepTypes';

/** The objective values of a trial, `val_loss=0.25` or `MAE=1.1 RMSE=1.7`. */
export function trialValuesText(study: StudySummary, values: readonly (number | null)[]): string {
  return study.objectives.map((o, i) => (values[i] === null || values[i] === undefined ? '' : `${o.name}=${formatMetricValue(values[i]!)}`)).filter(Boolean).join(' ');
}

/** What the best is: `best #12 val_loss=0.25`, or `Pareto front: 3 trials`. */
export function bestText(study: StudySummary): string {
  if (study.best.length === 0) return '';
  if (study.objectives.length > 1) return `Pareto front: ${study.best.length} trial${study.best.length === 1 ? '' : 's'}`;
  const t = study.trials.find((x) => x.uid === study.best[0]);
  return t ? `best #${t.number} ${trialValuesText(study, t.values)}` : '';
}

/** A study as one line: `tune · 10 complete · 2 failed · best #10 value=0.505`. */
export function studyLine(study: StudySummary): string {
  return [study.name, countsText(study.counts), bestText(study)].filter(Boolean).join(' · ');
}
