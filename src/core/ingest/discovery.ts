/**
 * Finds the files some reader owns below the workspace root, following the rules of
 * sourceFilter.ts (pathRules.ts). The walk is synchronous — it runs in the store worker or the CLI,
 * never on the extension host — bounded by a number of files and folders looked at, cancellable
 * through a flag in shared memory, and it reports its progress as it goes.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { ScanProgress, ScanSkipReason, ScanSummary } from '../../shared/runTypes';
import { PathRules, type FolderState } from './pathRules';
import type { ScanCancellation } from './scanCancellation';
import { SourceFilter } from './sourceFilter';
import { readerFor, toRelPath } from './sourcePaths';
import type { SourceReader } from './sourceReader';

export { SKIPPED_DIRS } from './pathRules';
export { changedPathKind, readerFor, toRelPath } from './sourcePaths';

export interface DiscoveredSource {
  absPath: string;
  relPath: string;
  reader: SourceReader;
}

export interface DiscoveryOptions {
  /** Paths are made relative to this folder (the workspace root); default: the folder walked. */
  relativeTo?: string;
  maxDepth?: number;
  /** Default: the filter's `maxFiles` (the `exptrack.sources.maxFiles` setting). */
  maxFiles?: number;
  /** The rules of what is read; default: the default settings. */
  filter?: SourceFilter;
  /** Rules already at work in this ingest (they hold the `.gitignore` files read so far). */
  rules?: PathRules;
  cancellation?: ScanCancellation;
  /** Called at the walk's first entries, then about every PROGRESS_INTERVAL_MS, and at its end. */
  onProgress?: (progress: ScanProgress) => void;
}

export interface Discovery {
  sources: DiscoveredSource[];
  summary: ScanSummary;
}

export const PROGRESS_INTERVAL_MS = 100;
/** The cancellation flag and the clock are looked at once per this many entries. */
const CHECK_EVERY = 256;

/** Lists owned files in a stable (sorted) order, so a rebuild indexes them in the same order. */
export function discoverSources(root: string, readers: readonly SourceReader[], opts: DiscoveryOptions = {}): Discovery {
  const workspaceRoot = opts.relativeTo ?? root;
  const rules = opts.rules ?? new PathRules(opts.filter ?? SourceFilter.compile({}).filter, workspaceRoot);
  const maxDepth = opts.maxDepth ?? 12;
  const maxFiles = opts.maxFiles ?? rules.filter.maxFiles;
  const started = performance.now();
  const found: DiscoveredSource[] = [];
  const skipped: Partial<Record<ScanSkipReason, number>> = {};
  let seen = 0;
  let stopped: 'limit' | 'cancelled' | undefined;
  // The first report comes at the first check, so a listener hears of the walk at once.
  let lastProgress = -Infinity;

  const report = (): void => {
    opts.onProgress?.({ phase: 'walking', filesLookedAt: seen, sourcesFound: found.length, sourcesRead: 0 });
  };
  /** Counts one entry; false when the walk must stop. */
  const lookAt = (): boolean => {
    if (++seen > maxFiles) {
      seen = maxFiles;
      stopped = 'limit';
      return false;
    }
    if (seen % CHECK_EVERY === 0) {
      if (opts.cancellation?.isCancelled) {
        stopped = 'cancelled';
        return false;
      }
      const now = performance.now();
      if (opts.onProgress && now - lastProgress >= PROGRESS_INTERVAL_MS) {
        lastProgress = now;
        report();
      }
    }
    return true;
  };

  /** `enter` makes the folder's state once its listing shows whether it holds a `.gitignore`. */
  const walk = (absDir: string, enter: (hasGitignore: boolean) => FolderState, depth: number): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(absDir, { withFileTypes: true });
    } catch {
      return; // vanished or unreadable folders are simply not sources
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const dir = enter(entries.some((e) => e.name === '.gitignore' && e.isFile()));
    let names: Set<string> | undefined;
    const siblings = () => (names ??= new Set(entries.map((e) => e.name)));
    for (const entry of entries) {
      if (stopped || !lookAt()) return;
      const isDir = entry.isDirectory();
      if (!isDir && !entry.isFile()) continue;
      const relPath = dir.relDir === '' ? entry.name : `${dir.relDir}/${entry.name}`;
      if (isDir) {
        if (depth >= maxDepth) continue;
        const reason = rules.skipReason(dir, entry.name, true, siblings);
        if (reason) {
          skipped[reason] = (skipped[reason] ?? 0) + 1;
          continue;
        }
        walk(path.join(absDir, entry.name), (hasGitignore) => rules.enter(dir, entry.name, hasGitignore), depth + 1);
        continue;
      }
      // Most files belong to no reader: asked first, it spares the rules for them.
      const reader = readerFor(readers, relPath);
      if (!reader) continue;
      const reason = rules.skipReason(dir, entry.name, false, siblings);
      if (reason) skipped[reason] = (skipped[reason] ?? 0) + 1;
      else if (rules.filter.includes(relPath)) found.push({ absPath: path.join(absDir, entry.name), relPath, reader });
    }
  };

  const startDir = rules.folderState(toRelPath(workspaceRoot, root));
  if (startDir) walk(root, () => startDir, 0);
  if (opts.onProgress && !stopped) report();
  const summary: ScanSummary = {
    filesLookedAt: seen, sourcesFound: found.length, cancelled: stopped === 'cancelled', skipped, ms: performance.now() - started,
  };
  if (stopped === 'limit') summary.limitReached = maxFiles;
  return { sources: found, summary };
}

