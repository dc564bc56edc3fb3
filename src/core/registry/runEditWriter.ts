/**
 * The registry appender in the shape the extension's run commands use (rename, note, tag, delete):
 * the same single-write O_APPEND lines, ids and actor as registryAppender.ts and actor.ts.
 */
import * as path from 'node:path';
import { ensureExptrackFolder } from '../exptrackDir';
import { resolveActor } from './actor';
import { appendRegistryLine as appendLine, newRegistryEventId, REGISTRY_FILE_NAME } from './registryAppender';

export { REGISTRY_FILE_NAME };

/** Time-sortable and unique across writers: milliseconds in base 36, then random bytes. */
export const newEventId = newRegistryEventId;

/** Who is acting: git's `user.name <user.email>` in that folder, else the OS user. */
export const actorName = resolveActor;

export function appendRegistryLine(exptrackDir: string, event: { id: string; time: number; t: string }): void {
  ensureExptrackFolder(exptrackDir);
  appendLine(path.join(exptrackDir, REGISTRY_FILE_NAME), Buffer.from(JSON.stringify(event) + '\n', 'utf8'));
}
