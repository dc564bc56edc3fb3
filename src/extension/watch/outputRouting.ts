/**
 * Output of a terminal command that belongs to a run another watcher started: a debug session
 * with `"console": "integratedTerminal"` runs its program in a terminal, and a task's output is
 * only readable through the terminal it runs in. The terminal watcher offers each command's
 * output here before deciding about the command itself.
 */

/** How long a run's end waits for the rest of its terminal command's output. */
const OUTPUT_DRAIN_MS = 1000;

/**
 * The output of one terminal command, read from the moment the command starts (shell integration
 * only delivers what is read from then on) and kept until someone takes it.
 */
export class OutputTap {
  private readonly chunks: string[] = [];
  private sink: ((chunk: string) => void) | undefined;
  /** Resolves when the command's output has ended. */
  readonly done: Promise<void>;

  constructor(stream: AsyncIterable<string>, onError: (e: Error) => void) {
    this.done = (async () => {
      try {
        for await (const chunk of stream) {
          if (this.sink) this.sink(chunk);
          else this.chunks.push(chunk);
        }
      } catch (e) {
        onError(e as Error);
      }
    })();
  }

  /**
   * Resolves once the command's output has ended, or after `maxMs`: a program's last lines can
   * still be on their way when its process or session has ended, but a stream that never closes
   * must not hold up the run's end.
   */
  async drained(maxMs = OUTPUT_DRAIN_MS): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.done, new Promise<void>((resolve) => (timer = setTimeout(resolve, maxMs)))]);
    clearTimeout(timer);
  }

  /** Sends what was read so far, and everything after it, to `sink`. */
  attach(sink: (chunk: string) => void): void {
    for (const chunk of this.chunks.splice(0)) sink(chunk);
    this.sink = sink;
  }

  /** Nobody wants this output: drop what was kept and what comes (a long-running command must not fill memory). */
  discard(): void {
    this.attach(() => undefined);
  }
}

interface Expectation {
  matches(commandLine: string): boolean;
  take(tap: OutputTap): void;
  until: number;
}

interface Offer {
  commandLine: string;
  tap: OutputTap;
  until: number;
}

export class OutputRendezvous {
  private expectations: Expectation[] = [];
  private offers: Offer[] = [];

  constructor(private readonly now: () => number = Date.now) {}

  /**
   * Waits (up to `ttlMs`) for a terminal command that `matches`; its output goes to `take`.
   * A matching command offered shortly before is taken at once. Returns a function that cancels.
   */
  expect(matches: (commandLine: string) => boolean, take: (tap: OutputTap) => void, ttlMs: number): () => void {
    this.prune();
    const offer = this.offers.find((o) => matches(o.commandLine));
    if (offer) {
      this.offers = this.offers.filter((o) => o !== offer);
      take(offer.tap);
      return () => undefined;
    }
    const expectation: Expectation = { matches, take, until: this.now() + ttlMs };
    this.expectations.push(expectation);
    return () => {
      this.expectations = this.expectations.filter((e) => e !== expectation);
    };
  }

  /**
   * Offers a command's output. True when a waiting expectation took it. Otherwise, with
   * `keepMs`, it is kept that long for an expectation that comes a little later (and then
   * dropped); without, it stays the caller's.
   */
  offer(commandLine: string, tap: OutputTap, keepMs = 0): boolean {
    this.prune();
    const expectation = this.expectations.find((e) => e.matches(commandLine));
    if (expectation) {
      this.expectations = this.expectations.filter((e) => e !== expectation);
      expectation.take(tap);
      return true;
    }
    if (keepMs > 0) {
      const offer = { commandLine, tap, until: this.now() + keepMs };
      this.offers.push(offer);
      setTimeout(() => {
        if (!this.offers.includes(offer)) return;
        this.offers = this.offers.filter((o) => o !== offer);
        tap.discard();
      }, keepMs).unref?.();
    }
    return false;
  }

  private prune(): void {
    const now = this.now();
    this.expectations = this.expectations.filter((e) => e.until > now);
    for (const offer of this.offers.filter((o) => o.until <= now)) offer.tap.discard();
    this.offers = this.offers.filter((o) => o.until > now);
  }
}

const TASK_PREFIX = /^\s*\*\s+Executing task(?: in folder [^:]*)?:\s*/;

/** A command line that VS Code wrote for a task it runs (` *  Executing task: python3 train.py `). */
export function taskCommandText(commandLine: string): string | undefined {
  return TASK_PREFIX.test(commandLine) ? commandLine.replace(TASK_PREFIX, '').trim() : undefined;
}

/** Commands compared with runs of blanks as one. */
export function sameCommandText(a: string, b: string): boolean {
  const norm = (s: string) => s.trim().replace(/\s+/g, ' ');
  return norm(a) === norm(b);
}
