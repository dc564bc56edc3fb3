/** Events gathered per run while a reader goes through a file, handed out as one batch per run in first-seen order. */
import type { RunEvent } from '../../../../shared/runEvents';
import type { RunBatch } from '../../sourceReader';

export class RunBatches {
  private readonly byRun = new Map<string, RunEvent[]>();

  add(runUid: string, events: readonly RunEvent[]): void {
    if (events.length === 0) return;
    const list = this.byRun.get(runUid);
    if (list) list.push(...events);
    else this.byRun.set(runUid, [...events]);
  }

  list(runDir?: (runUid: string) => string | undefined): RunBatch[] {
    return [...this.byRun].map(([runUid, events]) => {
      const dir = runDir?.(runUid);
      return dir === undefined ? { runUid, events } : { runUid, events, runDir: dir };
    });
  }
}
