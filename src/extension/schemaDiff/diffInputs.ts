import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { writeFileAtRevision } from '../../core/datasets/gitRevisionFile';
import { locateRecordedVersion } from '../../core/datasets/recordedVersion';
import { shortHash, type DatasetVersion } from '../../shared/datasetVersions';

/** One side of a schema diff: the file to read and how the user knows it. */
export interface DiffInput {
  /** The file the profiler reads (a temp file for a git revision). */
  readPath: string;
  /** The dataset's name, e.g. `data/train.csv`. */
  title: string;
  /** Where this version comes from, e.g. `working copy`, `at HEAD (3f2a9c1e04)`. */
  detail: string;
  /** The side's name in the diff's messages; unique within a diff. */
  displayName: string;
  /** The file on disk this side *is* (not a copy of an older version): Problems and "Open" use it. */
  liveFile?: vscode.Uri;
  /** Something the user should know about how this side was found. */
  note?: string;
}

export interface DiffRequest {
  a: DiffInput;
  b: DiffInput;
  /** Temp files of this request (git revisions); deleted when the request is no longer shown. */
  temp?: TempFolder;
}

export type InputResult = { ok: true; input: DiffInput } | { ok: false; reason: string };

/** A folder for the files one diff extracts from git, removed with the request. */
export class TempFolder implements vscode.Disposable {
  private constructor(readonly dir: string) {}

  static async create(): Promise<TempFolder> {
    return new TempFolder(await fs.promises.mkdtemp(path.join(os.tmpdir(), 'exptrack-schema-diff-')));
  }

  dispose(): void {
    fs.rm(this.dir, { recursive: true, force: true }, () => undefined);
  }
}

/** How a path reads in labels: workspace-relative when inside the workspace. */
export function displayPath(uri: vscode.Uri): string {
  return vscode.workspace.asRelativePath(uri, false);
}

export function fileInput(uri: vscode.Uri, detail = 'file'): DiffInput {
  const title = displayPath(uri);
  return { readPath: uri.fsPath, title, detail, displayName: title, liveFile: uri };
}

/** Why git is not run: a repository's configuration can make git run programs, and the workspace is not trusted. */
export const RESTRICTED_GIT = 'git is not run in Restricted Mode (trust the workspace to read older versions from git)';

/** `file` as git has it at `rev` (HEAD, a branch, a commit), extracted into `temp`. */
export async function revisionInput(file: vscode.Uri, rev: string, temp: TempFolder): Promise<InputResult> {
  if (!vscode.workspace.isTrusted) return { ok: false, reason: RESTRICTED_GIT };
  const dir = await fs.promises.mkdtemp(path.join(temp.dir, 'rev-'));
  const extracted = await writeFileAtRevision(path.dirname(file.fsPath), rev, path.basename(file.fsPath), path.join(dir, path.basename(file.fsPath)));
  if (!extracted.ok) return { ok: false, reason: `${displayPath(file)} at ${rev}: ${extracted.reason}` };
  const title = displayPath(file);
  const short = extracted.commit.slice(0, 10);
  const at = rev === extracted.commit || extracted.commit.startsWith(rev) ? short : `${rev} (${short})`;
  return { ok: true, input: { readPath: extracted.absPath, title, detail: `at ${at}`, displayName: `${title}@${rev === extracted.commit ? short : rev}` } };
}

/**
 * The bytes of a dataset version that runs recorded: the file itself while its sha256 matches,
 * else the file from a run's git commit when that matches; otherwise the reason it is not available.
 */
export async function recordedInput(workspaceRoot: string, version: DatasetVersion, temp: TempFolder, runName?: string): Promise<InputResult> {
  const commits = version.uses.map((u) => u.gitCommit).filter((c): c is string => c !== null);
  const noGit = vscode.workspace.isTrusted || commits.length === 0 ? undefined : RESTRICTED_GIT;
  const found = await locateRecordedVersion(workspaceRoot, { path: version.path, sha256: version.sha256 }, commits, temp.dir, { noGit });
  if (!found.ok) return { ok: false, reason: found.reason };
  const reader = runName ?? version.uses[0]?.runName;
  const readBy = reader ? ` read by run "${reader}"` : '';
  const from = found.from === 'git' ? `, from git ${found.commit!.slice(0, 10)}` : '';
  const title = version.path;
  return {
    ok: true,
    input: {
      readPath: found.absPath,
      title,
      detail: `version ${shortHash(version.sha256)}${readBy}${from}`,
      displayName: `${title}@${shortHash(version.sha256)}`,
      liveFile: found.from === 'working-tree' ? vscode.Uri.file(found.absPath) : undefined,
      note: found.note ?? (found.from === 'git' ? `${title} has changed since; the version${readBy} was read from git commit ${found.commit!.slice(0, 10)}` : undefined),
    },
  };
}

/** Makes the two display names differ (they key the sides' messages). */
export function distinctNames(a: DiffInput, b: DiffInput): [DiffInput, DiffInput] {
  if (a.displayName !== b.displayName) return [a, b];
  return [{ ...a, displayName: `${a.displayName} (A)` }, { ...b, displayName: `${b.displayName} (B)` }];
}
