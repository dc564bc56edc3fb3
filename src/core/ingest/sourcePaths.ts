/**
 * Workspace-relative paths and which reader owns them: the few string tests the extension host
 * makes for every file event (so they pull in none of the scan's rules or libraries).
 */
import * as path from 'node:path';
import type { SourceReader } from './sourceReader';

export function toRelPath(root: string, absPath: string): string {
  return path.relative(root, absPath).split(path.sep).join('/');
}

export function readerFor(readers: readonly SourceReader[], relPath: string): SourceReader | undefined {
  return readers.find((r) => r.matches(relPath));
}

/** What a file event means to the index: a source to read, a change of ignore rules (a full scan), or nothing. */
export function changedPathKind(readers: readonly SourceReader[], relPath: string): 'source' | 'ignoreRules' | undefined {
  if (relPath === '.gitignore' || relPath.endsWith('/.gitignore') || relPath === '.git/info/exclude') return 'ignoreRules';
  return readerFor(readers, relPath) ? 'source' : undefined;
}
