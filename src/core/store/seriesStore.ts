/**
 * Where metric points live (DESIGN.md, "Where data lives"). The index holds one row per chunk of
 * up to CHUNK_POINTS points of a (run, key, source), in logged order, with the chunk's step range
 * and finite min/max; the chunk's bytes (seriesChunks.ts) live in a series file beside the index
 * (seriesFiles.ts), or in the index (chunk_data) while they are new or still growing:
 *
 * - Ingest writes chunks into the index only, inside the source's transaction (a rollback takes
 *   them along). Points of a (run, key, source) go into its last chunk while that chunk is still in
 *   the index and has room, so a live run that logs a point at a time makes no tiny chunks.
 * - They move out to this session's series file before each save (fsynced before the index that
 *   names them is written; a chunk with room left, kept compact in the index, takes the encoding
 *   the files keep, seriesChunks.ts), and during a big ingest once they pass SPILL_BYTES, so memory holds
 *   the index, not the points. The growing last chunk of a live run stays in the index until it is
 *   full or the run goes quiet (ends, or its file unchanged for IDLE_FINISHED_MS).
 * - Reads take the chunk rows of (run, key) and decode them; a step range reads only the chunks
 *   whose step range meets it.
 *
 * So the index grows with runs, keys and chunks (one row per 4,096 points), and a save writes the
 * new chunks plus an index that holds no points.
 */
import type { Database, SqlValue, Statement } from 'sql.js';
import { CHUNK_POINTS, chunkStats, decodeChunk, encodeChunk, forFiles, type PointColumns } from './seriesChunks';
import { SeriesFiles } from './seriesFiles';

/** New chunk bytes the index may hold before a big ingest moves them out. */
export const SPILL_BYTES = 32 * 1024 * 1024;

/** A run whose files have not changed for this long is idle (as queries.ts shows it finished). */
export const TAIL_IDLE_MS = 10 * 60 * 1000;

export interface NewPoints {
  steps: readonly number[];
  times: readonly number[];
  values: readonly number[];
}

export interface StepRange {
  from: number;
  to: number;
}

/** One chunk row of a series: where its bytes are and the steps it covers (null: no point has a step). */
export interface SeriesChunk {
  id: number;
  count: number;
  minStep: number | null;
  maxStep: number | null;
  fileId: number | null;
  offset: number | null;
  length: number | null;
  /** The bytes while they are still in the index. */
  data: Uint8Array | null;
}

export class SeriesStore {
  /** Bytes of chunks written into the index since they last moved out. */
  private inlineBytes = 0;
  /** Moving out failed (read-only folder, disk full): left to the next save, which reports it. */
  private spillBlocked = false;

  constructor(readonly db: Database, readonly files: SeriesFiles) {}

  /** Adds points of (run, key, source) after those it has. Call inside the ingest transaction. */
  append(runId: number, key: string, sourceId: number, p: NewPoints): void {
    const n = p.values.length;
    let from = 0;
    const last = this.db.exec(
      `SELECT c.id, c.count, d.data FROM metric_chunks c LEFT JOIN chunk_data d ON d.chunk_id = c.id
       WHERE c.run_id = ? AND c.key = ? AND c.source_id = ? ORDER BY c.id DESC LIMIT 1`, [runId, key, sourceId],
    )[0]?.values[0];
    if (last && last[2] !== null && Number(last[1]) < CHUNK_POINTS) {
      const count = Number(last[1]);
      from = Math.min(CHUNK_POINTS - count, n);
      const old = decodeChunk(last[2] as Uint8Array, count);
      const steps = [...old.steps, ...p.steps.slice(0, from)];
      const times = [...old.times, ...p.times.slice(0, from)];
      const values = [...old.values, ...p.values.slice(0, from)];
      const data = encodeChunk(steps, times, values, 0, steps.length, steps.length < CHUNK_POINTS);
      const s = chunkStats(steps, values);
      this.db.run('UPDATE metric_chunks SET count = ?, min_step = ?, max_step = ?, lo = ?, hi = ? WHERE id = ?',
        [s.count, s.minStep, s.maxStep, s.lo, s.hi, Number(last[0])]);
      this.db.run('UPDATE chunk_data SET data = ? WHERE chunk_id = ?', [data, Number(last[0])]);
      this.inlineBytes += data.byteLength;
    }
    for (let i = from; i < n; i += CHUNK_POINTS) {
      const end = Math.min(i + CHUNK_POINTS, n);
      const data = encodeChunk(p.steps, p.times, p.values, i, end, end - i < CHUNK_POINTS);
      const s = chunkStats(p.steps, p.values, i, end);
      this.db.run(
        'INSERT INTO metric_chunks (run_id, key, source_id, count, min_step, max_step, lo, hi) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        [runId, key, sourceId, s.count, s.minStep, s.maxStep, s.lo, s.hi],
      );
      this.db.run('INSERT INTO chunk_data (chunk_id, data) VALUES (last_insert_rowid(), ?)', [data]);
      this.inlineBytes += data.byteLength;
    }
  }

  /** After an ingest transaction committed: moves chunks out once the index holds too many. */
  afterCommit(): void {
    if (this.inlineBytes < SPILL_BYTES || this.spillBlocked || this.files.dir === null) return;
    try {
      this.spill();
    } catch {
      this.spillBlocked = true;
    }
  }

  /**
   * Before the index is saved: every chunk but the growing tails of live runs goes to the series
   * file, which is then fsynced. Throws what failed (the index must not be saved then).
   */
  beforeSave(): void {
    if (this.files.dir === null) return;
    this.spillBlocked = false;
    this.spill();
    this.files.sync();
  }

  /** The points of (run, key) in logged order, or undefined when there are none. Times only `withTimes`. */
  readColumns(runId: number, key: string, withTimes = true, range?: StepRange): PointColumns | undefined {
    const where = range ? ' AND c.max_step >= ? AND c.min_step <= ?' : '';
    const params: SqlValue[] = range ? [runId, key, range.from, range.to] : [runId, key];
    const stmt = this.db.prepare(`SELECT c.count, c.file_id, c.offset, c.length, d.data FROM metric_chunks c LEFT JOIN chunk_data d ON d.chunk_id = c.id
      WHERE c.run_id = ? AND c.key = ?${where} ORDER BY c.id`);
    const parts: PointColumns[] = [];
    let total = 0;
    try {
      stmt.bind(params);
      while (stmt.step()) {
        const [count, fileId, offset, length, data] = stmt.get() as [number, number | null, number | null, number | null, Uint8Array | null];
        const bytes = data ?? this.files.read(this.db, fileId!, offset!, length!);
        parts.push(decodeChunk(bytes, count, withTimes));
        total += count;
      }
    } finally {
      stmt.free();
    }
    if (total === 0) return undefined;
    const columns = parts.length === 1 ? parts[0]! : concat(parts, total, withTimes);
    return range ? withinSteps(columns, range) : columns;
  }

  /** The chunk rows of (run, key) in logged order, with their step ranges: what a reader picks from. */
  chunksOf(runId: number, key: string): SeriesChunk[] {
    const stmt = this.db.prepare(`SELECT c.id, c.count, c.min_step, c.max_step, c.file_id, c.offset, c.length, d.data
      FROM metric_chunks c LEFT JOIN chunk_data d ON d.chunk_id = c.id WHERE c.run_id = ? AND c.key = ? ORDER BY c.id`);
    const out: SeriesChunk[] = [];
    try {
      stmt.bind([runId, key]);
      while (stmt.step()) {
        const [id, count, minStep, maxStep, fileId, offset, length, data] = stmt.get() as [number, number, number | null, number | null, number | null, number | null, number | null, Uint8Array | null];
        out.push({ id, count, minStep, maxStep, fileId, offset, length, data });
      }
    } finally {
      stmt.free();
    }
    return out;
  }

  /** A chunk's encoded bytes, from the index or its series file. */
  bytesOf(chunk: SeriesChunk): Uint8Array {
    return chunk.data ?? this.files.read(this.db, chunk.fileId!, chunk.offset!, chunk.length!);
  }

  /**
   * Each chunk's encoded bytes, in order. Chunks that lie back to back in a series file (as a
   * series written out at once does) are read with one read, into `buffer(n)`: the bytes handed
   * to `each` are valid until it returns.
   */
  forEachBytes(chunks: readonly SeriesChunk[], buffer: (n: number) => Uint8Array, each: (bytes: Uint8Array, index: number) => void): void {
    for (let i = 0; i < chunks.length;) {
      const c = chunks[i]!;
      if (c.data) {
        each(c.data, i++);
        continue;
      }
      let end = i + 1;
      let length = c.length!;
      for (let next = chunks[end]; next && !next.data && next.fileId === c.fileId && next.offset === c.offset! + length; next = chunks[++end]) length += next.length!;
      const bytes = this.files.read(this.db, c.fileId!, c.offset!, length, buffer(length));
      for (let at = 0; i < end; i++) {
        each(bytes.subarray(at, at + chunks[i]!.length!), i);
        at += chunks[i]!.length!;
      }
    }
  }

  /** The smallest and largest step of `key` over these runs (null when none has a step). */
  stepExtent(runIds: readonly number[], key: string): StepRange | null {
    if (runIds.length === 0) return null;
    let from = Infinity;
    let to = -Infinity;
    for (let i = 0; i < runIds.length; i += 500) {
      const part = runIds.slice(i, i + 500);
      const row = this.db.exec(`SELECT min(min_step), max(max_step) FROM metric_chunks WHERE key = ? AND run_id IN (${part.map(() => '?').join(', ')})`, [key, ...part])[0]?.values[0];
      if (row?.[0] !== null && row?.[0] !== undefined) from = Math.min(from, Number(row[0]));
      if (row?.[1] !== null && row?.[1] !== undefined) to = Math.max(to, Number(row[1]));
    }
    return from <= to ? { from, to } : null;
  }

  /** What identifies the current chunks of (run, key): their number, their points, the newest row. */
  version(stmt: Statement, runId: number, key: string): string {
    stmt.bind([runId, key]);
    stmt.step();
    const [chunks, points, last] = stmt.get();
    stmt.reset();
    return `${runId}/${chunks}/${points}/${last}`;
  }

  /** The statement `version` runs; the caller frees it. */
  prepareVersion(): Statement {
    return this.db.prepare('SELECT count(*), sum(count), max(id) FROM metric_chunks WHERE run_id = ? AND key = ?');
  }

  keysOf(runId: number): string[] {
    return (this.db.exec('SELECT DISTINCT key FROM metric_chunks WHERE run_id = ?', [runId])[0]?.values ?? []).map((r) => String(r[0]));
  }

  close(): void {
    this.files.close();
  }

  private spill(): void {
    const idleBefore = Date.now() - TAIL_IDLE_MS;
    const rows = this.db.exec(
      `SELECT c.id, d.data, c.count FROM chunk_data d JOIN metric_chunks c ON c.id = d.chunk_id WHERE NOT (
        c.count < ${CHUNK_POINTS}
        AND c.id = (SELECT max(x.id) FROM metric_chunks x WHERE x.run_id = c.run_id AND x.key = c.key AND x.source_id = c.source_id)
        AND (SELECT r.status FROM runs r WHERE r.id = c.run_id) = 'running'
        AND COALESCE((SELECT s.mtime FROM sources s WHERE s.id = c.source_id), 0) >= ?)`,
      [idleBefore],
    )[0]?.values ?? [];
    if (rows.length > 0) {
      // A chunk with room left was kept compact while in the index: the files get it as charts read best.
      for (const r of rows) if (Number(r[2]) < CHUNK_POINTS) r[1] = forFiles(r[1] as Uint8Array, Number(r[2]));
      const { fileId, offsets } = this.files.append(this.db, rows.map((r) => r[1] as Uint8Array));
      const moved = this.db.prepare('UPDATE metric_chunks SET file_id = ?, offset = ?, length = ? WHERE id = ?');
      const dropped = this.db.prepare('DELETE FROM chunk_data WHERE chunk_id = ?');
      try {
        rows.forEach((r, i) => {
          moved.run([fileId, offsets[i]!, (r[1] as Uint8Array).byteLength, r[0]!]);
          dropped.run([r[0]!]);
        });
      } finally {
        moved.free();
        dropped.free();
      }
    }
    this.inlineBytes = 0;
  }
}

function concat(parts: readonly PointColumns[], total: number, withTimes: boolean): PointColumns {
  const out = { steps: new Float64Array(total), times: new Float64Array(withTimes ? total : 0), values: new Float64Array(total) };
  let at = 0;
  for (const p of parts) {
    out.steps.set(p.steps, at);
    if (withTimes) out.times.set(p.times, at);
    out.values.set(p.values, at);
    at += p.values.length;
  }
  return out;
}

/** The points whose step lies in the range, in their order. */
function withinSteps(c: PointColumns, range: StepRange): PointColumns {
  const n = c.values.length;
  const keep: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = c.steps[i]!;
    if (s >= range.from && s <= range.to) keep.push(i);
  }
  if (keep.length === n) return c;
  const withTimes = c.times.length === n;
  const out = { steps: new Float64Array(keep.length), times: new Float64Array(withTimes ? keep.length : 0), values: new Float64Array(keep.length) };
  keep.forEach((from, to) => {
    out.steps[to] = c.steps[from]!;
    if (withTimes) out.times[to] = c.times[from]!;
    out.values[to] = c.values[from]!;
  });
  return out;
}
