/**
 * The on-disk layout of `<workspace>/.exptrack/` as capture, notebooks, the MLflow pull and the
 * registry write it: `runs/<run-id>/events.jsonl`, `stdout.log` and `code.patch`. Every writer
 * creates the folder through ensureExptrackFolder, so its `.gitignore` is always the first file in it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const EXPTRACK_DIR_NAME = '.exptrack';

/** Lines of the `.gitignore` written into a new `.exptrack/`: the derived database and temp files. */
export const EXPTRACK_GITIGNORE_LINES: readonly string[] = ['exptrack.sqlite*', '*.tmp', 'mlflow-sync.json*', 'mlflow-sync.lock', 'claims/', 'notebook-runs.json'];

/** The directory holding all runs' directories. */
export function runsDir(exptrackDir: string): string {
  return path.join(exptrackDir, 'runs');
}

/** The directory of one run. */
export function runDir(exptrackDir: string, runId: string): string {
  return path.join(runsDir(exptrackDir), runId);
}

/** The run's append-only event log. */
export function eventsPath(exptrackDir: string, runId: string): string {
  return path.join(runDir(exptrackDir, runId), 'events.jsonl');
}

/** The run's captured stdout + stderr. */
export function stdoutPath(exptrackDir: string, runId: string): string {
  return path.join(runDir(exptrackDir, runId), 'stdout.log');
}

/** The uncommitted diff of the working tree at the start of the run. */
export function codePatchPath(exptrackDir: string, runId: string): string {
  return path.join(runDir(exptrackDir, runId), 'code.patch');
}

/**
 * `.gitattributes` written beside the registry: a union merge keeps both branches' appended events
 * (their ids make a line that both sides carry count once), so merging never conflicts on it.
 */
export const EXPTRACK_GITATTRIBUTES_LINES: readonly string[] = ['registry.jsonl merge=union'];

/** Why `.exptrack/` cannot be made or written, in words a person can act on. */
export class ExptrackDirError extends Error {}

/** Whether `<root>/.exptrack/` exists as a folder. */
export function hasExptrackDir(root: string): boolean {
  return isDirectory(path.join(root, EXPTRACK_DIR_NAME));
}

/**
 * Creates `<root>/.exptrack/` (and `runs/`) if missing, its `.gitignore` before anything else in
 * it, so the derived database never gets committed while the run logs and the registry can be,
 * and the registry's `.gitattributes`. Files the user already has are left as they are.
 * Throws ExptrackDirError when the folder cannot be made. Returns the `.exptrack` path.
 */
export function ensureExptrackDir(root: string): string {
  const dir = path.join(root, EXPTRACK_DIR_NAME);
  ensureExptrackLayout(dir);
  return dir;
}

/**
 * Like {@link ensureExptrackDir}, for an ExpTrack directory given by its own path (it may live
 * elsewhere than `<root>/.exptrack` when configured so).
 */
export function ensureExptrackLayout(exptrackDir: string): void {
  ensureExptrackFolder(exptrackDir);
  mkdirOrExplain(runsDir(exptrackDir), exptrackDir, true);
}

/**
 * The `.exptrack` folder itself, its `.gitignore` written first and, when the folder is new, the
 * registry's `.gitattributes`. Only the last path segment is created: a workspace folder that was
 * deleted or renamed is not brought back by a write into it (ExptrackDirError says what happened).
 */
export function ensureExptrackFolder(exptrackDir: string): void {
  const created = mkdirOrExplain(exptrackDir, path.dirname(exptrackDir), false);
  writeIgnoreFile(exptrackDir);
  if (created) writeRegistryAttributes(exptrackDir);
}

/** The `.gitignore` of an existing `.exptrack/`, written if it is missing (before the index is saved there). */
export function writeIgnoreFile(exptrackDir: string): void {
  writeNewFile(path.join(exptrackDir, '.gitignore'), EXPTRACK_GITIGNORE_LINES, exptrackDir);
}

/** Writes the `.gitattributes` beside a registry file that is about to be created, unless one exists. */
export function writeRegistryAttributes(exptrackDir: string): void {
  writeNewFile(path.join(exptrackDir, '.gitattributes'), EXPTRACK_GITATTRIBUTES_LINES, exptrackDir);
}

function writeNewFile(file: string, lines: readonly string[], exptrackDir: string): void {
  try {
    // 'wx' fails when the file exists: two processes starting at once cannot both write it.
    fs.writeFileSync(file, lines.join('\n') + '\n', { flag: 'wx' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw explain(e, exptrackDir);
  }
}

/** Returns whether the folder was created now. */
function mkdirOrExplain(dir: string, parent: string, recursive: boolean): boolean {
  try {
    if (recursive) return fs.mkdirSync(dir, { recursive }) !== undefined;
    fs.mkdirSync(dir);
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' && isDirectory(dir)) return false;
    throw explain(e, code === 'ENOENT' ? parent : dir);
  }
}

function explain(e: unknown, where: string): ExptrackDirError {
  const err = e as NodeJS.ErrnoException;
  const reasons: Record<string, string> = {
    EROFS: `${where} is on a read-only file system`,
    EACCES: `there is no permission to write in ${where}`,
    EPERM: `there is no permission to write in ${where}`,
    ENOENT: `the folder ${where} does not exist (deleted or renamed?)`,
    EEXIST: `${where} exists and is not a folder`,
    ENOTDIR: `${where} exists and is not a folder`,
    ENOSPC: `the disk holding ${where} is full`,
  };
  const why = err.code && reasons[err.code] ? `${reasons[err.code]} (${err.code})` : `${where}: ${err.message}`;
  return new ExptrackDirError(`cannot write ExpTrack's folder: ${why}`);
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}
