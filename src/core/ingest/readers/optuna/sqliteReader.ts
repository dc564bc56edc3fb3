/**
 * Reads an Optuna RDB storage kept in SQLite (`sqlite:///study.db`), read-only, with sql.js over a
 * snapshot of the file's bytes: the file is never opened by SQLite itself, so nothing is locked
 * or written. A study running meanwhile writes in transactions (rollback journal): a snapshot taken
 * while a `-journal` is hot, or while the file changed under the read, may be torn, so the read
 * gives up with SourceBusyError (the index keeps what it had; the file is read again soon).
 *
 * A database without Optuna's tables (`studies`, `trials`) is someone else's and passed over.
 */
import * as fs from 'node:fs';
import type { Database, SqlJsStatic, SqlValue } from 'sql.js';
import type { RunEvent } from '../../../../shared/runEvents';
import { numberToMetricValue } from '../../../../shared/runEvents';
import type { SourceProblem } from '../../../../shared/runTypes';
import type { ParamDistribution } from '../../../../shared/sweepTypes';
import { externalValue, optunaDistribution } from '../../../sweeps/distributions';
import { problem, SourceBusyError, type ReadInput, type ReadOutput, type SourceReader, type StudyRecord, type TrialRecord } from '../../sourceReader';
import { capProblems } from '../common/fileProblems';
import { isoSeconds } from '../common/isoTime';
import { RunBatches } from '../common/runBatches';
import { baseName } from '../common/runIdentity';
import {
  attrText, direction, INTERMEDIATE_KEY, objectiveNames, studyUid, trialEnd, trialStart, trialState, trialUid, trialValues,
} from './optunaTrials';

const DB_NAME = /\.(?:db|sqlite|sqlite3)$/i;
const SQLITE_MAGIC = Buffer.from('SQLite format 3\u0000', 'latin1');
const JOURNAL_MAGIC = Buffer.from([0xd9, 0xd5, 0x05, 0xf9, 0x20, 0xa1, 0x63, 0xd7]);
/** Where SQLite keeps its file change counter, bumped by every committed transaction. */
const CHANGE_COUNTER_AT = 24;

export interface OptunaSqliteOptions {
  /** sql.js, loaded by the store; without it the reader only claims files (the extension host's file events). */
  sql?: SqlJsStatic;
  /** The index's own database (workspace-relative), never read as a source. */
  ownDatabase?: string;
}

export function optunaSqliteReader(opts: OptunaSqliteOptions = {}): SourceReader {
  return {
    id: 'optuna-sqlite@1',
    wholeFile: true,
    matches: (relPath) => DB_NAME.test(relPath) && !relPath.includes('.exptrack/') && !baseName(relPath).startsWith('exptrack.sqlite') && relPath !== opts.ownDatabase,
    read: (input) => readOptunaDatabase(input, opts.sql),
  };
}

function readOptunaDatabase(input: ReadInput, sql: SqlJsStatic | undefined): ReadOutput {
  const done: ReadOutput = { batches: [], consumed: input.bytes.length, lines: 0, problems: [] };
  if (input.bytes.length < 100 || !input.bytes.subarray(0, 16).equals(SQLITE_MAGIC)) return done;
  if (!sql) throw new Error('sql.js is not loaded here');
  assertSnapshot(input);
  let db: Database;
  try {
    db = new sql.Database(input.bytes);
  } catch (e) {
    return { ...done, problems: [problem(input.relPath, null, `unreadable SQLite database: ${(e as Error).message}`, 'error')] };
  }
  try {
    const tables = new Set(column(db, "SELECT name FROM sqlite_master WHERE type = 'table'").map(String));
    if (!tables.has('studies') || !tables.has('trials')) return done;
    const problems: SourceProblem[] = [];
    const out = new OptunaTables(db, input.relPath, tables, problems).read();
    assertSnapshot(input);
    return { ...done, ...out, problems: capProblems(problems, input.relPath) };
  } catch (e) {
    if (e instanceof SourceBusyError) throw e;
    // A snapshot taken mid-write can look damaged: try again before calling the file unreadable.
    assertSnapshot(input);
    return { ...done, problems: [problem(input.relPath, null, `unreadable Optuna database: ${(e as Error).message}`, 'error')] };
  } finally {
    db.close();
  }
}

/** Throws SourceBusyError unless the bytes read are what the file holds now, outside a write transaction. */
function assertSnapshot(input: ReadInput): void {
  if (hotJournal(`${input.path}-journal`)) throw new SourceBusyError('the Optuna database is being written (locked by a running study)');
  let fd: number | undefined;
  try {
    fd = fs.openSync(input.path, 'r');
    const header = Buffer.alloc(4);
    fs.readSync(fd, header, 0, 4, CHANGE_COUNTER_AT);
    const size = fs.fstatSync(fd).size;
    if (size !== input.bytes.length || !header.equals(input.bytes.subarray(CHANGE_COUNTER_AT, CHANGE_COUNTER_AT + 4))) {
      throw new SourceBusyError('the Optuna database changed while it was read (a running study)');
    }
  } catch (e) {
    if (e instanceof SourceBusyError) throw e;
    throw new SourceBusyError(`the Optuna database could not be checked after reading (${(e as Error).message})`);
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** A rollback journal that holds pages of an unfinished transaction (its header intact). */
function hotJournal(path: string): boolean {
  try {
    const fd = fs.openSync(path, 'r');
    try {
      const head = Buffer.alloc(8);
      return fs.readSync(fd, head, 0, 8, 0) === 8 && head.equals(JOURNAL_MAGIC);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return false;
  }
}

/** The rows of Optuna's schema (v1.x to v4.x: `trial_values` since 2.x, value types since 3.0) as run events and study records. */
class OptunaTables {
  private readonly batches = new RunBatches();
  private readonly studies: StudyRecord[] = [];
  private readonly trials: TrialRecord[] = [];

  constructor(private readonly db: Database, private readonly storage: string, private readonly tables: Set<string>, private readonly problems: SourceProblem[]) {}

  read(): Pick<ReadOutput, 'batches' | 'studies' | 'trials'> {
    const version = this.tables.has('version_info') ? rowsOf(this.db, 'SELECT schema_version, library_version FROM version_info')[0] : undefined;
    const directions = this.grouped('study_directions', 'SELECT study_id, objective, direction FROM study_directions ORDER BY study_id, objective', (r) => direction(r[2]));
    const systemAttrs = this.attrs('study_system_attributes', 'study_id');
    const userAttrs = this.attrs('study_user_attributes', 'study_id');
    const studyNames = new Map<number, string>();
    for (const [id, name] of rowsOf(this.db, 'SELECT study_id, study_name FROM studies ORDER BY study_id')) {
      const studyId = Number(id);
      studyNames.set(studyId, String(name));
      const dirs = directions.get(studyId) ?? ['minimize'];
      const info: Record<string, unknown> = {
        storage: 'sqlite', directions: dirs, objectiveNames: objectiveNames(dirs.length, systemAttrs.get(studyId)?.['study:metric_names']),
      };
      if (version) info.optunaVersion = String(version[1]);
      const user = userAttrs.get(studyId);
      if (user && Object.keys(user).length) info.userAttrs = user;
      this.studies.push({ uid: studyUid(this.storage, studyId), name: String(name), kind: 'optuna', path: this.storage, info });
    }
    const names = new Map(this.studies.map((s) => [s.uid, s.info!.objectiveNames as string[]]));
    const params = this.params();
    const values = this.values();
    const intermediate = this.intermediate();
    const trialAttrs = this.attrs('trial_user_attributes', 'trial_id');
    for (const r of rowsOf(this.db, 'SELECT trial_id, number, study_id, state, datetime_start, datetime_complete FROM trials ORDER BY trial_id')) {
      const [trialId, number, studyIdRaw, stateText, startText, endText] = [Number(r[0]), Number(r[1]), Number(r[2]), r[3], r[4], r[5]];
      const studyName = studyNames.get(studyIdRaw);
      if (studyName === undefined) continue;
      const state = trialState(stateText);
      if (!state) {
        this.problems.push(problem(this.storage, null, `trial ${number} of "${studyName}" has an unknown state ${JSON.stringify(stateText)}: skipped`));
        continue;
      }
      const uid = trialUid(this.storage, studyIdRaw, number);
      const started = isoSeconds(startText);
      const events: RunEvent[] = [trialStart(this.storage, studyIdRaw, studyName, number, started)];
      const p = params.get(trialId);
      if (p) events.push({ t: 'params', values: p.values as Record<string, never> });
      for (const [step, v] of intermediate.get(trialId) ?? []) events.push({ t: 'metrics', step, values: { [INTERMEDIATE_KEY]: numberToMetricValue(v) } });
      for (const [k, v] of Object.entries(trialAttrs.get(trialId) ?? {})) events.push({ t: 'tag', key: k, value: attrText(v) });
      const vals = trialValues(values.get(trialId) ?? null, names.get(studyUid(this.storage, studyIdRaw)) ?? ['value']);
      if (vals?.event) events.push(vals.event);
      const end = trialEnd(state, isoSeconds(endText), started);
      if (end) events.push(end);
      this.batches.add(uid, events);
      this.trials.push({
        studyUid: studyUid(this.storage, studyIdRaw), runUid: uid, number, state, values: vals?.record,
        info: p && Object.keys(p.distributions).length ? { distributions: p.distributions } : undefined,
      });
    }
    return { batches: this.batches.list(), studies: this.studies, trials: this.trials };
  }

  private params(): Map<number, { values: Record<string, unknown>; distributions: Record<string, ParamDistribution> }> {
    const out = new Map<number, { values: Record<string, unknown>; distributions: Record<string, ParamDistribution> }>();
    if (!this.tables.has('trial_params')) return out;
    for (const [trialId, name, internal, json] of rowsOf(this.db, 'SELECT trial_id, param_name, param_value, distribution_json FROM trial_params ORDER BY param_id')) {
      const d = optunaDistribution(json);
      if (!d || typeof internal !== 'number') {
        this.problems.push(problem(this.storage, null, `parameter "${String(name)}" of trial id ${String(trialId)} without a readable distribution: skipped`));
        continue;
      }
      let entry = out.get(Number(trialId));
      if (!entry) out.set(Number(trialId), (entry = { values: {}, distributions: {} }));
      entry.values[String(name)] = externalValue(d, internal);
      entry.distributions[String(name)] = d;
    }
    return out;
  }

  /** Objective values by trial; ±Infinity is stored as NULL with a value type since Optuna 3.0. */
  private values(): Map<number, (number | null)[]> {
    const out = new Map<number, (number | null)[]>();
    if (this.tables.has('trial_values')) {
      const typed = this.hasColumn('trial_values', 'value_type');
      for (const [trialId, objective, value, type] of rowsOf(this.db, `SELECT trial_id, objective, value, ${typed ? 'value_type' : 'NULL'} FROM trial_values`)) {
        const list = out.get(Number(trialId)) ?? [];
        list[Number(objective)] = typedValue(value, type);
        out.set(Number(trialId), list);
      }
      for (const list of out.values()) for (let i = 0; i < list.length; i++) list[i] ??= null;
    } else if (this.hasColumn('trials', 'value')) {
      for (const [trialId, value] of rowsOf(this.db, 'SELECT trial_id, value FROM trials WHERE value IS NOT NULL')) out.set(Number(trialId), [Number(value)]);
    }
    return out;
  }

  private intermediate(): Map<number, [number, number][]> {
    const out = new Map<number, [number, number][]>();
    if (!this.tables.has('trial_intermediate_values')) return out;
    const typed = this.hasColumn('trial_intermediate_values', 'intermediate_value_type');
    for (const [trialId, step, value, type] of rowsOf(this.db,
      `SELECT trial_id, step, intermediate_value, ${typed ? 'intermediate_value_type' : 'NULL'} FROM trial_intermediate_values ORDER BY trial_id, step`)) {
      const v = typedValue(value, type);
      if (v === null) continue;
      const list = out.get(Number(trialId)) ?? [];
      list.push([Number(step), v]);
      out.set(Number(trialId), list);
    }
    return out;
  }

  private attrs(table: string, idColumn: string): Map<number, Record<string, unknown>> {
    const out = new Map<number, Record<string, unknown>>();
    if (!this.tables.has(table)) return out;
    for (const [id, key, json] of rowsOf(this.db, `SELECT ${idColumn}, key, value_json FROM ${table}`)) {
      let value: unknown = json;
      try {
        value = JSON.parse(String(json));
      } catch {
        // Kept as the text it is.
      }
      const entry = out.get(Number(id)) ?? {};
      entry[String(key)] = value;
      out.set(Number(id), entry);
    }
    return out;
  }

  private grouped<T>(table: string, query: string, value: (r: SqlValue[]) => T): Map<number, T[]> {
    const out = new Map<number, T[]>();
    if (!this.tables.has(table)) return out;
    for (const r of rowsOf(this.db, query)) {
      const list = out.get(Number(r[0])) ?? [];
      list.push(value(r));
      out.set(Number(r[0]), list);
    }
    return out;
  }

  private hasColumn(table: string, name: string): boolean {
    return rowsOf(this.db, `PRAGMA table_info(${table})`).some((r) => r[1] === name);
  }
}

/** Optuna's value types: FINITE, INF_POS, INF_NEG (values NULL), NAN (intermediate values). */
function typedValue(value: SqlValue, type: SqlValue): number | null {
  switch (type) {
    case 'INF_POS':
      return Infinity;
    case 'INF_NEG':
      return -Infinity;
    case 'NAN':
      return NaN;
    default:
      return typeof value === 'number' ? value : null;
  }
}

function rowsOf(db: Database, query: string): SqlValue[][] {
  return db.exec(query)[0]?.values ?? [];
}

function column(db: Database, query: string): SqlValue[] {
  return rowsOf(db, query).map((r) => r[0]!);
}
