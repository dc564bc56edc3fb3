/**
 * The git state of a run's working tree at its start: commit, branch, dirtiness, remote, and the
 * uncommitted changes as a patch (tracked changes plus small untracked text files), so the exact
 * code of a run can be seen and restored. Read-only: the user's index is never touched.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { runGit } from './gitCommand';

export interface GitState {
  /** The HEAD commit; absent in a repository without commits. */
  commit?: string;
  /** The current branch; absent on a detached HEAD. */
  branch?: string;
  /** True when tracked files differ from HEAD or untracked, not ignored files exist. */
  dirty: boolean;
  /** The `origin` remote URL (any other remote when there is no origin), without credentials. */
  remote?: string;
}

export interface GitReadOptions {
  /** Paths to leave out of dirtiness and the patch (e.g. the `.exptrack` directory itself). */
  excludePaths?: readonly string[];
  /** Timeout per git command (default 5 s). */
  timeoutMs?: number;
}

export interface UncommittedDiffOptions extends GitReadOptions {
  /** Cap of the whole patch in bytes (default 20 MB); a marker line says when it was cut. */
  maxPatchBytes?: number;
  /** Untracked files larger than this are left out (default 1 MB). */
  maxUntrackedFileBytes?: number;
  /** At most this many untracked files are included (default 500). */
  maxUntrackedFiles?: number;
}

const DEFAULT_MAX_PATCH_BYTES = 20 * 1024 * 1024;
const DEFAULT_MAX_UNTRACKED_FILE_BYTES = 1024 * 1024;
const DEFAULT_MAX_UNTRACKED_FILES = 500;
const UNTRACKED_CONCURRENCY = 4;

/** The git state of the repository containing `cwd`, or undefined when it is not one (or git is missing). */
export async function readGitState(cwd: string, options: GitReadOptions = {}): Promise<GitState | undefined> {
  const top = await repositoryTop(cwd, options.timeoutMs);
  if (top === undefined) return undefined;
  const git = (args: string[]) => runGit(args, { cwd: top, timeoutMs: options.timeoutMs });
  const pathspec = pathspecFor(top, options.excludePaths);
  const [commit, branch, status, remotes] = await Promise.all([
    git(['rev-parse', '--verify', '-q', 'HEAD']),
    git(['symbolic-ref', '--short', '-q', 'HEAD']),
    git(['status', '--porcelain', '--untracked-files=normal', '--', ...pathspec]),
    git(['remote']),
  ]);
  const state: GitState = { dirty: status !== undefined && status.code === 0 && status.stdout.length > 0 };
  const commitText = okText(commit);
  if (commitText) state.commit = commitText;
  const branchText = okText(branch);
  if (branchText) state.branch = branchText;
  const remoteNames = (okText(remotes) ?? '').split('\n').filter(Boolean);
  const remoteName = remoteNames.includes('origin') ? 'origin' : remoteNames[0];
  if (remoteName) {
    const url = okText(await git(['remote', 'get-url', remoteName]));
    if (url) state.remote = withoutCredentials(url);
  }
  return state;
}

/**
 * The uncommitted changes of the repository containing `cwd` as one patch: `git diff HEAD
 * --binary` (against the empty tree before the first commit), followed by a new-file diff for each
 * untracked, not ignored text file under the size cap. Files left out are listed in `#` lines at
 * the top (which `git apply` ignores). Undefined when `cwd` is not in a repository.
 */
export async function uncommittedDiff(cwd: string, options: UncommittedDiffOptions = {}): Promise<string | undefined> {
  const top = await repositoryTop(cwd, options.timeoutMs);
  if (top === undefined) return undefined;
  const maxPatchBytes = options.maxPatchBytes ?? DEFAULT_MAX_PATCH_BYTES;
  const pathspec = pathspecFor(top, options.excludePaths);
  const git = (args: string[], maxBytes?: number) => runGit(args, { cwd: top, timeoutMs: options.timeoutMs, maxBytes });

  const head = okText(await git(['rev-parse', '--verify', '-q', 'HEAD'])) ?? (await emptyTree(top, options.timeoutMs));
  const notes: string[] = [];
  const parts: Buffer[] = [];
  {
    const tracked = await git(
      ['diff', head, '--binary', '--no-color', '--no-ext-diff', '--no-textconv', '--src-prefix=a/', '--dst-prefix=b/', '--', ...pathspec],
      maxPatchBytes + 1,
    );
    if (tracked) parts.push(tracked.stdout);
    else notes.push('# exptrack: `git diff HEAD` failed or timed out; tracked changes are missing');
  }

  const untrackedList = await git(['ls-files', '--others', '--exclude-standard', '-z', '--', ...pathspec]);
  const untracked = untrackedList ? untrackedList.stdout.toString('utf8').split('\0').filter(Boolean) : [];
  const maxFiles = options.maxUntrackedFiles ?? DEFAULT_MAX_UNTRACKED_FILES;
  if (untracked.length > maxFiles) {
    notes.push(`# exptrack: ${untracked.length - maxFiles} more untracked files left out (limit ${maxFiles})`);
  }
  const diffs = await mapLimited(untracked.slice(0, maxFiles), UNTRACKED_CONCURRENCY, (file) =>
    untrackedFileDiff(top, file, options.maxUntrackedFileBytes ?? DEFAULT_MAX_UNTRACKED_FILE_BYTES, options.timeoutMs));
  diffs.forEach((d, i) => {
    if (typeof d === 'string') notes.push(`# exptrack: untracked file left out (${d}): ${untracked[i]}`);
    else parts.push(d);
  });

  const header = notes.length ? Buffer.from(notes.join('\n') + '\n') : Buffer.alloc(0);
  return capPatch(Buffer.concat([header, ...parts]), maxPatchBytes);
}

/** Cuts a patch at `maxBytes` (at a line start) and says so in a last line. */
export function capPatch(patch: Buffer, maxBytes: number): string {
  if (patch.length <= maxBytes) return patch.toString('utf8');
  const cut = patch.lastIndexOf(0x0a, maxBytes - 1);
  const kept = patch.subarray(0, cut >= 0 ? cut + 1 : 0);
  return `${kept.toString('utf8')}# exptrack: patch truncated at ${maxBytes} bytes\n`;
}

async function repositoryTop(cwd: string, timeoutMs?: number): Promise<string | undefined> {
  const result = await runGit(['rev-parse', '--show-toplevel'], { cwd, timeoutMs });
  return okText(result);
}

const EMPTY_TREE = {
  sha1: '4b825dc642cb6eb9a060e54bf8d69288fbee4904',
  sha256: '6ef19b41225c5369f1c104d45d8d85efa9b057b53b14b4b9b939dd74decc5321',
};

/** The empty tree's id in this repository's hash format, to diff against before the first commit. */
async function emptyTree(top: string, timeoutMs?: number): Promise<string> {
  const format = okText(await runGit(['rev-parse', '--show-object-format'], { cwd: top, timeoutMs }));
  return format === 'sha256' ? EMPTY_TREE.sha256 : EMPTY_TREE.sha1;
}

/** A new-file diff for one untracked file, or the reason it is left out. */
async function untrackedFileDiff(top: string, file: string, maxBytes: number, timeoutMs?: number): Promise<Buffer | string> {
  const full = path.join(top, file);
  let content: Buffer;
  try {
    const stat = await fs.lstat(full);
    if (!stat.isFile()) return 'not a regular file';
    if (stat.size > maxBytes) return `larger than ${maxBytes} bytes`;
    content = await fs.readFile(full);
  } catch {
    return 'unreadable';
  }
  if (!isText(content)) return 'binary';
  if (content.length === 0) return 'empty';
  const diff = await runGit(
    ['diff', '--no-index', '--no-color', '--no-ext-diff', '--no-textconv', '--src-prefix=a/', '--dst-prefix=b/', '--', '/dev/null', file],
    { cwd: top, timeoutMs },
  );
  if (!diff || diff.stdout.length === 0) return 'git diff failed';
  return diff.stdout;
}

function isText(content: Buffer): boolean {
  if (content.subarray(0, 8000).includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(content);
    return true;
  } catch {
    return false;
  }
}

/** Pathspecs for the whole repository minus the excluded paths that lie inside it. */
function pathspecFor(top: string, excludePaths: readonly string[] = []): string[] {
  const specs = [':(top)'];
  for (const p of excludePaths) {
    const relative = path.relative(top, path.resolve(p));
    if (relative && !relative.startsWith('..') && !path.isAbsolute(relative)) {
      specs.push(`:(top,exclude)${relative.split(path.sep).join('/')}`);
    }
  }
  return specs;
}

function okText(result: { code: number; stdout: Buffer } | undefined): string | undefined {
  if (!result || result.code !== 0) return undefined;
  const text = result.stdout.toString('utf8').trim();
  return text || undefined;
}

/** `https://user:token@host/x` → `https://host/x`: tokens must not end up in run logs. */
function withoutCredentials(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1');
}

async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
