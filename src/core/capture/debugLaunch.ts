/**
 * Python debug sessions as runs: what a launch configuration of type `debugpy` (or the older
 * `python`) runs, and what the debug adapter's Debug Adapter Protocol messages say about its
 * output and its end. Plain data in and out, so it is tested without VS Code.
 */
import * as path from 'node:path';
import { splitShellCommandLine } from './shellCommandLine';

/** Debug types of the Python debugger (debugpy; `python` is its older name). */
export const PYTHON_DEBUG_TYPES: readonly string[] = ['debugpy', 'python'];

/** Environment variables ExpTrack itself adds to a launch; not the user's, so not recorded. */
const OWN_VARIABLES = new Set(['EXPTRACK_RUN_ID', 'EXPTRACK_DIR', 'EXPTRACK_RUN_STARTING']);

export interface DebugLaunchCommand {
  /** interpreter, interpreter options, script (or -m module), arguments. */
  argv: string[];
  cwd: string;
  /** Names of the variables the configuration's `env` sets; their values are never read. */
  envNames: string[];
}

/**
 * The command a Python launch configuration runs, or undefined when it is not a launch of a
 * program or module (an attach, a `code` snippet, another debugger). `defaultCwd` is used when
 * the configuration has no `cwd` (the workspace folder, as the debugger does).
 */
export function pythonLaunchCommand(config: Readonly<Record<string, unknown>>, defaultCwd: string): DebugLaunchCommand | undefined {
  if (!PYTHON_DEBUG_TYPES.includes(String(config.type)) || config.request !== 'launch') return undefined;
  const program = nonEmptyString(config.program);
  const module = nonEmptyString(config.module);
  if (!program && !module) return undefined;
  const interpreter = interpreterWords(config.python ?? config.pythonPath);
  const pythonArgs = stringList(config.pythonArgs);
  const args = typeof config.args === 'string' ? (splitShellCommandLine(config.args)?.flatMap((c) => c.words) ?? []) : stringList(config.args);
  const cwd = nonEmptyString(config.cwd) ?? defaultCwd;
  const target = program ? [path.resolve(cwd, program)] : ['-m', module!];
  const env = config.env && typeof config.env === 'object' && !Array.isArray(config.env) ? Object.keys(config.env) : [];
  return {
    argv: [...interpreter, ...pythonArgs, ...target, ...args],
    cwd,
    envNames: env.filter((name) => !OWN_VARIABLES.has(name)),
  };
}

/** What one message from the debug adapter means for the run. */
export type AdapterMessage =
  | { kind: 'output'; stream: 'stdout' | 'stderr'; text: string }
  | { kind: 'exited'; exitCode: number }
  /** The adapter asks the editor to start the program in a terminal (`"console": "integratedTerminal"`). */
  | { kind: 'runInTerminal'; args: string[]; cwd?: string };

/**
 * Reads a Debug Adapter Protocol message the adapter sent. Output of the categories `stdout` and
 * `stderr` is the program's; `console`, `important` and `telemetry` output is the debugger's own
 * and is left out. Undefined for every other message.
 */
export function readAdapterMessage(message: unknown): AdapterMessage | undefined {
  if (!message || typeof message !== 'object') return undefined;
  const m = message as { type?: unknown; event?: unknown; command?: unknown; body?: Record<string, unknown>; arguments?: Record<string, unknown> };
  if (m.type === 'event' && m.event === 'output' && m.body) {
    const category = m.body.category;
    if ((category === 'stdout' || category === 'stderr') && typeof m.body.output === 'string') {
      return { kind: 'output', stream: category, text: m.body.output };
    }
    return undefined;
  }
  if (m.type === 'event' && m.event === 'exited' && m.body && Number.isInteger(m.body.exitCode)) {
    return { kind: 'exited', exitCode: m.body.exitCode as number };
  }
  if (m.type === 'request' && m.command === 'runInTerminal' && m.arguments) {
    const args = stringList(m.arguments.args);
    const cwd = nonEmptyString(m.arguments.cwd);
    return { kind: 'runInTerminal', args, ...(cwd ? { cwd } : {}) };
  }
  return undefined;
}

/** True for a request of the editor that stops the program (the user pressed Stop or Restart). */
export function isStopRequest(message: unknown): boolean {
  if (!message || typeof message !== 'object') return false;
  const m = message as { type?: unknown; command?: unknown };
  return m.type === 'request' && (m.command === 'disconnect' || m.command === 'terminate');
}

function interpreterWords(value: unknown): string[] {
  if (typeof value === 'string' && value.trim()) return [value];
  const list = stringList(value);
  return list.length > 0 ? list : ['python'];
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}
