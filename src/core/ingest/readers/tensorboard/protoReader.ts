/**
 * A minimal protobuf wire-format reader: just enough to walk TensorBoard's Event and Summary
 * messages field by field. Every method throws ProtoError on malformed input, so a caller decodes
 * one record inside one try and skips the record on error. Kept instead of protobufjs or
 * @bufbuild/protobuf for speed: see the figures in eventProto.ts (bench/eventProto.bench.ts).
 */

export class ProtoError extends Error {}

const STRING_CACHE_SLOTS = 256;
const stringCache: ({ bytes: Uint8Array; text: string } | undefined)[] = new Array(STRING_CACHE_SLOTS);

export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_LEN = 2;
export const WIRE_FIXED32 = 5;

export class ProtoReader {
  pos: number;

  private readonly view: DataView;

  /** `view` may be passed in so nested readers over one buffer share it. */
  constructor(readonly buf: Uint8Array, start: number, readonly end: number, view?: DataView) {
    this.pos = start;
    this.view = view ?? new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  /** Reads a field key; its field number is `key >>> 3` (fieldOf) and its wire type `key & 7` (wireOf). */
  key(): number {
    return this.varint();
  }

  /** An unsigned varint (a key or a length); exact up to 2^53, which is all a key or length needs. */
  varint(): number {
    if (this.pos >= this.end) throw new ProtoError('truncated varint');
    const first = this.buf[this.pos++]!;
    if (first < 0x80) return first;
    let result = first & 0x7f;
    let mul = 128;
    for (let i = 1; ; i++) {
      if (i >= 10) throw new ProtoError('varint too long');
      if (this.pos >= this.end) throw new ProtoError('truncated varint');
      const b = this.buf[this.pos++]!;
      result += (b & 0x7f) * mul;
      if (!(b & 0x80)) return result;
      mul *= 128;
    }
  }

  /** A varint holding a two's-complement int64 (negative values use all 10 bytes); exact within ±2^53. */
  int64(): number {
    let lo = 0;
    let hi = 0;
    for (let shift = 0; ; shift += 7) {
      if (shift > 63) throw new ProtoError('varint too long');
      if (this.pos >= this.end) throw new ProtoError('truncated varint');
      const b = this.buf[this.pos++]!;
      if (shift < 28) lo |= (b & 0x7f) << shift;
      else if (shift === 28) {
        lo |= (b & 0x0f) << 28;
        hi |= (b & 0x7f) >> 4;
      } else hi |= (b & 0x7f) << (shift - 32);
      if (!(b & 0x80)) break;
    }
    return (hi | 0) * 2 ** 32 + (lo >>> 0);
  }

  double(): number {
    if (this.pos + 8 > this.end) throw new ProtoError('truncated double');
    const v = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }

  float(): number {
    if (this.pos + 4 > this.end) throw new ProtoError('truncated float');
    const v = this.view.getFloat32(this.pos, true);
    this.pos += 4;
    return v;
  }

  /** Enters a length-delimited field: returns where it ends, leaving `pos` at its first byte. */
  enter(): number {
    const len = this.varint();
    if (len > this.end - this.pos) throw new ProtoError('length past the end of the message');
    return this.pos + len;
  }

  /** The bounds [start, end) of a length-delimited field, moving past it. */
  bytes(): [number, number] {
    const len = this.varint();
    const start = this.pos;
    if (len > this.end - start) throw new ProtoError('length past the end of the message');
    this.pos = start + len;
    return [start, start + len];
  }

  /**
   * A string field through a small cache: an event file repeats the same few tags millions of
   * times, and decoding each anew is most of the garbage a read makes.
   */
  cachedString(): string {
    const end = this.enter();
    const start = this.pos;
    this.pos = end;
    let hash = 0x811c9dc5;
    for (let i = start; i < end; i++) hash = Math.imul(hash ^ this.buf[i]!, 0x01000193);
    const slot = (hash >>> 0) % STRING_CACHE_SLOTS;
    const hit = stringCache[slot];
    if (hit && hit.bytes.length === end - start) {
      let same = true;
      for (let i = 0; i < hit.bytes.length; i++) {
        if (hit.bytes[i] !== this.buf[start + i]) {
          same = false;
          break;
        }
      }
      if (same) return hit.text;
    }
    const bytes = this.buf.slice(start, end);
    const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('utf8');
    if (bytes.length <= 256) stringCache[slot] = { bytes, text };
    return text;
  }

  skip(wire: number): void {
    switch (wire) {
      case WIRE_VARINT:
        this.varint();
        return;
      case WIRE_FIXED64:
        this.advance(8);
        return;
      case WIRE_LEN:
        this.bytes();
        return;
      case WIRE_FIXED32:
        this.advance(4);
        return;
      default:
        throw new ProtoError(`unsupported wire type ${wire}`);
    }
  }

  private advance(n: number): void {
    if (this.pos + n > this.end) throw new ProtoError('truncated field');
    this.pos += n;
  }
}
