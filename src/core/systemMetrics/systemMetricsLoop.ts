/**
 * Samples a run's process tree every interval until stopped, handing each sample to `write` as
 * one metrics event's values with the sample's number as its step (as MLflow numbers its system
 * metrics). Sampling is Linux-only (/proc); elsewhere, and with an interval of 0, nothing runs.
 */
import { findNvidiaSmi } from './nvidiaSmi';
import { SystemSampler, type RunProcesses } from './systemSampler';

/** `exptrack.systemMetrics.intervalSeconds`' default. */
export const DEFAULT_SYSTEM_METRICS_INTERVAL_SECONDS = 5;
/** Tells a Python client inside a run that its launcher already samples it (the interval, or 0). */
export const SYSTEM_METRICS_ENV = 'EXPTRACK_SYSTEM_METRICS_INTERVAL';

export interface SystemMetricsLoopOptions {
  processes: RunProcesses;
  intervalSeconds: number;
  /** The run's environment: `nvidia-smi` is looked for on its PATH and runs with it. */
  env: NodeJS.ProcessEnv;
  write(values: Record<string, number>, step: number, timeMs: number): void;
  onProblem?(message: string): void;
  now?(): number;
  procRoot?: string;
}

export interface SystemMetricsLoop {
  /** Stops sampling; a sample in flight is dropped. */
  stop(): void;
}

export function systemMetricsSupported(): boolean {
  return process.platform === 'linux';
}

export function startSystemMetricsLoop(options: SystemMetricsLoopOptions): SystemMetricsLoop {
  const intervalMs = options.intervalSeconds * 1000;
  if (!(intervalMs > 0) || !systemMetricsSupported()) return { stop: () => undefined };
  const now = options.now ?? Date.now;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let step = 0;

  const sampler = findNvidiaSmi(options.env.PATH).then((nvidiaSmi) => new SystemSampler({
    processes: options.processes, nvidiaSmi, env: options.env, procRoot: options.procRoot,
    gpuTimeoutMs: Math.max(1000, Math.min(10_000, intervalMs)),
    onProblem: (message) => {
      if (!stopped) options.onProblem?.(message);
    },
  }));
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(tick, intervalMs);
    timer.unref?.(); // sampling never keeps a CLI process alive
  };
  const tick = async () => {
    const s = await sampler;
    // Rates are measured on the real clock; the event's time comes from the caller's (tests fix it).
    const values = await s.sample(Date.now());
    if (stopped) return;
    if (Object.keys(values).length > 0) {
      try {
        options.write(values, step++, now());
      } catch (e) {
        options.onProblem?.(`system metrics not written: ${(e as Error).message}`);
      }
    }
    schedule();
  };
  // The baseline for rates and CPU time is taken at once; the first sample follows one interval later.
  void sampler.then((s) => s.sample(Date.now())).then(schedule);
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
