/**
 * The rules of sourceFilter.ts applied to the file system, one folder at a time: what a scan
 * enters and which files it offers to the readers. The same decisions are made for a single path
 * (a watched file, a source the index already knows) by following its folders from the root, so
 * a file is read the same way whether a scan found it or a file event named it.
 * One instance serves one ingest: `.gitignore` files are read as folders are entered.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ScanSkipReason } from '../../shared/runTypes';
import { EXPTRACK_DIR_NAME } from '../exptrackDir';
import { GitignoreFiles, isGitignored, NO_GITIGNORE, type GitignoreStack } from './gitignore';
import { baseName, joinRel, parentDir } from './readers/common/runIdentity';
import { LOG_FOLDER_NAMES } from './readers/logFolders';
import type { SourceFilter } from './sourceFilter';
import type { Siblings } from './workspaceExcludes';

/** Folders of installed packages and version-control data: large, and never a user's runs. */
export const SKIPPED_DIRS: ReadonlySet<string> = new Set([
  'node_modules', '.git', '.hg', '.svn', '.venv', 'venv', '.tox', '.nox', '__pycache__', '.mypy_cache', '.pytest_cache',
  '.ruff_cache', 'site-packages', '.ipynb_checkpoints', '.vscode-test', '.idea', '.cache',
]);

export interface FolderState {
  /** Workspace-relative, `/`-separated; '' for the root. */
  readonly relDir: string;
  /** In `.exptrack/`: everything is read. */
  readonly own: boolean;
  /** In a log folder: the workspace's ignore rules do not apply. */
  readonly inLogFolder: boolean;
  readonly gitignore: GitignoreStack;
}

const NO_SIBLINGS: Siblings = { has: () => false };

export class PathRules {
  private readonly gitignores: GitignoreFiles | undefined;
  private root: FolderState | undefined;
  /** Folder states worked out for single paths, by folder (undefined: a scan would not enter it). */
  private readonly folders = new Map<string, FolderState | undefined>();

  constructor(readonly filter: SourceFilter, private readonly workspaceRoot: string) {
    this.gitignores = filter.useGitignore ? new GitignoreFiles(workspaceRoot) : undefined;
  }

  rootState(): FolderState {
    this.root ??= { relDir: '', own: false, inLogFolder: false, gitignore: this.gitignores?.rootStack() ?? NO_GITIGNORE };
    return this.root;
  }

  /** Why an entry of the folder `dir` is left out, or undefined when it is looked at. */
  skipReason(dir: FolderState, name: string, isDir: boolean, siblings: () => Siblings): ScanSkipReason | undefined {
    if (dir.own || (dir.relDir === '' && name === EXPTRACK_DIR_NAME)) return undefined;
    const relPath = joinRel(dir.relDir, name);
    if (isDir && SKIPPED_DIRS.has(name)) return 'built-in';
    if (this.filter.excludes(relPath, isDir)) return 'exptrack.sources.exclude';
    if (dir.inLogFolder || (isDir && LOG_FOLDER_NAMES.has(name)) || this.filter.namedByInclude(relPath)) return undefined;
    const rule = this.filter.workspaceExclusion(relPath, name, siblings);
    if (rule) return rule.setting;
    if (this.gitignores && isGitignored(dir.gitignore, relPath, isDir)) return '.gitignore';
    return undefined;
  }

  /** The state inside the folder `name` of `dir`; `hasGitignore` when the folder holds a `.gitignore`. */
  enter(dir: FolderState, name: string, hasGitignore: boolean): FolderState {
    const relDir = joinRel(dir.relDir, name);
    const own = dir.own || (dir.relDir === '' && name === EXPTRACK_DIR_NAME);
    const inLogFolder = dir.inLogFolder || LOG_FOLDER_NAMES.has(name);
    const gitignore = hasGitignore && this.gitignores && !own && !inLogFolder ? this.gitignores.withFolder(dir.gitignore, relDir) : dir.gitignore;
    return { relDir, own, inLogFolder, gitignore };
  }

  /** Whether a scan would offer this file (workspace-relative) to the readers. */
  acceptsFile(relPath: string): boolean {
    const dir = this.folderState(parentDir(relPath));
    if (!dir) return false;
    return this.skipReason(dir, baseName(relPath), false, this.siblingsOf(dir.relDir)) === undefined && this.filter.includes(relPath);
  }

  /** The state in a folder as a scan would reach it, or undefined when a scan would not enter it. */
  folderState(relDir: string): FolderState | undefined {
    if (relDir === '') return this.rootState();
    if (this.folders.has(relDir)) return this.folders.get(relDir);
    const parent = this.folderState(parentDir(relDir));
    const name = baseName(relDir);
    let state: FolderState | undefined;
    if (parent && this.skipReason(parent, name, true, this.siblingsOf(parent.relDir)) === undefined) {
      state = this.enter(parent, name, this.gitignores !== undefined && fs.existsSync(path.join(this.workspaceRoot, relDir, '.gitignore')));
    }
    this.folders.set(relDir, state);
    return state;
  }

  /** The names in a folder, listed only if a `when` rule asks. */
  private siblingsOf(relDir: string): () => Siblings {
    let names: Siblings | undefined;
    return () => {
      if (!names) {
        try {
          names = new Set(fs.readdirSync(path.join(this.workspaceRoot, relDir)));
        } catch {
          names = NO_SIBLINGS;
        }
      }
      return names;
    };
  }
}
