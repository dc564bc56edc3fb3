/**
 * PYTHONPATH with the bundled client first, so `import exptrack` works in every run ExpTrack
 * starts or watches with nothing installed. The user's own entries are kept in their order, and
 * the client's folder is never added twice. An empty PYTHONPATH entry would put the working
 * directory on `sys.path`, so no delimiter is ever left dangling.
 */
import * as path from 'node:path';

/** True when `value` (a PYTHONPATH) already names `dir`, however it is spelled. */
export function pythonPathHas(value: string | undefined, dir: string, delimiter: string = path.delimiter): boolean {
  if (!value) return false;
  const wanted = normalize(dir);
  return value.split(delimiter).some((entry) => entry !== '' && normalize(entry) === wanted);
}

/** `existing` with `dir` in front; unchanged when `dir` is already on it. */
export function prependPythonPath(existing: string | undefined, dir: string, delimiter: string = path.delimiter): string {
  if (!existing) return dir;
  if (pythonPathHas(existing, dir, delimiter)) return existing;
  return `${dir}${delimiter}${existing}`;
}

/**
 * How a terminal's PYTHONPATH is changed when its final value is not known in advance (VS Code's
 * environment variable collection applies it as the terminal starts): prepend `dir` and a
 * delimiter when the terminal inherits a PYTHONPATH, replace when it inherits none (a lone
 * trailing delimiter would add the working directory), nothing when `dir` is already there.
 */
export type PythonPathChange = { kind: 'prepend'; value: string } | { kind: 'replace'; value: string } | { kind: 'none' };

export function terminalPythonPathChange(inherited: string | undefined, dir: string, delimiter: string = path.delimiter): PythonPathChange {
  if (!inherited) return { kind: 'replace', value: dir };
  if (pythonPathHas(inherited, dir, delimiter)) return { kind: 'none' };
  return { kind: 'prepend', value: `${dir}${delimiter}` };
}

function normalize(entry: string): string {
  const resolved = path.resolve(entry);
  return process.platform === 'win32' ? resolved.toLowerCase() : resolved;
}
