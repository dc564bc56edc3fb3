/** Readable defaults for a captured run: its name and its experiment. */
import * as path from 'node:path';
import type { TrainingCommand } from './argvParams';

const MAX_PARAMS_IN_NAME = 3;

/** e.g. `train lr=0.05 epochs=3` for `python train.py --lr 0.05 --epochs 3`; undefined when nothing names it. */
export function defaultRunName(training: TrainingCommand | undefined): string | undefined {
  const base = training?.script ? path.basename(training.script).replace(/\.py$/, '') : training?.module;
  if (!base) return undefined;
  const params = Object.entries(training?.params ?? {})
    .slice(0, MAX_PARAMS_IN_NAME)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
  return [base, ...params].join(' ');
}

/**
 * The experiment of a captured run when none is configured (`exptrack.experiment` empty): the name
 * of the folder holding the script, or of the working folder for a `-m` module run.
 */
export function defaultExperiment(training: TrainingCommand | undefined, cwd: string): string | undefined {
  if (!training) return undefined;
  const folder = training.script ? path.dirname(path.resolve(cwd, training.script)) : cwd;
  return path.basename(folder) || undefined;
}
