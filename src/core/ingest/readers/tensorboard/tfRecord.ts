/**
 * TFRecord framing, as TensorFlow's event writer lays it out (little-endian):
 *   uint64 length | uint32 masked_crc32c(length) | data[length] | uint32 masked_crc32c(data)
 * Records are handed out only when complete: a record still being written by a running trainer
 * is left unconsumed for the next read. A record whose data fails its check is reported and
 * skipped; a damaged length header is reported once and the next intact header searched for.
 * The framing is this file's few lines rather than a TFRecord package because those rules (a
 * record still being written left for later, going on past a bad record) are the whole of it; the
 * checksum is crc-32's (crc32c.ts) and the decoding is weighed in bench/eventProto.bench.ts.
 */
import { maskedCrc32c } from './crc32c';

export const HEADER_BYTES = 12;
export const FOOTER_BYTES = 4;

export interface FramingIssue {
  /** Byte offset in the file where the damage starts. */
  at: number;
  message: string;
}

export interface FramingState {
  /** Number of records before `bytes` (for messages). */
  records: number;
  /** Set while bytes after a damaged header are being passed over. */
  resyncFrom?: number;
}

export interface FramingResult {
  consumed: number;
  state: FramingState;
}

/**
 * Walks the complete records of `bytes` (which start at file offset `offset`), calling `onRecord`
 * with the data bounds. Never throws.
 */
export function forEachRecord(
  bytes: Uint8Array, offset: number, atEnd: boolean, prior: FramingState | undefined,
  onRecord: (start: number, end: number, index: number, view: DataView) => void, onIssue: (issue: FramingIssue) => void,
): FramingResult {
  const state: FramingState = { records: prior?.records ?? 0 };
  let resyncFrom = prior?.resyncFrom;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 0;
  while (bytes.length - pos >= HEADER_BYTES) {
    if (!headerIntact(bytes, view, pos)) {
      if (resyncFrom === undefined) resyncFrom = offset + pos;
      const next = findHeader(bytes, view, pos + 1);
      if (next < 0) {
        // Keep the last bytes: they may be the start of an intact header still arriving.
        pos = atEnd ? bytes.length : Math.max(pos, bytes.length - HEADER_BYTES + 1);
        break;
      }
      pos = next;
    }
    if (resyncFrom !== undefined) {
      onIssue({ at: resyncFrom, message: `damaged record header at byte ${resyncFrom}: ${offset + pos - resyncFrom} bytes skipped` });
      resyncFrom = undefined;
    }
    const length = view.getUint32(pos, true) + view.getUint32(pos + 4, true) * 2 ** 32;
    const dataStart = pos + HEADER_BYTES;
    const dataEnd = dataStart + length;
    if (dataEnd + FOOTER_BYTES > bytes.length) break; // the record is not all there yet
    const index = state.records++;
    if (maskedCrc32c(bytes, dataStart, dataEnd) !== view.getUint32(dataEnd, true)) {
      onIssue({ at: offset + pos, message: `record ${index + 1} at byte ${offset + pos} fails its data checksum (CRC-32C): record skipped` });
    } else {
      onRecord(dataStart, dataEnd, index, view);
    }
    pos = dataEnd + FOOTER_BYTES;
  }
  if (atEnd && resyncFrom !== undefined && pos >= bytes.length) {
    onIssue({ at: resyncFrom, message: `damaged record header at byte ${resyncFrom}: the rest of the file (${offset + pos - resyncFrom} bytes) skipped` });
    resyncFrom = undefined;
  }
  if (resyncFrom !== undefined) state.resyncFrom = resyncFrom;
  return { consumed: pos, state };
}

function headerIntact(bytes: Uint8Array, view: DataView, pos: number): boolean {
  return maskedCrc32c(bytes, pos, pos + 8) === view.getUint32(pos + 8, true);
}

function findHeader(bytes: Uint8Array, view: DataView, from: number): number {
  for (let p = from; p + HEADER_BYTES <= bytes.length; p++) {
    if (headerIntact(bytes, view, p)) return p;
  }
  return -1;
}

/** Frames `data` as one record (used by tests and the benchmark to write event files). */
export function frameRecord(data: Uint8Array): Buffer {
  const out = Buffer.alloc(HEADER_BYTES + data.length + FOOTER_BYTES);
  out.writeBigUInt64LE(BigInt(data.length), 0);
  out.writeUInt32LE(maskedCrc32c(out, 0, 8), 8);
  out.set(data, HEADER_BYTES);
  out.writeUInt32LE(maskedCrc32c(data), HEADER_BYTES + data.length);
  return out;
}
