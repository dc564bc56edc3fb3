/**
 * The redo journal of a save that writes only the pages that changed (`<index>.journal`). One
 * record: a header (page size, the new page count, the checksums of the file before and after,
 * who wrote it), then page number + page bytes for each changed page, then a CRC-32 of all of it.
 * A record is written whole and fsynced before the index file is touched, so a crash while the
 * pages are written in place is repaired by writing them again; a record that is cut short or
 * damaged was never acted on and is ignored.
 */
import * as fs from 'node:fs';
import { threadId } from 'node:worker_threads';
import * as zlib from 'node:zlib';

// zlib.crc32 came with Node 20.15: without it, saves write the whole file as before.
const crc32 = (zlib as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;
export const journalSupported = crc32 !== undefined;

const MAGIC = Buffer.from('EXPTPJ1\n', 'latin1');
const HEADER_BYTES = 36;
const TRAILER_BYTES = 4;

export interface JournalPage {
  /** SQLite's page number: 1 is the first page of the file. */
  number: number;
  bytes: Uint8Array;
}

export interface JournalRecord {
  pageSize: number;
  /** The file's page count after the save (it may grow or shrink). */
  pageCount: number;
  /** The whole-file checksum stamped in the file the pages apply to, and in the file they give. */
  baseChecksum: number;
  checksum: number;
  /** The process and thread that wrote it: a record whose writer still runs is its writer's to remove. */
  pid: number;
  threadId: number;
  pages: JournalPage[];
}

export type DecodedJournal =
  | { kind: 'complete'; record: JournalRecord }
  | { kind: 'incomplete' | 'damaged'; reason: string; pid?: number; threadId?: number };

/** A journal whose writer still runs is that writer's to finish and remove; one with no readable writer is no one's. */
export function isWriterGone(d: DecodedJournal, isProcessAlive: (pid: number) => boolean): boolean {
  const [pid, thread] = d.kind === 'complete' ? [d.record.pid, d.record.threadId] : [d.pid, d.threadId];
  if (pid === undefined) return true;
  return pid === process.pid ? thread === threadId : !isProcessAlive(pid);
}

export const journalPathOf = (indexFile: string): string => `${indexFile}.journal`;

export function encodeJournal(r: JournalRecord): Buffer {
  const out = Buffer.alloc(HEADER_BYTES + r.pages.length * (4 + r.pageSize) + TRAILER_BYTES);
  MAGIC.copy(out, 0);
  out.writeUInt32BE(r.pageSize, 8);
  out.writeUInt32BE(r.pageCount, 12);
  out.writeUInt32BE(r.baseChecksum, 16);
  out.writeUInt32BE(r.checksum, 20);
  out.writeUInt32BE(r.pid, 24);
  out.writeUInt32BE(r.threadId, 28);
  out.writeUInt32BE(r.pages.length, 32);
  let at = HEADER_BYTES;
  for (const p of r.pages) {
    if (p.bytes.byteLength !== r.pageSize) throw new Error(`page ${p.number} has ${p.bytes.byteLength} bytes, not ${r.pageSize}`);
    out.writeUInt32BE(p.number, at);
    out.set(p.bytes, at + 4);
    at += 4 + r.pageSize;
  }
  out.writeUInt32BE(crc32!(out.subarray(0, at)) >>> 0, at);
  return out;
}

export function decodeJournal(bytes: Uint8Array): DecodedJournal {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const owner = b.byteLength >= 32 ? { pid: b.readUInt32BE(24), threadId: b.readUInt32BE(28) } : {};
  if (b.byteLength >= MAGIC.length && !b.subarray(0, MAGIC.length).equals(MAGIC)) return { kind: 'damaged', reason: 'not a page journal' };
  if (b.byteLength < HEADER_BYTES) return { kind: 'incomplete', reason: `${b.byteLength} bytes, shorter than its header`, ...owner };
  const pageSize = b.readUInt32BE(8);
  const count = b.readUInt32BE(32);
  if (!isPageSize(pageSize)) return { kind: 'damaged', reason: `page size ${pageSize}`, ...owner };
  const expected = HEADER_BYTES + count * (4 + pageSize) + TRAILER_BYTES;
  if (b.byteLength < expected) return { kind: 'incomplete', reason: `${b.byteLength} of ${expected} bytes`, ...owner };
  if (b.byteLength > expected) return { kind: 'damaged', reason: `${b.byteLength} bytes where ${expected} were expected`, ...owner };
  if (!crc32 || crc32(b.subarray(0, expected - TRAILER_BYTES)) >>> 0 !== b.readUInt32BE(expected - TRAILER_BYTES)) {
    return { kind: 'damaged', reason: 'checksum mismatch', ...owner };
  }
  const pageCount = b.readUInt32BE(12);
  const pages: JournalPage[] = [];
  for (let i = 0, at = HEADER_BYTES; i < count; i++, at += 4 + pageSize) {
    const number = b.readUInt32BE(at);
    if (number < 1 || number > pageCount) return { kind: 'damaged', reason: `page ${number} outside 1..${pageCount}`, ...owner };
    pages.push({ number, bytes: b.subarray(at + 4, at + 4 + pageSize) });
  }
  return {
    kind: 'complete',
    record: { pageSize, pageCount, baseChecksum: b.readUInt32BE(16), checksum: b.readUInt32BE(20), pid: owner.pid!, threadId: owner.threadId!, pages },
  };
}

function isPageSize(n: number): boolean {
  return n >= 512 && n <= 65536 && (n & (n - 1)) === 0;
}

/** The file image the record gives when applied to `image` (a new buffer when the size changes). */
export function applyToImage(image: Uint8Array, r: JournalRecord): Buffer {
  const size = r.pageCount * r.pageSize;
  const out = Buffer.alloc(size);
  out.set(image.subarray(0, Math.min(size, image.byteLength)));
  for (const p of r.pages) out.set(p.bytes, (p.number - 1) * r.pageSize);
  return out;
}

/**
 * Writes the record's pages into the open index file and fsyncs it. Page 1, which holds the
 * whole-file checksum, goes last: until it is written the file still names the state the record
 * applies to, so opening knows the record is to be replayed. Writing again is harmless.
 */
export function applyToFile(fd: number, r: JournalRecord): void {
  const first = r.pages.find((p) => p.number === 1);
  for (const p of r.pages) if (p !== first) writeAll(fd, p.bytes, (p.number - 1) * r.pageSize);
  fs.ftruncateSync(fd, r.pageCount * r.pageSize);
  if (first) writeAll(fd, first.bytes, 0);
  fs.fsyncSync(fd);
}

export function writeAll(fd: number, bytes: Uint8Array, position: number): void {
  let written = 0;
  while (written < bytes.byteLength) written += fs.writeSync(fd, bytes, written, bytes.byteLength - written, position + written);
}
