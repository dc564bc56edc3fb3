/**
 * Applies one file's hunks to its text in memory, like `patch` without fuzz (jsdiff's applyPatch,
 * one hunk at a time): each hunk goes where its header says, or — when the file moved on around
 * it — at the nearest place where all its context and removed lines match. A hunk that matches
 * nowhere is left out and reported; the others still apply.
 */
import { applyPatch } from 'diff';
import type { FilePatch } from './unifiedDiff';

export interface PatchResult {
  text: string;
  /** 1-based numbers of the hunks that could not be placed. */
  failedHunks: number[];
}

export function applyFilePatch(original: string, patch: FilePatch): PatchResult {
  if (patch.newPath === null) return { text: '', failedHunks: [] };
  let text = original;
  const failedHunks: number[] = [];
  patch.hunks.forEach((hunk, h) => {
    // Line ends are the patch's own business: a CRLF line stays CRLF, an LF line LF.
    const applied = applyPatch(text, { oldFileName: '', newFileName: '', oldHeader: '', newHeader: '', hunks: [hunk] }, { autoConvertLineEndings: false });
    if (applied === false) failedHunks.push(h + 1);
    else text = applied;
  });
  return { text, failedHunks };
}
