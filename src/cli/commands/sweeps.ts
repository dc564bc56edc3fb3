/**
 * `exptrack sweeps [--json]`: the hyperparameter studies of the workspace — name, source,
 * objectives and directions, trials per state, the best trial (or the Pareto front) with its values
 * and parameters. `exptrack sweeps show NAME [--json] [--objective KEY[:min|max]] [--importance-objective N]`:
 * one study's trials, parameter importance and Pareto front.
 */
import { parseArgs, UsageError } from '../args';
import { formatProblem, type CliContext, type CliIo } from '../cliContext';
import { formatMetricValue, formatParamValue, jsonReplacer } from '../../shared/format';
import { countsText, type ObjectiveChoice, type StudyDetail, type StudySummary } from '../../shared/sweepTypes';
import type { Store } from '../../core/store/store';
import { settledIngest } from '../settledIngest';
import { renderTable } from '../table';

export async function sweepsCommand(args: string[], io: CliIo, ctx: CliContext): Promise<number> {
  const a = parseArgs(args, { flags: ['json', 'no-ingest'], options: ['objective', 'importance-objective'] });
  const [sub, name, ...extra] = a.positionals;
  if (sub !== undefined && sub !== 'show') throw new UsageError(`sweeps takes no argument "${sub}" (did you mean: sweeps show ${sub}?)`);
  if (sub === 'show' && name === undefined) throw new UsageError('sweeps show needs a study name or id');
  if (extra.length) throw new UsageError(`unexpected argument "${extra[0]}"`);
  const choice = parseObjective(a.options.get('objective'));
  const objectiveText = a.options.get('importance-objective');
  if (objectiveText !== undefined && !/^\d+$/.test(objectiveText)) throw new UsageError(`--importance-objective needs an objective number (0, 1, …), not "${objectiveText}"`);
  const store = await ctx.openStore();
  try {
    if (!a.flags.has('no-ingest')) {
      const report = await settledIngest(store);
      store.save();
      for (const p of report.problems.filter((x) => x.severity !== 'info')) io.stderr(formatProblem(p) + '\n');
    }
    if (sub === undefined) return list(store, a.flags.has('json'), io);
    const studies = store.listStudies();
    const found = findStudies(studies, name!);
    if (found.length !== 1) {
      io.stderr(found.length === 0 ? `no study matches "${name}"\n` : `"${name}" matches ${found.length} studies; give one of their ids: ${found.map((s) => s.uid).join(', ')}\n`);
      return 1;
    }
    const detail = store.studyDetail(found[0]!.uid, { choice, objective: objectiveText === undefined ? 0 : Number(objectiveText) })!;
    if (a.flags.has('json')) io.stdout(JSON.stringify(detail, jsonReplacer, 2) + '\n');
    else io.stdout(showText(detail));
    return 0;
  } finally {
    store.close();
  }
}

function list(store: Store, json: boolean, io: CliIo): number {
  const studies = store.listStudies();
  const rows = studies.map((s) => ({
    uid: s.uid, name: s.name, source: s.kind, path: s.path, experiment: s.experiment, objectives: s.objectives, objectiveOrigin: s.objectiveOrigin,
    directions: s.objectives.map((o) => o.direction), trials: s.counts, total: s.trials.length,
    best: s.best.map((uid) => {
      const t = s.trials.find((x) => x.uid === uid)!;
      return { uid, number: t.number, values: t.values, params: store.getRun(uid)?.params ?? {} };
    }),
  }));
  if (json) {
    io.stdout(JSON.stringify(rows, jsonReplacer, 2) + '\n');
    return 0;
  }
  io.stdout(renderTable(['NAME', 'SOURCE', 'OBJECTIVE', 'TRIALS', 'BEST'], rows.map((r, i) => [
    r.name, r.source, objectiveText(studies[i]!), countsText(r.trials), bestCell(studies[i]!, r.best),
  ])));
  return 0;
}

function objectiveText(s: StudySummary): string {
  if (s.objectives.length === 0) return '(none)';
  return s.objectives.map((o) => `${o.name} ${o.direction === 'maximize' ? 'max' : 'min'}`).join(', ') + (s.objectiveOrigin === 'inferred' ? ' (inferred)' : '');
}

function bestCell(s: StudySummary, best: { uid: string; number: number; values: (number | null)[]; params: Record<string, unknown> }[]): string {
  if (best.length === 0) return '';
  if (best.length > 1) return `Pareto front of ${best.length}: ${best.map((b) => `#${b.number}`).join(' ')}`;
  const b = best[0]!;
  const params = Object.entries(b.params).map(([k, v]) => `${k}=${formatParamValue(v)}`).join(' ');
  return `#${b.number} ${s.objectives.map((o, i) => `${o.name}=${valueText(b.values[i])}`).join(' ')}  ${params}`;
}

function showText(d: StudyDetail): string {
  const lines = [
    `study      ${d.uid}`,
    `name       ${d.name}`,
    `source     ${d.kind}${d.tuner ? ` (${d.tuner})` : ''} ${d.path}`,
    `objective  ${d.objectives.length ? d.objectives.map((o) => `${o.name} (${o.direction})`).join(', ') : '(none: give one with --objective KEY:min|max)'}${d.objectiveOrigin === 'inferred' ? ', inferred' : d.objectiveOrigin === 'chosen' ? ', chosen' : ''}`,
    `trials     ${d.trials.length}: ${countsText(d.counts)}`,
  ];
  const best = d.trials.filter((t) => d.best.includes(t.uid));
  if (best.length) lines.push(`${d.objectives.length > 1 ? 'pareto    ' : 'best      '} ${best.map((t) => `#${t.number}`).join(' ')}`);
  let out = lines.join('\n') + '\n';
  if (d.importance && 'params' in d.importance) {
    out += `\nparameter importance (${d.objectives[d.importance.objective]?.name}, PED-ANOVA over ${d.importance.trialsUsed} complete trials)\n`;
    out += renderTable(['PARAMETER', 'IMPORTANCE'], d.importance.params.map((p) => [p.name, p.importance.toFixed(4)]));
  } else if (d.importance) {
    out += `\nparameter importance: ${d.importance.reason}\n`;
  }
  const params = d.params.map((p) => p.name);
  out += '\n' + renderTable(
    ['#', 'STATE', ...d.objectives.map((o) => o.name.toUpperCase()), ...params, ''],
    d.trials.map((t, i) => [
      String(t.number), t.state, ...d.objectives.map((_, k) => valueText(t.values[k])),
      ...d.params.map((p) => (p.values[i] === undefined ? '' : formatParamValue(p.values[i]))), d.best.includes(t.uid) ? '*' : '',
    ]),
  );
  return out;
}

function valueText(v: number | null | undefined): string {
  return v === null || v === undefined ? '' : formatMetricValue(v);
}

/** A study by id, by id prefix, or by name. */
function findStudies(studies: readonly StudySummary[], query: string): StudySummary[] {
  const exact = studies.filter((s) => s.uid === query);
  if (exact.length) return exact;
  const named = studies.filter((s) => s.name === query);
  return named.length ? named : studies.filter((s) => s.uid.startsWith(query));
}

function parseObjective(text: string | undefined): ObjectiveChoice | undefined {
  if (text === undefined) return undefined;
  const m = /^(.*?)(?::(min|max|minimize|maximize))?$/.exec(text)!;
  if (m[1]!.trim() === '') throw new UsageError(`--objective takes KEY or KEY:min / KEY:max, not "${text}"`);
  return { name: m[1]!, direction: m[2]?.startsWith('max') ? 'maximize' : 'minimize' };
}
