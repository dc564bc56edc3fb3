/**
 * One schema diff as a job for the profile worker (profileWorker.ts): the two files to read, the
 * thresholds, and the messages the worker and its caller exchange. Running the job here, apart
 * from the worker entry, keeps it testable in-process.
 */
import type { DriftThresholdsInput, SchemaDiff } from '../../shared/schemaDiff';
import { diffSides, loadSide } from './schemaDiffFiles';

export interface SchemaDiffJobSide {
  /** The file to read (may be a temp file holding a git revision). */
  path: string;
  /** How the side is named in the diff and its messages (e.g. `data/train.csv @ HEAD`). */
  displayName: string;
}

export interface SchemaDiffJob {
  a: SchemaDiffJobSide;
  b: SchemaDiffJobSide;
  thresholds: DriftThresholdsInput;
}

export interface SchemaDiffJobProgress {
  /** Bytes read of both files together, and their total size. */
  bytesRead: number;
  totalBytes: number;
}

export type ProfileWorkerRequest = { type: 'run'; job: SchemaDiffJob } | { type: 'cancel' };

export type ProfileWorkerReply =
  | ({ type: 'progress' } & SchemaDiffJobProgress)
  | { type: 'done'; diff: SchemaDiff }
  | { type: 'failed'; error: string };

export class SchemaDiffCancelled extends Error {
  constructor() {
    super('the schema diff was cancelled');
    this.name = 'SchemaDiffCancelled';
  }
}

/** Profiles both sides at once and diffs them; throws SchemaDiffCancelled when `signal` aborts. */
export async function runSchemaDiffJob(
  job: SchemaDiffJob, options: { signal?: AbortSignal; onProgress?: (p: SchemaDiffJobProgress) => void } = {},
): Promise<SchemaDiff> {
  const read = { a: 0, b: 0 };
  const total = { a: 0, b: 0 };
  const progressOf = (side: 'a' | 'b') => (bytesRead: number, totalBytes: number) => {
    read[side] = bytesRead;
    total[side] = totalBytes;
    options.onProgress?.({ bytesRead: read.a + read.b, totalBytes: total.a + total.b });
  };
  const [a, b] = await Promise.all([
    loadSide(job.a.path, { displayName: job.a.displayName, signal: options.signal, onProgress: progressOf('a') }),
    loadSide(job.b.path, { displayName: job.b.displayName, signal: options.signal, onProgress: progressOf('b') }),
  ]);
  if (options.signal?.aborted) throw new SchemaDiffCancelled();
  const diff = diffSides(a, b, job.thresholds);
  // Sides carry the path read; the user knows them by their display names (a schema becomes side A whatever the order).
  if (job.a.path === job.b.path) {
    [diff.a.path, diff.b.path] = [job.a.displayName, job.b.displayName];
  } else {
    const names = new Map([[job.a.path, job.a.displayName], [job.b.path, job.b.displayName]]);
    for (const side of [diff.a, diff.b]) side.path = names.get(side.path) ?? side.path;
  }
  return diff;
}
