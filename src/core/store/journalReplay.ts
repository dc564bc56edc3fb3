/**
 * Reading the index file as its last save left it: a save that wrote changed pages in place may
 * have been cut short after its journal was complete, and then the journal's pages are applied
 * first (in memory, and into the file when its writer is gone). Another writer may be saving while
 * the file is read; a read that overlapped a change is done again.
 */
import * as fs from 'node:fs';
import { stampedChecksum } from './indexChecksum';
import { applyToFile, applyToImage, decodeJournal, isWriterGone, journalPathOf, type JournalRecord } from './pageJournal';
import { closeQuietly, removeQuietly, savedImageOf, type SavedImage } from './pageSave';

export interface IndexFileRead {
  bytes: Buffer;
  /** The file exactly as it is on disk, to save changed pages against; absent when `bytes` differ from it. */
  image?: SavedImage;
  /** What was done about a journal, for the log. */
  note?: string;
}

const READ_ATTEMPTS = 20;

export function readIndexFile(file: string, isProcessAlive: (pid: number) => boolean): IndexFileRead {
  const journal = journalPathOf(file);
  let read = readOnce(file, journal);
  for (let attempt = 1; !read.steady && attempt < READ_ATTEMPTS; attempt++) {
    sleepSync(5 * attempt);
    read = readOnce(file, journal);
  }
  const { bytes, stat, journalBytes } = read;
  // Hashes are left to the first save: most opens (a CLI listing, a window only read) never save.
  const image = () => savedImageOf(bytes, stat, false);
  if (journalBytes === null) return { bytes, image: image() };

  const decoded = decodeJournal(journalBytes);
  const writerGone = isWriterGone(decoded, isProcessAlive);
  if (decoded.kind !== 'complete') {
    if (writerGone) removeQuietly(journal);
    return { bytes, image: image(), note: `the journal of an unfinished save was ignored (${decoded.reason}): ${journal}` };
  }
  const record = decoded.record;
  const stamped = stampedChecksum(bytes);
  if (stamped !== record.baseChecksum && stamped !== record.checksum) {
    // Written for a file another writer has replaced since: nothing of it is in this one.
    if (writerGone) removeQuietly(journal);
    return { bytes, image: image() };
  }
  const replayed = applyToImage(bytes, record);
  if (!writerGone) return { bytes: replayed };
  try {
    const written = writeBack(file, record);
    removeQuietly(journal);
    return { bytes: replayed, image: savedImageOf(replayed, written, false), note: `a save cut short was completed from its journal: ${journal}` };
  } catch (e) {
    return { bytes: replayed, note: `a save cut short was completed from its journal in memory only (${(e as Error).message}): ${journal}` };
  }
}

interface OneRead {
  bytes: Buffer;
  stat: fs.Stats;
  journalBytes: Buffer | null;
  /** Nothing changed the file or the journal while they were read. */
  steady: boolean;
}

function readOnce(file: string, journal: string): OneRead {
  const before = [fs.statSync(file), statOrNull(journal)] as const;
  const journalBytes = before[1] === null ? null : readOrNull(journal);
  const bytes = fs.readFileSync(file);
  const after = [fs.statSync(file), statOrNull(journal)] as const;
  const steady = sameStat(before[0], after[0]) && sameStat(before[1], after[1]) && (before[1] === null || journalBytes !== null);
  return { bytes, stat: after[0], journalBytes, steady };
}

function sameStat(a: fs.Stats | null, b: fs.Stats | null): boolean {
  if (a === null || b === null) return a === b;
  return a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs;
}

function writeBack(file: string, record: JournalRecord): fs.Stats {
  const fd = fs.openSync(file, 'r+');
  try {
    applyToFile(fd, record);
    return fs.fstatSync(fd);
  } finally {
    closeQuietly(fd);
  }
}

function statOrNull(file: string): fs.Stats | null {
  try {
    return fs.statSync(file);
  } catch {
    return null;
  }
}

function readOrNull(file: string): Buffer | null {
  try {
    return fs.readFileSync(file);
  } catch {
    return null;
  }
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
