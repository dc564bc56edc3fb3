/**
 * A save that writes only the pages that changed since this process last wrote the index file:
 * sql.js's export() is SQLite's page image, and pages nothing touched come back byte-identical.
 * The changed pages go first into the journal (pageJournal.ts), then in place into the file.
 * Returns null whenever a whole-file write is the one to do (see saveDatabase).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { threadId } from 'node:worker_threads';
import { stampedChecksum } from './indexChecksum';
import { pageHashes } from './pageHashes';
import { applyToFile, encodeJournal, journalPathOf, journalSupported, writeAll, type JournalPage, type JournalRecord } from './pageJournal';

/** The index file as this process last read or wrote it: its pages' hashes, not its bytes. */
export interface SavedImage {
  pageSize: number;
  /** Absent after opening (most opens never save): the first save reads them from the file. */
  hashes?: Uint32Array;
  /** What tells that file apart from one another writer (a second window, the CLI) saved since. */
  ino: number;
  size: number;
  checksum: number;
}

export function savedImageOf(bytes: Uint8Array, stat: { ino: number; size: number }, withHashes = true): SavedImage | undefined {
  const pageSize = pageSizeOf(bytes);
  const checksum = stampedChecksum(bytes);
  if (pageSize === null || checksum === null || bytes.byteLength % pageSize !== 0 || stat.size !== bytes.byteLength) return undefined;
  return { pageSize, hashes: withHashes ? pageHashes(bytes, pageSize) : undefined, ino: stat.ino, size: stat.size, checksum };
}

function pageSizeOf(image: Uint8Array): number | null {
  if (image.byteLength < 100) return null;
  const raw = (image[16]! << 8) | image[17]!;
  return raw === 1 ? 65536 : raw;
}

/** The pages of `next` that differ from `previous`, and the hashes of all; null when most did (a whole write costs less). */
export function changedPages(previous: SavedImage & { hashes: Uint32Array }, next: Uint8Array): { pages: JournalPage[]; hashes: Uint32Array } | null {
  const size = previous.pageSize;
  if (pageSizeOf(next) !== size || next.byteLength % size !== 0) return null;
  const count = next.byteLength / size;
  const hashes = pageHashes(next, size);
  const old = previous.hashes;
  const pages: JournalPage[] = [];
  for (let i = 0; i < count; i++) {
    if (2 * i + 1 >= old.length || old[2 * i] !== hashes[2 * i] || old[2 * i + 1] !== hashes[2 * i + 1]) {
      pages.push({ number: i + 1, bytes: next.subarray(i * size, (i + 1) * size) });
      if (pages.length * 2 > count) return null;
    }
  }
  return { pages, hashes };
}

/** `next` is the stamped export. Throws (after putting the file back) only when writing into the file failed. */
export function saveChangedPages(file: string, next: Uint8Array, previous: SavedImage): { written: number; image: SavedImage } | null {
  if (!journalSupported) return null;
  const old = previous.hashes ?? hashesOnDisk(file, previous);
  if (old === null) return null;
  const changed = changedPages({ ...previous, hashes: old }, next);
  const checksum = stampedChecksum(next);
  if (changed === null || checksum === null) return null;
  const { pages, hashes } = changed;
  const record: JournalRecord = {
    pageSize: previous.pageSize, pageCount: next.byteLength / previous.pageSize, baseChecksum: previous.checksum, checksum, pid: process.pid, threadId, pages,
  };
  if (pages.length === 0) return isStillLastSaved(file, previous) ? { written: 0, image: { ...previous, hashes } } : null;
  const journal = journalPathOf(file);
  const journalBytes = writeJournal(journal, encodeJournal(record));
  if (journalBytes === null) return null;
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r+');
    if (!isFileLastSaved(fd, previous)) throw new Error('changed by another writer');
  } catch {
    // Gone, replaced or saved by another writer since: a whole write starts from no assumption.
    if (fd !== undefined) closeQuietly(fd);
    removeQuietly(journal);
    return null;
  }
  let undo: JournalPage[] | undefined;
  try {
    undo = pagesOf(fd, pages, previous);
    applyToFile(fd, record);
    const stat = fs.fstatSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    removeQuietly(journal);
    return { written: journalBytes + pages.length * record.pageSize, image: { pageSize: record.pageSize, hashes, ino: stat.ino, size: stat.size, checksum } };
  } catch (e) {
    if (fd !== undefined) {
      // Put back what was there; if even that fails, the journal stays and opening completes the save.
      if (undo && restore(fd, previous, undo)) removeQuietly(journal);
      else if (!undo) removeQuietly(journal); // nothing was written yet
      closeQuietly(fd);
    }
    throw e;
  }
}

/**
 * Writes the record beside its final name, fsyncs it, and links it into place: the journal appears
 * whole or not at all, and only one writer at a time has one (another finds it and writes the
 * whole file instead). Returns the bytes written, or null when no journal could be made.
 */
function writeJournal(journal: string, bytes: Buffer): number | null {
  const tmp = `${journal}.${process.pid}-${threadId}.tmp`;
  try {
    const fd = fs.openSync(tmp, 'w');
    try {
      writeAll(fd, bytes, 0);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.linkSync(tmp, journal);
  } catch {
    return null;
  } finally {
    removeQuietly(tmp);
  }
  fsyncDirectory(path.dirname(journal));
  return bytes.byteLength;
}

function isStillLastSaved(file: string, previous: SavedImage): boolean {
  return readIfLastSaved(file, previous, false) !== null;
}

/** The page hashes of the file as opened, read at the first save: null when it is not that file any more. */
function hashesOnDisk(file: string, previous: SavedImage): Uint32Array | null {
  const bytes = readIfLastSaved(file, previous, true);
  return bytes === null || bytes === true || stampedChecksum(bytes) !== previous.checksum ? null : pageHashes(bytes, previous.pageSize);
}

function readIfLastSaved(file: string, previous: SavedImage, read: boolean): Buffer | true | null {
  try {
    const fd = fs.openSync(file, 'r');
    try {
      if (!isFileLastSaved(fd, previous)) return null;
      if (!read) return true;
      const bytes = Buffer.alloc(previous.size);
      for (let got = 0, n = -1; got < bytes.byteLength; got += n) {
        n = fs.readSync(fd, bytes, got, bytes.byteLength - got, got);
        if (n === 0) return null;
      }
      return bytes;
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return null;
  }
}

function isFileLastSaved(fd: number, previous: SavedImage): boolean {
  const stat = fs.fstatSync(fd);
  if (stat.ino !== previous.ino || stat.size !== previous.size) return false;
  const header = Buffer.alloc(4);
  return fs.readSync(fd, header, 0, 4, 68) === 4 && header.readUInt32BE(0) === previous.checksum;
}

/** What the file holds now where the changed pages will go: what a failed write puts back. */
function pagesOf(fd: number, pages: JournalPage[], previous: SavedImage): JournalPage[] {
  const out: JournalPage[] = [];
  for (const p of pages) {
    const at = (p.number - 1) * previous.pageSize;
    if (at >= previous.size) continue;
    const bytes = Buffer.alloc(previous.pageSize);
    if (fs.readSync(fd, bytes, 0, bytes.byteLength, at) !== bytes.byteLength) throw new Error(`page ${p.number} could not be read`);
    out.push({ number: p.number, bytes });
  }
  return out;
}

function restore(fd: number, previous: SavedImage, undo: JournalPage[]): boolean {
  try {
    for (const p of undo) writeAll(fd, p.bytes, (p.number - 1) * previous.pageSize);
    fs.ftruncateSync(fd, previous.size);
    fs.fsyncSync(fd);
    return true;
  } catch {
    return false;
  }
}

/** Makes a new name in the folder durable (Linux); elsewhere opening a folder fails and it is skipped. */
function fsyncDirectory(dir: string): void {
  try {
    const fd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    /* not supported here */
  }
}

// Used while something already failed or once the work is done: the first error is the one reported.
export function closeQuietly(fd: number): void {
  try {
    fs.closeSync(fd);
  } catch {
    /* see above */
  }
}

export function removeQuietly(file: string): void {
  try {
    fs.rmSync(file, { force: true });
  } catch {
    /* see above */
  }
}
