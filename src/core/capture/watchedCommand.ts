/**
 * Which commands started outside ExpTrack (in a terminal, a task, a launch configuration) are
 * training runs to record: the `exptrack.watch.commandPatterns` and `exptrack.watch.exclude`
 * settings applied to a command line.
 *
 * A command pattern is the start of a command as words, e.g. `python`, `uv run`, `accelerate
 * launch`. Its first word is compared with the program's file name (`/usr/bin/python3` is
 * `python3`; `*` in it matches any characters, `python3.*`), the other words with the next
 * arguments as they are. A command matches when a pattern matches its start (after `VAR=x`
 * assignments and wrappers such as `env`, `nohup`, `time`) and it runs a `.py` file or a
 * `-m module` (see argvParams.ts: `python -c …`, `python -m pip …`, `pip install` are not runs).
 * Exclude globs are matched against the script's path relative to the workspace (and its absolute
 * path); for `-m` runs, against the module name.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { globToRegExp } from '../ingest/glob';
import { parseTrainingCommand, type TrainingCommand } from './argvParams';
import { splitShellCommandLine } from './shellCommandLine';

export const DEFAULT_COMMAND_PATTERNS: readonly string[] = [
  'python', 'python3', 'python3.*', 'uv run', 'poetry run', 'accelerate launch', 'torchrun',
];

export interface CommandPattern {
  source: string;
  program: RegExp;
  rest: string[];
}

export interface WatchRules {
  patterns: readonly CommandPattern[];
  exclude: ReadonlyArray<{ glob: string; regex: RegExp }>;
}

/** A command that is a training run. */
export interface WatchedCommand {
  /** The command's words without leading `VAR=value` assignments (their values are not kept). */
  argv: string[];
  /** The working directory the command runs in (after a `cd` earlier on the same line). */
  cwd: string;
  training: TrainingCommand;
  /** The script as an absolute path, for `.py` runs. */
  scriptPath?: string;
  /** Names of the variables the command line assigns (`CUDA_VISIBLE_DEVICES=0 python …`); never their values. */
  envNames: string[];
}

export type WatchDecision =
  | { kind: 'run'; command: WatchedCommand }
  /** A Python command that is not recorded: no pattern matches it, or an exclude glob does. */
  | { kind: 'declined'; reason: string; command?: WatchedCommand }
  /** Not a Python training command at all (ls, pip install, python -c …). */
  | { kind: 'ignored'; reason: string };

/**
 * Compiles the two settings. Entries that cannot be used are reported in `errors` and left out;
 * a setting that is not a list falls back to its default.
 */
export function compileWatchRules(patterns: unknown, exclude: unknown): { rules: WatchRules; errors: string[] } {
  const errors: string[] = [];
  const compiled: CommandPattern[] = [];
  const patternList = Array.isArray(patterns) ? patterns : DEFAULT_COMMAND_PATTERNS;
  if (patterns !== undefined && patterns !== null && !Array.isArray(patterns)) {
    errors.push('exptrack.watch.commandPatterns must be a list of command starts such as "python" or "uv run"');
  }
  patternList.forEach((entry: unknown, i) => {
    const words = typeof entry === 'string' ? entry.trim().split(/\s+/).filter(Boolean) : [];
    if (words.length === 0) {
      errors.push(`exptrack.watch.commandPatterns[${i}] is not a command start such as "python" or "uv run"`);
      return;
    }
    compiled.push({ source: String(entry), program: programGlob(words[0]!), rest: words.slice(1) });
  });
  const excludes: Array<{ glob: string; regex: RegExp }> = [];
  if (exclude !== undefined && exclude !== null && !Array.isArray(exclude)) {
    errors.push('exptrack.watch.exclude must be a list of glob patterns');
  }
  (Array.isArray(exclude) ? exclude : []).forEach((glob: unknown, i) => {
    if (typeof glob !== 'string' || glob.trim() === '') {
      errors.push(`exptrack.watch.exclude[${i}] is not a glob pattern`);
      return;
    }
    excludes.push({ glob, regex: globToRegExp(glob) });
  });
  return { rules: { patterns: compiled, exclude: excludes }, errors };
}

/**
 * Decides about a command line as a shell reports it. A line with several commands (`cd src &&
 * python train.py`) is a run when exactly one of them is; a `cd` before it moves the working
 * directory. A line with two training commands is declined: their output could not be told apart.
 */
export function decideCommandLine(line: string, cwd: string, workspaceRoot: string, rules: WatchRules): WatchDecision {
  const commands = splitShellCommandLine(line);
  if (!commands) return { kind: 'ignored', reason: 'the command line is unfinished (an open quote)' };
  let dir: string | undefined = cwd;
  const decisions: WatchDecision[] = [];
  for (const { words } of commands) {
    const start = skipAssignments(words);
    if (words[start] === 'cd') {
      dir = dir === undefined ? undefined : changeDirectory(dir, words[start + 1]);
      continue;
    }
    if (dir === undefined) continue;
    const decision = decideArgv(words, dir, workspaceRoot, rules);
    if (decision.kind !== 'ignored') decisions.push(decision);
  }
  const runs = decisions.filter((d) => d.kind === 'run');
  if (runs.length > 1) {
    return { kind: 'declined', reason: `${runs.length} training commands on one line; their output cannot be told apart` };
  }
  return runs[0] ?? decisions[0] ?? { kind: 'ignored', reason: 'not a Python training command' };
}

/**
 * Decides about one command given as words (a task's process and arguments, a launch
 * configuration). With `pythonInterpreter`, the first word is known to be a Python interpreter
 * (a debug configuration's `python`), whatever its name: the command patterns do not apply.
 */
export function decideArgv(
  words: readonly string[], cwd: string, workspaceRoot: string, rules: WatchRules, options: { pythonInterpreter?: boolean } = {},
): WatchDecision {
  const { argv, envNames } = withoutAssignments(words);
  const training = parseTrainingCommand(options.pythonInterpreter ? ['python', ...argv.slice(1)] : argv);
  if (!training) return { kind: 'ignored', reason: 'not a Python training command' };
  if (!training.module && !(training.script && /\.pyw?$/i.test(training.script))) {
    return { kind: 'ignored', reason: 'runs neither a .py file nor a -m module' };
  }
  const scriptPath = training.script ? path.resolve(cwd, expandHome(training.script)) : undefined;
  if (options.pythonInterpreter) training.interpreter = argv[0]!;
  const command: WatchedCommand = { argv, cwd, training, envNames, ...(scriptPath ? { scriptPath } : {}) };
  const pattern = options.pythonInterpreter || rules.patterns.some((p) => matchesPattern(argv, p));
  if (!pattern) return { kind: 'declined', reason: 'no exptrack.watch.commandPatterns entry matches it', command };
  const excludedBy = excludingGlob(command, workspaceRoot, rules.exclude);
  if (excludedBy) return { kind: 'declined', reason: `excluded by exptrack.watch.exclude (${excludedBy})`, command };
  return { kind: 'run', command };
}

/**
 * The command without its `NAME=value` assignments — those at the start and those given to an
 * `env` wrapper — and the names they set: values may be secrets (`WANDB_API_KEY=…`).
 */
function withoutAssignments(words: readonly string[]): { argv: string[]; envNames: string[] } {
  const argv: string[] = [];
  const envNames: string[] = [];
  let inPrefix = true;
  for (const word of words) {
    if (inPrefix && ASSIGNMENT.test(word)) {
      envNames.push(word.slice(0, word.indexOf('=')));
      continue;
    }
    // Assignments may follow `env` and the other wrappers until the program itself.
    inPrefix = inPrefix && (WRAPPERS.has(programName(word)) || (argv.length > 0 && word.startsWith('-')));
    argv.push(word);
  }
  return { argv, envNames };
}

const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;

/** Words that are `NAME=value` at the start of a simple command. */
function skipAssignments(words: readonly string[]): number {
  let i = 0;
  while (i < words.length && ASSIGNMENT.test(words[i]!)) i++;
  return i;
}

const WRAPPERS = new Set(['nohup', 'time', 'nice', 'caffeinate', 'env']);

function matchesPattern(argv: readonly string[], pattern: CommandPattern): boolean {
  let i = 0;
  // Wrappers run the rest of the line unchanged; `env` may bring assignments and options of its own.
  while (i < argv.length && WRAPPERS.has(programName(argv[i]!)) && !pattern.program.test(programName(argv[i]!))) {
    i++;
    while (i < argv.length && argv[i]!.startsWith('-')) i++;
  }
  const program = argv[i];
  if (program === undefined || !pattern.program.test(programName(program))) return false;
  return pattern.rest.every((word, k) => argv[i + 1 + k] === word);
}

function excludingGlob(command: WatchedCommand, workspaceRoot: string, exclude: WatchRules['exclude']): string | undefined {
  if (exclude.length === 0) return undefined;
  const candidates: string[] = [];
  if (command.scriptPath) {
    const relative = path.relative(workspaceRoot, command.scriptPath);
    if (relative && !relative.startsWith('..') && !path.isAbsolute(relative)) candidates.push(relative.split(path.sep).join('/'));
    candidates.push(command.scriptPath.split(path.sep).join('/').replace(/^\//, ''));
  }
  if (command.training.module) candidates.push(command.training.module);
  return exclude.find(({ regex }) => candidates.some((c) => regex.test(c)))?.glob;
}

function changeDirectory(from: string, to: string | undefined): string | undefined {
  if (to === undefined || to === '~') return os.homedir();
  if (to === '-' || /[$`*?[]/.test(to)) return undefined; // the shell would expand it: the directory is unknown
  return path.resolve(from, expandHome(to));
}

function expandHome(p: string): string {
  return p === '~' || p.startsWith('~/') ? path.join(os.homedir(), p.slice(1)) : p;
}

function programName(word: string): string {
  const parts = word.split(/[\\/]/);
  return parts[parts.length - 1]!.replace(/\.exe$/i, '');
}

/** The first word of a pattern as a regex over a program's file name; `*` matches anything. */
function programGlob(word: string): RegExp {
  const name = programName(word);
  const source = name.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  return new RegExp(`^${source}$`, process.platform === 'win32' ? 'i' : '');
}

/** Which watchers run: each setting defaults to on, and nothing is watched in an untrusted workspace. */
export function activeWatchers(
  settings: { terminal?: unknown; debug?: unknown; tasks?: unknown }, trusted: boolean,
): { terminal: boolean; debug: boolean; tasks: boolean } {
  const on = (value: unknown) => trusted && value !== false;
  return { terminal: on(settings.terminal), debug: on(settings.debug), tasks: on(settings.tasks) };
}
