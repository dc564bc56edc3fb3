/**
 * Claims: how the Python client inside a process ExpTrack did not start finds the run ExpTrack
 * records for it, so the two write one run, not two.
 *
 * A terminal's environment cannot carry a run id chosen after the shell started, so when the
 * extension sees a training command start in a watched terminal (or task) it writes
 * `.exptrack/claims/<run-id>.json`; exptrack.py, when `EXPTRACK_RUN_ID` is unset, adopts a fresh
 * claim for its own working directory and script (and, when given, a shell process that is one
 * of its ancestors), and then only appends to that run. A Python command that is seen but not
 * recorded (excluded, or matched by no pattern) gets a declined claim (`runId: null`), so the
 * client stops waiting and starts a run of its own. Claims are removed when the run ends.
 *
 * Terminals ExpTrack watches have `EXPTRACK_WATCH_CLAIMS` (the claims folder) in their
 * environment: there the client waits briefly for the claim, since the shell reports a command
 * only as it starts.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ensureExptrackFolder } from '../exptrackDir';

/** Set in watched terminals' environment to the claims folder. */
export const CLAIMS_ENV = 'EXPTRACK_WATCH_CLAIMS';

export interface RunClaim {
  /** The run the process should write into; null: the command is not recorded, start your own run. */
  runId: string | null;
  /** The working directory the command started in. */
  cwd: string;
  /** The script as an absolute path, for `.py` runs. */
  script?: string;
  /** The module, for `-m` runs. */
  module?: string;
  /** When the command started, in seconds since the epoch. */
  started: number;
  /** The shell (or task) process the command runs under, when known. */
  pid?: number;
}

export function claimsDir(exptrackDir: string): string {
  return path.join(exptrackDir, 'claims');
}

/**
 * Writes a claim atomically (a temp file renamed into place, so a reader never sees half of it)
 * and returns its path. Throws when it cannot be written.
 */
export function writeClaim(exptrackDir: string, claim: RunClaim): string {
  const dir = claimsDir(exptrackDir);
  ensureExptrackFolder(exptrackDir);
  fs.mkdirSync(dir, { recursive: true });
  ensureIgnored(dir);
  const name = claim.runId ?? `declined-${Date.now()}-${randomBytes(4).toString('hex')}`;
  const file = path.join(dir, `${name}.json`);
  const temp = path.join(dir, `.${name}.${randomBytes(4).toString('hex')}.tmp`);
  fs.writeFileSync(temp, JSON.stringify(claim));
  fs.renameSync(temp, file);
  return file;
}

/** Removes a claim; a claim already gone is fine. */
export function removeClaim(file: string): void {
  try {
    fs.rmSync(file, { force: true });
  } catch {
    // A claim left behind is ignored by the client once it is old.
  }
}

/** Removes claims older than `maxAgeMs` (left behind by a window that closed mid-run). */
export function removeStaleClaims(exptrackDir: string, maxAgeMs: number, nowMs = Date.now()): void {
  let names: string[];
  try {
    names = fs.readdirSync(claimsDir(exptrackDir));
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.endsWith('.json') && !name.endsWith('.tmp')) continue;
    const file = path.join(claimsDir(exptrackDir), name);
    try {
      if (nowMs - fs.statSync(file).mtimeMs > maxAgeMs) fs.rmSync(file, { force: true });
    } catch {
      // Removed by someone else meanwhile.
    }
  }
}

/** Claims are transient: git never needs to see them. */
function ensureIgnored(dir: string): void {
  try {
    fs.writeFileSync(path.join(dir, '.gitignore'), '*\n', { flag: 'wx' });
  } catch {
    // Exists already (or cannot be written: claims still work).
  }
}
