/**
 * Dataset versions as runs recorded them (`dataset` events): one version is one path with one
 * content hash, and lists the runs that read it. The Datasets view and the schema diff's "two
 * runs" flow show them.
 */

export interface DatasetUse {
  runUid: string;
  runName: string;
  experiment: string;
  role: string | null;
  /** Seconds since the epoch. */
  started: number | null;
  /** The git commit recorded with the run: where an older version of the file may still be found. */
  gitCommit: string | null;
}

export interface DatasetVersion {
  /** As recorded: workspace-relative with forward slashes, or absolute when outside the workspace. */
  path: string;
  /** Null when the run recorded no hash. */
  sha256: string | null;
  rows: number | null;
  bytes: number | null;
  /** Earliest start first (runs without a start time last). */
  uses: DatasetUse[];
}

/** The start of the earliest run that read this version (null when none has a start time). */
export function firstUsed(v: DatasetVersion): number | null {
  let first: number | null = null;
  for (const u of v.uses) if (u.started !== null && (first === null || u.started < first)) first = u.started;
  return first;
}

/** A short form of a content hash for labels. */
export function shortHash(sha256: string | null): string {
  return sha256 ? sha256.slice(0, 12) : 'no hash';
}
