/**
 * The contract every format reader fulfils. A reader turns the bytes of one file into run events
 * (the same v1 events that capture writes), so the store has one way in for every source.
 *
 * Readers are pure and synchronous over bytes: the source tracker decides what to read
 * (only new bytes of a growing file, or all of a rewritten one) and keeps the offsets.
 */
import type { MetricValue, RunEvent } from '../../shared/runEvents';
import type { SourceProblem } from '../../shared/runTypes';
import type { StudyKind, TrialState } from '../../shared/sweepTypes';

export interface RunBatch {
  /** Stable across rebuilds: the events.jsonl run id, or e.g. `mlflow:<run_id>`, `tb:<dir>`. */
  runUid: string;
  events: RunEvent[];
  /** The folder holding the run's own files (stdout.log, code.patch), workspace-relative. */
  runDir?: string;
}

/** One line of `.exptrack/registry.jsonl` (an audit event), kept verbatim and folded by src/core/registry. */
export interface RegistryRecord {
  id: string;
  time: number;
  type: string;
  json: string;
}

/** A model version another tool's registry holds (e.g. MLflow's `mlruns/models/`): read-only here. */
export interface ExternalModelVersion {
  name: string;
  version: number;
  /** The run that produced it, as a run uid of this index (e.g. `mlflow:<run_id>`). */
  runUid?: string;
  path?: string;
  /** Aliases the other registry gives this version (MLflow aliases, or its stage such as `Production`). */
  aliases: string[];
  created?: number;
  description?: string;
}

/**
 * A hyperparameter study as a source states it (src/core/sweeps reads them back). Several sources
 * may state one study; what one source says is merged into what it said before (`info` as JSON).
 */
export interface StudyRecord {
  uid: string;
  name: string;
  kind: StudyKind;
  /** The file or folder the study is read from, workspace-relative. */
  path: string;
  info?: Record<string, unknown>;
}

/** A run that is a trial of a study; fields left out keep what an earlier read of the source said. */
export interface TrialRecord {
  studyUid: string;
  runUid: string;
  number?: number;
  state?: TrialState;
  /** One per objective, null where the trial has none. */
  values?: (MetricValue | null)[];
  /** Merged into the trial's details as JSON (a key set to null removes it). */
  info?: Record<string, unknown>;
}

export interface ReadInput {
  /** Absolute path of the file. */
  path: string;
  /** Path relative to the workspace root, with forward slashes: use it in problems and events. */
  relPath: string;
  /** The unread bytes from `offset` on (the whole file for whole-file readers). */
  bytes: Buffer;
  offset: number;
  /** 1-based line number of the first line in `bytes`. */
  line: number;
  /** What the reader returned as `state` last time; undefined on a first read or after a rewrite. */
  state: unknown;
  /** True when `bytes` reaches the current end of the file. */
  atEnd: boolean;
}

export interface ReadOutput {
  batches: RunBatch[];
  /** Bytes of `bytes` fully handled; the rest (a record still being written) is offered again later. */
  consumed: number;
  /** Newlines within the consumed bytes, to keep line numbers right. */
  lines: number;
  /** JSON-serialisable state carried to the next read of this file. */
  state?: unknown;
  problems: SourceProblem[];
  registry?: RegistryRecord[];
  models?: ExternalModelVersion[];
  studies?: StudyRecord[];
  trials?: TrialRecord[];
}

/**
 * Thrown by a reader whose file is being written and cannot be read consistently now (an SQLite
 * database in a write transaction): what the index holds from it is kept, and it is read again soon.
 */
export class SourceBusyError extends Error {}

export interface SourceReader {
  /** Stored with the source; changing a reader's id makes its sources re-read. */
  readonly id: string;
  /** Formats such as YAML or JSON can only be read whole: any change re-reads the file. */
  readonly wholeFile: boolean;
  /** Whether this reader owns the file at `relPath` (workspace-relative, forward slashes). */
  matches(relPath: string): boolean;
  read(input: ReadInput): ReadOutput;
}

export function problem(relPath: string, line: number | null, message: string, severity: SourceProblem['severity'] = 'warning'): SourceProblem {
  return { path: relPath, line, message, severity };
}
