/**
 * Merges bursts of "these files changed" into one ingest at a time: while one batch runs, new
 * requests collect, and a request for everything absorbs any list of files.
 */
export class IngestQueue {
  private pendingPaths = new Set<string>();
  private pendingAll = false;
  private waiters: (() => void)[] = [];
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private disposed = false;

  constructor(
    private readonly ingest: (paths: string[] | undefined) => Promise<void>,
    private readonly delayMs = 50,
  ) {}

  /** `undefined` means every source. Resolves once an ingest that covers the request has finished. */
  add(paths: readonly string[] | undefined): Promise<void> {
    if (paths === undefined) this.pendingAll = true;
    else for (const p of paths) this.pendingPaths.add(p);
    const done = new Promise<void>((resolve) => this.waiters.push(resolve));
    this.schedule();
    return done;
  }

  /** Forgets a request for everything that has not started (its callers are told it is done). */
  dropPendingAll(): void {
    this.pendingAll = false;
  }

  private schedule(): void {
    if (this.timer || this.running || this.disposed) return;
    this.timer = setTimeout(() => void this.drain(), this.delayMs);
  }

  private async drain(): Promise<void> {
    this.timer = undefined;
    this.running = true;
    const paths = this.pendingAll ? undefined : [...this.pendingPaths];
    const waiters = this.waiters;
    this.pendingAll = false;
    this.pendingPaths = new Set();
    this.waiters = [];
    try {
      await this.ingest(paths);
    } finally {
      this.running = false;
      for (const w of waiters) w();
      if (this.pendingAll || this.pendingPaths.size) this.schedule();
    }
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    for (const w of this.waiters.splice(0)) w();
  }
}
