/**
 * Appending audit events to `.exptrack/registry.jsonl`. Each event is one line written with one
 * O_APPEND write, so two windows and the CLI appending at once never interleave or lose lines.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';

export const REGISTRY_FILE_NAME = 'registry.jsonl';

/** Time-sortable and unique across writers: milliseconds in base 36, then random bytes. */
export function newEventId(now = Date.now()): string {
  return `${now.toString(36).padStart(9, '0')}-${randomBytes(6).toString('hex')}`;
}

export function appendRegistryLine(exptrackDir: string, event: { id: string; time: number; t: string }): void {
  fs.mkdirSync(exptrackDir, { recursive: true });
  const fd = fs.openSync(path.join(exptrackDir, REGISTRY_FILE_NAME), fs.constants.O_WRONLY | fs.constants.O_APPEND | fs.constants.O_CREAT, 0o644);
  try {
    fs.writeSync(fd, JSON.stringify(event) + '\n');
  } finally {
    fs.closeSync(fd);
  }
}

/** Who is acting: git's user.name <user.email> in that folder, else the OS user. */
export async function actorName(cwd: string): Promise<string> {
  const git = async (key: string) => {
    try {
      const { stdout } = await promisify(execFile)('git', ['config', '--get', key], { cwd, timeout: 3000 });
      return stdout.trim();
    } catch {
      return '';
    }
  };
  const [name, email] = await Promise.all([git('user.name'), git('user.email')]);
  if (name || email) return email ? `${name} <${email}>`.trim() : name;
  try {
    return os.userInfo().username;
  } catch {
    return 'unknown';
  }
}
