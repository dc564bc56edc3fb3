/**
 * A run pulled from an MLflow server is kept as an ordinary run-event log,
 * `.exptrack/runs/mlflow-<remote run id>/events.jsonl` (source kind `mlflow-server`), so the index
 * stays derived from files: deleting the database loses nothing, and the run sits beside local
 * ones in the Runs view and in comparisons.
 *
 * The log is append-only like every other: pulling again appends only what changed on the
 * server (new points, changed params and tags, the end of a run that was still running).
 * This module knows what a log already says and turns a remote run into the events still missing.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseParamValue } from '../capture/paramValue';
import { serializeRunEvent, type WritableRunEvent } from '../capture/eventLogWriter';
import { ensureExptrackLayout, eventsPath } from '../exptrackDir';
import { metricValueToNumber, parseRunEventLine, RUN_EVENT_FORMAT_VERSION, type RunEvent, type RunStartEvent } from '../../shared/runEvents';
import type { WireMetric, WireRun } from './mlflowTypes';
import { wireInt } from './mlflowTypes';
import { COMMAND_TAG, GIT_DIRTY_TAG, MLFLOW_TAGS } from './runTags';
import { fromWireValue, msToSeconds, pointIdentity, secondsToMs } from './wireValues';

export const PULLED_RUN_PREFIX = 'mlflow-';

export function pulledRunUid(remoteRunId: string): string {
  return `${PULLED_RUN_PREFIX}${remoteRunId}`;
}

/** What a pulled run's log already holds. */
export interface PulledRunContent {
  hasStart: boolean;
  name: string | undefined;
  params: Map<string, string>;
  tags: Map<string, string>;
  /** Per metric key: point identity → how many times. */
  points: Map<string, Map<string, number>>;
  ended: string | undefined;
  endedAt: number | undefined;
}

export function emptyContent(): PulledRunContent {
  return { hasStart: false, name: undefined, params: new Map(), tags: new Map(), points: new Map(), ended: undefined, endedAt: undefined };
}

/** Reads the log's lines (bad lines are skipped here; the index reports them). */
export function readPulledRun(file: string): PulledRunContent {
  const content = emptyContent();
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return content;
  }
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const parsed = parseRunEventLine(line);
    if (parsed.kind === 'event') applyToContent(content, parsed.event);
  }
  return content;
}

function applyToContent(c: PulledRunContent, e: RunEvent): void {
  switch (e.t) {
    case 'run':
      c.hasStart = true;
      c.name = e.name;
      return;
    case 'params':
      for (const [k, v] of Object.entries(e.values)) c.params.set(k, JSON.stringify(v));
      return;
    case 'tag':
      c.tags.set(e.key, e.value);
      if (e.key === 'exptrack.name') c.name = e.value;
      return;
    case 'metrics':
      for (const [k, v] of Object.entries(e.values)) {
        const id = pointIdentity(e.step ?? 0, secondsToMs(e.time ?? 0), metricValueToNumber(v));
        let m = c.points.get(k);
        if (!m) c.points.set(k, (m = new Map()));
        m.set(id, (m.get(id) ?? 0) + 1);
      }
      return;
    case 'end':
      c.ended = e.status;
      c.endedAt = e.ended;
      return;
    default:
      return;
  }
}

const ENDED: Record<string, 'finished' | 'failed' | 'killed'> = { FINISHED: 'finished', FAILED: 'failed', KILLED: 'killed' };

export interface RemoteRunSnapshot {
  run: WireRun;
  experimentName: string;
  /** The MLflow UI page of the run, kept as the run's source path. */
  pageUri: string;
  histories: Map<string, WireMetric[]>;
}

/** The events that bring `content` up to date with the remote run, in the order to append them. */
export function missingEvents(content: PulledRunContent, snap: RemoteRunSnapshot): WritableRunEvent[] {
  const { info, data } = snap.run;
  const tags = new Map((data?.tags ?? []).map((t) => [t.key, t.value] as const));
  const name = info.run_name || tags.get(MLFLOW_TAGS.runName) || info.run_id;
  const startMs = wireInt(info.start_time) ?? 0;
  const out: WritableRunEvent[] = [];
  if (!content.hasStart) out.push(startEvent(snap, name, startMs, tags));
  else if (content.name !== name) out.push({ t: 'tag', key: 'exptrack.name', value: name });

  const params: Record<string, unknown> = {};
  for (const p of data?.params ?? []) {
    const value = paramValue(p.value);
    if (content.params.get(p.key) !== JSON.stringify(value)) params[p.key] = value;
  }
  if (Object.keys(params).length > 0) out.push({ t: 'params', values: params });
  for (const [key, value] of tags) {
    if (content.tags.get(key) !== value) out.push({ t: 'tag', key, value });
  }

  for (const [key, history] of snap.histories) {
    const have = new Map(content.points.get(key) ?? []);
    for (const m of history) {
      const step = Number(m.step ?? 0);
      const timeMs = Number(m.timestamp);
      const value = fromWireValue(m.value);
      const id = pointIdentity(step, timeMs, value);
      const left = have.get(id) ?? 0;
      if (left > 0) {
        have.set(id, left - 1);
        continue;
      }
      out.push({ t: 'metrics', step, time: msToSeconds(timeMs), values: { [key]: value } });
    }
  }

  const ended = info.status ? ENDED[info.status] : undefined;
  const endedAt = msToSeconds(wireInt(info.end_time) ?? startMs);
  if (ended && (content.ended !== ended || content.endedAt !== endedAt)) out.push({ t: 'end', status: ended, ended: endedAt });
  return out;
}

function startEvent(snap: RemoteRunSnapshot, name: string, startMs: number, tags: Map<string, string>): RunStartEvent {
  const e: RunStartEvent = {
    t: 'run', v: RUN_EVENT_FORMAT_VERSION, id: pulledRunUid(snap.run.info.run_id), name: name.slice(0, 1000),
    experiment: snap.experimentName.slice(0, 1000), started: msToSeconds(startMs), source: { kind: 'mlflow-server', path: snap.pageUri },
  };
  const user = snap.run.info.user_id || tags.get(MLFLOW_TAGS.user);
  if (user) e.user = user;
  const commit = tags.get(MLFLOW_TAGS.gitCommit);
  const branch = tags.get(MLFLOW_TAGS.gitBranch);
  const dirty = tags.get(GIT_DIRTY_TAG);
  if (commit || branch || dirty) {
    e.git = {
      ...(commit ? { commit: commit.trim() } : {}), ...(branch ? { branch: branch.trim() } : {}),
      ...(dirty === 'true' || dirty === 'false' ? { dirty: dirty === 'true' } : {}),
    };
  }
  const command = parseCommand(tags.get(COMMAND_TAG));
  if (command) e.command = command;
  return e;
}

function parseCommand(text: string | undefined): string[] | undefined {
  if (!text) return undefined;
  try {
    const v = JSON.parse(text) as unknown;
    return Array.isArray(v) && v.every((s) => typeof s === 'string') ? (v as string[]) : undefined;
  } catch {
    return undefined;
  }
}

/** MLflow's param strings typed like the MLflow file-store importer types them (`0.01` a number, `True` a boolean). */
function paramValue(text: string): unknown {
  const value = parseParamValue(text);
  return typeof value === 'number' && !Number.isFinite(value) ? text : value;
}

/**
 * Appends events to the run's log. A new log is written to a temp file and renamed into place, so
 * the index never sees half of it; an existing one gets one append, after cutting off a partial
 * last line a killed pull may have left.
 */
export function appendPulledEvents(exptrackDir: string, uid: string, events: WritableRunEvent[]): string {
  const file = eventsPath(exptrackDir, uid);
  const text = events.map((e) => serializeRunEvent(e) + '\n').join('');
  ensureExptrackLayout(exptrackDir);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  if (!fs.existsSync(file)) {
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, file);
    return file;
  }
  const fd = fs.openSync(file, 'r+');
  try {
    const size = fs.fstatSync(fd).size;
    if (size > 0) {
      const tail = Buffer.alloc(Math.min(size, 1 << 20));
      fs.readSync(fd, tail, 0, tail.length, size - tail.length);
      if (tail[tail.length - 1] !== 0x0a) {
        const lastNewline = tail.lastIndexOf(0x0a);
        fs.ftruncateSync(fd, lastNewline < 0 ? size - tail.length : size - tail.length + lastNewline + 1);
      }
    }
  } finally {
    fs.closeSync(fd);
  }
  fs.appendFileSync(file, text);
  return file;
}
