/**
 * Installs the bundled client's wheel into an interpreter with pip, and tells from pip's output
 * why an install failed, so the user gets the way out rather than a traceback: no pip (ensurepip,
 * or the distribution's pip package), an externally managed environment (PEP 668: a venv, or a
 * user install), a site-packages folder the user cannot write, an interpreter that does not run.
 */
import { runPython, type PythonCommandOptions, type PythonCommandResult } from './pythonCommand';

export interface PipInstallChoices {
  /** `--user`: into the user's site-packages. */
  user?: boolean;
  /** `--break-system-packages` (with `--user` in an externally managed environment). */
  breakSystemPackages?: boolean;
}

export type PipProblem =
  | { kind: 'cannot-run'; detail: string }
  | { kind: 'no-pip' }
  | { kind: 'externally-managed' }
  /** Site-packages is not writable; `userInstallSuggested` when pip itself points to `--user`. */
  | { kind: 'permission-denied'; userInstallSuggested: boolean }
  /** `--user` was asked in a virtual environment, which does not see user site-packages. */
  | { kind: 'user-site-hidden' }
  | { kind: 'python-too-old'; detail: string }
  | { kind: 'failed'; detail: string };

export interface PipInstallResult extends PythonCommandResult {
  ok: boolean;
  /** Set when `ok` is false. */
  problem?: PipProblem;
}

/** The arguments after the interpreter: a local wheel, no index, no dependencies (it has none). */
export function pipInstallArgs(wheel: string, choices: PipInstallChoices = {}): string[] {
  return [
    '-m', 'pip', 'install', '--no-deps', '--no-index', '--force-reinstall', '--disable-pip-version-check', '--no-input',
    ...(choices.user ? ['--user'] : []),
    ...(choices.breakSystemPackages ? ['--break-system-packages'] : []),
    wheel,
  ];
}

export async function pipInstall(python: string, wheel: string, choices: PipInstallChoices = {}, options: PythonCommandOptions = {}): Promise<PipInstallResult> {
  const result = await runPython(python, pipInstallArgs(wheel, choices), options);
  const problem = classifyPipFailure(result);
  return { ...result, ok: problem === undefined, ...(problem ? { problem } : {}) };
}

/** Why a pip run failed, read from its exit code and output; undefined when it succeeded. */
export function classifyPipFailure(result: Pick<PythonCommandResult, 'exitCode' | 'output' | 'spawnError'>): PipProblem | undefined {
  if (result.spawnError) {
    const code = result.spawnError.code;
    const detail = code === 'ENOENT' ? 'not found' : code === 'EACCES' ? 'not executable' : result.spawnError.message;
    return { kind: 'cannot-run', detail };
  }
  if (result.exitCode === 0) return undefined;
  const out = result.output;
  if (/\bNo module named pip\b/.test(out)) return { kind: 'no-pip' };
  if (/\bexternally-managed-environment\b/.test(out)) return { kind: 'externally-managed' };
  if (/Can not perform a '--user' install/.test(out)) return { kind: 'user-site-hidden' };
  if (/\[Errno 13\] Permission denied/.test(out)) return { kind: 'permission-denied', userInstallSuggested: /`--user` option/.test(out) };
  const tooOld = /requires a different Python[^\n]*/.exec(out);
  if (tooOld) return { kind: 'python-too-old', detail: tooOld[0].trim() };
  // 126/127: what a shell wrapper answers for an interpreter it cannot run.
  if (result.exitCode === 126 || result.exitCode === 127) return { kind: 'cannot-run', detail: lastMeaningfulLine(out) || `exit code ${result.exitCode}` };
  return { kind: 'failed', detail: lastMeaningfulLine(out) || (result.exitCode === null ? 'stopped' : `exit code ${result.exitCode}`) };
}

/** The last `ERROR:` line of pip's output, else its last non-empty line. */
function lastMeaningfulLine(output: string): string {
  const lines = output.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  return [...lines].reverse().find((l) => /^error\b/i.test(l)) ?? lines.at(-1) ?? '';
}

/** `python -m ensurepip --default-pip`; `disabled` when the distribution turned it off (Debian, Ubuntu). */
export async function ensurePip(python: string, options: PythonCommandOptions = {}): Promise<PythonCommandResult & { ok: boolean; disabled: boolean }> {
  const result = await runPython(python, ['-m', 'ensurepip', '--default-pip'], options);
  return { ...result, ok: result.exitCode === 0, disabled: ensurepipDisabled(result.output) };
}

/** Debian and Ubuntu turn ensurepip off for the system Python and say so. */
export function ensurepipDisabled(output: string): boolean {
  return /ensurepip is disabled/.test(output);
}

/** `python -m venv dir`; `needsVenvPackage` when the distribution ships venv's pip apart (python3-venv). */
export async function createVenv(python: string, dir: string, options: PythonCommandOptions = {}): Promise<PythonCommandResult & { ok: boolean; needsVenvPackage: boolean }> {
  const result = await runPython(python, ['-m', 'venv', dir], options);
  return { ...result, ok: result.exitCode === 0, needsVenvPackage: /ensurepip is not\s+available|apt install python3[\d.]*-venv/.test(result.output) };
}

export interface InstalledClient {
  version: string;
  /** Where `exptrack` was imported from. */
  file: string;
}

/**
 * What `import exptrack` finds in `python` outside any run: no PYTHONPATH, run from a temporary
 * folder so that no `exptrack.py` in a working directory is picked up. Undefined when it fails.
 */
export async function installedClient(python: string, cwd: string): Promise<InstalledClient | undefined> {
  const code = 'import exptrack, json; print(json.dumps({"version": exptrack.__version__, "file": exptrack.__file__}))';
  const result = await runPython(python, ['-c', code], { cwd, timeoutMs: 30_000 });
  if (result.exitCode !== 0) return undefined;
  try {
    const facts = JSON.parse(result.output.trim().split('\n').at(-1) ?? '') as { version?: unknown; file?: unknown };
    return typeof facts.version === 'string' && typeof facts.file === 'string' ? { version: facts.version, file: facts.file } : undefined;
  } catch {
    return undefined;
  }
}
