import * as vscode from 'vscode';

/** What a task says while it runs; shown once the notification is open. */
export interface ProgressSink {
  report(message: string): void;
}

/**
 * Runs `task`, and shows a progress notification only if it takes longer than `delayMs`: a quick
 * scan should not flash a notification, a slow one should say what is happening. The latest
 * message is kept until the notification opens; its Cancel button fires `token`.
 */
export async function withDelayedProgress<T>(
  title: string, delayMs: number, task: (progress: ProgressSink, token: vscode.CancellationToken) => Promise<T>,
): Promise<T> {
  const cancellation = new vscode.CancellationTokenSource();
  let latest: string | undefined;
  let shown: vscode.Progress<{ message?: string }> | undefined;
  const sink: ProgressSink = {
    report(message) {
      latest = message;
      shown?.report({ message });
    },
  };
  const work = task(sink, cancellation.token);
  const timer = setTimeout(() => {
    void vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) => {
      shown = progress;
      if (latest !== undefined) progress.report({ message: latest });
      const onCancel = token.onCancellationRequested(() => cancellation.cancel());
      return work.catch(() => undefined).finally(() => onCancel.dispose());
    });
  }, delayMs);
  try {
    return await work;
  } finally {
    clearTimeout(timer);
    cancellation.dispose();
  }
}
