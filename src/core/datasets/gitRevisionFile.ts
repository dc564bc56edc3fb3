/**
 * A data file as git holds it at some revision, written to a file of its own so the profiler can
 * stream it like any other (data files can be far bigger than what fits in a string). Git runs
 * without a shell and read-only; the repository is never changed.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { runGit } from '../capture/gitCommand';

export interface FileHash {
  sha256: string;
  bytes: number;
}

export type RevisionFile = { ok: true; absPath: string; commit: string } & FileHash;
export type RevisionResult = RevisionFile | { ok: false; reason: string };

export interface Revision {
  commit: string;
  shortCommit: string;
  subject: string;
  author: string;
  /** Commit time, seconds since the epoch. */
  time: number;
}

const GIT_ENV = { GIT_OPTIONAL_LOCKS: '0', GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' };
const MAX_STDERR = 4096;

/** sha256 and size of a file, read as a stream. */
export async function sha256File(absPath: string): Promise<FileHash> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of fs.createReadStream(absPath)) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), bytes };
}

/** The full commit id `rev` names, or undefined when it names none (or git is missing). */
export async function resolveCommit(cwd: string, rev: string): Promise<string | undefined> {
  if (!isSafeRevision(rev)) return undefined;
  const r = await runGit(['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`], { cwd });
  const out = r && r.code === 0 ? r.stdout.toString('utf8').trim() : '';
  return /^[0-9a-f]{40,64}$/.test(out) ? out : undefined;
}

/** The latest commits that changed `relPath` (relative to `cwd`), newest first. */
export async function revisionsOf(cwd: string, relPath: string, limit = 30): Promise<Revision[]> {
  const r = await runGit(['log', `-n${limit}`, '--format=%H%x1f%h%x1f%ct%x1f%an%x1f%s%x1e', '--', relPath], { cwd });
  if (!r || r.code !== 0) return [];
  const revisions: Revision[] = [];
  for (const record of r.stdout.toString('utf8').split('\x1e')) {
    const [commit, shortCommit, time, author, subject] = record.trim().split('\x1f');
    if (!commit || !shortCommit) continue;
    revisions.push({ commit, shortCommit, time: Number(time), author: author ?? '', subject: subject ?? '' });
  }
  return revisions;
}

/**
 * Writes `relPath` (relative to `cwd`, forward slashes) as of `rev` to `destPath` and hashes it on
 * the way. Never throws: a revision or path git does not know gives a reason a person can read.
 */
export async function writeFileAtRevision(cwd: string, rev: string, relPath: string, destPath: string, signal?: AbortSignal): Promise<RevisionResult> {
  const commit = await resolveCommit(cwd, rev);
  if (!commit) return { ok: false, reason: `git knows no commit "${rev}" here` };
  const spec = `${commit}:./${relPath.replace(/^\.\//, '')}`;
  return new Promise<RevisionResult>((resolve) => {
    const hash = createHash('sha256');
    let bytes = 0;
    let stderr = '';
    let settled = false;
    const finish = (result: RevisionResult) => {
      if (settled) return;
      settled = true;
      if (!result.ok) fs.rm(destPath, { force: true }, () => resolve(result));
      else resolve(result);
    };
    let out: fs.WriteStream;
    try {
      out = fs.createWriteStream(destPath);
    } catch (e) {
      finish({ ok: false, reason: `cannot write ${destPath}: ${(e as Error).message}` });
      return;
    }
    const child = spawn('git', ['show', '--no-textconv', spec], { cwd, env: { ...process.env, ...GIT_ENV }, windowsHide: true, signal });
    child.stdout.on('data', (chunk: Buffer) => {
      hash.update(chunk);
      bytes += chunk.length;
    });
    child.stdout.pipe(out);
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < MAX_STDERR) stderr += chunk.toString('utf8');
    });
    out.on('error', (e) => {
      child.kill();
      finish({ ok: false, reason: `cannot write ${destPath}: ${e.message}` });
    });
    child.on('error', (e) => {
      const err = e as NodeJS.ErrnoException;
      const reason = err.name === 'AbortError' ? 'cancelled' : err.code === 'ENOENT' ? 'git is not installed' : `git failed: ${err.message}`;
      out.destroy();
      finish({ ok: false, reason });
    });
    child.on('close', (code) => {
      if (code !== 0) {
        out.destroy();
        finish({ ok: false, reason: gitShowFailure(stderr, relPath, commit) });
        return;
      }
      out.end(() => finish({ ok: true, absPath: destPath, commit, sha256: hash.digest('hex'), bytes }));
    });
  });
}

function gitShowFailure(stderr: string, relPath: string, commit: string): string {
  const short = commit.slice(0, 10);
  if (/does not exist in|exists on disk, but not in/.test(stderr)) return `${relPath} is not in commit ${short}`;
  if (/not a git repository/i.test(stderr)) return 'the workspace is not in a git repository';
  const line = stderr.split('\n').find((l) => l.trim()) ?? 'unknown error';
  return `git show ${short}:${relPath} failed: ${line.replace(/^fatal:\s*/, '')}`;
}

/** Refuses what git would read as an option, or anything but a plain revision expression. */
function isSafeRevision(rev: string): boolean {
  return rev.length > 0 && rev.length <= 200 && !rev.startsWith('-') && !/[\s\0]/.test(rev);
}
