/**
 * Records a run whose process someone else started: a command typed into a terminal, a debug
 * session, a task. ExpTrack does not own the process, so it is told what happens: the command
 * line at the start, the output as the terminal or debug adapter delivers it, and the exit code
 * (or that the process was killed) at the end.
 *
 * On disk it is the same as a tracked run (see runRecorder.ts): `events.jsonl` with the `run`
 * event (command, cwd, git state; `source.kind` says how it was started), the `params` read from
 * the command line, `metrics` read from the output and the `end`; `stdout.log` with the output,
 * escape sequences removed; `code.patch` when the working tree is dirty.
 */
import * as path from 'node:path';
import type { SourceKind } from '../../shared/runEvents';
import type { WritableRunEvent } from './eventLogWriter';
import { newRunId } from './runId';
import { RunRecorder, type RunEndStatus } from './runRecorder';
import { TerminalOutputCleaner } from './terminalOutput';
import { startSystemMetricsLoop } from '../systemMetrics/systemMetricsLoop';
import type { RunProcesses } from '../systemMetrics/systemSampler';

/** The tag listing the names of the environment variables the launch set (never their values). */
export const ENV_NAMES_TAG = 'launch.env';

export interface ExternalRunOptions {
  exptrackDir: string;
  workspaceRoot: string;
  /** The command as argv (assignments such as `VAR=x` left out). */
  command: readonly string[];
  cwd: string;
  sourceKind: SourceKind;
  /** A run id chosen beforehand (e.g. put into a debug session's environment); a new one by default. */
  runId?: string;
  /** When the process started (default: now). */
  startedMs?: number;
  /** Names of environment variables the launch set; recorded as the tag `launch.env`. */
  envNames?: readonly string[];
  name?: string;
  experiment?: string;
  sourcePath?: string;
  stdoutPatterns?: unknown;
  builtInStdoutPatterns?: boolean;
  pythonVersion?: string;
  user?: string;
  /** Samples the run's processes as `system/…` metrics every `intervalSeconds` (0: not at all). */
  systemMetrics?: { processes: RunProcesses; intervalSeconds: number };
  onEvent?(event: WritableRunEvent): void;
  onError?(error: Error): void;
  now?(): number;
}

export interface ExternalRunEndInput {
  /** The exit code; undefined or null when unknown. */
  exitCode?: number | null;
  /** The process was stopped by the user or went away with its terminal. */
  killed?: boolean;
}

export interface ExternalRunEnd {
  status: RunEndStatus;
  exitCode: number | null;
}

export interface ExternalRun {
  readonly runId: string;
  readonly runDir: string;
  /** Resolves once the start events are written; never rejects. */
  readonly started: Promise<void>;
  readonly ended: boolean;
  /** Output as the terminal or debug adapter delivered it; `stream` keeps stdout and stderr lines apart. */
  output(chunk: string, stream?: 'stdout' | 'stderr'): void;
  /** Ends the run (later calls return the first end); resolves once the `end` event is written. */
  end(how: ExternalRunEndInput): Promise<ExternalRunEnd>;
}

/**
 * Starts recording. The run's directory is created at once (this throws only when it cannot
 * be); the start events follow when the git state has been read. Output given before that is
 * kept and written after them.
 */
export function startExternalRun(options: ExternalRunOptions): ExternalRun {
  const now = options.now ?? Date.now;
  const startedMs = options.startedMs ?? now();
  const runId = options.runId ?? newRunId(new Date(startedMs));
  const recorder = new RunRecorder({
    exptrackDir: path.resolve(options.exptrackDir), runId,
    stdoutPatterns: options.stdoutPatterns, builtInStdoutPatterns: options.builtInStdoutPatterns,
    onEvent: (event) => options.onEvent?.(event), onError: (e) => options.onError?.(e), now,
  });
  const cleaners = new Map<string, TerminalOutputCleaner>();
  const started = recorder.start({
    workspaceRoot: options.workspaceRoot, command: options.command, cwd: options.cwd, startedMs,
    sourceKind: options.sourceKind, sourcePath: options.sourcePath, name: options.name, experiment: options.experiment,
    pythonVersion: options.pythonVersion, user: options.user,
  }).then(() => undefined);
  const sampling = options.systemMetrics && startSystemMetricsLoop({
    processes: options.systemMetrics.processes, intervalSeconds: options.systemMetrics.intervalSeconds, env: process.env, now,
    write: (values, step, timeMs) => recorder.metrics(values, step, timeMs),
    onProblem: (message) => options.onError?.(new Error(message)),
  });
  const envNames = [...new Set(options.envNames ?? [])].sort();
  if (envNames.length > 0) recorder.tag(ENV_NAMES_TAG, envNames.join(', '));

  let ended: Promise<ExternalRunEnd> | undefined;
  return {
    runId,
    runDir: recorder.runDir,
    started,
    get ended() {
      return ended !== undefined;
    },
    output(chunk, stream = 'stdout') {
      if (ended) return;
      let cleaner = cleaners.get(stream);
      if (!cleaner) cleaners.set(stream, (cleaner = new TerminalOutputCleaner()));
      recorder.output(cleaner.push(chunk), stream);
    },
    end(how) {
      ended ??= (async () => {
        sampling?.stop();
        for (const [stream, cleaner] of cleaners) recorder.output(cleaner.end(), stream);
        const exitCode = how.exitCode ?? null;
        const status = externalEndStatus(exitCode, how.killed ?? false);
        recorder.finish(status, exitCode);
        await started;
        return { status, exitCode };
      })();
      return ended;
    },
  };
}

/** Exit codes a shell reports for a process that a signal ended: 128 + SIGHUP, SIGINT, SIGKILL, SIGTERM. */
const SIGNAL_EXIT_CODES = new Set([129, 130, 137, 143]);

/**
 * How a run ended, from what its starter reports: killed when stopped (or when a shell reports
 * death by SIGINT, SIGTERM, SIGKILL or SIGHUP), finished on 0, failed on any other code; an
 * unknown exit code (a shell that does not report one) counts as finished.
 */
export function externalEndStatus(exitCode: number | null, killed: boolean): RunEndStatus {
  if (killed) return 'killed';
  if (exitCode === null || exitCode === 0) return 'finished';
  return SIGNAL_EXIT_CODES.has(exitCode) ? 'killed' : 'failed';
}
