/**
 * Applies the `exptrack.sources.include` / `exptrack.sources.exclude` settings to the run index,
 * and reads the workspace again when they change (runs of newly excluded files leave the index).
 */
import * as vscode from 'vscode';
import type { SourceSettings } from '../../core/ingest/sourceFilter';
import { Disposable } from '../disposable';
import type { Log } from '../log';
import type { RunIndex } from '../store/runIndex';

export class SourceSettingsSync extends Disposable {
  constructor(private readonly index: RunIndex, private readonly log: Log) {
    super();
    this.register(vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (!e.affectsConfiguration('exptrack.sources')) return;
      await this.apply();
      await this.index.rescan();
    }));
  }

  /** Hands the current settings to the index; unusable patterns are reported and left out. */
  async apply(): Promise<void> {
    const config = vscode.workspace.getConfiguration('exptrack.sources');
    const settings: Partial<SourceSettings> = {};
    const include = config.get<string[]>('include');
    const exclude = config.get<string[]>('exclude');
    if (include !== undefined) settings.include = include;
    if (exclude !== undefined) settings.exclude = exclude;
    const errors = await this.index.call('configureSources', settings);
    if (errors.length === 0) return;
    for (const e of errors) this.log.warn(e);
    void vscode.window.showWarningMessage(`ExpTrack: ${errors[0]}${errors.length > 1 ? ` (and ${errors.length - 1} more, see the log)` : ''}`);
  }
}
