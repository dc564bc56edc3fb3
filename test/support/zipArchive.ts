// Reads a .zip archive (a .vsix is one) from its central directory: the entries' names and sizes,
// and an entry's content. Enough for the archives vsce writes (stored or deflated, no ZIP64).
import { readFileSync } from 'fs';
import { inflateRawSync } from 'zlib';

export interface ZipEntry {
  name: string;
  /** Uncompressed size in bytes. */
  size: number;
  compressedSize: number;
  method: number;
  localHeaderOffset: number;
}

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_DIRECTORY_HEADER = 0x02014b50;
const LOCAL_FILE_HEADER = 0x04034b50;

export class ZipArchive {
  readonly entries: ZipEntry[];

  private constructor(private readonly bytes: Buffer) {
    this.entries = readCentralDirectory(bytes);
  }

  static open(file: string): ZipArchive {
    return new ZipArchive(readFileSync(file));
  }

  /** The uncompressed content of entry `name`. */
  read(name: string): Buffer {
    const entry = this.entries.find((e) => e.name === name);
    if (!entry) throw new Error(`${name} is not in the archive`);
    const at = entry.localHeaderOffset;
    if (this.bytes.readUInt32LE(at) !== LOCAL_FILE_HEADER) throw new Error(`no local header for ${name} at ${at}`);
    const start = at + 30 + this.bytes.readUInt16LE(at + 26) + this.bytes.readUInt16LE(at + 28);
    const data = this.bytes.subarray(start, start + entry.compressedSize);
    if (entry.method === 0) return Buffer.from(data);
    if (entry.method === 8) return inflateRawSync(data);
    throw new Error(`${name}: compression method ${entry.method} is not supported`);
  }
}

function readCentralDirectory(bytes: Buffer): ZipEntry[] {
  // The end record is the last 22 bytes plus a comment of at most 65535 bytes.
  let end = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
    if (bytes.readUInt32LE(i) === END_OF_CENTRAL_DIRECTORY) {
      end = i;
      break;
    }
  }
  if (end < 0) throw new Error('not a zip archive: no end of central directory record');
  const count = bytes.readUInt16LE(end + 10);
  let at = bytes.readUInt32LE(end + 16);
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (bytes.readUInt32LE(at) !== CENTRAL_DIRECTORY_HEADER) throw new Error(`damaged central directory at byte ${at}`);
    const nameLength = bytes.readUInt16LE(at + 28);
    const extraLength = bytes.readUInt16LE(at + 30);
    const commentLength = bytes.readUInt16LE(at + 32);
    entries.push({
      method: bytes.readUInt16LE(at + 10),
      compressedSize: bytes.readUInt32LE(at + 20),
      size: bytes.readUInt32LE(at + 24),
      localHeaderOffset: bytes.readUInt32LE(at + 42),
      name: bytes.toString('utf8', at + 46, at + 46 + nameLength),
    });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}
