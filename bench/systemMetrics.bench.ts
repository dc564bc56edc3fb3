/**
 * The cost of sampling a run's system metrics (src/core/systemMetrics): CPU time of this process
 * (the JS thread and libuv's pool together) per sample of a training-like process tree — a Python
 * parent with 4 worker processes — turned into the share of one core it costs at the default
 * interval of 5 s (goal ≤ 1 %), beside the reference of asking `ps` for the same tree once per
 * sample (what a shell-script sampler does), measured in the same run.
 */
import { spawn, spawnSync } from 'node:child_process';
import { DEFAULT_SYSTEM_METRICS_INTERVAL_SECONDS } from '../src/core/systemMetrics/systemMetricsLoop';
import { processTree } from '../src/core/systemMetrics/procfs';
import { SystemSampler } from '../src/core/systemMetrics/systemSampler';

const SAMPLES = 60;

function cpuSeconds(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}

(async () => {
  const job = spawn('python3', ['-c', [
    'import multiprocessing as mp, time',
    'def work(): time.sleep(120)',
    'if __name__ == "__main__":',
    '    ps = [mp.Process(target=work) for _ in range(4)]',
    '    [p.start() for p in ps]',
    '    data = bytearray(50 * 1024 * 1024)',
    '    time.sleep(120)',
  ].join('\n')], { stdio: 'ignore', detached: true }); // its own process group, ended as one below
  try {
    const root = job.pid!;
    for (let i = 0; i < 50 && (await processTree('/proc', root)).length < 5; i++) await new Promise((r) => setTimeout(r, 100));
    const tree = await processTree('/proc', root);
    const sampler = new SystemSampler({ processes: { pid: root } });
    for (let i = 0; i < 3; i++) await sampler.sample(Date.now()); // warm-up: disks listed, code compiled
    let last: Record<string, number> = {};
    const start = process.cpuUsage();
    const wallStart = performance.now();
    for (let i = 0; i < SAMPLES; i++) last = await sampler.sample(Date.now());
    const perSample = cpuSeconds(start) / SAMPLES;
    const wallPerSample = (performance.now() - wallStart) / SAMPLES;

    // Reference: `ps` asked once per sample for the same processes' CPU and memory.
    const pids = tree.join(',');
    const psStart = performance.now();
    for (let i = 0; i < SAMPLES; i++) spawnSync('ps', ['-o', 'pid=,rss=,time=', '-p', pids]);
    const psWall = (performance.now() - psStart) / SAMPLES;

    const share = (100 * perSample) / DEFAULT_SYSTEM_METRICS_INTERVAL_SECONDS;
    console.log(`system metrics: ${tree.length} processes, ${Object.keys(last).length} values a sample (rss ${last['system/rss_mb']?.toFixed(0)} MB)`);
    console.log(`  one sample: ${(perSample * 1000).toFixed(2)} ms of CPU (${wallPerSample.toFixed(2)} ms wall), `
      + `${share.toFixed(3)} % of a core at the default ${DEFAULT_SYSTEM_METRICS_INTERVAL_SECONDS} s interval ${share <= 1 ? 'OK' : 'ABOVE GOAL'} (goal <= 1 %)`);
    console.log(`  reference: ps for the same processes ${psWall.toFixed(2)} ms wall per sample; reading /proc takes ${(psWall / wallPerSample).toFixed(1)}x less`);
  } finally {
    process.kill(-job.pid!, 'SIGKILL');
  }
})();
