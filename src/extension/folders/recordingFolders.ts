import type * as vscode from 'vscode';
import type { IndexFeed } from '../store/runIndex';
import type { FoldersChange, LocalFolder } from './localFolders';

/** Where a run recorded for a file goes: the workspace folder holding it, its `.exptrack/` and its index. */
export interface RecordingFolder extends IndexFeed {
  readonly folder: LocalFolder;
  readonly exptrackDir: string;
}

/**
 * What recording (watched terminals, tasks and launches, notebooks) needs of the workspace's
 * folders: a run belongs to the folder holding its script, notebook or working directory.
 */
export interface RecordingFolders {
  /** The folder holding `absPath`; for a path outside every folder, or none, the first folder. Undefined when no local folder is open. */
  forPath(absPath: string | undefined): RecordingFolder | undefined;
  readonly all: readonly RecordingFolder[];
  readonly onDidChange: vscode.Event<FoldersChange>;
}
