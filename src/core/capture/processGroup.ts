/** Stopping a spawned process together with the processes it started (DataLoader workers, …). */
import type { ChildProcess } from 'node:child_process';

/** Delays of the escalation after SIGINT: SIGTERM, then SIGKILL. */
export interface StopEscalation {
  termAfterMs: number;
  killAfterMs: number;
}

export const DEFAULT_STOP_ESCALATION: StopEscalation = { termAfterMs: 3000, killAfterMs: 6000 };

/**
 * Sends `signal` to the process group of `child` (spawned with `detached: true`, so it leads its
 * own group) — or to the child alone on Windows, which has no process groups. Returns false when
 * nothing could be signalled (e.g. the group is gone).
 */
export function signalProcessGroup(child: ChildProcess, signal: NodeJS.Signals): boolean {
  if (child.pid === undefined) return false;
  if (process.platform !== 'win32') {
    try {
      process.kill(-child.pid, signal);
      return true;
    } catch {
      // Fall back to the child itself (e.g. when setsid failed and there is no group).
    }
  }
  try {
    return child.kill(signal);
  } catch {
    return false;
  }
}

/**
 * Stops a child the way a user pressing Ctrl+C would, then insists: SIGINT to the group now,
 * SIGTERM and SIGKILL later if it is still running. Returns a function that cancels the pending
 * escalation (call it when the child has exited, so no signal can reach a reused process id).
 */
export function stopProcessGroup(child: ChildProcess, escalation: StopEscalation = DEFAULT_STOP_ESCALATION): () => void {
  signalProcessGroup(child, 'SIGINT');
  const term = setTimeout(() => signalProcessGroup(child, 'SIGTERM'), escalation.termAfterMs);
  const kill = setTimeout(() => signalProcessGroup(child, 'SIGKILL'), escalation.killAfterMs);
  return () => {
    clearTimeout(term);
    clearTimeout(kill);
  };
}
