/**
 * `.exptrack/notebook-runs.json`: `{ "<absolute notebook path>": "<run id>" }`, the run that
 * ExpTrack records for each notebook executed in VS Code (the current one, or the latest once it
 * has ended).
 *
 * Two readers depend on it. exptrack.py inside the notebook's kernel, whose environment the
 * extension cannot set, joins the run listed for its notebook instead of starting its own. And the
 * `.ipynb` importer skips the notebooks listed here: their saved outputs are those of runs already
 * recorded cell by cell, and importing them again would count every metric twice.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ensureExptrackFolder } from '../exptrackDir';

export const NOTEBOOK_RUNS_FILE = 'notebook-runs.json';

export function notebookRunsPath(exptrackDir: string): string {
  return path.join(exptrackDir, NOTEBOOK_RUNS_FILE);
}

/** The map as it is on disk; empty when the file is missing or not a JSON object of strings. */
export function readNotebookRuns(exptrackDir: string): Record<string, string> {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(notebookRunsPath(exptrackDir), 'utf8'));
  } catch {
    return {};
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return {};
  const map: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw)) if (typeof value === 'string' && value !== '') map[key] = value;
  return map;
}

/**
 * Sets (or, with null, removes) entries, keeping those that other windows wrote. The file is
 * replaced whole through a temp file and a rename, so a reader never sees half of it.
 * Entries of notebooks that no longer exist are dropped on the way.
 */
export function updateNotebookRuns(exptrackDir: string, changes: Record<string, string | null>): Record<string, string> {
  const map = readNotebookRuns(exptrackDir);
  for (const [notebook, runId] of Object.entries(changes)) {
    if (runId === null) delete map[notebook];
    else map[notebook] = runId;
  }
  for (const notebook of Object.keys(map)) {
    if (!(notebook in changes) && !fs.existsSync(notebook)) delete map[notebook];
  }
  ensureExptrackFolder(exptrackDir);
  const target = notebookRunsPath(exptrackDir);
  const temp = `${target}.${process.pid}.${Date.now()}.tmp`;
  fs.writeFileSync(temp, JSON.stringify(map, null, 1) + '\n');
  fs.renameSync(temp, target);
  return map;
}

/** Whether a notebook (absolute path) is listed, whatever spelling of its path the writer used. */
export function isListedNotebook(map: Record<string, string>, absPath: string): boolean {
  const wanted = path.resolve(absPath);
  return Object.keys(map).some((key) => path.resolve(key) === wanted);
}
