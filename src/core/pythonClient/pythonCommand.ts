/** Runs the user's Python interpreter without a shell, its output streamed and kept. */
import { spawn } from 'node:child_process';

export interface PythonCommandResult {
  /** The exit code, or null when the interpreter could not be started (see `spawnError`) or died by a signal. */
  exitCode: number | null;
  /** stdout and stderr as they came. */
  output: string;
  /** Why the interpreter could not be started (ENOENT, EACCES…). */
  spawnError?: NodeJS.ErrnoException;
}

export interface PythonCommandOptions {
  cwd?: string;
  /** Output as it arrives. */
  onOutput?(text: string): void;
  /** Ends the process after this long (default 5 minutes): pip may wait on a lock or a network. */
  timeoutMs?: number;
}

/** Runs `python args…`; never rejects. */
export function runPython(python: string, args: readonly string[], options: PythonCommandOptions = {}): Promise<PythonCommandResult> {
  return new Promise((resolve) => {
    let output = '';
    const take = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      output += text;
      try {
        options.onOutput?.(text);
      } catch {
        // A failing listener must not lose the output.
      }
    };
    let child;
    try {
      // PYTHONPATH is left out: the bundled client on it would hide whether pip installed it.
      const { PYTHONPATH: _ignored, ...env } = process.env;
      child = spawn(python, [...args], { cwd: options.cwd, env: { ...env, PYTHONIOENCODING: 'utf-8' }, windowsHide: true, timeout: options.timeoutMs ?? 300_000 });
    } catch (e) {
      resolve({ exitCode: null, output, spawnError: e as NodeJS.ErrnoException });
      return;
    }
    let spawnError: NodeJS.ErrnoException | undefined;
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.on('error', (e: NodeJS.ErrnoException) => {
      if (child.pid === undefined) spawnError = e;
    });
    child.on('close', (code) => resolve({ exitCode: code, output, ...(spawnError ? { spawnError } : {}) }));
  });
}
