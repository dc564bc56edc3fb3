/**
 * Where a workspace's run index (the derived SQLite file) lives. Opening a folder must not write
 * into it: the index goes into `<workspace>/.exptrack/` only when that folder already exists (runs
 * were recorded there, or the user made it) and can be written; otherwise it lives outside the
 * workspace — the extension's workspace storage, or the CLI's cache folder. A configured path
 * always wins. Every opener (extension, CLI) decides with the same function, so they agree.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EXPTRACK_DIR_NAME, writeIgnoreFile } from '../exptrackDir';
import { seriesDirOf } from './seriesFiles';

export const DATABASE_FILE_NAME = 'exptrack.sqlite';

export type IndexPlace =
  /** `<workspace>/.exptrack/exptrack.sqlite`. */
  | 'workspace'
  /** A folder outside the workspace (workspace storage, the CLI's cache). */
  | 'outside'
  /** A path the user configured (`exptrack.databasePath`, `--db`). */
  | 'configured';

export interface IndexLocation {
  dbPath: string;
  place: IndexPlace;
  /** Why the index is outside although `.exptrack/` exists (it cannot be written). */
  note?: string;
}

export interface IndexLocationInput {
  workspaceRoot: string;
  /** The folder for the index when the workspace has no usable `.exptrack/`. */
  outsideDir: string;
  /** An explicit path (absolute, or relative to the workspace root). */
  configured?: string;
}

export function chooseIndexLocation(input: IndexLocationInput): IndexLocation {
  if (input.configured) return { dbPath: path.resolve(input.workspaceRoot, input.configured), place: 'configured' };
  const exptrackDir = path.join(input.workspaceRoot, EXPTRACK_DIR_NAME);
  const outside = path.join(input.outsideDir, DATABASE_FILE_NAME);
  const state = folderState(exptrackDir);
  if (state === 'missing') return { dbPath: outside, place: 'outside' };
  if (state === 'writable') return { dbPath: path.join(exptrackDir, DATABASE_FILE_NAME), place: 'workspace' };
  return { dbPath: outside, place: 'outside', note: `${exptrackDir} ${state}` };
}

/**
 * The CLI's folder for the index of a workspace without `.exptrack/`:
 * `$XDG_CACHE_HOME/exptrack/<folder name>-<hash of its path>/` (`~/.cache` when unset).
 */
export function cliIndexDir(workspaceRoot: string, env: NodeJS.ProcessEnv = process.env): string {
  const cacheHome = env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : path.join(os.homedir(), '.cache');
  return path.join(cacheHome, 'exptrack', workspaceKey(workspaceRoot));
}

/** A folder name for one workspace: readable, and unique per absolute path. */
export function workspaceKey(workspaceRoot: string): string {
  const abs = path.resolve(workspaceRoot);
  const name = path.basename(abs).replace(/[^\w.-]+/g, '_').slice(0, 40) || 'root';
  return `${name}-${createHash('sha256').update(abs).digest('hex').slice(0, 16)}`;
}

/**
 * Once runs are recorded, `.exptrack/` exists and the next opening puts the index there: the copy
 * kept outside until then moves in (a file copy, not a re-read of every source); a copy outside
 * that is older than one already inside is dropped. Never throws: at worst the index is rebuilt.
 */
export function adoptOutsideIndex(location: IndexLocation, outsideDir: string): { adopted: boolean; error?: string } {
  if (location.place !== 'workspace') return { adopted: false };
  const outside = path.join(outsideDir, DATABASE_FILE_NAME);
  if (!fs.existsSync(outside)) return { adopted: false };
  try {
    if (!fs.existsSync(location.dbPath)) {
      writeIgnoreFile(path.dirname(location.dbPath));
      // The series files first: an index that arrives before the chunks it names would be rebuilt.
      copySeriesFiles(seriesDirOf(outside), seriesDirOf(location.dbPath));
      const tmp = `${location.dbPath}.${process.pid}-adopt.tmp`;
      try {
        fs.copyFileSync(outside, tmp);
        fs.renameSync(tmp, location.dbPath);
      } catch (e) {
        removeQuietly(tmp);
        throw e;
      }
      removeOutsideCopy(outside);
      return { adopted: true };
    }
    removeOutsideCopy(outside);
    return { adopted: false };
  } catch (e) {
    return { adopted: false, error: `the index kept at ${outside} was not moved into ${path.dirname(location.dbPath)}: ${(e as Error).message}` };
  }
}

type FolderState = 'missing' | 'writable' | 'is not a folder' | 'cannot be written';

function folderState(dir: string): FolderState {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(dir);
  } catch {
    return 'missing';
  }
  if (!stat.isDirectory()) return 'is not a folder';
  try {
    // W_OK sees a read-only mount even for root, who ignores permission bits.
    fs.accessSync(dir, fs.constants.W_OK);
    return 'writable';
  } catch {
    return 'cannot be written';
  }
}

/** Series file names are unique per writing session, so copies never overwrite one another. */
function copySeriesFiles(fromDir: string, toDir: string): void {
  let names: string[];
  try {
    names = fs.readdirSync(fromDir);
  } catch {
    return;
  }
  fs.mkdirSync(toDir, { recursive: true });
  for (const name of names) fs.copyFileSync(path.join(fromDir, name), path.join(toDir, name));
}

function removeOutsideCopy(outside: string): void {
  removeQuietly(outside);
  removeQuietly(seriesDirOf(outside));
}

function removeQuietly(file: string): void {
  try {
    fs.rmSync(file, { force: true, recursive: true });
  } catch {
    // A stale copy outside the workspace costs only space.
  }
}
