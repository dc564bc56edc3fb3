/**
 * Reads a KerasTuner project's `oracle.json` (rewritten whole after every trial): the search space
 * (`hyperparameters.space`) as the study's parameter distributions, the tuner (told apart by the
 * fields it adds: Hyperband its brackets, BayesianOptimization its `alpha` and `beta`), and from
 * KerasTuner ≥ 1.4.5 the trial numbers it displays. It never states the objective.
 */
import type { SourceProblem } from '../../../../shared/runTypes';
import type { ParamDistribution } from '../../../../shared/sweepTypes';
import { kerasTunerDistribution } from '../../../sweeps/distributions';
import { problem, type ReadInput, type ReadOutput, type SourceReader } from '../../sourceReader';
import { unusableTextProblem } from '../common/fileProblems';
import { isPlainObject } from '../common/jsonValue';
import { parsePythonJson } from '../common/lenientJson';
import { parentDir } from '../common/runIdentity';
import { isOracleFile, kerasTunerNames, kerasTunerStudyUid } from './kerasTunerPaths';

export const kerasTunerOracleReader: SourceReader = {
  id: 'keras-tuner-oracle@1',
  wholeFile: true,
  matches: isOracleFile,
  read: readOracle,
};

function readOracle(input: ReadInput): ReadOutput {
  const done = { consumed: input.bytes.length, lines: 0, batches: [] };
  const unusable = unusableTextProblem(input.relPath, input.bytes);
  if (unusable) return { ...done, problems: [unusable] };
  const parsed = parsePythonJson(input.bytes.toString('utf8'));
  // Someone else's oracle.json: only a KerasTuner oracle has a hyperparameter space.
  if (!parsed.ok || !isPlainObject(parsed.value) || !isPlainObject(parsed.value.hyperparameters)) return { ...done, problems: [] };
  const oracle = parsed.value;
  const hp = oracle.hyperparameters as Record<string, unknown>;
  const problems: SourceProblem[] = [];
  const space: Record<string, ParamDistribution> = {};
  for (const entry of Array.isArray(hp.space) ? hp.space : []) {
    const d = kerasTunerDistribution(entry);
    if (d) space[d.name] = d.distribution;
    else problems.push(problem(input.relPath, 1, `a hyperparameter of an unknown kind: ${JSON.stringify(entry).slice(0, 120)}`, 'info'));
  }
  const project = parentDir(input.relPath);
  const info: Record<string, unknown> = { tuner: tunerOf(oracle), space };
  const display = isPlainObject(oracle.display) ? oracle.display : undefined;
  if (display && isPlainObject(display.trial_number)) {
    // 1-based in KerasTuner's display; numbers here count from 0 as the decimal trial ids do.
    info.numbers = Object.fromEntries(Object.entries(display.trial_number).filter(([, n]) => typeof n === 'number').map(([id, n]) => [id, (n as number) - 1]));
  }
  if (Array.isArray(oracle.start_order)) info.startOrder = oracle.start_order.filter((id) => typeof id === 'string');
  const names = kerasTunerNames(project);
  return { ...done, problems, studies: [{ uid: kerasTunerStudyUid(project), name: names.name, kind: 'keras-tuner', path: project, info }] };
}

/** The tuner, from the fields each adds to the oracle (RandomSearch adds none). */
function tunerOf(oracle: Record<string, unknown>): string {
  if ('brackets' in oracle || 'hyperband_iterations' in oracle) return 'Hyperband';
  if ('alpha' in oracle && 'beta' in oracle) return 'BayesianOptimization';
  if ('num_initial_points' in oracle) return 'BayesianOptimization';
  return 'RandomSearch';
}
