import { progressMessage } from '../../core/ingest/scanMessages';
import type { RunIndex } from '../store/runIndex';
import { withDelayedProgress } from './delayedProgress';

export const RESCAN_TITLE = 'ExpTrack: reading runs in the workspace…';

/**
 * A full scan with a progress notification (after `delayMs`) that counts files looked at and
 * sources found, and whose Cancel stops the walk in the worker. `folderName`: the workspace folder
 * scanned, named when a multi-root workspace scans each folder with a notification of its own.
 */
export function rescanWithProgress(index: RunIndex, delayMs: number, folderName?: string): Promise<void> {
  const title = folderName === undefined ? RESCAN_TITLE : `ExpTrack: reading runs in ${folderName}…`;
  return withDelayedProgress(title, delayMs, async (progress, token) => {
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
