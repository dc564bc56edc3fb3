/**
 * One study in full, for the Sweep panel and `exptrack sweeps show`: its trials with names and
 * times, each parameter with its distribution (stated by Optuna per trial or by KerasTuner's space,
 * else inferred from the values) and values, and the parameters' importance for one objective.
 */
import type { StudyDetail, StudyImportance, StudyParam } from '../../shared/sweepTypes';
import type { ParamDistribution } from '../../shared/sweepTypes';
import { INTERMEDIATE_KEY } from '../ingest/readers/optuna/optunaTrials';
import { inferDistribution, internalValue } from './distributions';
import { pedAnovaImportance, type ImportanceTrial } from './importance/pedAnova';
import type { AssembledStudy, StudyMember } from './studyCatalog';

export function studyDetail(study: AssembledStudy, importanceObjective = 0): StudyDetail {
  const { summary, members } = study;
  const names = [...new Set(members.flatMap((m) => [...m.record.params.keys()]))].sort();
  const params: StudyParam[] = names.map((name) => {
    const values = members.map((m) => m.record.params.get(name));
    const stated = [...members].reverse().find((m) => m.info.distributions?.[name])?.info.distributions?.[name] ?? study.info.space?.[name];
    const distribution = stated ?? inferDistribution(values) ?? { kind: 'categorical', choices: [] };
    return { name, distribution, inferred: stated === undefined, values };
  });
  const { trials: _trials, ...rest } = summary;
  return {
    ...rest,
    trials: members.map((m) => ({ ...m.trial, name: m.record.summary.name, started: m.record.summary.started, ended: m.record.summary.ended })),
    params,
    importance: importanceOf(study, params, importanceObjective),
    curveKey: curveKeyOf(study),
    metricKeys: [...new Set(members.flatMap((m) => [...m.record.metrics.keys()]))].sort(),
  };
}

function importanceOf(study: AssembledStudy, params: readonly StudyParam[], objective: number): StudyDetail['importance'] {
  const direction = study.summary.objectives[objective]?.direction;
  if (direction === undefined) return study.summary.objectives.length ? { objective, reason: `the study has no objective ${objective}` } : null;
  const byName = new Map(params.map((p) => [p.name, p]));
  const trials: ImportanceTrial[] = [];
  for (const m of study.members) {
    const value = m.trial.values[objective];
    if (m.trial.state !== 'complete' || value === null || value === undefined) continue;
    trials.push({ value, params: trialParams(m, byName, study.info.space) });
  }
  const result = pedAnovaImportance(trials, direction);
  if (!result.ok) return { objective, reason: result.reason };
  const importance: StudyImportance = { objective, method: 'ped-anova', params: result.params, trialsUsed: result.trialsUsed };
  return importance;
}

/** Each parameter of a trial with the distribution it was drawn from and its internal value. */
function trialParams(m: StudyMember, params: ReadonlyMap<string, StudyParam>, space: Record<string, ParamDistribution> | undefined) {
  const out = new Map<string, { distribution: ParamDistribution; value: number }>();
  for (const [name, raw] of m.record.params) {
    const distribution = m.info.distributions?.[name] ?? space?.[name] ?? params.get(name)?.distribution;
    const value = distribution && internalValue(distribution, raw);
    if (distribution && value !== undefined) out.set(name, { distribution, value });
  }
  return out;
}

/** Optuna's intermediate values, else the single objective's metric when trials log it more than once. */
function curveKeyOf(study: AssembledStudy): string | null {
  if (study.members.some((m) => m.record.metrics.has(INTERMEDIATE_KEY))) return INTERMEDIATE_KEY;
  const objective = study.summary.objectives.length === 1 ? study.summary.objectives[0]!.name : undefined;
  if (objective && study.members.some((m) => (m.record.metrics.get(objective)?.count ?? 0) > 1)) return objective;
  return null;
}
