/** Reads `.exptrack/runs/<run-id>/events.jsonl`, the run-event log written by capture and exptrack.py. */
import { parseRunEventLine, type RunEvent } from '../../../shared/runEvents';
import type { SourceProblem } from '../../../shared/runTypes';
import { problem, type ReadInput, type ReadOutput, type SourceReader } from '../sourceReader';
import { forEachCompleteLine } from './jsonLines';

const RUN_EVENTS_PATH = /(?:^|\/)\.exptrack\/runs\/([^/]+)\/events\.jsonl$/;

export const eventsJsonlReader: SourceReader = {
  id: 'events-jsonl@1',
  wholeFile: false,
  // The suffix test first: the file watcher asks this of every changed file.
  matches: (relPath) => relPath.endsWith('/events.jsonl') && RUN_EVENTS_PATH.test(relPath),
  read: readEventsJsonl,
};

export function runUidOfEventsPath(relPath: string): string | undefined {
  return RUN_EVENTS_PATH.exec(relPath)?.[1];
}

function readEventsJsonl(input: ReadInput): ReadOutput {
  const runUid = runUidOfEventsPath(input.relPath) ?? input.relPath;
  const events: RunEvent[] = [];
  const problems: SourceProblem[] = [];
  const result = forEachCompleteLine(input, problems, (text, line) => {
    const parsed = parseRunEventLine(text);
    if (parsed.kind === 'event') events.push(parsed.event);
    else if (parsed.kind === 'unknown') problems.push(problem(input.relPath, line, `unknown event type "${parsed.type}" skipped`, 'info'));
    else problems.push(problem(input.relPath, line, parsed.message));
  });
  return { ...result, batches: events.length ? [{ runUid, events, runDir: input.relPath.slice(0, -'/events.jsonl'.length) }] : [], problems };
}
