/**
 * The code a run ran, rebuilt read-only: each file as it was at the run's git commit (`git show`)
 * with the run's `code.patch` (its uncommitted changes) applied in memory; for notebook runs, the
 * cell snapshots in the run's `cells/` folder. Nothing is written and git's index is not touched.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runGit } from '../capture/gitCommand';
import { resolveInsideWorkspace } from '../workspacePaths';
import { applyFilePatch } from './applyPatch';
import { parseUnifiedDiff, type FilePatch } from './unifiedDiff';

/** File keys of notebook cell snapshots start with this, so they never collide with repository paths. */
export const CELLS_PREFIX = 'notebook cells/';

export interface RunCodeInfo {
  uid: string;
  /** Workspace-relative folder of the run's own files. */
  runDir: string | null;
  gitCommit: string | null;
}

export interface FileContent {
  text: string;
  /** What could not be rebuilt exactly (a hunk that did not apply, a binary change). */
  notes: string[];
}

export class RunCode {
  private readonly shown = new Map<string, Promise<string | undefined>>();

  private constructor(
    readonly uid: string,
    readonly commit: string | null,
    private readonly repoTop: string | null,
    private readonly patches: FilePatch[],
    private readonly cellsDir: string | null,
    private readonly cellNames: string[],
    /** Why code.patch could not be read, if it could not: files are then shown as at the commit. */
    private readonly patchProblem: string | null,
  ) {}

  static async load(workspaceRoot: string, run: RunCodeInfo): Promise<RunCode> {
    // The run folder comes from the index and its files from the run: a code.patch or cells/ that
    // is a symlink out of the workspace (say, in a cloned repository) is not read.
    const inside = (p: string) => {
      const resolved = resolveInsideWorkspace(workspaceRoot, p);
      return resolved.ok ? resolved.absPath : null;
    };
    const dir = run.runDir ? inside(run.runDir) : null;
    const patchFile = dir ? inside(path.join(dir, 'code.patch')) : null;
    const patchText = patchFile ? readIfExists(patchFile) : undefined;
    const cellsDir = dir ? inside(path.join(dir, 'cells')) : null;
    const cellNames = cellsDir ? listFiles(cellsDir) : [];
    const top = await runGit(['rev-parse', '--show-toplevel'], { cwd: workspaceRoot });
    const repoTop = top && top.code === 0 ? top.stdout.toString('utf8').trim() || null : null;
    let patches: FilePatch[] = [];
    let patchProblem: string | null = null;
    try {
      patches = patchText ? parseUnifiedDiff(patchText) : [];
    } catch (e) {
      patchProblem = `code.patch could not be read (${(e as Error).message}): files are shown as at the commit`;
    }
    return new RunCode(run.uid, run.gitCommit, repoTop, patches, cellNames.length ? cellsDir : null, cellNames, patchProblem);
  }

  /** True when there is anything to show: a commit, a patch or cell snapshots. */
  get hasCode(): boolean {
    return (this.commit !== null && this.repoTop !== null) || this.patches.length > 0 || this.cellNames.length > 0;
  }

  /** Files this run changed on top of its commit, and its notebook cells. */
  ownFiles(): string[] {
    const files = new Set<string>();
    for (const p of this.patches) {
      if (p.newPath) files.add(p.newPath);
      if (p.oldPath) files.add(p.oldPath);
    }
    for (const c of this.cellNames) files.add(CELLS_PREFIX + c);
    return [...files];
  }

  /** The file as this run saw it; empty text when it did not exist. */
  async content(file: string): Promise<FileContent> {
    if (file.startsWith(CELLS_PREFIX)) {
      const name = file.slice(CELLS_PREFIX.length);
      const text = this.cellsDir && this.cellNames.includes(name) ? readIfExists(path.join(this.cellsDir, name)) : undefined;
      return { text: text ?? '', notes: [] };
    }
    const patch = this.patches.find((p) => p.newPath === file) ?? this.patches.find((p) => p.oldPath === file && p.newPath !== file);
    if (!patch) return { text: (await this.atCommit(file)) ?? '', notes: this.patchProblem ? [this.patchProblem] : [] };
    if (patch.newPath !== file) return { text: '', notes: [] }; // deleted or renamed away by the patch
    if (patch.binary) {
      return { text: (await this.atCommit(file)) ?? '', notes: [`${file}: a binary change in code.patch is not shown`] };
    }
    const original = patch.oldPath === null ? '' : ((await this.atCommit(patch.oldPath)) ?? '');
    const applied = applyFilePatch(original, patch);
    const notes = applied.failedHunks.length
      ? [`${file}: hunk${applied.failedHunks.length > 1 ? 's' : ''} ${applied.failedHunks.join(', ')} of code.patch did not apply to ${this.commit?.slice(0, 10) ?? 'the commit'}`]
      : [];
    return { text: applied.text, notes };
  }

  /** `git show <commit>:<file>`; undefined when there is no commit or the file is not in it. */
  private atCommit(file: string): Promise<string | undefined> {
    if (!this.commit || !this.repoTop) return Promise.resolve(undefined);
    let shown = this.shown.get(file);
    if (!shown) {
      shown = runGit(['show', `${this.commit}:${file}`], { cwd: this.repoTop, maxBytes: 32 * 1024 * 1024 }).then((r) =>
        r && r.code === 0 ? r.stdout.toString('utf8') : undefined);
      this.shown.set(file, shown);
    }
    return shown;
  }

  /** Repository files that differ between two commits. */
  async filesChangedSince(other: RunCode): Promise<string[]> {
    if (!this.commit || !other.commit || this.commit === other.commit || !this.repoTop) return [];
    const r = await runGit(['diff', '--name-only', '-z', '--no-renames', other.commit, this.commit], { cwd: this.repoTop });
    return r && r.code === 0 ? r.stdout.toString('utf8').split('\0').filter(Boolean) : [];
  }
}

/** The files whose content differs between two runs, sorted, at most `limit`. */
export async function differingFiles(left: RunCode, right: RunCode, limit = 500): Promise<string[]> {
  const candidates = new Set([...left.ownFiles(), ...right.ownFiles(), ...(await right.filesChangedSince(left))]);
  const differing: string[] = [];
  for (const file of [...candidates].sort()) {
    if (differing.length >= limit) break;
    const [l, r] = await Promise.all([left.content(file), right.content(file)]);
    if (l.text !== r.text) differing.push(file);
  }
  return differing;
}

function readIfExists(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function listFiles(dir: string): string[] {
  try {
    return fs.readdirSync(dir, { withFileTypes: true }).filter((d) => d.isFile()).map((d) => d.name).sort();
  } catch {
    return [];
  }
}
