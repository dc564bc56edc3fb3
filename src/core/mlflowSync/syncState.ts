/**
 * `.exptrack/mlflow-sync.json`: what was sent to (and taken from) each MLflow server, so pushing
 * again sends only what is new and an interrupted push continues where it stopped.
 *
 * Per server (keyed by its URI): local run → remote run, and per pushed run the params and tags
 * sent, how many points of each metric were sent with a digest of them (so a history that changed
 * order or shrank is noticed and reconciled against the server), the status sent and the artifacts
 * uploaded; the runs pulled from it; model versions and aliases pushed and pulled.
 *
 * The file is written whole to a temp file and renamed over the old one after every batch the
 * server accepted, so a killed process leaves a consistent file. It is not fsynced: it is a cache
 * of what the server holds. Every remote run carries the tag `exptrack.run_id` and a run whose
 * push did not finish is compared with the server's history, so a file lost or torn by a system
 * crash costs a few look-ups, never duplicates.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { ensureExptrackFolder } from '../exptrackDir';

export const SYNC_STATE_FILE_NAME = 'mlflow-sync.json';
export const SYNC_LOCK_FILE_NAME = 'mlflow-sync.lock';

const MetricSent = z.object({ count: z.number().int().nonnegative(), digest: z.string() });

const PushedRun = z.object({
  remoteRunId: z.string().min(1),
  experimentId: z.string(),
  artifactUri: z.string().optional(),
  params: z.record(z.string(), z.string()),
  tags: z.record(z.string(), z.string()),
  metrics: z.record(z.string(), MetricSent),
  /** Set while a push of this run is under way: a later push checks the server before going on. */
  incomplete: z.boolean().optional(),
  status: z.string().optional(),
  endTimeMs: z.number().optional(),
  runName: z.string().optional(),
  /** Artifact name → `size:mtimeMs` of the local file uploaded. */
  artifacts: z.record(z.string(), z.string()),
});
export type PushedRun = z.infer<typeof PushedRun>;

const PushedModel = z.object({
  /** Local version number → remote version number. */
  versions: z.record(z.string(), z.string()),
  /** Aliases set on the server by a push: alias → remote version. */
  aliases: z.record(z.string(), z.string()),
});

const PulledModel = z.object({
  /** Remote version number → local version number. */
  versions: z.record(z.string(), z.number().int().positive()),
});

const ServerState = z.object({
  experiments: z.record(z.string(), z.string()),
  runs: z.record(z.string(), PushedRun),
  /** Remote run id → local run uid of the runs pulled from this server. */
  pulled: z.record(z.string(), z.string()),
  models: z.record(z.string(), PushedModel),
  pulledModels: z.record(z.string(), PulledModel),
});
export type ServerSyncState = z.infer<typeof ServerState>;

const SyncStateFile = z.object({
  version: z.literal(1),
  servers: z.record(z.string(), ServerState),
});
export type SyncStateFile = z.infer<typeof SyncStateFile>;

export function emptyServerState(): ServerSyncState {
  return { experiments: {}, runs: {}, pulled: {}, models: {}, pulledModels: {} };
}

export function syncStatePath(exptrackDir: string): string {
  return path.join(exptrackDir, SYNC_STATE_FILE_NAME);
}

/** The state of every server, read from the file; a damaged file is set aside (and said so), never lost. */
export class SyncStateStore {
  private data: SyncStateFile;
  /** Set when the file could not be read and was moved aside. */
  readonly setAside: string | undefined;

  private constructor(readonly file: string, data: SyncStateFile, setAside?: string) {
    this.data = data;
    this.setAside = setAside;
  }

  static load(exptrackDir: string): SyncStateStore {
    const file = syncStatePath(exptrackDir);
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return new SyncStateStore(file, { version: 1, servers: {} });
      throw new Error(`cannot read ${file}: ${(e as Error).message}`);
    }
    let problem: string;
    try {
      const parsed = SyncStateFile.safeParse(JSON.parse(text));
      if (parsed.success) return new SyncStateStore(file, parsed.data);
      const issue = parsed.error.issues[0];
      problem = `${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`;
    } catch (e) {
      problem = (e as Error).message;
    }
    const aside = `${file}.unreadable-${Date.now()}`;
    fs.renameSync(file, aside);
    const store = new SyncStateStore(file, { version: 1, servers: {} }, `${aside} (${problem})`);
    return store;
  }

  /** The state of one server, created empty on first use (kept in memory until save()). */
  server(uri: string): ServerSyncState {
    let s = this.data.servers[uri];
    if (!s) this.data.servers[uri] = s = emptyServerState();
    return s;
  }

  /** Writes the whole file atomically: a temp file renamed over the old one. */
  save(): void {
    ensureExptrackFolder(path.dirname(this.file));
    const tmp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(this.data, null, 1) + '\n');
    fs.renameSync(tmp, this.file);
  }
}

export class SyncBusyError extends Error {}

/**
 * One push or pull at a time per workspace (two windows, or the CLI beside the editor, would
 * otherwise both send the same points). The lock names its process; a lock whose process is gone
 * (a killed push) is taken over.
 */
export function acquireSyncLock(exptrackDir: string): () => void {
  ensureExptrackFolder(exptrackDir);
  const file = path.join(exptrackDir, SYNC_LOCK_FILE_NAME);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, JSON.stringify({ pid: process.pid, since: Date.now() }), { flag: 'wx' });
      return () => fs.rmSync(file, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const holder = readLockHolder(file);
    if (holder !== undefined && holder !== process.pid && isAlive(holder)) {
      throw new SyncBusyError(`another MLflow push or pull is running in this workspace (process ${holder}); wait for it to finish`);
    }
    fs.rmSync(file, { force: true });
  }
  throw new SyncBusyError(`cannot take the lock ${file}`);
}

function readLockHolder(file: string): number | undefined {
  try {
    const pid = (JSON.parse(fs.readFileSync(file, 'utf8')) as { pid?: unknown }).pid;
    return typeof pid === 'number' ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
