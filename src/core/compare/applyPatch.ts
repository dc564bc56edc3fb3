/**
 * Applies one file's hunks to its text in memory, like `patch` without fuzz: each hunk goes where
 * its header says, or — when the file moved on around it — at the nearest place where all its
 * context and removed lines match. A hunk that matches nowhere is left out and reported.
 */
import type { FilePatch, Hunk } from './unifiedDiff';

export interface PatchResult {
  text: string;
  /** 1-based numbers of the hunks that could not be placed. */
  failedHunks: number[];
}

export function applyFilePatch(original: string, patch: FilePatch): PatchResult {
  if (patch.newPath === null) return { text: '', failedHunks: [] };
  const { lines, newlineAtEnd } = splitLines(original);
  const out: string[] = [];
  let endsWithNewline = newlineAtEnd;
  let copied = 0; // lines of `lines` already handled
  const failedHunks: number[] = [];
  let offset = 0;

  patch.hunks.forEach((hunk, h) => {
    const oldSide = hunk.lines.filter((l) => l[0] !== '+').map((l) => l.slice(1));
    // A hunk that adds to an empty side names the line *after which* it goes.
    const wanted = (hunk.oldLines === 0 ? hunk.oldStart : hunk.oldStart - 1) + offset;
    const at = findPlace(lines, oldSide, wanted, copied);
    if (at < 0) {
      failedHunks.push(h + 1);
      return;
    }
    for (; copied < at; copied++) out.push(lines[copied]!);
    for (const l of hunk.lines) if (l[0] !== '-') out.push(l.slice(1));
    copied = at + oldSide.length;
    offset = at - (hunk.oldLines === 0 ? hunk.oldStart : hunk.oldStart - 1);
    if (copied === lines.length) endsWithNewline = endOfNewSide(hunk, endsWithNewline);
  });
  for (; copied < lines.length; copied++) out.push(lines[copied]!);
  return { text: joinLines(out, endsWithNewline), failedHunks };
}

/** Whether the text ends with a newline once a hunk that reaches the end of the file is applied. */
function endOfNewSide(hunk: Hunk, before: boolean): boolean {
  const hasNewSide = hunk.lines.some((l) => l[0] !== '-');
  if (!hasNewSide) return before;
  return !hunk.newNoNewlineAtEnd;
}

/** Where `needle` starts in `lines` (not before `from`), nearest to `wanted`; -1 when nowhere. */
function findPlace(lines: readonly string[], needle: readonly string[], wanted: number, from: number): number {
  const last = lines.length - needle.length;
  const matches = (at: number) => {
    for (let j = 0; j < needle.length; j++) if (lines[at + j] !== needle[j]) return false;
    return true;
  };
  for (let d = 0; wanted - d >= from || wanted + d <= last; d++) {
    if (wanted + d >= from && wanted + d <= last && matches(wanted + d)) return wanted + d;
    if (d > 0 && wanted - d >= from && wanted - d <= last && matches(wanted - d)) return wanted - d;
  }
  return -1;
}

/** Lines without their `\n` (a `\r` stays with its line), and whether the last line had a newline. */
export function splitLines(text: string): { lines: string[]; newlineAtEnd: boolean } {
  if (text === '') return { lines: [], newlineAtEnd: false };
  const lines = text.split('\n');
  const newlineAtEnd = lines[lines.length - 1] === '';
  if (newlineAtEnd) lines.pop();
  return { lines, newlineAtEnd };
}

function joinLines(lines: readonly string[], newlineAtEnd: boolean): string {
  if (lines.length === 0) return '';
  return lines.join('\n') + (newlineAtEnd ? '\n' : '');
}
