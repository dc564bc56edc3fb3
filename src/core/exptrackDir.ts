/**
 * The on-disk layout of `<workspace>/.exptrack/` as capture, notebooks, the MLflow pull and the
 * registry write it: `runs/<run-id>/events.jsonl`, `stdout.log` and `code.patch`.
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
 * Creates `<root>/.exptrack/` (and `runs/`) if missing, and its `.gitignore` if absent, so the
 * derived database never gets committed while the run logs and the registry can be.
 * An existing `.gitignore` is left as the user edited it. Returns the `.exptrack` path.
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
  const dir = exptrackDir;
  fs.mkdirSync(runsDir(dir), { recursive: true });
  const gitignore = path.join(dir, '.gitignore');
  try {
    // 'wx' fails when the file exists: two processes starting at once cannot both write it.
    fs.writeFileSync(gitignore, EXPTRACK_GITIGNORE_LINES.join('\n') + '\n', { flag: 'wx' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
}
