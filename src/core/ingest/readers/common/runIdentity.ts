/** How imported runs are named and dated, the same way for every importer. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RUN_EVENT_FORMAT_VERSION, type RunStartEvent, type SourceKind } from '../../../../shared/runEvents';

/** The folder part of a workspace-relative path ('' at the workspace root). */
export function parentDir(relPath: string): string {
  const i = relPath.lastIndexOf('/');
  return i < 0 ? '' : relPath.slice(0, i);
}

export function baseName(relPath: string): string {
  return relPath.slice(relPath.lastIndexOf('/') + 1);
}

/** Joins workspace-relative parts, skipping empty ones. */
export function joinRel(...parts: string[]): string {
  return parts.filter((p) => p !== '').join('/');
}

/**
 * The `run` event of an imported run: named after its folder (or file), grouped under the folder
 * that holds it, so `logs/fit/20240101-120000` is run `20240101-120000` of experiment `logs/fit`.
 */
export function importedRunStart(opts: {
  id: string;
  kind: SourceKind;
  runPath: string;
  started: number;
  name?: string;
  experiment?: string;
  user?: string;
  git?: RunStartEvent['git'];
}): RunStartEvent {
  const experiment = opts.experiment ?? (parentDir(opts.runPath) || undefined);
  const event: RunStartEvent = {
    t: 'run',
    v: RUN_EVENT_FORMAT_VERSION,
    id: clip(opts.id, 200) || 'run',
    name: clip(opts.name ?? (baseName(opts.runPath) || opts.runPath || '.'), 1000),
    started: Number.isFinite(opts.started) ? opts.started : 0,
    source: { kind: opts.kind, path: opts.runPath || '.' },
  };
  if (experiment !== undefined) event.experiment = clip(experiment, 1000);
  if (opts.user) event.user = opts.user;
  if (opts.git) event.git = opts.git;
  return event;
}

/**
 * When a run without its own clock began: the creation time of its folder or file (the
 * modification time where the file system keeps no birth time). Stable across rebuilds of the
 * index because the folder is not recreated; 0 when it cannot be read.
 */
export function creationSeconds(absPath: string): number {
  try {
    const st = fs.statSync(absPath);
    const born = st.birthtimeMs > 0 ? Math.min(st.birthtimeMs, st.mtimeMs) : st.mtimeMs;
    return born / 1000;
  } catch {
    return 0;
  }
}

/** When a file finished being written (its modification time); 0 when it cannot be read. */
export function modifiedSeconds(absPath: string): number {
  try {
    return fs.statSync(absPath).mtimeMs / 1000;
  } catch {
    return 0;
  }
}

/** The absolute folder of a run given a file of it: `levelsUp` folders above the file. */
export function absAncestor(absFile: string, levelsUp: number): string {
  let dir = absFile;
  for (let i = 0; i < levelsUp; i++) dir = path.dirname(dir);
  return dir;
}

function clip(text: string, max: number): string {
  return text.length > max ? text.slice(0, max) : text;
}
