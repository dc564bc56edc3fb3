/** Runs git without a shell, with a timeout and an output cap, never changing the repository. */
import { execFile } from 'node:child_process';

export const GIT_TIMEOUT_MS = 5000;

export interface GitResult {
  /** The exit code (0 success; `git diff --no-index` exits 1 when files differ). */
  code: number;
  stdout: Buffer;
  /** True when the output was cut at `maxBytes`. */
  truncated: boolean;
}

export interface GitOptions {
  cwd: string;
  timeoutMs?: number;
  maxBytes?: number;
}

/**
 * Runs `git <args>` in `cwd`. Resolves undefined when git is missing, times out, or fails with a
 * code other than 0 or 1; never rejects.
 */
export function runGit(args: readonly string[], options: GitOptions): Promise<GitResult | undefined> {
  const maxBytes = options.maxBytes ?? 16 * 1024 * 1024;
  return new Promise((resolve) => {
    try {
      execFile('git', args, {
        cwd: options.cwd,
        encoding: 'buffer',
        timeout: options.timeoutMs ?? GIT_TIMEOUT_MS,
        maxBuffer: maxBytes,
        windowsHide: true,
        env: {
          ...process.env,
          // Read-only: `git status` must not refresh and rewrite the user's index.
          GIT_OPTIONAL_LOCKS: '0',
          GIT_TERMINAL_PROMPT: '0',
          LC_ALL: 'C',
        },
      }, (error, stdout) => {
        if (!error) return resolve({ code: 0, stdout, truncated: false });
        // `code` is the exit code for a process that ran, or an error name such as ENOENT.
        const err = error as { code?: unknown; killed?: boolean };
        if (err.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') {
          return resolve({ code: 0, stdout: stdout.subarray(0, maxBytes), truncated: true });
        }
        if (err.code === 1 && !err.killed) return resolve({ code: 1, stdout, truncated: false });
        resolve(undefined);
      });
    } catch {
      resolve(undefined);
    }
  });
}
