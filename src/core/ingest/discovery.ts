/**
 * Finds the files some reader owns below the workspace root. Folders that hold installed packages
 * or version-control data are never entered: they are large and never hold a user's runs.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SourceFilter } from './sourceFilter';
import type { SourceReader } from './sourceReader';

export const SKIPPED_DIRS: ReadonlySet<string> = new Set([
  'node_modules', '.git', '.hg', '.svn', '.venv', 'venv', '.tox', '.nox', '__pycache__', '.mypy_cache', '.pytest_cache',
  '.ruff_cache', 'site-packages', '.ipynb_checkpoints', '.vscode-test', '.idea', '.cache',
]);

export interface DiscoveredSource {
  absPath: string;
  relPath: string;
  reader: SourceReader;
}

export interface DiscoveryOptions {
  /** Paths are made relative to this folder (the workspace root); default: the folder walked. */
  relativeTo?: string;
  maxDepth?: number;
  /** Stop after this many files looked at, so a huge tree cannot stall the index. */
  maxFiles?: number;
  /** The user's include/exclude globs (the `exptrack.sources.*` settings); default: every owned file. */
  filter?: Pick<SourceFilter, 'accepts' | 'skipsDir'>;
}

export function toRelPath(root: string, absPath: string): string {
  return path.relative(root, absPath).split(path.sep).join('/');
}

export function readerFor(readers: readonly SourceReader[], relPath: string): SourceReader | undefined {
  return readers.find((r) => r.matches(relPath));
}

/** Lists owned files in a stable (sorted) order, so a rebuild indexes them in the same order. */
export function discoverSources(root: string, readers: readonly SourceReader[], opts: DiscoveryOptions = {}): DiscoveredSource[] {
  const maxDepth = opts.maxDepth ?? 12;
  const maxFiles = opts.maxFiles ?? 200_000;
  const found: DiscoveredSource[] = [];
  let seen = 0;
  const walk = (dir: string, depth: number): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return; // vanished or unreadable folders are simply not sources
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (++seen > maxFiles) return;
      const abs = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (depth < maxDepth && !SKIPPED_DIRS.has(entry.name) && !opts.filter?.skipsDir(toRelPath(opts.relativeTo ?? root, abs))) walk(abs, depth + 1);
      } else if (entry.isFile()) {
        const relPath = toRelPath(opts.relativeTo ?? root, abs);
        const reader = readerFor(readers, relPath);
        if (reader && (!opts.filter || opts.filter.accepts(relPath))) found.push({ absPath: abs, relPath, reader });
      }
    }
  };
  walk(root, 0);
  return found;
}
