/**
 * When the cells of one notebook belong to a new run. A run is one kernel session of work:
 * - the first cell executed starts a run;
 * - a kernel restart starts a new one: the kernel's execution counter never repeats within a
 *   session, so a cell numbered at or below the highest number seen so far means the counter was reset;
 * - so does idleness: a cell executed after `idleMs` with nothing running since the last activity.
 * The previous run then ends, as finished, at its last activity. A cell that is still executing
 * keeps its run alive however long it takes.
 *
 * Pure: times are given by the caller (milliseconds), nothing is read or written here.
 */

export type NewRunReason = 'first' | 'restart' | 'idle';

export type RunBoundary =
  | { kind: 'same' }
  /** `previousLastActivity`: when the run that ends now was last active (null when none was open). */
  | { kind: 'new'; reason: NewRunReason; previousLastActivity: number | null };

interface OpenRun {
  maxOrder: number;
  lastActivity: number;
  /** Executions begun and not yet finished, by key. */
  running: Set<string>;
}

export class NotebookSession {
  private open: OpenRun | null = null;

  constructor(private readonly idleMs: number) {}

  get hasOpenRun(): boolean {
    return this.open !== null;
  }

  /**
   * An execution began (or was first seen when it had already finished). `key` names the
   * execution (e.g. cell + execution order); `order` is the kernel's counter when it reports one.
   */
  begin(key: string, order: number | null, now: number): RunBoundary {
    const run = this.open;
    let reason: NewRunReason | undefined;
    if (!run) reason = 'first';
    else if (order !== null && order <= run.maxOrder) reason = 'restart';
    else if (run.running.size === 0 && now - run.lastActivity > this.idleMs) reason = 'idle';

    if (run && reason === undefined) {
      if (order !== null) run.maxOrder = order;
      run.running.add(key);
      run.lastActivity = Math.max(run.lastActivity, now);
      return { kind: 'same' };
    }
    this.open = { maxOrder: order ?? 0, lastActivity: now, running: new Set([key]) };
    return { kind: 'new', reason: reason!, previousLastActivity: run ? run.lastActivity : null };
  }

  /** Whether this execution was begun in the open run (and not finished yet). */
  isRunning(key: string): boolean {
    return this.open?.running.has(key) ?? false;
  }

  /** An execution of the open run finished at `now`. */
  finish(key: string, now: number): void {
    if (!this.open) return;
    this.open.running.delete(key);
    this.open.lastActivity = Math.max(this.open.lastActivity, now);
  }

  /** When the open run ends for idleness if nothing happens first; undefined while cells run or no run is open. */
  idleDeadline(): number | undefined {
    if (!this.open || this.open.running.size > 0) return undefined;
    return this.open.lastActivity + this.idleMs;
  }

  /** Ends the open run if it has been idle long enough at `now`; returns its last activity, else null. */
  expire(now: number): number | null {
    const deadline = this.idleDeadline();
    if (deadline === undefined || now < deadline) return null;
    return this.close();
  }

  /** Ends the open run (the notebook was closed); returns its last activity, or null when none was open. */
  close(): number | null {
    const run = this.open;
    this.open = null;
    return run ? run.lastActivity : null;
  }
}
