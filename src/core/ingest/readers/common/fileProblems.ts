/** Problems shared by every importer: unreadable text, and a cap so one broken file cannot flood Problems. */
import type { SourceProblem } from '../../../../shared/runTypes';
import { problem } from '../../sourceReader';

/** At most this many problems per read of one file; the rest are summed up in one message. */
export const MAX_PROBLEMS_PER_READ = 50;

export function capProblems(problems: SourceProblem[], relPath: string): SourceProblem[] {
  if (problems.length <= MAX_PROBLEMS_PER_READ) return problems;
  const kept = problems.slice(0, MAX_PROBLEMS_PER_READ);
  kept.push(problem(relPath, null, `${problems.length - MAX_PROBLEMS_PER_READ} more problems in this file not shown`));
  return kept;
}

/** A NUL byte never occurs in the text formats read here: it means a binary or damaged file. */
export function looksBinary(bytes: Uint8Array): boolean {
  return bytes.indexOf(0) >= 0;
}

/** Problems for a whole-file text source that is empty or binary; undefined when the text is usable. */
export function unusableTextProblem(relPath: string, bytes: Uint8Array): SourceProblem | undefined {
  if (bytes.length === 0) return problem(relPath, null, 'empty file');
  if (looksBinary(bytes)) return problem(relPath, null, 'binary data where text was expected: file skipped');
  return undefined;
}
