/**
 * Recognises a Python training command line (`python train.py --lr 0.01`, `torchrun … train.py`,
 * `uv run python -m pkg.train …`) and reads the run's parameters from the script's arguments, so a
 * run started without any tracking code still gets its parameters.
 *
 * Choices (a command line alone cannot tell what the script's parser means, so these follow
 * argparse, the most common parser, and Hydra-style overrides):
 * - `--key value` and `--key=value` give `key`; dashes inside the name become underscores, as
 *   argparse does for its `dest` (`--learning-rate` → `learning_rate`, `--no-cuda` → `no_cuda`).
 * - `--flag` followed by another option or by nothing is `true`. `--no-x` is kept as its own
 *   key (`no_x: true`), not turned into `x: false`: scripts commonly declare `--no-cuda` as a
 *   store_true flag of its own (the PyTorch examples do), so the literal name is what they read.
 * - Consecutive numbers after an option form a list (argparse `nargs='+'`: `--layers 64 32` →
 *   `[64, 32]`); after a text value, further words are positional arguments.
 * - Only long options count: `-k value` is skipped, since a short option may be a flag or take a
 *   value and nothing on the command line says which. Negative numbers are values, not options.
 * - Positional `key=value` words are Hydra / Sacred overrides (`model.lr=0.1`, `+trainer.gpus=2`);
 *   other positional arguments are ignored, and so is everything after a bare `--`.
 * - Repeated keys: the last one wins. Values are typed by {@link parseParamValue}.
 */
import { isDecimalNumber, parseParamValue } from './paramValue';

/** A recognised training command line. */
export interface TrainingCommand {
  /**
   * The program that runs the script, as written: the Python interpreter when one is named
   * (`python3`, `.venv/bin/python`); else the launcher that runs it (`torchrun`, `accelerate`,
   * `deepspeed`, `uv`, `poetry`, …); for a script executed directly (`./train.py`), the script.
   */
  interpreter: string;
  /** The script path as written, when a script (not a module) is run. */
  script?: string;
  /** The module name for `-m module` runs. */
  module?: string;
  /** The arguments given to the script or module. */
  scriptArgs: string[];
  /** The parameters read from `scriptArgs`. */
  params: Record<string, unknown>;
}

const PYTHON_PROGRAM = /^(?:(?:python|pythonw|pypy)(?:\d+(?:\.\d+)*)?|py)(?:\.exe)?$/i;
const SCRIPT_PATH = /\.pyw?$/i;
const ENV_ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;
const OVERRIDE = /^(\+{0,2})([A-Za-z_][\w.\-/]*)=([\s\S]*)$/;

/** Wrappers that run the rest of the line unchanged. */
const PASS_THROUGH_WRAPPERS = new Set(['nohup', 'time', 'nice', 'caffeinate']);
/** `<runner> run …` starts a command inside a project environment. */
const ENV_RUNNERS = new Set(['uv', 'poetry', 'pipenv', 'pdm', 'hatch', 'rye', 'conda', 'mamba', 'micromamba']);
/** Options of `uv run` that take a value; all its other options are flags. */
const UV_RUN_VALUE_OPTIONS = new Set([
  '--with', '--with-editable', '--with-requirements', '--python', '-p', '--project', '--directory',
  '--extra', '--group', '--only-group', '--no-group', '--env-file', '--index', '--default-index',
  '--index-url', '--extra-index-url', '--find-links', '-f', '--package', '--cache-dir', '--config-file',
  '--color', '--python-platform', '--refresh-package', '--reinstall-package', '--upgrade-package', '-P',
]);
/** Launcher options known to be flags (compared with `_` for `-`), so they never swallow the script. */
const LAUNCHER_FLAGS = new Set([
  '--standalone', '--no_python', '--run_path', '--use_env', '--multi_gpu', '--cpu', '--use_deepspeed',
  '--use_fsdp', '--use_megatron_lm', '--use_xpu', '--tpu', '--debug', '--quiet', '-q', '--same_network',
  '--downcast_bf16', '--no_capture_output', '--live_stream', '--wait_for_client', '--no_sync', '--frozen',
  '--locked', '--isolated', '--no_project', '--all_extras', '--no_dev', '--active', '--offline',
]);
/** Modules that run a script given after their own options: `python -m <this> [opts] train.py`. */
const MODULE_LAUNCHERS = new Set([
  'torch.distributed.run', 'torch.distributed.launch', 'accelerate.commands.launch', 'deepspeed.launcher.runner',
  'pdb', 'cProfile', 'profile', 'debugpy',
]);
/** `python -m <top-level name>` commands that are tools, not training. */
const TOOL_MODULES = new Set([
  'pip', 'venv', 'virtualenv', 'ensurepip', 'pytest', 'unittest', 'doctest', 'ipykernel', 'ipykernel_launcher',
  'jupyter', 'notebook', 'jupyterlab', 'nbconvert', 'black', 'ruff', 'mypy', 'flake8', 'pylint', 'isort',
  'build', 'twine', 'pydoc', 'site', 'timeit', 'pipx', 'poetry', 'uv', 'tensorboard', 'mlflow', 'pre_commit',
  'coverage', 'idlelib', 'zipfile', 'tarfile', 'compileall', 'py_compile', 'sysconfig', 'http', 'json',
  'webbrowser', 'calendar', 'streamlit', 'flask', 'uvicorn', 'gunicorn', 'django', 'sphinx', 'setuptools',
  'wheel', 'conda', 'dvc',
]);
/** Scripts that are project tooling rather than training. */
const TOOL_SCRIPTS = new Set(['setup.py', 'manage.py']);
const MAX_NESTING = 8;

/**
 * Recognises a Python training command line and reads its parameters. Returns undefined for
 * anything else: `python -c …`, `python` alone, `pip install …`, `python -m pytest`, `ls`.
 * Never throws.
 */
export function parseTrainingCommand(argv: readonly string[]): TrainingCommand | undefined {
  return recognise(argv, 0, 0);
}

/**
 * The parameters in a script's arguments (see the module comment for the rules).
 * Never throws.
 */
export function parseArgvParams(args: readonly string[]): Record<string, unknown> {
  const values = new Map<string, unknown>();
  let i = 0;
  while (i < args.length) {
    const token = args[i];
    i++;
    if (token === '--') break;
    if (isLongOption(token)) {
      const body = token.slice(2);
      const eq = body.indexOf('=');
      if (eq >= 0) {
        values.set(optionKey(body.slice(0, eq)), parseParamValue(body.slice(eq + 1)));
        continue;
      }
      if (i >= args.length || !isValueToken(args[i])) {
        values.set(optionKey(body), true);
        continue;
      }
      let value = parseParamValue(args[i]);
      i++;
      if (typeof value === 'number') {
        const list: number[] = [value];
        while (i < args.length && isValueToken(args[i])) {
          const next = parseParamValue(args[i]);
          if (typeof next !== 'number') break;
          list.push(next);
          i++;
        }
        if (list.length > 1) value = list;
      }
      values.set(optionKey(body), value);
      continue;
    }
    const override = OVERRIDE.exec(token);
    if (override) values.set(override[2], parseParamValue(override[3]));
  }
  return Object.fromEntries(values);
}

function recognise(argv: readonly string[], start: number, depth: number): TrainingCommand | undefined {
  if (depth > MAX_NESTING) return undefined;
  const i = skipWrappers(argv, start);
  const token = argv[i];
  if (token === undefined) return undefined;
  const program = programName(token);
  if (isPythonInterpreter(token)) return fromPython(argv, i);
  if (ENV_RUNNERS.has(program) && argv[i + 1] === 'run') {
    const valueOptions = program === 'uv' ? UV_RUN_VALUE_OPTIONS : undefined;
    const { index, moduleMode } = skipLauncherOptions(argv, i + 2, valueOptions);
    const next = argv[index];
    if (next === undefined) return undefined;
    if (moduleMode) return fromModuleName(token, next, argv, index + 1);
    if (isScriptPath(next)) return build(token, { script: next }, argv, index + 1);
    return recognise(argv, index, depth + 1);
  }
  if (program === 'torchrun' || program === 'deepspeed') return fromLauncher(token, argv, i + 1);
  if (program === 'accelerate' && argv[i + 1] === 'launch') return fromLauncher(token, argv, i + 2);
  if (isScriptPath(token)) return build(token, { script: token }, argv, i + 1);
  return undefined;
}

/** Skips `VAR=value` assignments, `env [options]` and wrappers such as `nohup` and `time`. */
function skipWrappers(argv: readonly string[], start: number): number {
  let i = start;
  while (i < argv.length) {
    const token = argv[i];
    const program = programName(token);
    if (ENV_ASSIGNMENT.test(token) || PASS_THROUGH_WRAPPERS.has(program)) {
      i++;
    } else if (program === 'env') {
      i++;
      while (i < argv.length && argv[i].startsWith('-')) {
        const option = argv[i];
        i += option === '-u' || option === '--unset' || option === '-C' || option === '--chdir' ? 2 : 1;
      }
    } else {
      break;
    }
  }
  return i;
}

/** `python [interpreter options] (script | -m module) args…` */
function fromPython(argv: readonly string[], at: number): TrainingCommand | undefined {
  const interpreter = argv[at];
  let i = at + 1;
  while (i < argv.length) {
    const token = argv[i];
    if (token === '-') return undefined; // program from stdin
    if (token === '--') {
      i++;
      break;
    }
    if (!token.startsWith('-')) break;
    if (token.startsWith('--')) {
      if (token === '--check-hash-based-pycs') i += 2;
      else if (token.startsWith('--help') || token === '--version') return undefined;
      else i++;
      continue;
    }
    const cluster = token.slice(1);
    let takesNext = false;
    for (let k = 0; k < cluster.length; k++) {
      const c = cluster[k];
      if (c === 'c' || c === 'h' || c === 'V' || c === '?') return undefined;
      if (c === 'm') {
        const attached = cluster.slice(k + 1);
        if (attached) return fromModuleName(interpreter, attached, argv, i + 1);
        const module = argv[i + 1];
        return module === undefined ? undefined : fromModuleName(interpreter, module, argv, i + 2);
      }
      if (c === 'W' || c === 'X') {
        takesNext = k === cluster.length - 1;
        break;
      }
    }
    i += takesNext ? 2 : 1;
  }
  const script = argv[i];
  if (script === undefined || TOOL_SCRIPTS.has(baseName(script).toLowerCase())) return undefined;
  return build(interpreter, { script }, argv, i + 1);
}

function fromModuleName(
  interpreter: string, module: string, argv: readonly string[], argsAt: number,
): TrainingCommand | undefined {
  if (MODULE_LAUNCHERS.has(module)) return fromLauncher(interpreter, argv, argsAt);
  if (!module || module.startsWith('-') || TOOL_MODULES.has(module.split('.')[0])) return undefined;
  return build(interpreter, { module }, argv, argsAt);
}

/** `<launcher> [launcher options] (script | -m module) args…` — torchrun, accelerate launch, … */
function fromLauncher(interpreter: string, argv: readonly string[], start: number): TrainingCommand | undefined {
  const { index, moduleMode } = skipLauncherOptions(argv, start);
  const target = argv[index];
  if (target === undefined) return undefined;
  if (moduleMode) return fromModuleName(interpreter, target, argv, index + 1);
  return build(interpreter, { script: target }, argv, index + 1);
}

/**
 * Skips a launcher's own options. With `valueOptions`, exactly those take a value; otherwise an
 * option takes the next word as its value unless that word is another option, a `.py` script,
 * a Python interpreter, or the option is a known flag.
 */
function skipLauncherOptions(
  argv: readonly string[], start: number, valueOptions?: ReadonlySet<string>,
): { index: number; moduleMode: boolean } {
  let i = start;
  let moduleMode = false;
  while (i < argv.length) {
    const token = argv[i];
    if (token === '--') return { index: i + 1, moduleMode };
    if (!token.startsWith('-') || token === '-') break;
    if (token === '-m' || token === '--module') {
      moduleMode = true;
      i++;
      continue;
    }
    if (token.includes('=')) {
      i++;
      continue;
    }
    if (valueOptions) {
      i += valueOptions.has(token) ? 2 : 1;
      continue;
    }
    const next = argv[i + 1];
    const takesValue = next !== undefined && !LAUNCHER_FLAGS.has(token.replace(/(?<=\w)-/g, '_'))
      && !next.startsWith('-') && !isScriptPath(next) && !isPythonInterpreter(next);
    i += takesValue ? 2 : 1;
  }
  return { index: i, moduleMode };
}

function build(
  interpreter: string, target: { script: string } | { module: string }, argv: readonly string[], argsAt: number,
): TrainingCommand {
  const scriptArgs = argv.slice(argsAt);
  return { interpreter, ...target, scriptArgs, params: parseArgvParams(scriptArgs) };
}

function isLongOption(token: string): boolean {
  return token.length > 2 && token.startsWith('--') && token[2] !== '-' && token[2] !== '=';
}

/** A word that can be an option's value: not an option itself, but negative numbers are values. */
function isValueToken(token: string): boolean {
  return !token.startsWith('-') || token === '-' || isDecimalNumber(token);
}

function optionKey(name: string): string {
  return name.replace(/-/g, '_');
}

function baseName(token: string): string {
  const parts = token.split(/[\\/]/);
  return parts[parts.length - 1];
}

function programName(token: string): string {
  return baseName(token).replace(/\.exe$/i, '').toLowerCase();
}

function isPythonInterpreter(token: string): boolean {
  return PYTHON_PROGRAM.test(baseName(token));
}

function isScriptPath(token: string): boolean {
  return SCRIPT_PATH.test(token) && !token.startsWith('-');
}
