import { Disposable } from '../disposable';

/**
 * Keeps what a panel shows current. `soon()` after its index changed: changes within the delay
 * load once, and only while the panel can show them (a hidden panel loads when shown again, its
 * page saying `ready`). `now()` for what the user asked for. Loads run one at a time; asked again
 * meanwhile, one more runs after the current one.
 */
export class PanelReload extends Disposable {
  private running: Promise<void> | undefined;
  private again = false;
  private stale = true;
  private timer: NodeJS.Timeout | undefined;

  /**
   * `loadOnce`: reads and posts what the panel shows; `canShow`: whether a load now would be seen;
   * `onError`: what a failed load reports (the panel keeps what it showed).
   */
  constructor(
    private readonly loadOnce: () => Promise<void>,
    private readonly canShow: () => boolean,
    private readonly onError: (e: Error) => void,
    private readonly delayMs: number,
  ) {
    super();
    this.register({ dispose: () => clearTimeout(this.timer) });
  }

  /** A load is due: something changed since the last one began, or one is queued. */
  get due(): boolean {
    return this.stale || this.again;
  }

  /** What the panel shows is out of date: the next `now()` reads it again (a hidden panel, when shown). */
  markStale(): void {
    this.stale = true;
  }

  /** From inside `loadOnce`: load once more when it returns. */
  repeat(): void {
    this.again = true;
  }

  soon(delayMs = this.delayMs): void {
    this.stale = true;
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.canShow()) void this.now();
    }, delayMs);
  }

  now(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          this.stale = false;
          await this.loadOnce();
          // Changes meanwhile come back through soon(), after its delay: a busy index is not read back to back.
        } while (this.again);
      } catch (e) {
        this.onError(e as Error);
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }
}
