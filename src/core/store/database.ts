/**
 * Opening and saving the sql.js database file. The file is an index that can always be rebuilt
 * from the sources, so a file that will not open is set aside (never deleted) and started afresh.
 */
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { threadId } from 'node:worker_threads';
import * as zlib from 'node:zlib';
import initSqlJs, { type Database, type SqlJsStatic } from 'sql.js';
import { MIGRATIONS, SCHEMA_VERSION } from './schema';

/** Bump when readers change what they derive from the same bytes: stored content is then rebuilt. */
export const DERIVATION_VERSION = '4';

export interface OpenedDatabase {
  db: Database;
  /** Why the database starts empty, when it does: 'new', 'set-aside', 'outdated'. */
  fresh: 'new' | 'set-aside' | 'outdated' | null;
  /** Where an unreadable database file was moved. */
  setAsidePath?: string;
  reason?: string;
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
  try {
    const bytes = fs.readFileSync(file);
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
      return { db: createFresh(SQL), fresh: 'outdated', reason };
    }
    return { db, fresh: null };
  } catch (e) {
    db?.close();
    const reason = (e as Error).message;
    const setAsidePath = `${file}.unreadable-${Date.now()}`;
    try {
      fs.renameSync(file, setAsidePath);
    } catch (moveError) {
      // Could not move it (read-only folder): the in-memory index still works; saving will report.
      // No setAsidePath then: nothing is there.
      return { db: createFresh(SQL), fresh: 'set-aside', reason: `${reason}; it could not be moved aside: ${(moveError as Error).message}` };
    }
    return { db: createFresh(SQL), fresh: 'set-aside', setAsidePath, reason };
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

/**
 * Writes the database next to its file, fsyncs and renames it into place, so a crash mid-save
 * leaves the previous file. sql.js's export() frees prepared statements: callers re-prepare.
 * Any failure (disk full, read-only folder) throws one message that names the file, and leaves
 * the previous file as it was and no temp file behind.
 */
export function saveDatabase(db: Database, file: string): number {
  // The pid names a temp file its owner can be asked about (removeStaleTempFiles); the thread id
  // keeps two stores of one process (worker threads) from writing the same temp file.
  const tmp = `${file}.${process.pid}-${threadId}.tmp`;
  let fd: number | undefined;
  try {
    db.exec('PRAGMA incremental_vacuum');
    const bytes = db.export();
    stampChecksum(bytes);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fd = fs.openSync(tmp, 'w');
    let written = 0;
    while (written < bytes.byteLength) written += fs.writeSync(fd, bytes, written, bytes.byteLength - written);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    fs.renameSync(tmp, file);
    return bytes.byteLength;
  } catch (e) {
    if (fd !== undefined) closeQuietly(fd);
    removeQuietly(tmp);
    throw new Error(`could not save the run index to ${file}: ${(e as Error).message} (the previous file is kept; the run files hold everything)`);
  }
}

/**
 * SQLite's own check (quick_check) sees damage to the file's structure, not to the values in it:
 * a damaged page of metric points would be read as other numbers, and since the run files did not
 * change they would never be read again. So every save stamps a CRC-32 of the whole file into the
 * header field SQLite leaves to applications (PRAGMA application_id, bytes 68-71), and opening
 * checks it. 0 means "not stamped" (files from before, or a Node without zlib.crc32).
 */
const CHECKSUM_OFFSET = 68;

function fileChecksum(bytes: Uint8Array): number {
  const crc32 = (zlib as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;
  if (!crc32 || bytes.byteLength < 100) return 0;
  let crc = crc32(bytes.subarray(0, CHECKSUM_OFFSET));
  crc = crc32(new Uint8Array(4), crc); // the field itself counts as zero
  return crc32(bytes.subarray(CHECKSUM_OFFSET + 4), crc) >>> 0;
}

function stampChecksum(bytes: Uint8Array): void {
  const crc = fileChecksum(bytes);
  if (crc !== 0) new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).setUint32(CHECKSUM_OFFSET, crc);
}

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');

function verifyChecksum(bytes: Buffer): void {
  if (bytes.byteLength === 0) return; // an empty file is an empty database to SQLite
  if (bytes.byteLength < 100 || !bytes.subarray(0, SQLITE_MAGIC.length).equals(SQLITE_MAGIC)) throw new Error('not an SQLite database file');
  const stored = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(CHECKSUM_OFFSET);
  const actual = fileChecksum(bytes);
  if (stored !== 0 && actual !== 0 && stored !== actual) throw new Error('the file was damaged after it was saved (checksum mismatch)');
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
    if (m && m[1] === path.basename(file) && !processExists(Number(m[2]))) removeQuietly(path.join(path.dirname(file), name));
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

// Used while something already failed: the first error is the one reported.
function closeQuietly(fd: number): void {
  try {
    fs.closeSync(fd);
  } catch {
    /* see above */
  }
}

function removeQuietly(file: string): void {
  try {
    fs.rmSync(file, { force: true });
  } catch {
    /* see above */
  }
}
