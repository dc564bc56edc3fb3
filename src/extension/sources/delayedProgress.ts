import * as vscode from 'vscode';

/**
 * Runs `task`, and shows a progress notification only if it takes longer than `delayMs`: a quick
 * scan should not flash a notification, a slow one should say what is happening.
 */
export async function withDelayedProgress<T>(title: string, delayMs: number, task: () => Promise<T>): Promise<T> {
  const work = task();
  const timer = setTimeout(() => {
    void vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title }, () => work.catch(() => undefined));
  }, delayMs);
  try {
    return await work;
  } finally {
    clearTimeout(timer);
  }
}
