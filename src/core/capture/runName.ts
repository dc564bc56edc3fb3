/** A readable default name for a captured run: the script and the first few parameters given. */
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
