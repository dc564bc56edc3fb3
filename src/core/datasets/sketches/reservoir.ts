/**
 * A uniform random sample of at most `capacity` numbers from a stream of unknown length
 * (Li's "Algorithm L": it draws random numbers only when it replaces an item, so skipping costs one
 * comparison). Seeded, so the same file gives the same sample.
 */
export class Reservoir {
  readonly values: Float64Array;
  /** Values offered so far. */
  seen = 0;
  /** Index (in offer order) of the next value to take once the reservoir is full. */
  next = 0;
  private w = 0;
  private state: number;

  constructor(readonly capacity: number, seed: number) {
    this.values = new Float64Array(capacity);
    this.state = (seed ^ 0x9e3779b9) >>> 0;
  }

  /**
   * Offers one value. Hot callers inline the test instead —
   * `if (r.seen < r.capacity || r.seen === r.next) r.take(x); else r.seen++;` — so that a double
   * argument crosses a call only when the value is kept.
   */
  add(x: number): void {
    if (this.seen < this.capacity || this.seen === this.next) this.take(x);
    else this.seen++;
  }

  /** Keeps the value at position `seen` (which must be one to keep) and advances. */
  take(x: number): void {
    const i = this.seen++;
    if (i < this.capacity) {
      this.values[i] = x;
      if (i === this.capacity - 1) {
        this.w = Math.exp(Math.log(this.random()) / this.capacity);
        this.next = i + this.skip() + 1;
      }
      return;
    }
    this.values[Math.floor(this.random() * this.capacity)] = x;
    this.w *= Math.exp(Math.log(this.random()) / this.capacity);
    this.next += this.skip() + 1;
  }

  /** True while every value seen is in the sample. */
  get exact(): boolean {
    return this.seen <= this.capacity;
  }

  /** The sample, sorted ascending. */
  sorted(): number[] {
    const n = Math.min(this.seen, this.capacity);
    return Array.from(this.values.subarray(0, n)).sort((a, b) => a - b);
  }

  private skip(): number {
    const s = Math.floor(Math.log(this.random()) / Math.log(1 - this.w));
    return Number.isFinite(s) ? s : Number.MAX_SAFE_INTEGER;
  }

  /** mulberry32, mapped into (0, 1) so logarithms stay finite. */
  private random(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296;
  }
}
