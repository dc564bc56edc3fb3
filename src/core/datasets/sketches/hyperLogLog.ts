/**
 * HyperLogLog distinct-count estimate (Flajolet et al. 2007, with linear counting for small
 * cardinalities) over 64-bit value keys. 2^14 registers: about 0.8 % standard error, 16 KB.
 */
const P = 14;
const M = 1 << P;

export class HyperLogLog {
  private readonly registers = new Uint8Array(M);

  add(hi: number, lo: number): void {
    const index = hi >>> (32 - P);
    // Rank: position of the first 1 bit after the index bits, continuing into `lo` (at most 51).
    const rest = hi << P;
    const rank = rest !== 0 ? Math.clz32(rest) + 1 : 32 - P + Math.clz32(lo | 1) + 1;
    if (rank > this.registers[index]) this.registers[index] = rank;
  }

  estimate(): number {
    let sum = 0;
    let zeros = 0;
    for (let i = 0; i < M; i++) {
      const r = this.registers[i];
      sum += 2 ** -r;
      if (r === 0) zeros++;
    }
    const alpha = 0.7213 / (1 + 1.079 / M);
    const raw = (alpha * M * M) / sum;
    if (raw <= 2.5 * M && zeros > 0) return Math.round(M * Math.log(M / zeros));
    return Math.round(raw);
  }
}
