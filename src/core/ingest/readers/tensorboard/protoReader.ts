/**
 * A minimal protobuf wire-format reader: just enough to walk TensorBoard's Event and Summary
 * messages field by field. Every method throws ProtoError on malformed input, so a caller decodes
 * one record inside one try and skips the record on error.
 */

export class ProtoError extends Error {}

export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_LEN = 2;
export const WIRE_FIXED32 = 5;

export class ProtoReader {
  pos: number;

  constructor(readonly buf: Uint8Array, start: number, readonly end: number, private readonly view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength)) {
    this.pos = start;
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  /** Reads a field key: [field number, wire type]. */
  key(): [number, number] {
    const k = this.varint();
    return [Math.floor(k / 8), k % 8];
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

  /** The bounds [start, end) of a length-delimited field, moving past it. */
  bytes(): [number, number] {
    const len = this.varint();
    const start = this.pos;
    if (len > this.end - start) throw new ProtoError('length past the end of the message');
    this.pos = start + len;
    return [start, start + len];
  }

  string(): string {
    const [s, e] = this.bytes();
    return Buffer.from(this.buf.buffer, this.buf.byteOffset + s, e - s).toString('utf8');
  }

  sub(): ProtoReader {
    const [s, e] = this.bytes();
    return new ProtoReader(this.buf, s, e, this.view);
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
