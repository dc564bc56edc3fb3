/**
 * Where the run index of a folder without `.exptrack/` is kept: the extension's workspace storage
 * (VS Code gives each workspace its own folder there), else a folder per workspace in the global
 * storage. The store worker creates the folder when it first saves. See core/store/indexLocation.ts.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as vscode from 'vscode';
import { hasExptrackDir } from '../../core/exptrackDir';
import { DATABASE_FILE_NAME, workspaceKey } from '../../core/store/indexLocation';

export interface IndexPlan {
  /** A configured database path (`exptrack.databasePath`), resolved; null keeps the index in memory. */
  dbPath?: string | null;
  /** Where the index goes when the folder has no usable `.exptrack/`. */
  outsideDir?: string;
}

export function planIndex(context: vscode.ExtensionContext, root: string, configured: string): IndexPlan {
  if (configured) return { dbPath: path.resolve(root, configured) };
  const outsideDir = storageDir(context, root);
  if (outsideDir) return { outsideDir };
  // No local storage at all: the index lives in `.exptrack/` if the folder has one, else in memory.
  return hasExptrackDir(root) ? {} : { dbPath: null };
}

/**
 * Whether the folder has runs to show without reading anything first: `.exptrack/`, or an index
 * saved earlier (imported logs). Then the session starts with the extension; otherwise it waits
 * until ExpTrack is used.
 */
export function hasKnownRuns(root: string, plan: IndexPlan): boolean {
  if (hasExptrackDir(root)) return true;
  if (plan.dbPath) return fs.existsSync(plan.dbPath);
  return plan.outsideDir !== undefined && fs.existsSync(path.join(plan.outsideDir, DATABASE_FILE_NAME));
}

/** A folder per workspace folder (a multi-root workspace shares one storage folder). */
function storageDir(context: vscode.ExtensionContext, root: string): string | undefined {
  if (context.storageUri?.scheme === 'file') return path.join(context.storageUri.fsPath, workspaceKey(root));
  if (context.globalStorageUri.scheme === 'file') return path.join(context.globalStorageUri.fsPath, 'workspaces', workspaceKey(root));
  return undefined;
}
