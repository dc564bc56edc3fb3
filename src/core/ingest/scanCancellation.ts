/**
 * Cancels a scan that runs synchronously in another thread: the store worker walks and reads
 * without yielding, so a message could not reach it; a flag in shared memory can, and the walk
 * looks at it every few hundred entries.
 */
export class ScanCancellation {
  private readonly flag: Int32Array;

  /** Pass the `buffer` of another thread's cancellation to share its flag. */
  constructor(readonly buffer: SharedArrayBuffer = new SharedArrayBuffer(4)) {
    this.flag = new Int32Array(buffer);
  }

  cancel(): void {
    Atomics.store(this.flag, 0, 1);
  }

  get isCancelled(): boolean {
    return Atomics.load(this.flag, 0) === 1;
  }
}
