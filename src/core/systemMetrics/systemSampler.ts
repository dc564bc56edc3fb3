/**
 * One sample of how a run uses the machine, as `system/…` metrics: CPU % (of one core, as `top`
 * counts it: 200 is two busy cores) and resident memory of the run's whole process tree, the
 * machine's memory in use, disk and network bytes per second, and each GPU's readings. Rates are
 * measured between two samples, so the first call only sets the baseline for them.
 */
import { CLOCK_TICKS_PER_SECOND, findProcessByEnvironment, parseDiskstats, parseMeminfo, parseNetDev, parseProcessStat, parseRssBytes, physicalDisks, processTree, readProcText, type ByteCounters } from './procfs';
import { queryNvidiaSmi } from './nvidiaSmi';

const MB = 1024 * 1024;

/**
 * Which processes are the run: a process and everything below it (without the root itself for a
 * shell whose commands are the run), or — for a process someone else launched with the run's id in
 * its environment, as a debug session does — the topmost process carrying that variable.
 */
export type RunProcesses =
  | { pid: number; includeRoot?: boolean }
  | { envName: string; envValue: string };

export interface SystemSamplerOptions {
  processes: RunProcesses;
  /** `nvidia-smi` to ask for GPU readings; none: no GPU series. */
  nvidiaSmi?: string;
  /** The environment nvidia-smi runs with (the run's). */
  env?: NodeJS.ProcessEnv;
  /** How long nvidia-smi may take (default 10 s). */
  gpuTimeoutMs?: number;
  /** A problem worth one line in a log; the sampler then stops asking that source. */
  onProblem?(message: string): void;
  procRoot?: string;
}

interface Previous {
  atMs: number;
  /** CPU ticks by pid, with the start time that tells a reused pid apart. */
  cpu: Map<number, { ticks: number; start: number }>;
  disk?: ByteCounters;
  net?: ByteCounters;
}

export class SystemSampler {
  private readonly procRoot: string;
  private previous: Previous | undefined;
  private disks: Promise<Set<string>> | undefined;
  private nvidiaSmi: string | undefined;
  private rootPid: number | undefined;

  constructor(private readonly options: SystemSamplerOptions) {
    this.procRoot = options.procRoot ?? '/proc';
    this.nvidiaSmi = options.nvidiaSmi;
  }

  /** The values of this moment; `nowMs` is the clock in milliseconds. Never rejects. */
  async sample(nowMs: number): Promise<Record<string, number>> {
    const values: Record<string, number> = {};
    const gpu = this.queryGpus();
    const [tree, memory, disk, net] = await Promise.all([this.readTree(), this.readMemory(), this.readDisks(), this.readNetwork()]);
    const prev = this.previous;
    const seconds = prev ? (nowMs - prev.atMs) / 1000 : 0;

    if (tree.pids > 0) values['system/rss_mb'] = tree.rssBytes / MB;
    if (prev && seconds > 0) {
      let ticks = 0;
      for (const [pid, now] of tree.cpu) {
        const before = prev.cpu.get(pid);
        ticks += before && before.start === now.start ? Math.max(0, now.ticks - before.ticks) : now.ticks;
      }
      values['system/cpu_percent'] = (100 * ticks) / CLOCK_TICKS_PER_SECOND / seconds;
    }
    if (memory) {
      values['system/memory_used_mb'] = (memory.totalBytes - memory.availableBytes) / MB;
      values['system/memory_percent'] = (100 * (memory.totalBytes - memory.availableBytes)) / memory.totalBytes;
    }
    if (prev && seconds > 0) {
      if (disk && prev.disk) {
        values['system/disk_read_bytes_per_s'] = Math.max(0, disk.readBytes - prev.disk.readBytes) / seconds;
        values['system/disk_write_bytes_per_s'] = Math.max(0, disk.writtenBytes - prev.disk.writtenBytes) / seconds;
      }
      if (net && prev.net) {
        values['system/network_receive_bytes_per_s'] = Math.max(0, net.readBytes - prev.net.readBytes) / seconds;
        values['system/network_transmit_bytes_per_s'] = Math.max(0, net.writtenBytes - prev.net.writtenBytes) / seconds;
      }
    }
    Object.assign(values, await gpu);
    this.previous = { atMs: nowMs, cpu: tree.cpu, disk: disk ?? undefined, net: net ?? undefined };
    return values;
  }

  private async readTree(): Promise<{ pids: number; rssBytes: number; cpu: Map<number, { ticks: number; start: number }> }> {
    const target = this.options.processes;
    if ('pid' in target) this.rootPid = target.pid;
    else this.rootPid ??= await findProcessByEnvironment(this.procRoot, target.envName, target.envValue);
    const root = this.rootPid;
    if (root === undefined) return { pids: 0, rssBytes: 0, cpu: new Map() };
    const pids = await processTree(this.procRoot, root);
    const members = 'pid' in target && target.includeRoot === false ? pids.filter((p) => p !== root) : pids;
    const cpu = new Map<number, { ticks: number; start: number }>();
    let rssBytes = 0;
    let counted = 0;
    await Promise.all(members.map(async (pid) => {
      const [statText, statusText] = await Promise.all([readProcText(this.procRoot, String(pid), 'stat'), readProcText(this.procRoot, String(pid), 'status')]);
      const stat = statText === null ? null : parseProcessStat(statText);
      if (!stat) return; // ended meanwhile
      counted++;
      cpu.set(pid, { ticks: stat.cpuTicks, start: stat.startTicks });
      rssBytes += (statusText === null ? null : parseRssBytes(statusText)) ?? 0;
    }));
    return { pids: counted, rssBytes, cpu };
  }

  private async readMemory() {
    const text = await readProcText(this.procRoot, 'meminfo');
    return text === null ? null : parseMeminfo(text);
  }

  private async readDisks(): Promise<ByteCounters | null> {
    this.disks ??= physicalDisks();
    const [devices, text] = await Promise.all([this.disks, readProcText(this.procRoot, 'diskstats')]);
    return text === null || devices.size === 0 ? null : parseDiskstats(text, devices);
  }

  private async readNetwork(): Promise<ByteCounters | null> {
    const text = await readProcText(this.procRoot, 'net', 'dev');
    return text === null ? null : parseNetDev(text);
  }

  private async queryGpus(): Promise<Record<string, number>> {
    const executable = this.nvidiaSmi;
    if (!executable) return {};
    try {
      return await queryNvidiaSmi(executable, this.options.gpuTimeoutMs ?? 10_000, this.options.env);
    } catch (e) {
      // Asked again it would fail again, every interval: one line, and GPUs are left out from here on.
      this.nvidiaSmi = undefined;
      this.options.onProblem?.(`${(e as Error).message}; GPU metrics are not recorded for this run`);
      return {};
    }
  }
}
