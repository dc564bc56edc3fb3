/**
 * Appends audit events to `.exptrack/registry.jsonl`. Every event is one line written with a single
 * write(2) on a file opened with O_APPEND, so any number of writers (windows, the CLI, CI jobs) can
 * append at once without a lock and without losing or interleaving lines. Lines are kept under
 * 4 KB so that even filesystems that only promise atomic small appends keep them whole.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RegistryEvent, type RegistryEnvelopeFields } from '../../shared/registryEvents';
import { ensureExptrackDir, EXPTRACK_DIR_NAME, writeRegistryAttributes } from '../exptrackDir';
import { resolveActor } from './actor';

export const REGISTRY_FILE_NAME = 'registry.jsonl';
/** Workspace-relative path of the registry, as the ingest layer names sources. */
export const REGISTRY_REL_PATH = `${EXPTRACK_DIR_NAME}/${REGISTRY_FILE_NAME}`;
export const MAX_REGISTRY_LINE_BYTES = 4096;

export function registryFilePath(workspaceRoot: string): string {
  return path.join(workspaceRoot, EXPTRACK_DIR_NAME, REGISTRY_FILE_NAME);
}

/**
 * A new event id: the time in milliseconds (base 36, fixed width, so ids sort by time) and 64
 * random bits, e.g. `m3x9k2a1b-9f8e7d6c5b4a3f2e`.
 */
export function newRegistryEventId(nowMs: number = Date.now()): string {
  return `${Math.floor(nowMs).toString(36).padStart(9, '0')}-${randomBytes(8).toString('hex')}`;
}

export class RegistryWriteError extends Error {}

/** An event without the fields the appender fills in. */
export type RegistryEventDraft = RegistryEvent extends infer E ? (E extends RegistryEvent ? Omit<E, keyof RegistryEnvelopeFields> : never) : never;

export class RegistryAppender {
  private lastTime = 0;

  constructor(
    readonly file: string,
    readonly actor: string,
    private readonly nowMs: () => number = Date.now,
  ) {}

  /**
   * Id, time (seconds) and actor for a new event. Times from one appender strictly increase, so its
   * own events keep the order in which they were made.
   */
  envelope(): RegistryEnvelopeFields {
    let time = this.nowMs() / 1000;
    if (time <= this.lastTime) time = this.lastTime + 0.000001;
    this.lastTime = time;
    return { id: newRegistryEventId(time * 1000), time, actor: this.actor };
  }

  /** Validates and appends one complete event. Throws RegistryWriteError with a readable message. */
  append(event: RegistryEvent): void {
    const parsed = RegistryEvent.safeParse(event);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new RegistryWriteError(`not a valid "${event.t}" event${issue?.path.length ? ` at ${issue.path.join('.')}` : ''}: ${issue?.message}`);
    }
    const line = Buffer.from(JSON.stringify(parsed.data) + '\n', 'utf8');
    if (line.length > MAX_REGISTRY_LINE_BYTES) {
      throw new RegistryWriteError(`the "${event.t}" event is ${line.length} bytes; registry lines are limited to ${MAX_REGISTRY_LINE_BYTES} (shorten the reason or description)`);
    }
    appendRegistryLine(this.file, line);
  }

  /** Fills in the envelope and appends; returns the event as written. */
  appendDraft<D extends RegistryEventDraft>(draft: D): D & RegistryEnvelopeFields {
    const event = { ...this.envelope(), ...draft } as D & RegistryEnvelopeFields;
    this.append(event as unknown as RegistryEvent);
    return event;
  }
}

/** Opens the appender of a workspace: creates `.exptrack/` if needed and finds out who is writing. */
export async function openRegistryAppender(workspaceRoot: string, actor?: string): Promise<RegistryAppender> {
  ensureExptrackDir(workspaceRoot);
  return new RegistryAppender(registryFilePath(workspaceRoot), actor ?? (await resolveActor(workspaceRoot)));
}

/**
 * Appends one complete line (ending in a newline) with a single O_APPEND write. Throws
 * RegistryWriteError naming the file.
 */
export function appendRegistryLine(file: string, line: Buffer): void {
  let fd: number;
  try {
    // A new registry gets its union-merge attribute first, so the first commit of it merges cleanly.
    if (!fs.existsSync(file)) writeRegistryAttributes(path.dirname(file));
    // a+ = O_APPEND | O_CREAT | O_RDWR: every write goes to the end; reading the last byte is allowed.
    fd = fs.openSync(file, 'a+');
  } catch (e) {
    throw new RegistryWriteError(`cannot open ${file}: ${(e as Error).message}`);
  }
  try {
    writeWhole(fd, startsCleanLine(fd) ? line : Buffer.concat([Buffer.from('\n'), line]));
  } catch (e) {
    throw new RegistryWriteError(`cannot append to ${file}: ${(e as Error).message}`);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * False when the file ends inside a line (a crash mid-write elsewhere, or a hand edit): the new
 * event then starts on a line of its own, and only the broken line is reported by the reader.
 * Another writer appending in between only leaves a blank line, which readers skip.
 */
function startsCleanLine(fd: number): boolean {
  const size = fs.fstatSync(fd).size;
  if (size === 0) return true;
  const last = Buffer.alloc(1);
  fs.readSync(fd, last, 0, 1, size - 1);
  return last[0] === 0x0a;
}

function writeWhole(fd: number, buf: Buffer): void {
  let off = 0;
  while (off < buf.length) off += fs.writeSync(fd, buf, off, buf.length - off);
}
