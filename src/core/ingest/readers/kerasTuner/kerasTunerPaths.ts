/**
 * A KerasTuner project folder (`<directory>/<project_name>/`): `oracle.json` (the search space and
 * the tuner's state), `tuner0.json`, and one `trial_<id>/trial.json` per trial. Trial ids are 32
 * hex characters (KerasTuner ≤ 1.1.0) or zero-padded decimals (`00`, `000`: 1.1.1 and later).
 */
import { baseName, parentDir } from '../common/runIdentity';

const TRIAL_FILE = /(?:^|\/)trial_([^/]+)\/trial\.json$/;
const DECIMAL_ID = /^\d+$/;

export function isOracleFile(relPath: string): boolean {
  return relPath.endsWith('oracle.json') && baseName(relPath) === 'oracle.json';
}

export function isTrialFile(relPath: string): boolean {
  return relPath.endsWith('/trial.json') && TRIAL_FILE.test(relPath);
}

/** The project folder of a trial file (`…/project/trial_07/trial.json` → `…/project`). */
export function projectOfTrial(relPath: string): string {
  return parentDir(parentDir(relPath));
}

export function trialIdOfPath(relPath: string): string {
  return TRIAL_FILE.exec(relPath)?.[1] ?? '';
}

export function kerasTunerStudyUid(projectDir: string): string {
  return `kt:${projectDir}`;
}

export function kerasTunerTrialUid(projectDir: string, trialId: string): string {
  return `kt:${projectDir}/${trialId}`;
}

/** A decimal trial id is the trial's number (`07` → 7); hex ids carry none. */
export function numberOfTrialId(trialId: string): number | undefined {
  return DECIMAL_ID.test(trialId) ? Number(trialId) : undefined;
}

/** The study's name (the project's) and the experiment it belongs to (KerasTuner's `directory`). */
export function kerasTunerNames(projectDir: string): { name: string; experiment: string } {
  return { name: baseName(projectDir) || projectDir || '.', experiment: parentDir(projectDir) || baseName(projectDir) || '.' };
}
