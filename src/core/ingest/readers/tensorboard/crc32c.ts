/**
 * CRC-32C (Castagnoli), the checksum of TFRecord framing, with TensorFlow's masking. The checksum
 * is `crc-32`'s, as the slicing-by-8 written here before was no faster: bench/crc32c.bench.ts,
 * 2026-12, the fixtures' event files checked record by record as tfRecord.ts does (87 bytes a
 * check): crc-32 1.25 ms/MB, the slicing-by-8 1.28 ms/MB, @node-rs/crc32 (native) 1.77 ms/MB;
 * whole files: crc-32 0.51, slicing-by-8 1.14, @node-rs/crc32 0.13 ms/MB (its call cost is what
 * loses it the small records, and a native addon would have to ship for every platform).
 */
import CRC32C from 'crc-32/crc32c';

// Read once: an imported binding is a property read per call after compilation to CommonJS.
const crcOfBytes = CRC32C.buf;

export function crc32c(bytes: Uint8Array, start = 0, end = bytes.length): number {
  return crcOfBytes(start === 0 && end === bytes.length ? bytes : bytes.subarray(start, end)) >>> 0;
}

/** TensorFlow stores CRCs rotated and offset, so a CRC of data that holds CRCs stays meaningful. */
export function maskCrc(crc: number): number {
  return (((crc >>> 15) | (crc << 17)) + 0xa282ead8) >>> 0;
}

export function maskedCrc32c(bytes: Uint8Array, start = 0, end = bytes.length): number {
  return maskCrc(crc32c(bytes, start, end));
}
