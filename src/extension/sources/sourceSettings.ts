/**
 * Applies the settings that decide which files are read — `exptrack.sources.*`, and VS Code's
 * `files.exclude` and `search.exclude` — to the run index, and scans the workspace again when
 * they change (runs of newly excluded files leave the index, newly included ones come in).
 */
import * as vscode from 'vscode';
import type { SourceSettings } from '../../core/ingest/sourceFilter';
import { Disposable } from '../disposable';
import type { Log } from '../log';
import type { RunIndex } from '../store/runIndex';
import { rescanWithProgress } from './rescanProgress';

const WATCHED_SECTIONS = ['exptrack.sources', 'files.exclude', 'search.exclude'];

export class SourceSettingsSync extends Disposable {
  constructor(private readonly index: RunIndex, private readonly log: Log) {
    super();
    this.register(vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (!WATCHED_SECTIONS.some((section) => e.affectsConfiguration(section))) return;
      await this.apply();
      await rescanWithProgress(this.index, 1000);
    }));
  }

  /** Hands the current settings to the index; unusable entries are reported and left out. */
  async apply(): Promise<void> {
    const errors = await this.index.call('configureSources', readSourceSettings());
    if (errors.length === 0) return;
    for (const e of errors) this.log.warn(e);
    void vscode.window.showWarningMessage(`ExpTrack: ${errors[0]}${errors.length > 1 ? ` (and ${errors.length - 1} more, see the log)` : ''}`);
  }
}

/** The settings as the index takes them; an entry the user left unset keeps the index's default. */
export function readSourceSettings(): Partial<SourceSettings> {
  const config = vscode.workspace.getConfiguration('exptrack.sources');
  const settings: Partial<SourceSettings> = {
    filesExclude: plainObject(vscode.workspace.getConfiguration('files').get('exclude')),
    searchExclude: plainObject(vscode.workspace.getConfiguration('search').get('exclude')),
  };
  const include = config.get<string[]>('include');
  const exclude = config.get<string[]>('exclude');
  const useGitignore = config.get<boolean>('useGitignore');
  const maxFiles = config.get<number>('maxFiles');
  if (include !== undefined) settings.include = include;
  if (exclude !== undefined) settings.exclude = exclude;
  if (useGitignore !== undefined) settings.useGitignore = useGitignore;
  if (maxFiles !== undefined) settings.maxFiles = maxFiles;
  return settings;
}

/** Configuration objects are read-only proxies that cannot be posted to the worker: a plain copy. */
function plainObject(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' ? (JSON.parse(JSON.stringify(value)) as Record<string, unknown>) : {};
}
