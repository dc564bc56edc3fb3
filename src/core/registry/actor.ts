/**
 * Who makes a registry change: git's user.name and user.email for the workspace (what a team
 * already trusts in its history), else the operating-system user.
 */
import { execFile } from 'node:child_process';
import * as os from 'node:os';

const GIT_TIMEOUT_MS = 3000;

function gitConfig(cwd: string, key: string): Promise<string | null> {
  return new Promise((resolve) => {
    execFile('git', ['config', '--get', key], { cwd, timeout: GIT_TIMEOUT_MS, windowsHide: true }, (err, stdout) => {
      const value = err ? '' : String(stdout).trim();
      resolve(value === '' ? null : value);
    });
  });
}

/** `Name <email>` as git writes it, or whichever of the two is set, or the OS user name. */
export async function resolveActor(cwd: string): Promise<string> {
  const [name, email] = await Promise.all([gitConfig(cwd, 'user.name'), gitConfig(cwd, 'user.email')]);
  if (name && email) return limit(`${name} <${email}>`);
  if (name ?? email) return limit((name ?? email)!);
  try {
    return limit(os.userInfo().username);
  } catch {
    return limit(process.env.USER ?? process.env.USERNAME ?? 'unknown');
  }
}

/** Registry events cap the actor's length. */
function limit(actor: string): string {
  return actor.slice(0, 500);
}
