/**
 * Opening and saving the sql.js database file. The file is an index that can always be rebuilt
 * from the sources, so a file that will not open is set aside (never deleted) and started afresh.
 */
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import initSqlJs, { type Database, type SqlJsStatic } from 'sql.js';
import { MIGRATIONS, SCHEMA_VERSION } from './schema';

/** Bump when readers change what they derive from the same bytes: stored content is then rebuilt. */
export const DERIVATION_VERSION = '1';

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
  if (file === null || !fs.existsSync(file)) return { db: createFresh(SQL), fresh: 'new' };
  let db: Database | undefined;
  try {
    db = new SQL.Database(fs.readFileSync(file));
    const check = db.exec('PRAGMA quick_check')[0]?.values[0]?.[0];
    if (check !== 'ok') throw new Error(`integrity check: ${String(check)}`);
    const version = Number(db.exec('PRAGMA user_version')[0]?.values[0]?.[0] ?? 0);
    if (version > SCHEMA_VERSION) throw new Error(`schema version ${version} is newer than this ExpTrack (${SCHEMA_VERSION})`);
    migrate(db);
    const derivation = db.exec("SELECT value FROM meta WHERE key = 'derivation'")[0]?.values[0]?.[0];
    if (derivation !== DERIVATION_VERSION) {
      db.close();
      return { db: createFresh(SQL), fresh: 'outdated', reason: `index built by an older reader version (${String(derivation)})` };
    }
    return { db, fresh: null };
  } catch (e) {
    db?.close();
    const setAsidePath = `${file}.unreadable-${Date.now()}`;
    try {
      fs.renameSync(file, setAsidePath);
    } catch {
      // Could not move it (read-only folder): the in-memory index still works; saving will report.
    }
    return { db: createFresh(SQL), fresh: 'set-aside', setAsidePath, reason: (e as Error).message };
  }
}

function createFresh(SQL: SqlJsStatic): Database {
  const db = new SQL.Database();
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
 */
export function saveDatabase(db: Database, file: string): number {
  const bytes = db.export();
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = fs.openSync(tmp, 'w');
  try {
    fs.writeSync(fd, bytes);
    fs.fsyncSync(fd);
  } catch (e) {
    fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    throw e;
  }
  fs.closeSync(fd);
  fs.renameSync(tmp, file);
  return bytes.byteLength;
}
