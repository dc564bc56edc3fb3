/**
 * The append-only files that hold the metric chunks beside the index: `<dbPath>.series/` (the
 * directory comes from the database path, wherever that is). Each store session appends to a
 * file of its own, named after its process, thread and a random part, so two windows, the CLI and
 * the extension never write one file. Bytes once written are never changed: an index saved at any
 * time names only whole chunks that were fsynced before it was saved. What a crash leaves (chunks
 * written after the last save, files of sessions whose index lost the race to be saved last) is
 * named by no index and removed once its process is gone.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { threadId } from 'node:worker_threads';
import type { Database } from 'sql.js';
import { processExists } from './database';

const FILE_NAME = /^(\d+)-\d+-[0-9a-f]+\.chunks$/;

interface SessionFile {
  id: number;
  fd: number;
  /** Where the next chunk goes; moves only after a write succeeded. */
  end: number;
  unsynced: boolean;
  /** Its name is not yet durable in the directory. */
  created: boolean;
}

export function seriesDirOf(dbPath: string): string {
  return `${dbPath}.series`;
}

export class SeriesFiles {
  private session: SessionFile | undefined;
  private readonly readers = new Map<number, number>();

  /** `dir` null: an in-memory index, whose chunks all stay in the index. */
  constructor(readonly dir: string | null) {}

  /**
   * Why the index cannot be used with the files beside it (one it names is missing or shorter than
   * what it wrote there: deleted by hand, or cut short by another writer), or null when it can.
   */
  verify(db: Database): string | null {
    for (const [, name, length] of db.exec('SELECT id, name, length FROM series_files')[0]?.values ?? []) {
      if (this.dir === null) return 'the index names series files but has no folder for them';
      let size: number;
      try {
        size = fs.statSync(path.join(this.dir, String(name))).size;
      } catch {
        return `the series file ${String(name)} beside the index is missing`;
      }
      if (size < Number(length)) return `the series file ${String(name)} beside the index is shorter than the index says`;
    }
    return null;
  }

  /** Removes files no index of this database names and whose writer is gone (a read-only folder keeps them). */
  collectGarbage(db: Database): void {
    if (this.dir === null) return;
    const named = new Set((db.exec('SELECT name FROM series_files')[0]?.values ?? []).map((r) => String(r[0])));
    let names: string[];
    try {
      names = fs.readdirSync(this.dir);
    } catch {
      return;
    }
    for (const name of names) {
      const m = FILE_NAME.exec(name);
      if (!m || named.has(name) || processExists(Number(m[1]))) continue;
      try {
        fs.rmSync(path.join(this.dir, name), { force: true });
      } catch {
        /* kept: it only costs space */
      }
    }
  }

  /**
   * Appends the chunks to this session's file and returns where each went. Nothing is recorded
   * in the index here: the caller points the chunk rows at the offsets once every write succeeded.
   */
  append(db: Database, chunks: readonly Uint8Array[]): { fileId: number; offsets: number[] } {
    const file = this.sessionFile(db);
    const offsets: number[] = [];
    let at = file.end;
    const all = Buffer.concat(chunks);
    for (const c of chunks) {
      offsets.push(at);
      at += c.byteLength;
    }
    let written = 0;
    while (written < all.byteLength) written += fs.writeSync(file.fd, all, written, all.byteLength - written, file.end + written);
    file.end = at;
    file.unsynced = true;
    db.run('UPDATE series_files SET length = ? WHERE id = ?', [file.end, file.id]);
    return { fileId: file.id, offsets };
  }

  /** Makes what was appended durable; called before the index that names it is saved. */
  sync(): void {
    if (this.session?.unsynced) {
      fs.fsyncSync(this.session.fd);
      this.session.unsynced = false;
    }
    if (this.session?.created && this.dir !== null) {
      const dirFd = fs.openSync(this.dir, 'r');
      try {
        fs.fsyncSync(dirFd);
      } finally {
        closeQuietly(dirFd);
      }
      this.session.created = false;
    }
  }

  /** `length` bytes at `offset` of a series file, into `into` when given (it must hold them). */
  read(db: Database, fileId: number, offset: number, length: number, into?: Uint8Array): Uint8Array {
    let fd = this.readers.get(fileId);
    if (fd === undefined) {
      const name = db.exec('SELECT name FROM series_files WHERE id = ?', [fileId])[0]?.values[0]?.[0];
      if (name === undefined || this.dir === null) throw new Error(`the index names series file ${fileId}, which it does not list`);
      fd = fs.openSync(path.join(this.dir, String(name)), 'r');
      this.readers.set(fileId, fd);
    }
    const out = into ? into.subarray(0, length) : Buffer.allocUnsafe(length);
    let got = 0;
    while (got < length) {
      const n = fs.readSync(fd, out, got, length - got, offset + got);
      if (n === 0) throw new Error(`a series file ends before a chunk the index names (${this.dir}, file ${fileId})`);
      got += n;
    }
    return out;
  }

  close(): void {
    for (const fd of this.readers.values()) closeQuietly(fd);
    this.readers.clear();
    if (this.session) closeQuietly(this.session.fd);
    this.session = undefined;
  }

  private sessionFile(db: Database): SessionFile {
    if (this.session) return this.session;
    if (this.dir === null) throw new Error('an in-memory index has no series files');
    fs.mkdirSync(this.dir, { recursive: true });
    const name = `${process.pid}-${threadId}-${randomBytes(6).toString('hex')}.chunks`;
    const fd = fs.openSync(path.join(this.dir, name), 'wx+');
    try {
      db.run('INSERT INTO series_files (name, length) VALUES (?, 0)', [name]);
    } catch (e) {
      closeQuietly(fd);
      throw e;
    }
    const id = Number(db.exec('SELECT last_insert_rowid()')[0]!.values[0]![0]);
    this.session = { id, fd, end: 0, unsynced: true, created: true };
    return this.session;
  }
}

function closeQuietly(fd: number): void {
  try {
    fs.closeSync(fd);
  } catch {
    /* closing is best effort */
  }
}
