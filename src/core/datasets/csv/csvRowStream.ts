import { CsvTokenizer, type CsvRowSink } from './csvTokenizer';

const BOM = [0xef, 0xbb, 0xbf];

export interface CsvRowStreamEvents {
  /** A row grew past the limit without ending: probably not delimited text, or a stray quote. */
  rowTooLong(line: number, bytes: number): void;
}

/**
 * Feeds chunks of any size to a {@link CsvTokenizer}: skips a UTF-8 byte-order mark, and carries
 * the incomplete row at the end of each chunk over to the next one. Memory stays at one chunk plus
 * the longest row; a row longer than `maxRowBytes` stops the stream.
 */
export class CsvRowStream {
  private carry: Buffer = Buffer.alloc(0);
  private carryLength = 0;
  private atStart = true;
  stopped = false;
  hadBom = false;
  bytesConsumed = 0;

  constructor(
    readonly tokenizer: CsvTokenizer,
    private readonly sink: CsvRowSink,
    private readonly events: CsvRowStreamEvents,
    private readonly maxRowBytes = 64 * 1024 * 1024,
  ) {}

  push(chunk: Uint8Array): void {
    if (this.stopped || chunk.length === 0) return;
    let data: Buffer;
    let start = 0;
    let end: number;
    if (this.carryLength === 0) {
      data = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      end = data.length;
    } else {
      this.ensureCarryCapacity(this.carryLength + chunk.length);
      this.carry.set(chunk, this.carryLength);
      data = this.carry;
      end = this.carryLength + chunk.length;
    }
    if (this.atStart) {
      if (end < BOM.length && BOM.slice(0, end).every((b, i) => data[i] === b)) {
        this.keep(data, 0, end); // could still be a BOM; wait for more bytes
        return;
      }
      this.atStart = false;
      if (data[0] === BOM[0] && data[1] === BOM[1] && data[2] === BOM[2]) {
        start = 3;
        this.hadBom = true;
      }
    }
    const rest = this.tokenizer.scan(data, start, end, false, this.sink);
    this.bytesConsumed += rest - start;
    if (end - rest > this.maxRowBytes) {
      this.stopped = true;
      this.events.rowTooLong(this.tokenizer.line, end - rest);
      return;
    }
    this.keep(data, rest, end);
  }

  /** Ends the data: the carried bytes are the last row. */
  end(): void {
    if (this.stopped) return;
    const data = this.carry;
    let start = 0;
    if (this.atStart && this.carryLength >= 3 && data[0] === BOM[0] && data[1] === BOM[1] && data[2] === BOM[2]) {
      start = 3;
      this.hadBom = true;
    }
    this.atStart = false;
    if (this.carryLength > start) this.tokenizer.scan(data, start, this.carryLength, true, this.sink);
    this.bytesConsumed += this.carryLength - start;
    this.carryLength = 0;
  }

  private keep(data: Buffer, from: number, to: number): void {
    const n = to - from;
    if (n === 0) {
      this.carryLength = 0;
      return;
    }
    if (data === this.carry) {
      this.carry.copyWithin(0, from, to);
    } else {
      this.ensureCarryCapacity(n);
      data.copy(this.carry, 0, from, to);
    }
    this.carryLength = n;
  }

  private ensureCarryCapacity(n: number): void {
    if (this.carry.length >= n) return;
    let cap = Math.max(1024, this.carry.length);
    while (cap < n) cap *= 2;
    const next = Buffer.allocUnsafe(cap);
    this.carry.copy(next, 0, 0, this.carryLength);
    this.carry = next;
  }
}
