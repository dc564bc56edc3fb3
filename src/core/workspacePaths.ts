/**
 * Paths that come from data (events, the registry file, a command line) are resolved only inside
 * the workspace: `../../etc/passwd`, an absolute path elsewhere, or a symlink that leads out are
 * refused before anything is opened or hashed, so a committed registry cannot make ExpTrack read
 * files outside the folder the user opened.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export type WorkspacePath =
  | { ok: true; absPath: string; relPath: string }
  | { ok: false; reason: string };

export interface ResolveOptions {
  /** Refuse a path that does not exist (default true). Without it, the nearest existing folder is checked. */
  mustExist?: boolean;
}

/**
 * Resolves `p` (workspace-relative or absolute) to an absolute path inside `root`, following
 * symlinks to check where they really lead. `relPath` is the path as the user sees it
 * (forward slashes, symlinks not expanded).
 */
export function resolveInsideWorkspace(root: string, p: string, opts: ResolveOptions = {}): WorkspacePath {
  const mustExist = opts.mustExist ?? true;
  if (p === '' || p.includes('\u0000')) return { ok: false, reason: `not a usable path: ${JSON.stringify(p)}` };
  const rootAbs = path.resolve(root);
  const absPath = path.resolve(rootAbs, p);
  const rel = path.relative(rootAbs, absPath);
  if (escapes(rel)) return { ok: false, reason: `${p} is outside the workspace ${rootAbs}` };

  let rootReal: string;
  try {
    rootReal = fs.realpathSync(rootAbs);
  } catch (e) {
    return { ok: false, reason: `the workspace folder ${rootAbs} cannot be read: ${(e as Error).message}` };
  }
  let real: string;
  try {
    real = fs.realpathSync(absPath);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') return { ok: false, reason: `${p} cannot be read: ${(e as Error).message}` };
    if (isDanglingLink(absPath)) return { ok: false, reason: `${p} is a symlink to nothing` };
    if (mustExist) return { ok: false, reason: `${p} does not exist` };
    const existing = nearestExisting(absPath);
    if (existing === null) return { ok: false, reason: `${p} does not exist` };
    real = path.join(fs.realpathSync(existing), path.relative(existing, absPath));
  }
  if (escapes(path.relative(rootReal, real))) return { ok: false, reason: `${p} leads outside the workspace (through a symlink to ${real})` };
  return { ok: true, absPath, relPath: rel === '' ? '.' : rel.split(path.sep).join('/') };
}

function escapes(rel: string): boolean {
  return path.isAbsolute(rel) || rel === '..' || rel.startsWith(`..${path.sep}`);
}

function isDanglingLink(p: string): boolean {
  try {
    return fs.lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}

function nearestExisting(p: string): string | null {
  let dir = path.dirname(p);
  for (;;) {
    if (fs.existsSync(dir)) return dir;
    const up = path.dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
}
