/**
 * Finds the bytes a run read: the dataset file as it is now when its sha256 still matches what the
 * run recorded, else the file from the git commit recorded with the run (`git show`) when that
 * version's sha256 matches. Anything else would compare data the run never saw, so the answer is
 * then a reason instead of a file.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { resolveInsideWorkspace } from '../workspacePaths';
import { sha256File, writeFileAtRevision } from './gitRevisionFile';

export interface RecordedDataset {
  /** As the run recorded it (workspace-relative or absolute). */
  path: string;
  sha256: string | null;
}

export type RecordedFile =
  | {
      ok: true;
      absPath: string;
      /** `working-tree`: the file in the workspace; `git`: extracted from `commit` into a temp file. */
      from: 'working-tree' | 'git';
      commit?: string;
      /** Something the user should know about the match (e.g. no hash was recorded). */
      note?: string;
    }
  | { ok: false; reason: string };

/**
 * `commits`: the git commits recorded with the runs that read this version, tried in order.
 * Extracted files go to a new folder below `tempDir`; the caller deletes `tempDir` when done.
 */
export async function locateRecordedVersion(
  workspaceRoot: string, dataset: RecordedDataset, commits: readonly string[], tempDir: string,
  options: { signal?: AbortSignal; /** Set when git may not be run: why (the commits are then not tried). */ noGit?: string } = {},
): Promise<RecordedFile> {
  const { signal } = options;
  const resolved = resolveInsideWorkspace(workspaceRoot, dataset.path, { mustExist: false });
  if (!resolved.ok) return { ok: false, reason: resolved.reason };
  const current = await hashIfFile(resolved.absPath);
  if (dataset.sha256 === null) {
    if (current) return { ok: true, absPath: resolved.absPath, from: 'working-tree', note: `the run recorded no content hash for ${dataset.path}: the current file is used` };
    return { ok: false, reason: `${dataset.path} does not exist, and the run recorded no content hash to look for in git` };
  }
  if (current?.sha256 === dataset.sha256) return { ok: true, absPath: resolved.absPath, from: 'working-tree' };

  const tried: string[] = [];
  for (const commit of options.noGit ? [] : [...new Set(commits)]) {
    if (signal?.aborted) return { ok: false, reason: 'cancelled' };
    const dir = await fs.promises.mkdtemp(path.join(tempDir, `${commit.slice(0, 10)}-`));
    const extracted = await writeFileAtRevision(workspaceRoot, commit, resolved.relPath, path.join(dir, path.basename(resolved.absPath)), signal);
    if (extracted.ok && extracted.sha256 === dataset.sha256) return { ok: true, absPath: extracted.absPath, from: 'git', commit: extracted.commit };
    await fs.promises.rm(dir, { recursive: true, force: true });
    tried.push(extracted.ok ? `commit ${commit.slice(0, 10)} holds other content` : extracted.reason);
  }
  const now = current ? 'the file has changed since' : 'the file is gone';
  const git = options.noGit ?? (tried.length ? tried.join('; ') : 'no git commit was recorded with the run');
  return { ok: false, reason: `the recorded version of ${dataset.path} (sha256 ${dataset.sha256.slice(0, 12)}…) is not available: ${now}, and ${git}` };
}

async function hashIfFile(absPath: string): Promise<{ sha256: string } | undefined> {
  try {
    if (!(await fs.promises.stat(absPath)).isFile()) return undefined;
    return await sha256File(absPath);
  } catch {
    return undefined;
  }
}
