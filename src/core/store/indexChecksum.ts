/**
 * SQLite's own check (quick_check) sees damage to the file's structure, not to the values in it:
 * a damaged page of metric points would be read as other numbers, and since the run files did not
 * change they would never be read again. So every save stamps a CRC-32 of the whole file into the
 * header field SQLite leaves to applications (PRAGMA application_id, bytes 68-71), and opening
 * checks it. 0 means "not stamped" (files from before, or a Node without zlib.crc32).
 */
import * as zlib from 'node:zlib';

const CHECKSUM_OFFSET = 68;

export function fileChecksum(bytes: Uint8Array): number {
  const crc32 = (zlib as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;
  if (!crc32 || bytes.byteLength < 100) return 0;
  let crc = crc32(bytes.subarray(0, CHECKSUM_OFFSET));
  crc = crc32(new Uint8Array(4), crc); // the field itself counts as zero
  return crc32(bytes.subarray(CHECKSUM_OFFSET + 4), crc) >>> 0;
}

export function stampChecksum(bytes: Uint8Array): void {
  const crc = fileChecksum(bytes);
  if (crc !== 0) new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).setUint32(CHECKSUM_OFFSET, crc);
}

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');

export function verifyChecksum(bytes: Buffer): void {
  if (bytes.byteLength === 0) return; // an empty file is an empty database to SQLite
  if (bytes.byteLength < 100 || !bytes.subarray(0, SQLITE_MAGIC.length).equals(SQLITE_MAGIC)) throw new Error('not an SQLite database file');
  const stored = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(CHECKSUM_OFFSET);
  const actual = fileChecksum(bytes);
  if (stored !== 0 && actual !== 0 && stored !== actual) throw new Error('the file was damaged after it was saved (checksum mismatch)');
}

/** The checksum stamped in a file image's header; null when it has no SQLite header. */
export function stampedChecksum(image: Uint8Array): number | null {
  return image.byteLength < 100 ? null : new DataView(image.buffer, image.byteOffset, image.byteLength).getUint32(CHECKSUM_OFFSET);
}
