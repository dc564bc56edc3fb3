/** Temporary workspaces with run event logs and model files, for the registry tests. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export function tempWorkspace(prefix = 'exptrack-registry-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function writeRun(root: string, id: string, events: object[]): void {
  const dir = path.join(root, '.exptrack', 'runs', id);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'events.jsonl'), events.map((e) => JSON.stringify(e)).join('\n') + '\n');
}

export function writeFile(root: string, rel: string, content: string | Buffer): string {
  const abs = path.join(root, rel);
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  fs.writeFileSync(abs, content);
  return abs;
}

export const runStart = (id: string, started: number, extra: object = {}) => ({ t: 'run', v: 1, id, name: `run ${id}`, experiment: 'exp', started, user: 'trainer', ...extra });
export const metrics = (step: number, values: Record<string, number>) => ({ t: 'metrics', step, values });
export const runEnd = (ended: number) => ({ t: 'end', status: 'finished', exit: 0, ended });
