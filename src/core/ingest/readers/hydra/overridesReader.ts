/**
 * Reads a Hydra multirun job's `.hydra/overrides.yaml` (a YAML list of `key=value` strings, as on
 * the command line): the job as a run whose parameters are its overrides, and as a trial of its
 * sweep. The job's `hydra.yaml` beside it names the task (the run's experiment) and the launcher;
 * Hydra writes no end and no objective, so a job's state is its run's, and its metrics come from
 * the loggers that wrote inside its folder.
 */
import * as path from 'node:path';
import type { SourceProblem } from '../../../../shared/runTypes';
import { parseParamValue } from '../../../capture/paramValue';
import { problem, type ReadInput, type ReadOutput, type SourceReader } from '../../sourceReader';
import { isPlainObject } from '../common/jsonValue';
import { creationSeconds, importedRunStart } from '../common/runIdentity';
import { parseYamlList } from '../common/yamlFile';
import { readYamlQuietly } from '../mlflow/mlflowSiblings';
import { hydraRunUid, hydraStudyUid, isJobOverrides, jobNumber, parentDir, sweepName } from './hydraPaths';

export const hydraOverridesReader: SourceReader = {
  id: 'hydra-overrides@1',
  wholeFile: true,
  matches: isJobOverrides,
  read: readOverrides,
};

function readOverrides(input: ReadInput): ReadOutput {
  const done = { consumed: input.bytes.length, lines: 0, batches: [] };
  const problems: SourceProblem[] = [];
  const list = parseYamlList(input.bytes, input.relPath, problems);
  if (!list) return { ...done, problems };
  const jobDir = parentDir(parentDir(input.relPath));
  const sweepDir = parentDir(jobDir);
  const jobDirAbs = path.dirname(path.dirname(input.path));
  const hydra = readYamlQuietly(path.join(jobDirAbs, '.hydra', 'hydra.yaml'))?.hydra;
  const job = isPlainObject(hydra) && isPlainObject(hydra.job) ? hydra.job : {};
  const task = typeof job.name === 'string' && job.name !== '' ? job.name : undefined;
  const number = typeof job.num === 'number' ? job.num : jobNumber(jobDir);

  const params: Record<string, unknown> = {};
  list.forEach((item, i) => {
    const override = typeof item === 'string' ? parseOverride(item) : undefined;
    if (override === undefined) problems.push(problem(input.relPath, i + 1, `not a key=value override: ${JSON.stringify(item).slice(0, 80)}`, 'info'));
    else if (override !== null) params[override.key] = override.value;
  });
  const uid = hydraRunUid(jobDir);
  const name = sweepName(sweepDir);
  const start = importedRunStart({
    id: uid, kind: 'hydra', runPath: jobDir, started: creationSeconds(jobDirAbs), name: `${task ?? 'job'} #${number}`, experiment: task ?? parentDir(sweepDir),
  });
  const info: Record<string, unknown> = {};
  if (isPlainObject(hydra)) {
    const runtime = isPlainObject(hydra.runtime) ? hydra.runtime : {};
    if (typeof runtime.version === 'string') info.hydraVersion = runtime.version;
    if (isPlainObject(runtime.choices) && typeof runtime.choices['hydra/launcher'] === 'string') info.launcher = runtime.choices['hydra/launcher'];
    if (isPlainObject(runtime.choices) && typeof runtime.choices['hydra/sweeper'] === 'string') info.tuner = runtime.choices['hydra/sweeper'];
  }
  return {
    ...done,
    batches: [{ runUid: uid, events: Object.keys(params).length ? [start, { t: 'params', values: params as Record<string, never> }] : [start], runDir: jobDir }],
    problems,
    studies: [{ uid: hydraStudyUid(sweepDir), name: task ? `${task} ${name}` : name, kind: 'hydra', path: sweepDir, info }],
    trials: [{ studyUid: hydraStudyUid(sweepDir), runUid: uid, number }],
  };
}

/**
 * One override as Hydra's grammar has it: `key=value`, `+key=value` (add), `++key=value` (add or
 * replace), `~key` (delete: null, no parameter). Values typed as command-line values; quotes dropped.
 */
export function parseOverride(text: string): { key: string; value: unknown } | null | undefined {
  if (text.startsWith('~')) return null;
  const eq = text.indexOf('=');
  if (eq <= 0) return undefined;
  const key = text.slice(0, eq).replace(/^\+{1,2}/, '').trim();
  if (key === '') return undefined;
  const raw = text.slice(eq + 1).trim();
  const quoted = /^(['"])(.*)\1$/s.exec(raw);
  if (quoted) return { key, value: quoted[2] };
  if (raw === 'null') return { key, value: null };
  return { key, value: parseParamValue(raw) };
}
