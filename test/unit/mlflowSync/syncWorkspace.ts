/** Workspaces with run-event logs for the MLflow sync tests, and the CLI run in-process. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../../src/cli/main';
import type { CliIo } from '../../../src/cli/cliContext';
import { serializeRunEvent, type WritableRunEvent } from '../../../src/core/capture/eventLogWriter';

export function tempWorkspace(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function runDirOf(root: string, uid: string): string {
  return path.join(root, '.exptrack', 'runs', uid);
}

export function appendEvents(root: string, uid: string, events: WritableRunEvent[]): void {
  fs.mkdirSync(runDirOf(root, uid), { recursive: true });
  fs.appendFileSync(path.join(runDirOf(root, uid), 'events.jsonl'), events.map((e) => serializeRunEvent(e) + '\n').join(''));
}

/** A value for point i that covers negative, tiny, huge and non-finite values. */
export function valueAt(i: number): number {
  if (i % 997 === 13) return NaN;
  if (i % 1499 === 7) return Infinity;
  if (i % 1999 === 11) return -Infinity;
  if (i % 500 === 3) return -1e-300 * (i + 1);
  if (i % 777 === 5) return 1.2345678901234567e200;
  return Math.sin(i / 37) * 1000 + i / 3;
}

/** `count` points of one key, one per step, times a millisecond apart (MLflow keeps milliseconds). */
export function metricEvents(key: string, from: number, count: number, startSeconds: number): WritableRunEvent[] {
  const out: WritableRunEvent[] = [];
  for (let i = from; i < from + count; i++) out.push({ t: 'metrics', step: i, time: (Math.round(startSeconds * 1000) + 1000 + i) / 1000, values: { [key]: valueAt(i) } });
  return out;
}

export async function cli(root: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { stdout: (s) => void (out += s), stderr: (s) => void (err += s), cwd: root };
  const saved: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(env)) {
    saved[k] = process.env[k];
    process.env[k] = v;
  }
  try {
    const code = await main(['--workspace', root, '--db', path.join(root, '.exptrack', 'exptrack.sqlite'), ...args], io);
    return { code, out, err };
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}
