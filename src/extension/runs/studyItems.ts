/**
 * How studies and their trials look in the Runs view: a study with its counts per state and its
 * best value (or the size of its Pareto front), a trial with its number, objective values and state,
 * the best one starred. Labels and tooltips are set as text: names come from files anyone can write.
 */
import * as vscode from 'vscode';
import { bestText, trialValuesText } from '../../shared/sweepText';
import { countsText, type StudySummary, type TrialState } from '../../shared/sweepTypes';
import type { PlacedStudy, PlacedTrial } from './studyLayout';

const KIND_LABELS: Record<StudySummary['kind'], string> = {
  optuna: 'Optuna study', 'keras-tuner': 'KerasTuner project', mlflow: 'MLflow parent run', hydra: 'Hydra multirun', sweep: 'sweep',
};

const STATE_ICONS: Record<TrialState, [string, string | undefined]> = {
  complete: ['pass', 'testing.iconPassed'],
  pruned: ['arrow-circle-down', 'testing.iconSkipped'],
  failed: ['error', 'testing.iconFailed'],
  running: ['sync~spin', 'charts.blue'],
  waiting: ['clock', undefined],
};

export function studyItem(p: PlacedStudy): vscode.TreeItem {
  const { study } = p;
  const item = new vscode.TreeItem(study.name, vscode.TreeItemCollapsibleState.Collapsed);
  item.id = `study:${study.uid}`;
  item.description = [countsText(study.counts), bestText(study)].filter(Boolean).join(' · ');
  item.iconPath = new vscode.ThemeIcon('graph-scatter');
  const objective = study.objectives.length
    ? `${study.objectives.map((o) => `${o.name} (${o.direction})`).join(', ')}${study.objectiveOrigin === 'inferred' ? ' — inferred' : study.objectiveOrigin === 'chosen' ? ' — chosen' : ''}`
    : 'no objective (choose one in the Sweep panel)';
  const tooltip = new vscode.MarkdownString(undefined, true);
  tooltip.appendText(`${study.name}\n\n${KIND_LABELS[study.kind]}${study.tuner ? ` · ${study.tuner}` : ''} · ${study.path}\n\nobjective: ${objective}\n\n${countsText(study.counts)}`);
  const best = bestText(study);
  if (best) tooltip.appendText(`\n\n${best}`);
  item.tooltip = tooltip;
  // Words for the context menu's `when` clauses: a parent run is a run too.
  item.contextValue = p.parent ? ['run', p.parent.status, p.parent.hidden ? 'hidden' : '', 'study'].filter(Boolean).join(' ') : 'study';
  item.accessibilityInformation = { label: `${KIND_LABELS[study.kind]} ${study.name}, ${countsText(study.counts)}${best ? `, ${best}` : ''}` };
  return item;
}

/** A trial's label is its number and the part of its run's name that is not the study's. */
export function trialLabel(t: PlacedTrial): string {
  const name = t.run.name.startsWith(`${t.study.name} `) ? t.run.name.slice(t.study.name.length + 1) : t.run.name;
  return name === `#${t.trial.number}` ? name : `#${t.trial.number} ${name}`;
}

/** Dresses a run's tree item as a trial: number, values, state, the best one starred. */
export function asTrialItem(item: vscode.TreeItem, t: PlacedTrial): vscode.TreeItem {
  const values = trialValuesText(t.study, t.trial.values);
  const parts = [t.best ? (t.study.objectives.length > 1 ? '★ Pareto front' : '★ best') : '', values, t.trial.state === 'complete' ? '' : t.trial.state];
  if (t.trial.bracket !== undefined) parts.push(`bracket ${t.trial.bracket} round ${t.trial.round ?? 0}`);
  item.label = trialLabel(t);
  item.description = parts.filter(Boolean).join(' · ');
  const [icon, color] = t.best ? ['star-full', 'charts.yellow'] : STATE_ICONS[t.trial.state];
  item.iconPath = new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
  item.accessibilityInformation = { label: `trial ${t.trial.number} of ${t.study.name}, ${t.trial.state}${values ? `, ${values}` : ''}${t.best ? ', best trial' : ''}` };
  if (item.tooltip instanceof vscode.MarkdownString) {
    item.tooltip.appendMarkdown('\n\n');
    item.tooltip.appendText(`trial ${t.trial.number} of ${t.study.name} · ${t.trial.state}${values ? ` · ${values}` : ''}${t.trial.continues ? ` · continues ${t.trial.continues}` : ''}`);
  }
  return item;
}
