import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startTrackedRun } from '../../../src/core/capture/trackedProcess';
import { NvidiaSmiOutputError, parseNvidiaSmi } from '../../../src/core/systemMetrics/nvidiaSmi';
import { spawn } from 'node:child_process';
import { findProcessByEnvironment, parseDiskstats, parseMeminfo, parseNetDev, parseProcessStat, parseRssBytes, processTree } from '../../../src/core/systemMetrics/procfs';
import { SystemSampler } from '../../../src/core/systemMetrics/systemSampler';

const FAKE_DIR = path.join(__dirname, 'nvidia-smi');

type MetricsLine = { t: string; step?: number; values: Record<string, number> };

describe('systemMetrics: /proc and nvidia-smi', function () {
  this.timeout(60_000);
  let workspace: string;

  beforeEach(() => {
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'exptrack-sys-'));
  });
  afterEach(() => fs.rmSync(workspace, { recursive: true, force: true }));

  it('parses this machine\'s own /proc files', async () => {
    const stat = parseProcessStat(fs.readFileSync(`/proc/${process.pid}/stat`, 'utf8'));
    assert.equal(stat?.pid, process.pid);
    assert.equal(stat?.ppid, process.ppid);
    assert.ok(stat!.cpuTicks > 0);
    const rss = parseRssBytes(fs.readFileSync(`/proc/${process.pid}/status`, 'utf8'));
    // The kernel's count and Node's own agree within what a few allocations in between move.
    assert.ok(Math.abs(rss! - process.memoryUsage.rss()) < 16 * 1024 * 1024, `${rss} vs ${process.memoryUsage.rss()}`);
    const mem = parseMeminfo(fs.readFileSync('/proc/meminfo', 'utf8'));
    assert.equal(mem?.totalBytes, os.totalmem());
    assert.ok(mem!.availableBytes > 0 && mem!.availableBytes <= mem!.totalBytes);
    const tree = await processTree('/proc', process.ppid);
    assert.ok(tree.includes(process.pid), 'this process is in its parent\'s tree');
  });

  it('reads names with spaces and parentheses, and counters of disks and interfaces', () => {
    const stat = parseProcessStat('4242 (python (x) 1) S 4000 4242 4000 0 -1 4194304 100 0 0 0 250 50 7 3 20 0 1 0 12345 1000 200 18446744073709551615');
    assert.deepEqual(stat, { pid: 4242, ppid: 4000, cpuTicks: 300, startTicks: 12345 });
    assert.equal(parseProcessStat('garbage'), null);
    const disks = parseDiskstats([
      ' 253       0 vda 100 0 2000 50 300 0 4000 80 0 0 0',
      ' 253       1 vda1 100 0 2000 50 300 0 4000 80 0 0 0',
      '   7       0 loop0 5 0 10 0 0 0 0 0 0 0 0',
    ].join('\n'), new Set(['vda']));
    assert.deepEqual(disks, { readBytes: 2000 * 512, writtenBytes: 4000 * 512 });
    const net = parseNetDev([
      'Inter-|   Receive                                                |  Transmit',
      ' face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed',
      '    lo: 999 1 0 0 0 0 0 0 999 1 0 0 0 0 0 0',
      '  eth0: 1000 10 0 0 0 0 0 0 400 4 0 0 0 0 0 0',
      '  wlan0:24 1 0 0 0 0 0 0 6 1 0 0 0 0 0 0',
    ].join('\n'));
    assert.deepEqual(net, { readBytes: 1024, writtenBytes: 406 });
  });

  it('parses nvidia-smi\'s CSV for two GPUs, leaving out what a GPU cannot report', () => {
    const values = parseNvidiaSmi(fs.readFileSync(path.join(FAKE_DIR, 'two-gpus.txt'), 'utf8'));
    assert.deepEqual(values, {
      'system/gpu0/utilization_percent': 97, 'system/gpu0/memory_used_mb': 30245, 'system/gpu0/memory_total_mb': 40960,
      'system/gpu0/temperature_c': 67, 'system/gpu0/power_w': 281.4, 'system/gpu0/memory_percent': (100 * 30245) / 40960,
      'system/gpu1/utilization_percent': 3, 'system/gpu1/memory_used_mb': 4, 'system/gpu1/memory_total_mb': 40960,
      'system/gpu1/temperature_c': 31, 'system/gpu1/memory_percent': (100 * 4) / 40960,
    });
    assert.throws(() => parseNvidiaSmi('NVIDIA-SMI has failed because it couldn\'t communicate with the NVIDIA driver.\n'), NvidiaSmiOutputError);
    assert.throws(() => parseNvidiaSmi(''), NvidiaSmiOutputError);
  });

  it('finds a watched run\'s processes: a shell\'s children without the shell, or the topmost carrier of the run id', async () => {
    // A shell (as in a terminal or a debug launcher) running a Python program that holds 64 MB and
    // then says so by making a file: from then on the processes and their memory stay as they are.
    const runId = `test-${process.pid}-${Date.now()}`;
    const ready = path.join(workspace, 'ready');
    const program = `import time; data = b'x' * (64 << 20); open('${ready}', 'w').close(); time.sleep(30)`;
    const shell = spawn('sh', ['-c', `python3 -c "${program}"; :`], {
      env: { ...process.env, EXPTRACK_RUN_ID: runId }, stdio: 'ignore', detached: true,
    });
    try {
      for (let i = 0; i < 200 && !fs.existsSync(ready); i++) await new Promise((r) => setTimeout(r, 50));
      assert.ok(fs.existsSync(ready), 'the program started');
      const [root, child] = await processTree('/proc', shell.pid!);
      assert.equal(root, shell.pid);
      assert.equal(await findProcessByEnvironment('/proc', 'EXPTRACK_RUN_ID', runId), shell.pid, 'the shell, above the program that inherited the id');
      assert.equal(await findProcessByEnvironment('/proc', 'EXPTRACK_RUN_ID', `${runId}-other`), undefined);
      const rss = async (sampler: SystemSampler) => (await sampler.sample(Date.now()))['system/rss_mb'] ?? 0;
      const withoutShell = await rss(new SystemSampler({ processes: { pid: shell.pid!, includeRoot: false } }));
      const byEnvironment = await rss(new SystemSampler({ processes: { envName: 'EXPTRACK_RUN_ID', envValue: runId } }));
      const childOnly = parseRssBytes(fs.readFileSync(`/proc/${child}/status`, 'utf8'))! / 1024 / 1024;
      const shellOnly = parseRssBytes(fs.readFileSync(`/proc/${root}/status`, 'utf8'))! / 1024 / 1024;
      assert.ok(childOnly >= 64, `the program holds ${childOnly} MB`);
      assert.ok(Math.abs(withoutShell - childOnly) < 2, `${withoutShell} MB is the program's ${childOnly} MB`);
      assert.ok(Math.abs(byEnvironment - (childOnly + shellOnly)) < 2, `${byEnvironment} MB is shell and program`);
    } finally {
      process.kill(-shell.pid!, 'SIGKILL');
    }
  });

  /** A bin folder holding the fake tool as `nvidia-smi`, first on the run's PATH. */
  function fakeNvidiaSmiPath(): string {
    const bin = path.join(workspace, 'bin');
    fs.mkdirSync(bin);
    fs.copyFileSync(path.join(FAKE_DIR, 'fake-nvidia-smi'), path.join(bin, 'nvidia-smi'));
    fs.chmodSync(path.join(bin, 'nvidia-smi'), 0o755);
    return `${bin}${path.delimiter}${process.env.PATH ?? ''}`;
  }

  async function trackedRun(source: string, env: Record<string, string | undefined>, intervalSeconds = 0.5) {
    fs.writeFileSync(path.join(workspace, 'job.py'), source);
    const errors: string[] = [];
    const run = await startTrackedRun({
      exptrackDir: path.join(workspace, '.exptrack'), workspaceRoot: workspace, command: ['python3', 'job.py'], cwd: workspace,
      sourceKind: 'cli', env, systemMetricsIntervalSeconds: intervalSeconds, pythonVersion: '3', onError: (e) => errors.push(e.message),
    });
    const end = await run.done;
    const lines = fs.readFileSync(path.join(run.runDir, 'events.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as MetricsLine);
    const samples = lines.filter((l) => l.t === 'metrics' && Object.keys(l.values).some((k) => k.startsWith('system/')));
    return { end, errors, samples, lines };
  }

  it('records a real run that holds 200 MB and keeps a core busy for 3 s', async () => {
    const { end, errors, samples, lines } = await trackedRun([
      'import time',
      'data = b"\\x01" * (200 * 1024 * 1024)  # written, so every page is resident',
      'start = time.process_time()',
      'best, window = 0.0, (time.monotonic(), time.process_time())',
      'while time.process_time() - start < 3.0:',
      '    now = (time.monotonic(), time.process_time())',
      '    if now[0] - window[0] >= 0.5:',
      '        best = max(best, (now[1] - window[1]) / (now[0] - window[0]))',
      '        window = now',
      'time.sleep(0.6)',
      'print(f"own_share={100 * best:.1f}", len(data))',
    ].join('\n'), { PATH: process.env.PATH });
    assert.equal(end.status, 'finished');
    assert.deepEqual(errors, []);
    assert.ok(samples.length >= 3, `${samples.length} samples`);
    assert.deepEqual(samples.map((s) => s.step), samples.map((_, i) => i), 'steps number the samples');
    const most = (key: string) => Math.max(...samples.map((s) => s.values[key] ?? -Infinity));
    assert.ok(most('system/rss_mb') >= 200, `rss ${most('system/rss_mb')}`);
    // The process's own measure of its busiest half second: on a machine other work shares, the
    // core is not all its own, and the sample can only see the share it had.
    const ownShare = lines.find((l) => l.t === 'metrics' && 'own_share' in l.values)!.values.own_share!;
    assert.ok(most('system/cpu_percent') >= Math.min(80, 0.8 * ownShare), `cpu ${most('system/cpu_percent')}, own share ${ownShare}`);
    assert.ok(most('system/cpu_percent') <= 100 * os.cpus().length + 5);
    assert.ok(most('system/memory_used_mb') > 0);
    assert.ok(most('system/memory_percent') > 0 && most('system/memory_percent') <= 100);
    assert.ok(samples.some((s) => 'system/network_receive_bytes_per_s' in s.values));
    assert.ok(samples.every((s) => !Object.keys(s.values).some((k) => k.startsWith('system/gpu'))), 'no nvidia-smi here: no GPU series');
  });

  it('records each GPU that nvidia-smi on the run\'s PATH reports', async () => {
    const { errors, samples } = await trackedRun('import time\ntime.sleep(1.8)\n', {
      PATH: fakeNvidiaSmiPath(), FAKE_NVIDIA_SMI_OUTPUT: path.join(FAKE_DIR, 'two-gpus.txt'),
    });
    assert.deepEqual(errors, []);
    assert.ok(samples.length >= 2);
    for (const s of samples) {
      assert.equal(s.values['system/gpu0/utilization_percent'], 97);
      assert.equal(s.values['system/gpu1/temperature_c'], 31);
      assert.equal(s.values['system/gpu1/power_w'], undefined);
    }
  });

  for (const [label, env] of [
    ['exits with code 9', { FAKE_NVIDIA_SMI_EXIT: '9' }],
    ['prints garbage', { FAKE_NVIDIA_SMI_OUTPUT: path.join(FAKE_DIR, 'README.md') }],
  ] as const) {
    it(`says so once when nvidia-smi ${label}, and the run goes on`, async () => {
      const { end, errors, samples, lines } = await trackedRun('import time\ntime.sleep(1.8)\nprint("loss=0.5")\n', { PATH: fakeNvidiaSmiPath(), ...env });
      assert.equal(end.status, 'finished');
      assert.equal(errors.length, 1, errors.join('\n'));
      assert.match(errors[0]!, label.startsWith('exits') ? /nvidia-smi exited with code 9/ : /unexpected nvidia-smi/);
      assert.match(errors[0]!, /GPU metrics are not recorded for this run/);
      assert.ok(samples.length >= 2 && samples.every((s) => 'system/rss_mb' in s.values));
      assert.ok(lines.some((l) => l.t === 'metrics' && l.values.loss === 0.5));
    });
  }
});
