/**
 * A writer of run logs and registry events that remembers everything it wrote, so a test can
 * say exactly what the index must hold: the runs, their params, every metric point, every tag.
 * It writes as the real writers do: each events.jsonl is appended by its own writer only, and
 * registry lines go through the registry appender (one O_APPEND write each). Some lines are
 * written in two halves, as a slow writer would, so readers meet half-written lines.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { appendRegistryLine, newRegistryEventId } from '../../../src/core/registry/registryAppender';
import type { IndexSnapshot, RunSnapshot } from './indexSnapshot';

export type Rng = () => number;

/** A small seeded generator (mulberry32), so a failing run can be repeated with FAULTS_SEED. */
export function seededRng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function faultSeed(): number {
  const fromEnv = Number(process.env.FAULTS_SEED);
  return Number.isFinite(fromEnv) && process.env.FAULTS_SEED ? fromEnv : Math.floor(Math.random() * 2 ** 31);
}

const METRIC_KEYS = ['loss', 'val/acc', 'lr'];

interface RunLog {
  snapshot: RunSnapshot;
  file: string;
  nextStep: number;
  time: number;
  /** The second half of a line whose first half is already in the file. */
  tail: string | null;
}

export class WorkspaceWriter {
  private readonly runs = new Map<string, RunLog>();
  private readonly open: RunLog[] = [];
  private registryIds: string[] = [];
  private nextRun = 0;
  pointsWritten = 0;

  constructor(
    readonly root: string,
    private readonly rng: Rng,
    private readonly prefix = 'r',
  ) {}

  get registryEventsWritten(): number {
    return this.registryIds.length;
  }

  get registryEventIds(): readonly string[] {
    return this.registryIds;
  }

  /** Starts a run: its start event and a params event. */
  startRun(): string {
    const uid = `${this.prefix}${String(this.nextRun++).padStart(4, '0')}`;
    const file = path.join(this.root, '.exptrack', 'runs', uid, 'events.jsonl');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const started = 1732240000 + this.nextRun + Math.round(this.rng() * 1e6) / 1e6;
    const params = {
      lr: Math.round(this.rng() * 1e6) / 1e7,
      layers: [64, Math.floor(this.rng() * 128)],
      optimizer: this.rng() < 0.5 ? 'adam' : 'sgd',
      'nested.depth': Math.floor(this.rng() * 10),
      shuffle: this.rng() < 0.5,
    };
    const run: RunLog = {
      snapshot: {
        uid, name: `run ${uid}`, experiment: `exp-${this.nextRun % 3}`, status: 'running', started, ended: null, exitCode: null,
        params, metrics: {}, tags: {},
      },
      file, nextStep: 0, time: started, tail: null,
    };
    this.runs.set(uid, run);
    this.open.push(run);
    this.append(run, [
      JSON.stringify({ t: 'run', v: 1, id: uid, name: run.snapshot.name, experiment: run.snapshot.experiment, started, source: { kind: 'script', path: 'train.py' } }),
      JSON.stringify({ t: 'params', values: params }),
    ].join('\n') + '\n');
    return uid;
  }

  /** Appends `lines` metrics lines (3 points each) to a random open run, sometimes half a line at a time. */
  appendMetrics(lines = 1): void {
    const run = this.pickOpen();
    if (!run) return;
    let text = '';
    for (let i = 0; i < lines; i++) {
      run.time += 0.25;
      const values: Record<string, number | string> = {};
      for (const key of METRIC_KEYS) {
        const r = this.rng();
        const value = r < 0.01 ? 'NaN' : r < 0.015 ? 'Infinity' : r < 0.02 ? '-Infinity' : Math.round(this.rng() * 1e9) / 1e9;
        values[key] = value;
        const points = (run.snapshot.metrics[key] ??= []);
        points.push([run.nextStep, run.time, typeof value === 'number' ? value : Number(value)]);
        this.pointsWritten++;
      }
      text += JSON.stringify({ t: 'metrics', step: run.nextStep++, time: run.time, values }) + '\n';
    }
    if (this.rng() < 0.2) {
      const cut = 1 + Math.floor(this.rng() * (text.length - 2));
      this.append(run, text.slice(0, cut));
      run.tail = text.slice(cut);
    } else {
      this.append(run, text);
    }
  }

  /** Ends a random open run. */
  endRun(): void {
    const run = this.pickOpen();
    if (!run) return;
    const ended = run.time + 1;
    const failed = this.rng() < 0.2;
    Object.assign(run.snapshot, { status: failed ? 'failed' : 'finished', ended, exitCode: failed ? 1 : 0 });
    this.append(run, JSON.stringify({ t: 'end', status: run.snapshot.status, exit: run.snapshot.exitCode, ended }) + '\n');
    this.open.splice(this.open.indexOf(run), 1);
  }

  /** Appends a `run.tag` registry event about a random run (with a key of its own, so every event shows). */
  appendRegistryTag(actor = 'faults'): void {
    const uids = [...this.runs.keys()];
    if (uids.length === 0) return;
    const uid = uids[Math.floor(this.rng() * uids.length)]!;
    const id = newRegistryEventId();
    const key = `fault.${id}`;
    const event = { id, time: Date.now() / 1000, actor, t: 'run.tag', run: uid, key, value: `v${this.registryIds.length}` };
    appendRegistryLine(path.join(this.root, '.exptrack', 'registry.jsonl'), Buffer.from(JSON.stringify(event) + '\n'));
    this.runs.get(uid)!.snapshot.tags[key] = event.value;
    this.registryIds.push(id);
  }

  /** One random action, weighted towards metrics, as a busy workspace sees them. */
  step(): void {
    const r = this.rng();
    if (this.open.length === 0 || r < 0.006) this.startRun();
    else if (r < 0.01 && this.open.length > 2) this.endRun();
    else if (r < 0.04) this.appendRegistryTag();
    else this.appendMetrics(1 + Math.floor(this.rng() * 4));
  }

  /** Completes every half-written line, so the files end on whole lines. */
  completeLines(): void {
    for (const run of this.runs.values()) this.completeTail(run);
  }

  /** What the index must hold once everything written so far is read; exact after completeLines(). */
  expected(): IndexSnapshot {
    const runs = [...this.runs.values()].map((r) => r.snapshot).sort((a, b) => (a.uid < b.uid ? -1 : 1));
    return { runs: structuredClone(runs) };
  }

  private pickOpen(): RunLog | undefined {
    return this.open.length ? this.open[Math.floor(this.rng() * this.open.length)] : undefined;
  }

  private append(run: RunLog, text: string): void {
    this.completeTail(run);
    fs.appendFileSync(run.file, text);
  }

  private completeTail(run: RunLog): void {
    if (run.tail === null) return;
    const tail = run.tail;
    run.tail = null;
    fs.appendFileSync(run.file, tail);
  }
}
