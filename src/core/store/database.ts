/**
 * Opening and saving the sql.js database file. The file is an index that can always be rebuilt
 * from the sources, so a file that will not open is set aside (never deleted) and started afresh.
 */
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { threadId } from 'node:worker_threads';
import initSqlJs, { type Database, type SqlJsStatic } from 'sql.js';
import { stampChecksum, verifyChecksum } from './indexChecksum';
import { readIndexFile } from './journalReplay';
import { decodeJournal, isWriterGone, journalPathOf } from './pageJournal';
import { closeQuietly, removeQuietly, saveChangedPages, savedImageOf, type SavedImage } from './pageSave';
import { MIGRATIONS, SCHEMA_VERSION } from './schema';

/**
 * Bump when readers change what they derive from the same bytes, or the series chunks' format
 * changes (seriesChunks.ts): stored content is then rebuilt.
 */
export const DERIVATION_VERSION = '5';

export interface OpenedDatabase {
  db: Database;
  /** Why the database starts empty, when it does: 'new', 'set-aside', 'outdated'. */
  fresh: 'new' | 'set-aside' | 'outdated' | null;
  /** Where an unreadable database file was moved. */
  setAsidePath?: string;
  reason?: string;
  /** The file as read, for the first save to write only what changed (absent when it starts empty). */
  image?: SavedImage;
  /** What was done about the journal of a save that was cut short. */
  recovery?: string;
}

export function findSqlWasm(explicit?: string): string {
  const candidates = [
    explicit,
    path.join(__dirname, 'sql-wasm.wasm'),
    path.join(__dirname, '..', 'dist', 'sql-wasm.wasm'),
  ];
  for (const c of candidates) if (c && fs.existsSync(c)) return c;
  // Unbundled (tests, tsx): the file sits in the package.
  return createRequire(__filename).resolve('sql.js/dist/sql-wasm.wasm');
}

export async function loadSqlJs(wasmPath?: string): Promise<SqlJsStatic> {
  const wasmBinary = fs.readFileSync(findSqlWasm(wasmPath));
  return initSqlJs({ wasmBinary: wasmBinary.buffer.slice(wasmBinary.byteOffset, wasmBinary.byteOffset + wasmBinary.byteLength) as ArrayBuffer });
}

export function openDatabase(SQL: SqlJsStatic, file: string | null): OpenedDatabase {
  if (file !== null) removeStaleTempFiles(file);
  if (file === null || !fs.existsSync(file)) return { db: createFresh(SQL), fresh: 'new' };
  let db: Database | undefined;
  let recovery: string | undefined;
  try {
    const read = readIndexFile(file, processExists);
    recovery = read.note;
    const bytes = read.bytes;
    verifyChecksum(bytes);
    db = new SQL.Database(bytes);
    const check = db.exec('PRAGMA quick_check')[0]?.values[0]?.[0];
    if (check !== 'ok') throw new Error(`integrity check: ${String(check)}`);
    const version = Number(db.exec('PRAGMA user_version')[0]?.values[0]?.[0] ?? 0);
    if (version > SCHEMA_VERSION) throw new Error(`schema version ${version} is newer than this ExpTrack (${SCHEMA_VERSION})`);
    migrate(db);
    const derivation = db.exec("SELECT value FROM meta WHERE key = 'derivation'")[0]?.values[0]?.[0];
    if (derivation !== DERIVATION_VERSION) {
      db.close();
      const reason = derivation === undefined ? 'the file holds no ExpTrack index (empty, or made by another program)'
        : `index built by an older reader version (${String(derivation)})`;
      return { db: createFresh(SQL), fresh: 'outdated', reason, recovery };
    }
    return { db, fresh: null, image: read.image, recovery };
  } catch (e) {
    db?.close();
    const reason = (e as Error).message;
    const setAsidePath = `${file}.unreadable-${Date.now()}`;
    try {
      fs.renameSync(file, setAsidePath);
    } catch (moveError) {
      // Could not move it (read-only folder): the in-memory index still works; saving will report.
      // No setAsidePath then: nothing is there.
      return { db: createFresh(SQL), fresh: 'set-aside', reason: `${reason}; it could not be moved aside: ${(moveError as Error).message}`, recovery };
    }
    return { db: createFresh(SQL), fresh: 'set-aside', setAsidePath, reason, recovery };
  }
}

export function createFresh(SQL: SqlJsStatic): Database {
  const db = new SQL.Database();
  // Chunks that move out to the series files free their pages: give them back before each save.
  db.exec('PRAGMA auto_vacuum = INCREMENTAL');
  migrate(db);
  db.run("INSERT OR REPLACE INTO meta (key, value) VALUES ('derivation', ?)", [DERIVATION_VERSION]);
  return db;
}

function migrate(db: Database): void {
  const current = Number(db.exec('PRAGMA user_version')[0]?.values[0]?.[0] ?? 0);
  for (const m of MIGRATIONS) {
    if (m.version <= current) continue;
    db.exec('BEGIN');
    try {
      db.exec(m.sql);
      db.exec(`PRAGMA user_version = ${m.version}`);
      db.exec('COMMIT');
    } catch (e) {
      db.exec('ROLLBACK');
      throw e;
    }
  }
}

export interface SaveResult {
  /** Bytes written to disk: the journal and the changed pages, or the whole file. */
  written: number;
  /** What the file now holds, for the next save to compare with (absent: the next save writes it whole). */
  image: SavedImage | undefined;
}

/**
 * Saves the database. With the image this process last read or wrote, only the pages that changed
 * are written (pageSave.ts); otherwise, or when most pages changed, or another writer saved since,
 * the whole file is written beside the index, fsynced and renamed into place. Either way a crash
 * mid-save leaves the previous file or the new one. sql.js's export() frees prepared statements:
 * callers re-prepare. Any failure (disk full, read-only folder) throws one message that names the
 * file, and leaves the previous file as it was and no temp file behind.
 */
export function saveDatabase(db: Database, file: string, previous?: SavedImage): SaveResult {
  try {
    db.exec('PRAGMA incremental_vacuum');
    const bytes = db.export();
    stampChecksum(bytes);
    return (previous && saveChangedPages(file, bytes, previous)) ?? saveWholeFile(bytes, file);
  } catch (e) {
    throw new Error(`could not save the run index to ${file}: ${(e as Error).message} (the previous file is kept; the run files hold everything)`);
  }
}

function saveWholeFile(bytes: Uint8Array, file: string): SaveResult {
  // The pid names a temp file its owner can be asked about (removeStaleTempFiles); the thread id
  // keeps two stores of one process (worker threads) from writing the same temp file.
  const tmp = `${file}.${process.pid}-${threadId}.tmp`;
  let fd: number | undefined;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fd = fs.openSync(tmp, 'w');
    let written = 0;
    while (written < bytes.byteLength) written += fs.writeSync(fd, bytes, written, bytes.byteLength - written);
    fs.fsyncSync(fd);
    const stat = fs.fstatSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    fs.renameSync(tmp, file);
    removeLeftoverJournal(file);
    return { written: bytes.byteLength, image: savedImageOf(bytes, stat) };
  } catch (e) {
    if (fd !== undefined) closeQuietly(fd);
    removeQuietly(tmp);
    throw e;
  }
}

/** A journal left by a save that was killed names a file that is now replaced: it goes, unless its writer still runs. */
function removeLeftoverJournal(file: string): void {
  const journal = journalPathOf(file);
  let head: Buffer;
  try {
    head = fs.readFileSync(journal).subarray(0, 32);
  } catch {
    return;
  }
  if (isWriterGone(decodeJournal(head), processExists)) removeQuietly(journal);
}

const TEMP_NAME = /^(.*)\.(\d+)(?:-\d+)?\.tmp$/;

/**
 * A process killed mid-save leaves its temp file, a full copy of the index: files of processes
 * that no longer exist are removed when the index is next opened, so crashes do not pile them up.
 */
function removeStaleTempFiles(file: string): void {
  let names: string[];
  try {
    names = fs.readdirSync(path.dirname(file));
  } catch {
    return;
  }
  for (const name of names) {
    const m = TEMP_NAME.exec(name);
    // In a read-only folder the file stays, and costs only space.
    if (m && (m[1] === path.basename(file) || m[1] === path.basename(journalPathOf(file))) && !processExists(Number(m[2]))) removeQuietly(path.join(path.dirname(file), name));
  }
}

export function processExists(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
