/**
 * Runs a command as a tracked run, with no change to the user's code: the extension (in a
 * pseudo-terminal) and the CLI (`exptrack run -- python train.py`) both start runs through here.
 *
 * On disk, in `<exptrackDir>/runs/<run-id>/`: `events.jsonl` gets the `run` event (command, cwd,
 * git state), the `params` read from the command line, `metrics` read from the output, and always
 * a final `end` event; `stdout.log` gets the raw output (stdout and stderr); `code.patch` the
 * uncommitted changes when the tree is dirty. The process gets `EXPTRACK_RUN_ID` and
 * `EXPTRACK_DIR`, so the Python client inside it appends to the same run, and the bundled client
 * first on PYTHONPATH, so `import exptrack` works with nothing installed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import type { SourceKind } from '../../shared/runEvents';
import { prependPythonPath } from '../pythonClient/pythonPath';
import type { WritableRunEvent } from './eventLogWriter';
import { DEFAULT_STOP_ESCALATION, stopProcessGroup, type StopEscalation } from './processGroup';
import { newRunId } from './runId';
import { RunRecorder, type RunEndStatus } from './runRecorder';
import { startSystemMetricsLoop, SYSTEM_METRICS_ENV } from '../systemMetrics/systemMetricsLoop';

export interface TrackedRunOptions {
  /** The `.exptrack` directory. */
  exptrackDir: string;
  /** The workspace root; the script's path is recorded relative to it. */
  workspaceRoot: string;
  /** The command as argv; the first element is the executable. Run without a shell. */
  command: readonly string[];
  cwd: string;
  /** Extra environment variables (undefined removes one inherited from this process). */
  env?: Record<string, string | undefined>;
  /** The folder of the bundled `exptrack.py`, put first on the run's PYTHONPATH. */
  pythonClientDir?: string;
  name?: string;
  experiment?: string;
  sourceKind: SourceKind;
  /** The source file relative to the workspace; by default the script of the command, if any. */
  sourcePath?: string;
  /** The `exptrack.stdoutMetricPatterns` setting value; invalid entries are reported and skipped. */
  stdoutPatterns?: unknown;
  /** Whether the built-in output recognition runs (default true). */
  builtInStdoutPatterns?: boolean;
  /** The Python version, recorded as `env.python`; by default asked of the command's interpreter. */
  pythonVersion?: string;
  /** The user name recorded with the run (default: the OS user). */
  user?: string;
  /** Output as it arrives, decoded as UTF-8. */
  onOutput?(chunk: string, stream: 'stdout' | 'stderr'): void;
  /** Every event written to the run's event log, after it was written. */
  onEvent?(event: WritableRunEvent): void;
  /** Problems that do not stop the run: unwritable files, bad patterns, a command that cannot start. */
  onError?(error: Error): void;
  /** The clock, in milliseconds since the epoch (tests fix it). */
  now?(): number;
  /** Delays of SIGTERM and SIGKILL after `stop()` sends SIGINT (default 3 s and 6 s). */
  stopEscalation?: StopEscalation;
  /** Seconds between samples of the run's CPU, memory, disk, network and GPUs as `system/…` metrics; 0 or absent: none. */
  systemMetricsIntervalSeconds?: number;
}

export type TrackedRunStatus = RunEndStatus;

export interface TrackedRunEnd {
  status: TrackedRunStatus;
  /** The exit code, or null when the process died by a signal or never started. */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
}

export interface TrackedRun {
  runId: string;
  runDir: string;
  /** Undefined when the command could not be started. */
  pid: number | undefined;
  /** Asks the run to stop (SIGINT to its process group, then SIGTERM, then SIGKILL); the run ends as killed. */
  stop(): void;
  /** Sends text to the process's standard input. */
  writeInput(data: string): void;
  /** Closes the process's standard input. */
  endInput(): void;
  /** Settles once the `end` event has been written; never rejects. */
  done: Promise<TrackedRunEnd>;
}

/** How long to wait for the output pipes to drain after the process exited (children may hold them). */
const OUTPUT_DRAIN_MS = 2000;

/**
 * Starts `command` as a tracked run. Resolves once the start events are written and the process
 * is spawned (or failed to spawn: then `done` already tells `failed`). Rejects only when the run
 * directory cannot be created.
 */
export async function startTrackedRun(options: TrackedRunOptions): Promise<TrackedRun> {
  const now = options.now ?? Date.now;
  const report = (error: Error) => {
    try {
      options.onError?.(error);
    } catch {
      // A failing error handler must not break the run.
    }
  };
  const startedMs = now();
  const runId = newRunId(new Date(startedMs));
  const exptrackDir = path.resolve(options.exptrackDir);
  const recorder = new RunRecorder({
    exptrackDir, runId, stdoutPatterns: options.stdoutPatterns, builtInStdoutPatterns: options.builtInStdoutPatterns,
    onEvent: (event) => options.onEvent?.(event), onError: report, now,
  });

  await recorder.start({
    workspaceRoot: options.workspaceRoot, command: options.command, cwd: options.cwd, startedMs,
    sourceKind: options.sourceKind, sourcePath: options.sourcePath, name: options.name, experiment: options.experiment,
    pythonVersion: options.pythonVersion, user: options.user,
  });

  const systemInterval = options.systemMetricsIntervalSeconds ?? 0;
  const env = runEnvironment(options.env, runId, exptrackDir, options.pythonClientDir);
  env[SYSTEM_METRICS_ENV] = String(systemInterval);
  const child = new TrackedProcess(options.command, options.cwd, env, options.stopEscalation ?? DEFAULT_STOP_ESCALATION, {
    onData: (stream, text, raw) => {
      recorder.log(raw);
      if (text === '') return; // the start of a multi-byte character: the rest comes with the next chunk
      try {
        options.onOutput?.(text, stream);
      } catch (e) {
        report(e as Error);
      }
      recorder.parse(text, stream);
    },
    onSpawnError: (error) => {
      const message = `exptrack: could not start ${JSON.stringify(options.command[0] ?? '')}: ${error.message}\n`;
      recorder.log(Buffer.from(message));
      try {
        options.onOutput?.(message, 'stderr');
      } catch {
        // Already reporting a failure.
      }
      report(new Error(message.trim()));
    },
  });

  const sampling = child.pid === undefined ? undefined : startSystemMetricsLoop({
    processes: { pid: child.pid }, intervalSeconds: systemInterval, env, now,
    write: (values, step, timeMs) => recorder.metrics(values, step, timeMs),
    onProblem: (message) => report(new Error(message)),
  });
  const done = child.exited.then((end) => {
    sampling?.stop();
    recorder.finish(end.status, end.exitCode);
    return end;
  });

  return {
    runId,
    runDir: recorder.runDir,
    pid: child.pid,
    stop: () => child.stop(),
    writeInput: (data) => child.writeInput(data),
    endInput: () => child.endInput(),
    done,
  };
}

function runEnvironment(extra: Record<string, string | undefined> | undefined, runId: string, exptrackDir: string, clientDir: string | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const [key, value] of Object.entries(extra ?? {})) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  env.EXPTRACK_RUN_ID = runId;
  env.EXPTRACK_DIR = exptrackDir;
  env.PYTHONUNBUFFERED = '1';
  if (clientDir) env.PYTHONPATH = prependPythonPath(env.PYTHONPATH, clientDir);
  return env;
}

interface TrackedProcessHandlers {
  onData(stream: 'stdout' | 'stderr', text: string, raw: Buffer): void;
  onSpawnError(error: Error): void;
}

/** The spawned child: output decoding, stop escalation, and the end status. */
class TrackedProcess {
  readonly exited: Promise<TrackedRunEnd>;
  readonly pid: number | undefined;
  private child: ChildProcess | undefined;
  private stopRequested = false;
  private cancelEscalation: (() => void) | undefined;
  private finished = false;

  constructor(
    command: readonly string[],
    cwd: string,
    env: NodeJS.ProcessEnv,
    private readonly escalation: StopEscalation,
    private readonly handlers: TrackedProcessHandlers,
  ) {
    let resolveExit!: (end: TrackedRunEnd) => void;
    this.exited = new Promise((resolve) => (resolveExit = resolve));
    const finish = (end: TrackedRunEnd) => {
      if (this.finished) return;
      this.finished = true;
      this.cancelEscalation?.();
      resolveExit(end);
    };
    const failToStart = (error: Error) => {
      this.safely(() => handlers.onSpawnError(error));
      finish({ status: 'failed', exitCode: null, signal: null });
    };

    if (command.length === 0) {
      failToStart(new Error('the command is empty'));
      return;
    }
    try {
      this.child = spawn(command[0], command.slice(1), {
        cwd, env, detached: true, stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true,
      });
    } catch (e) {
      failToStart(e as Error);
      return;
    }
    const child = this.child;
    this.pid = child.pid;
    const decoders = { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') };
    const onData = (stream: 'stdout' | 'stderr') => (raw: Buffer) => {
      if (this.finished) return;
      const text = decoders[stream].write(raw);
      this.safely(() => handlers.onData(stream, text, raw));
    };
    child.stdout?.on('data', onData('stdout'));
    child.stderr?.on('data', onData('stderr'));
    child.stdin?.on('error', () => undefined); // EPIPE when the process no longer reads its input

    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    let drainTimer: NodeJS.Timeout | undefined;
    const settle = () => {
      if (!exit || this.finished) return;
      clearTimeout(drainTimer);
      for (const stream of ['stdout', 'stderr'] as const) {
        const rest = decoders[stream].end();
        if (rest) this.safely(() => handlers.onData(stream, rest, Buffer.alloc(0)));
      }
      const status: TrackedRunStatus =
        this.stopRequested || exit.signal !== null ? 'killed' : exit.code === 0 ? 'finished' : 'failed';
      finish({ status, exitCode: exit.code, signal: exit.signal });
      child.stdout?.destroy();
      child.stderr?.destroy();
    };
    child.on('error', (error) => {
      if (child.pid === undefined) failToStart(error);
    });
    child.on('exit', (code, signal) => {
      exit = { code, signal };
      this.cancelEscalation?.();
      // Wait for the pipes to drain, but not for grandchildren that keep them open.
      drainTimer = setTimeout(settle, OUTPUT_DRAIN_MS);
    });
    child.on('close', settle);
  }

  stop(): void {
    if (this.finished || this.stopRequested || !this.child) return;
    this.stopRequested = true;
    this.cancelEscalation = stopProcessGroup(this.child, this.escalation);
  }

  writeInput(data: string): void {
    const stdin = this.child?.stdin;
    if (!stdin || stdin.destroyed || !stdin.writable) return;
    this.safely(() => stdin.write(data));
  }

  endInput(): void {
    const stdin = this.child?.stdin;
    if (stdin && !stdin.destroyed) this.safely(() => stdin.end());
  }

  private safely(fn: () => unknown): void {
    try {
      fn();
    } catch {
      // Callbacks report their own problems; capture goes on.
    }
  }
}
