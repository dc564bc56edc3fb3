/**
 * The `.gitignore` rules that apply inside the workspace, read with `ignore` (the library eslint
 * and many tools use): the repository's `.git/info/exclude` when the workspace is a repository's
 * root, the workspace's own `.gitignore` and nested ones. As in git, a deeper file overrides a
 * shallower one and `!pattern` re-includes. Nothing above the workspace folder is read (a
 * `.gitignore` of a parent folder does not apply), so a workspace that is a subfolder of a
 * repository is judged by its own files only.
 * Rules are read fresh for each scan: `ignore` caches every path it tests, so an instance lives
 * only as long as one scan.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';

const MAX_IGNORE_FILE_BYTES = 1 << 20;
/** Git compares names case-insensitively where the file system does (core.ignorecase). */
const IGNORE_CASE = process.platform === 'darwin' || process.platform === 'win32';

interface IgnoreLevel {
  rules: Ignore;
  /** Workspace-relative folder of a nested `.gitignore` (`a/b/`), stripped from the paths it tests. */
  strip: string;
}

/** The rules that apply in one folder, lowest precedence first. */
export type GitignoreStack = readonly IgnoreLevel[];

export const NO_GITIGNORE: GitignoreStack = [];

export class GitignoreFiles {
  constructor(private readonly workspaceRoot: string) {}

  /** The rules in force at the workspace root. */
  rootStack(): GitignoreStack {
    const stack: IgnoreLevel[] = [];
    const excludeFile = repositoryExcludeFile(this.workspaceRoot);
    if (excludeFile) pushLevel(stack, excludeFile, '');
    pushLevel(stack, path.join(this.workspaceRoot, '.gitignore'), '');
    return stack;
  }

  /** The rules in force in `relDir` (a folder holding a `.gitignore`), above those of its parent. */
  withFolder(parent: GitignoreStack, relDir: string): GitignoreStack {
    const stack = [...parent];
    return pushLevel(stack, path.join(this.workspaceRoot, relDir, '.gitignore'), `${relDir}/`) ? stack : parent;
  }
}

function pushLevel(stack: IgnoreLevel[], file: string, strip: string): boolean {
  const text = readSmallText(file);
  if (text === undefined) return false;
  stack.push({ rules: ignore({ ignorecase: IGNORE_CASE }).add(text), strip });
  return true;
}

/** Whether git would ignore the workspace-relative `relPath`, given the rules of its folder. */
export function isGitignored(stack: GitignoreStack, relPath: string, isDir: boolean): boolean {
  for (let i = stack.length - 1; i >= 0; i--) {
    const level = stack[i]!;
    const local = relPath.slice(level.strip.length) + (isDir ? '/' : '');
    const result = test(level.rules, local);
    if (result.ignored) return true;
    if (result.unignored) return false;
  }
  return false;
}

function test(rules: Ignore, local: string): ignore.TestResult {
  try {
    return rules.test(local);
  } catch {
    return { ignored: false, unignored: false }; // a name `ignore` cannot take as a path: not ignored
  }
}

/** `.git/info/exclude` of the repository whose root is `dir`, if it is one. */
function repositoryExcludeFile(dir: string): string | undefined {
  const dotGit = path.join(dir, '.git');
  let stat: fs.Stats;
  try {
    stat = fs.statSync(dotGit);
  } catch {
    return undefined;
  }
  if (stat.isDirectory()) return path.join(dotGit, 'info', 'exclude');
  return stat.isFile() ? path.join(linkedGitDir(dotGit), 'info', 'exclude') : undefined;
}

/** A worktree's or submodule's `.git` file names its git folder; a worktree shares `info/` with the main one. */
function linkedGitDir(dotGitFile: string): string {
  const gitDir = /^gitdir:\s*(.+)$/m.exec(readSmallText(dotGitFile) ?? '')?.[1]?.trim();
  if (!gitDir) return dotGitFile;
  const resolved = path.resolve(path.dirname(dotGitFile), gitDir);
  const common = readSmallText(path.join(resolved, 'commondir'))?.trim();
  return common ? path.resolve(resolved, common) : resolved;
}

function readSmallText(file: string): string | undefined {
  try {
    const stat = fs.statSync(file);
    return stat.isFile() && stat.size <= MAX_IGNORE_FILE_BYTES ? fs.readFileSync(file, 'utf8') : undefined;
  } catch {
    return undefined;
  }
}
