import { progressMessage } from '../../core/ingest/scanMessages';
import type { RunIndex } from '../store/runIndex';
import { withDelayedProgress } from './delayedProgress';

export const RESCAN_TITLE = 'ExpTrack: reading runs in the workspace…';

/**
 * A full scan with a progress notification (after `delayMs`) that counts files looked at and
 * sources found, and whose Cancel stops the walk in the worker.
 */
export function rescanWithProgress(index: RunIndex, delayMs: number): Promise<void> {
  return withDelayedProgress(RESCAN_TITLE, delayMs, async (progress, token) => {
    const onProgress = index.onScanProgress((p) => progress.report(progressMessage(p)));
    const onCancel = token.onCancellationRequested(() => index.cancelRescan());
    try {
      await index.rescan();
    } finally {
      onProgress.dispose();
      onCancel.dispose();
    }
  });
}
