import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { threadId } from 'node:worker_threads';
import initSqlJs, { type Database, type SqlJsStatic } from 'sql.js';
import { saveDatabase } from '../../../src/core/store/database';
import { fileChecksum, stampChecksum, stampedChecksum, verifyChecksum } from '../../../src/core/store/indexChecksum';
import { readIndexFile } from '../../../src/core/store/journalReplay';
import { applyToImage, decodeJournal, encodeJournal, journalPathOf, type JournalRecord } from '../../../src/core/store/pageJournal';
import { pageHashes } from '../../../src/core/store/pageHashes';
import { changedPages, savedImageOf } from '../../../src/core/store/pageSave';

const nobodyElse = () => false;

describe('page journal', () => {
  let SQL: SqlJsStatic;
  let dir: string;
  before(async () => (SQL = await initSqlJs()));
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exptrack-journal-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** A small database as saved, then the same after a change: two stamped page images. */
  function twoImages(change: (db: Database) => void): { before: Uint8Array; after: Uint8Array } {
    const db = new SQL.Database();
    db.exec('PRAGMA auto_vacuum = INCREMENTAL; CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT); CREATE TABLE u (k INTEGER PRIMARY KEY, v TEXT)');
    for (let i = 0; i < 400; i++) db.run('INSERT INTO t VALUES (?, ?)', [i, `row ${i} `.repeat(8)]);
    for (let i = 0; i < 400; i++) db.run('INSERT INTO u VALUES (?, ?)', [i, `other ${i} `.repeat(8)]);
    const before = db.export();
    stampChecksum(before);
    change(db);
    db.exec('PRAGMA incremental_vacuum');
    const after = db.export();
    stampChecksum(after);
    db.close();
    return { before, after };
  }

  function recordOf(before: Uint8Array, after: Uint8Array): JournalRecord {
    const image = savedImageOf(before, { ino: 1, size: before.byteLength })!;
    const changed = changedPages({ ...image, hashes: image.hashes! }, after);
    assert.ok(changed !== null, 'most pages changed');
    return { pageSize: image.pageSize, pageCount: after.byteLength / image.pageSize, baseChecksum: image.checksum, checksum: stampedChecksum(after)!, pid: process.pid, threadId, pages: changed.pages };
  }

  const grow = (db: Database) => db.run("UPDATE t SET v = 'changed' WHERE k = 7");
  const shrink = (db: Database) => db.run('DELETE FROM u WHERE k >= 50');

  it('round trip: what is encoded decodes to the same record', () => {
    const { before, after } = twoImages(grow);
    const record = recordOf(before, after);
    assert.ok(record.pages.length >= 2 && record.pages.length < 6, `${record.pages.length} pages changed`);
    const decoded = decodeJournal(encodeJournal(record));
    assert.equal(decoded.kind, 'complete');
    assert.deepEqual(decoded.kind === 'complete' && { ...decoded.record, pages: decoded.record.pages.map((p) => ({ number: p.number, bytes: Buffer.from(p.bytes) })) },
      { ...record, pages: record.pages.map((p) => ({ number: p.number, bytes: Buffer.from(p.bytes) })) });
  });

  for (const [name, change] of [['a changed row', grow], ['deleted rows (the file shrinks)', shrink]] as const) {
    it(`replaying a record gives, byte for byte, the file a whole write gives: ${name}`, () => {
      const { before, after } = twoImages(change);
      const record = recordOf(before, after);
      assert.deepEqual(applyToImage(before, record), Buffer.from(after));
      assert.equal(fileChecksum(after), stampedChecksum(after));
    });
  }

  it('a record cut at any byte is incomplete and ignored: the file opens as it was', () => {
    const { before, after } = twoImages(grow);
    const encoded = encodeJournal(recordOf(before, after));
    const file = path.join(dir, 'index.sqlite');
    fs.writeFileSync(file, before);
    for (let cut = 0; cut < encoded.byteLength; cut++) {
      const decoded = decodeJournal(encoded.subarray(0, cut));
      assert.equal(decoded.kind, 'incomplete', `cut at ${cut}: ${decoded.kind}`);
    }
    // And through the file: a few cuts, each left by a killed writer (here: one that no longer runs).
    for (const cut of [0, 1, 35, 36, 40, encoded.byteLength - 4, encoded.byteLength - 1]) {
      fs.writeFileSync(journalPathOf(file), encoded.subarray(0, cut));
      const read = readIndexFile(file, nobodyElse);
      assert.deepEqual(read.bytes, Buffer.from(before), `cut at ${cut}`);
      assert.ok(read.image, 'the file is as on disk');
      assert.match(read.note ?? '', /journal of an unfinished save was ignored/);
    }
  });

  it('a complete record left by a killed save is replayed into the file, which then equals a whole write', () => {
    for (const change of [grow, shrink]) {
      const { before, after } = twoImages(change);
      const record = { ...recordOf(before, after), pid: 999_999_999 };
      const file = path.join(dir, 'index.sqlite');
      const wholeFile = path.join(dir, 'whole.sqlite');
      fs.writeFileSync(wholeFile, after);
      // Killed mid-apply: some pages already written, page 1 (the checksum) not yet.
      const partly = Buffer.from(before);
      const last = record.pages.at(-1)!;
      if ((last.number - 1) * record.pageSize < partly.byteLength) partly.set(last.bytes, (last.number - 1) * record.pageSize);
      for (const start of [before, partly, after]) {
        fs.writeFileSync(file, start);
        fs.writeFileSync(journalPathOf(file), encodeJournal(record));
        const read = readIndexFile(file, nobodyElse);
        assert.deepEqual(read.bytes, Buffer.from(after));
        assert.deepEqual(fs.readFileSync(file), fs.readFileSync(wholeFile), 'the file after replay');
        assert.equal(fs.existsSync(journalPathOf(file)), false, 'the journal is removed once applied');
        assert.equal(read.image?.size, after.byteLength, 'the next save compares with the file as replayed');
        assert.equal(read.image?.checksum, stampedChecksum(after));
        verifyChecksum(read.bytes);
      }
    }
  });

  it('a record whose writer still runs is replayed in memory only, and left to its writer', () => {
    const { before, after } = twoImages(grow);
    const file = path.join(dir, 'index.sqlite');
    fs.writeFileSync(file, before);
    fs.writeFileSync(journalPathOf(file), encodeJournal({ ...recordOf(before, after), pid: 4242 }));
    const read = readIndexFile(file, (pid) => pid === 4242);
    assert.deepEqual(read.bytes, Buffer.from(after));
    assert.equal(read.image, undefined, 'no image: the bytes are not what is on disk');
    assert.deepEqual(fs.readFileSync(file), Buffer.from(before));
    assert.ok(fs.existsSync(journalPathOf(file)));
  });

  it('a damaged record is ignored and reported; a record for another file is ignored', () => {
    const { before, after } = twoImages(grow);
    const file = path.join(dir, 'index.sqlite');
    const record = recordOf(before, after);
    const encoded = encodeJournal(record);
    for (const at of [8, 20, 40, Math.floor(encoded.byteLength / 2), encoded.byteLength - 2]) {
      const damaged = Buffer.from(encoded);
      damaged[at]! ^= 0x10;
      assert.equal(decodeJournal(damaged).kind, 'damaged', `byte ${at}`);
      fs.writeFileSync(file, before);
      fs.writeFileSync(journalPathOf(file), damaged);
      const read = readIndexFile(file, nobodyElse);
      assert.deepEqual(read.bytes, Buffer.from(before));
      assert.match(read.note ?? '', /ignored \((checksum mismatch|page size \d+|.*bytes.*)\)/);
      assert.deepEqual(fs.readFileSync(file), Buffer.from(before), 'the file is untouched');
    }
    assert.equal(decodeJournal(Buffer.concat([encoded, Buffer.alloc(1)])).kind, 'damaged', 'a byte too many');
    // A whole write by another writer replaced the file: the record's base is not in it.
    const other = Buffer.from(before);
    other.writeUInt32BE((stampedChecksum(before)! + 1) >>> 0, 68);
    fs.writeFileSync(file, other);
    fs.writeFileSync(journalPathOf(file), encoded);
    assert.deepEqual(readIndexFile(file, nobodyElse).bytes, other);
  });

  it('saveDatabase writes the changed pages only, and the file equals a whole write byte for byte', () => {
    const db = new SQL.Database();
    db.exec('PRAGMA auto_vacuum = INCREMENTAL; CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT)');
    for (let i = 0; i < 6000; i++) db.run('INSERT INTO t VALUES (?, ?)', [i, `row ${i} `.repeat(8)]);
    const file = path.join(dir, 'index.sqlite');
    const first = saveDatabase(db, file);
    assert.equal(first.written, fs.statSync(file).size);
    let image = first.image;
    for (const change of ["UPDATE t SET v = 'x' WHERE k = 1500", 'INSERT INTO t VALUES (9000, zeroblob(20000))', 'DELETE FROM t WHERE k > 5000']) {
      db.run(change);
      const saved = saveDatabase(db, file, image);
      const size = fs.statSync(file).size;
      assert.ok(saved.written < size / 4, `${change}: ${saved.written} bytes written for a file of ${size}`);
      assert.equal(fs.existsSync(journalPathOf(file)), false);
      const whole = path.join(dir, 'whole.sqlite');
      saveDatabase(db, whole);
      assert.deepEqual(fs.readFileSync(file), fs.readFileSync(whole), change);
      image = saved.image;
    }
    // Another writer replaced the file since: the next save writes it whole.
    fs.renameSync(path.join(dir, 'whole.sqlite'), file);
    db.run("UPDATE t SET v = 'y' WHERE k = 3");
    assert.equal(saveDatabase(db, file, image).written, fs.statSync(file).size);
    db.close();
  });
});

describe('page hashes', () => {
  it('tell apart pages that differ in any one bit, and not pages that are equal', () => {
    const page = 512;
    const base = Buffer.alloc(page * 3);
    for (let i = 0; i < base.byteLength; i++) base[i] = (i * 7919) & 0xff;
    const hashesOf = (b: Uint8Array) => Array.from(pageHashes(b, page));
    const original = hashesOf(base);
    assert.deepEqual(hashesOf(Buffer.from(base)), original);
    assert.deepEqual(hashesOf(Buffer.concat([Buffer.alloc(1), base]).subarray(1)), original, 'an unaligned view hashes the same');
    for (let bit = 0; bit < page * 8; bit += 13) {
      const changed = Buffer.from(base);
      changed[page + (bit >> 3)]! ^= 1 << (bit & 7);
      const h = hashesOf(changed);
      assert.deepEqual([h[0], h[1], h[4], h[5]], [original[0], original[1], original[4], original[5]], 'other pages keep their hash');
      assert.notDeepEqual([h[2], h[3]], [original[2], original[3]], `bit ${bit}`);
    }
  });
});
