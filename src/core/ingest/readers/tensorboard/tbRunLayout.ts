/**
 * Which run an event file belongs to. Keras writes `<run>/train/` and `<run>/validation/` side by
 * side: the pair is one run and its series are named `train/epoch_loss`, `validation/epoch_loss`.
 * A Lightning `version_N` folder is one run whatever its logger wrote, so event files there join
 * the run of its metrics.csv / hparams.yaml.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { baseName, parentDir } from '../common/runIdentity';
import { isLightningVersionDir, lightningRunUid } from '../lightning/lightningPaths';

export const EVENT_FILE = /^events\.out\.tfevents\.(\d+)\..+$/;
const SPLIT_DIRS = ['train', 'validation'];

export interface TbRunLayout {
  runUid: string;
  /** Workspace-relative folder of the run ('' at the workspace root). */
  runDir: string;
  /** Prefix of this file's series: 'train/', 'validation/' or ''. */
  prefix: string;
}

export function isEventFileName(name: string): boolean {
  return EVENT_FILE.test(name);
}

/** Profiler placeholders hold only the header record: they never start a run. */
export function isProfileEmpty(name: string): boolean {
  return name.endsWith('.profile-empty');
}

export function tbRunLayout(relPath: string): TbRunLayout {
  const dir = parentDir(relPath);
  const split = baseName(dir);
  const paired = dir !== '' && SPLIT_DIRS.includes(split);
  const runDir = paired ? parentDir(dir) : dir;
  const runUid = isLightningVersionDir(runDir) ? lightningRunUid(runDir) : `tb:${runDir || '.'}`;
  return { runUid, runDir, prefix: paired ? `${split}/` : '' };
}

/**
 * Whether `absPath` is the event file that starts its run: the earliest one (by the creation time
 * in its name) in the run folder, then in train/, then in validation/. Only that file emits the
 * run's `run` event, so the run is owned by one source.
 */
export function isFirstFileOfRun(absPath: string, layout: TbRunLayout): boolean {
  const runDirAbs = layout.prefix ? path.dirname(path.dirname(absPath)) : path.dirname(absPath);
  for (const sub of ['', ...SPLIT_DIRS]) {
    const first = earliestEventFile(path.join(runDirAbs, sub));
    if (first) return path.resolve(runDirAbs, sub, first) === path.resolve(absPath);
  }
  return true;
}

function earliestEventFile(dirAbs: string): string | undefined {
  let names: string[];
  try {
    names = fs.readdirSync(dirAbs);
  } catch {
    return undefined;
  }
  let best: { name: string; secs: number } | undefined;
  for (const name of names) {
    const m = EVENT_FILE.exec(name);
    if (!m || isProfileEmpty(name)) continue;
    const secs = Number(m[1]);
    if (!best || secs < best.secs || (secs === best.secs && name < best.name)) best = { name, secs };
  }
  return best?.name;
}
