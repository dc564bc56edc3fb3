/**
 * `exptrack run [--name N] [--experiment E] [--system-metrics SECONDS] -- COMMAND…`: runs a command
 * as a tracked run, as the editor's "Run with Tracking" does, and exits with the command's exit code
 * (for CI). The bundled Python client is first on the command's PYTHONPATH; CPU, memory, disk,
 * network and GPUs are sampled every 5 s unless --system-metrics says otherwise (0: not at all).
 */
import { ensureExptrackDir } from '../../core/exptrackDir';
import { findBundledClientDir } from '../../core/pythonClient/clientLocation';
import { startTrackedRun } from '../../core/capture/trackedProcess';
import { DEFAULT_SYSTEM_METRICS_INTERVAL_SECONDS } from '../../core/systemMetrics/systemMetricsLoop';
import { parseArgs, UsageError } from '../args';
import type { CliContext, CliIo } from '../cliContext';

export async function runCommand(args: string[], io: CliIo, ctx: CliContext): Promise<number> {
  const a = parseArgs(args, { options: ['name', 'experiment', 'system-metrics'] });
  const systemText = a.options.get('system-metrics');
  const systemMetricsIntervalSeconds = systemText === undefined ? DEFAULT_SYSTEM_METRICS_INTERVAL_SECONDS : Number(systemText);
  if (!Number.isFinite(systemMetricsIntervalSeconds) || systemMetricsIntervalSeconds < 0) {
    throw new UsageError(`--system-metrics needs seconds between samples (0 turns them off), not "${systemText}"`);
  }
  const command = [...a.positionals, ...a.rest];
  if (command.length === 0) throw new UsageError('run needs a command, e.g. exptrack run -- python train.py --lr 0.01');
  const exptrackDir = ensureExptrackDir(ctx.workspaceRoot);
  const run = await startTrackedRun({
    exptrackDir,
    workspaceRoot: ctx.workspaceRoot,
    command,
    cwd: io.cwd,
    name: a.options.get('name'),
    experiment: a.options.get('experiment'),
    sourceKind: 'cli',
    systemMetricsIntervalSeconds,
    // dist/cli.js sits beside python/ in the npm package and the extension alike.
    pythonClientDir: findBundledClientDir(__dirname),
    onOutput: (chunk, stream) => (stream === 'stderr' ? io.stderr(chunk) : io.stdout(chunk)),
    onError: (e) => io.stderr(`exptrack: ${e.message}\n`),
  });
  io.stderr(`exptrack: run ${run.runId} started\n`);
  const interrupt = () => run.stop();
  process.on('SIGINT', interrupt);
  process.on('SIGTERM', interrupt);
  try {
    const end = await run.done;
    io.stderr(`exptrack: run ${run.runId} ${end.status}${end.exitCode !== null ? ` (exit ${end.exitCode})` : ''}\n`);
    return end.exitCode ?? (end.status === 'killed' ? 130 : 1);
  } finally {
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
  }
}
