/** The version of the Python that will run a script, asked of the interpreter itself. */
import { execFile } from 'node:child_process';

const PYTHON_EXECUTABLE = /(?:^|[\\/])python(?:\d+(?:\.\d+)?)?(?:\.exe)?$/i;

/**
 * Resolves e.g. "3.11.7", or undefined when `interpreter` is not a Python or does not answer quickly.
 * `cwd` is where the run starts, so a relative interpreter such as `.venv/bin/python` is the run's.
 */
export function pythonVersionOf(interpreter: string, cwd?: string, timeoutMs = 5000): Promise<string | undefined> {
  if (!PYTHON_EXECUTABLE.test(interpreter)) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    try {
      execFile(interpreter, ['-c', 'import platform; print(platform.python_version())'], { cwd, timeout: timeoutMs, windowsHide: true }, (err, stdout) => {
        const version = String(stdout ?? '').trim();
        resolve(!err && /^\d+\.\d+/.test(version) ? version : undefined);
      });
    } catch {
      resolve(undefined);
    }
  });
}
