/**
 * Arrays the series of one request reuse in turn. A chart of 300 series of 10,000 points would
 * otherwise allocate a thousand fresh arrays (zeroed, and their memory drives the collector, which
 * then runs more often than the smoothing itself takes). Made per request and dropped with it, so
 * what it holds is bounded by the largest series of that request.
 */
export class Scratch {
  private readonly doubleArrays = new Map<string, Float64Array>();
  private byteArray = new Uint8Array(0);

  /** `n` doubles of the array named `name`, holding whatever an earlier series left there. */
  doubles(name: string, n: number): Float64Array {
    let a = this.doubleArrays.get(name);
    if (!a || a.length < n) {
      a = new Float64Array(Math.max(n, 2 * (a?.length ?? 0)));
      this.doubleArrays.set(name, a);
    }
    return a.subarray(0, n);
  }

  /** `n` bytes, holding whatever was read into them before. */
  bytes(n: number): Uint8Array {
    if (this.byteArray.length < n) this.byteArray = new Uint8Array(Math.max(n, 2 * this.byteArray.length));
    return this.byteArray.subarray(0, n);
  }
}
