import type { ValueCount } from '../../../shared/schemaDiff';

/** Int32 slots per entry: key low half, key high half, count, label index. */
const STRIDE = 4;

/**
 * Exact occurrence counts of up to `limit` distinct values, keyed by 64-bit value keys (two int32,
 * see hashing.ts), with the value's text kept beside its count. An open-addressing table (linear
 * probing, load ≤ 1/2) in one interleaved Int32Array, so a lookup touches one cache line; it grows
 * by doubling; a slot with count 0 is free. Once `limit` keys are in it, new keys are refused and
 * the caller estimates instead.
 */
export class ValueCounter {
  private slots: Int32Array;
  private readonly labels: string[] = [];
  private mask: number;
  size = 0;

  constructor(readonly limit: number, initialCapacity = 64) {
    let cap = 16;
    while (cap < initialCapacity) cap *= 2;
    this.slots = new Int32Array(cap * STRIDE);
    this.mask = cap - 1;
  }

  get full(): boolean {
    return this.size >= this.limit;
  }

  /** Adds `by` to the key's count; false when the key is not in the table (nothing counted). */
  increment(hi: number, lo: number, by = 1): boolean {
    const slots = this.slots;
    const mask = this.mask;
    let i = lo & mask;
    for (;;) {
      const at = i * STRIDE;
      const count = slots[at + 2];
      if (count === 0) return false;
      if (slots[at] === lo && slots[at + 1] === hi) {
        slots[at + 2] = count + by;
        return true;
      }
      i = (i + 1) & mask;
    }
  }

  /** Inserts a key that {@link increment} just reported missing. Returns false when full. */
  insert(hi: number, lo: number, label: string, count = 1): boolean {
    if (this.size >= this.limit) return false;
    if ((this.size + 1) * 2 > this.mask + 1) this.grow();
    this.labels.push(label);
    this.place(hi, lo, count, this.labels.length - 1);
    this.size++;
    return true;
  }

  forEachKey(fn: (hi: number, lo: number) => void): void {
    const s = this.slots;
    for (let at = 0; at < s.length; at += STRIDE) if (s[at + 2] !== 0) fn(s[at + 1], s[at]);
  }

  /** All counted values, most frequent first, ties by value (code-unit order, locale-free). */
  entries(): ValueCount[] {
    const out: ValueCount[] = [];
    const s = this.slots;
    for (let at = 0; at < s.length; at += STRIDE) if (s[at + 2] !== 0) out.push({ value: this.labels[s[at + 3]], count: s[at + 2] });
    return out.sort(compareValueCounts);
  }

  private place(hi: number, lo: number, count: number, label: number): void {
    const s = this.slots;
    let i = lo & this.mask;
    while (s[i * STRIDE + 2] !== 0) i = (i + 1) & this.mask;
    const at = i * STRIDE;
    s[at] = lo;
    s[at + 1] = hi;
    s[at + 2] = count;
    s[at + 3] = label;
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Int32Array(old.length * 2);
    this.mask = (this.mask + 1) * 2 - 1;
    for (let at = 0; at < old.length; at += STRIDE) if (old[at + 2] !== 0) this.place(old[at + 1], old[at], old[at + 2], old[at + 3]);
  }
}

export function compareValueCounts(a: ValueCount, b: ValueCount): number {
  if (a.count !== b.count) return b.count - a.count;
  return a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
}
