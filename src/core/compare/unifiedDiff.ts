/**
 * Reading a git patch (what capture writes as a run's `code.patch`) into per-file hunks with
 * jsdiff, so a run's code can be rebuilt in memory from its commit: the user's working tree and
 * index are never touched. Lines the format does not know (e.g. `# exptrack:` notes) are skipped.
 */
import { parsePatch, type StructuredPatchHunk } from 'diff';

export type Hunk = StructuredPatchHunk;

export interface FilePatch {
  /** Path before the change, relative to the repository top; null for a new file. */
  oldPath: string | null;
  /** Path after the change; null for a deleted file. */
  newPath: string | null;
  /** A binary change: its content cannot be rebuilt from the patch text. */
  binary: boolean;
  hunks: Hunk[];
}

/** Throws on a patch jsdiff cannot read (e.g. a hunk cut short). */
export function parseUnifiedDiff(text: string): FilePatch[] {
  // jsdiff flags `Binary files … differ`; `git diff --binary` (what capture writes) says `GIT binary patch`.
  const binaryGitSections = gitSectionsWithBinaryPatch(text);
  let gitSection = 0;
  return parsePatch(text).map((p) => ({
    oldPath: p.isCreate ? null : pathOf(p.oldFileName),
    newPath: p.isDelete ? null : pathOf(p.newFileName),
    binary: Boolean(p.isBinary) || (p.isGit === true && binaryGitSections[gitSection++] === true),
    hunks: p.hunks,
  }));
}

/** For each `diff --git` section in order, whether it holds a `GIT binary patch`. */
function gitSectionsWithBinaryPatch(text: string): boolean[] {
  const sections: boolean[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('diff --git ')) sections.push(false);
    else if (line.startsWith('GIT binary patch') && sections.length) sections[sections.length - 1] = true;
  }
  return sections;
}

/** A file name as jsdiff gives it: null for /dev/null, without git's a/ or b/ prefix. */
function pathOf(name: string | undefined): string | null {
  if (name === undefined || name === '/dev/null') return null;
  return name.replace(/^[ab]\//, '');
}
