/**
 * Hydra multirun folders: `<sweep dir>/<job number>/.hydra/{overrides,config,hydra}.yaml` beside
 * whatever the job wrote, and `<sweep dir>/multirun.yaml` (by default the sweep dir is
 * `multirun/<date>/<time>`). A job is a trial of the sweep's study, its overrides the trial's params.
 */
import { baseName, parentDir } from '../common/runIdentity';

const OVERRIDES_FILE = /(?:^|\/)\d+\/\.hydra\/overrides\.yaml$/;
const JOB_CSV = /(?:^|\/)multirun\/(?:[^/]+\/)*\d+\/[^/]+\.csv$/;

export function isJobOverrides(relPath: string): boolean {
  return relPath.endsWith('/overrides.yaml') && OVERRIDES_FILE.test(relPath);
}

/** A CSV file directly in a job folder under `multirun/` (its metrics; the job folder is checked when read). */
export function isJobCsv(relPath: string): boolean {
  return relPath.endsWith('.csv') && relPath.includes('multirun/') && JOB_CSV.test(relPath);
}

export function hydraRunUid(jobDir: string): string {
  return `hydra:${jobDir}`;
}

export function hydraStudyUid(sweepDir: string): string {
  return `hydra:${sweepDir}`;
}

/** The sweep's name: its folder below `multirun/` (`2022-05-27/21-45-14`), else its own name. */
export function sweepName(sweepDir: string): string {
  const at = sweepDir.lastIndexOf('multirun/');
  return at >= 0 ? sweepDir.slice(at + 'multirun/'.length) || baseName(sweepDir) : baseName(sweepDir) || sweepDir;
}

export function jobNumber(jobDir: string): number {
  return Number(baseName(jobDir));
}

export { parentDir };
