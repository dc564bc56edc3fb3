/**
 * Incremental reading of one source file. Per file the index keeps the byte offset read so far,
 * size, mtime and a hash of a prefix: a growing log costs only its new bytes, and a file that was
 * rewritten (shorter, or a different prefix) has what it contributed removed and is read again.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import type { Database } from 'sql.js';
import type { SourceProblem } from '../../shared/runTypes';
import type { ExternalModelVersion, RegistryRecord, RunBatch, SourceReader, StudyRecord, TrialRecord } from './sourceReader';

const PREFIX_BYTES = 4096;
const FIRST_CHUNK_BYTES = 8 * 1024 * 1024;

export interface SourceRow {
  id: number;
  path: string;
  reader: string;
  offset: number;
  size: number;
  mtime: number;
  prefixLen: number;
  prefixHash: string;
  line: number;
  state: unknown;
}

export interface SourceSink {
  /** Removes every row the source contributed (it was rewritten or deleted). */
  forgetSource(sourceId: number, removeRuns: boolean): void;
  apply(sourceId: number, relPath: string, batch: RunBatch): void;
  problems(sourceId: number, problems: SourceProblem[]): void;
  registry(sourceId: number, records: RegistryRecord[]): void;
  models(sourceId: number, models: ExternalModelVersion[]): void;
  studies(sourceId: number, studies: StudyRecord[], trials: TrialRecord[]): void;
}

export type TrackOutcome = 'unchanged' | 'appended' | 'reread' | 'removed';

export function loadSourceRow(db: Database, relPath: string): SourceRow | undefined {
  const res = db.exec('SELECT id, path, reader, offset, size, mtime, prefix_len, prefix_hash, line, state FROM sources WHERE path = ?', [relPath]);
  const r = res[0]?.values[0];
  if (!r) return undefined;
  return {
    id: Number(r[0]), path: String(r[1]), reader: String(r[2]), offset: Number(r[3]), size: Number(r[4]), mtime: Number(r[5]),
    prefixLen: Number(r[6]), prefixHash: String(r[7]), line: Number(r[8]), state: r[9] === null ? undefined : JSON.parse(String(r[9])),
  };
}

/**
 * Reads what is new in `absPath` and hands it to the sink. Throws only for I/O errors other than a
 * vanished file. A file that vanishes after it was listed (its run folder deleted while the
 * workspace is being read) is gone as any deleted file is: what it gave is removed, and a file
 * never read is passed over.
 */
export function trackSource(db: Database, sink: SourceSink, reader: SourceReader, absPath: string, relPath: string): TrackOutcome {
  const row = loadSourceRow(db, relPath);
  const forget = (): TrackOutcome => {
    if (!row) return 'unchanged';
    sink.forgetSource(row.id, true);
    db.run('DELETE FROM sources WHERE id = ?', [row.id]);
    return 'removed';
  };
  const vanished = (e: unknown): TrackOutcome => {
    if (!isGone(e)) throw e;
    return forget();
  };
  let stat: fs.Stats;
  try {
    stat = fs.statSync(absPath);
  } catch (e) {
    return vanished(e);
  }
  // A FIFO would block this thread on open until someone writes to it, and a folder has no bytes.
  if (!stat.isFile()) return forget();
  if (row && row.reader === reader.id && row.size === stat.size && row.mtime === stat.mtimeMs) return 'unchanged';

  let fd: number;
  try {
    fd = fs.openSync(absPath, 'r');
  } catch (e) {
    return vanished(e);
  }
  // Once open, the file reads to the end even if it is deleted meanwhile (the next ingest removes it).
  try {
    const grown = row !== undefined && row.reader === reader.id && !reader.wholeFile && stat.size >= row.offset
      && hashPrefix(fd, row.prefixLen) === row.prefixHash;
    const sourceId = row?.id ?? insertSource(db, relPath, reader.id);
    if (row && !grown) sink.forgetSource(sourceId, false);
    let offset = grown ? row.offset : 0;
    let line = grown ? row.line : 1;
    let state = grown ? row.state : undefined;
    let chunk = reader.wholeFile ? Math.max(stat.size, 1) : FIRST_CHUNK_BYTES;
    // An empty file is read once too: for some formats empty is a value (an MLflow param), for others a problem.
    let first = !grown;
    while (offset < stat.size || first) {
      first = false;
      const length = Math.min(chunk, stat.size - offset);
      const bytes = Buffer.allocUnsafe(length);
      const got = length ? fs.readSync(fd, bytes, 0, length, offset) : 0;
      const atEnd = offset + got >= stat.size;
      const out = reader.read({ path: absPath, relPath, bytes: bytes.subarray(0, got), offset, line, state, atEnd });
      for (const batch of out.batches) sink.apply(sourceId, relPath, batch);
      if (out.problems.length) sink.problems(sourceId, out.problems);
      if (out.registry?.length) sink.registry(sourceId, out.registry);
      if (out.models?.length) sink.models(sourceId, out.models);
      if (out.studies?.length || out.trials?.length) sink.studies(sourceId, out.studies ?? [], out.trials ?? []);
      offset += out.consumed;
      line += out.lines;
      state = out.state;
      if (atEnd || got === 0) break;
      // Nothing consumed: one record is larger than the chunk, so offer more of the file at once.
      if (out.consumed === 0) chunk *= 2;
    }
    const prefixLen = Math.min(offset, PREFIX_BYTES);
    db.run(
      'UPDATE sources SET reader = ?, offset = ?, size = ?, mtime = ?, prefix_len = ?, prefix_hash = ?, line = ?, state = ? WHERE id = ?',
      [reader.id, offset, stat.size, stat.mtimeMs, prefixLen, hashPrefix(fd, prefixLen), line, state === undefined ? null : JSON.stringify(state), sourceId],
    );
    return grown ? 'appended' : 'reread';
  } finally {
    fs.closeSync(fd);
  }
}

/** ENOENT, or ENOTDIR when a folder on the path was replaced by a file. */
function isGone(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

function insertSource(db: Database, relPath: string, reader: string): number {
  db.run("INSERT INTO sources (path, reader, offset, size, mtime, prefix_len, prefix_hash, line) VALUES (?, ?, 0, 0, 0, 0, '', 1)", [relPath, reader]);
  return Number(db.exec('SELECT last_insert_rowid()')[0]!.values[0]![0]);
}

function hashPrefix(fd: number, length: number): string {
  const buf = Buffer.alloc(length);
  const got = length ? fs.readSync(fd, buf, 0, length, 0) : 0;
  return createHash('sha1').update(buf.subarray(0, got)).digest('hex');
}
