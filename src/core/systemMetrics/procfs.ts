/**
 * What Linux's /proc says about a process tree and the machine, parsed from the kernel's own text
 * formats (proc(5)). Reads are asynchronous (libuv's thread pool does the I/O), so sampling costs
 * the calling thread only the parsing of a few short texts.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';

/** The kernel reports CPU times in USER_HZ ticks, which Linux fixes at 100 per second for user space. */
export const CLOCK_TICKS_PER_SECOND = 100;
/** /proc/diskstats counts 512-byte sectors whatever the device's own sector size. */
const DISKSTATS_SECTOR_BYTES = 512;

export interface ProcessStat {
  pid: number;
  ppid: number;
  /** utime + stime, in ticks. */
  cpuTicks: number;
  /** When the process started, in ticks after boot: tells a reused pid from the process seen before. */
  startTicks: number;
}

/**
 * Parses `/proc/<pid>/stat`. The command name (field 2) is in parentheses and may itself hold
 * spaces and parentheses, so fields are counted from the last ")".
 */
export function parseProcessStat(text: string): ProcessStat | null {
  const close = text.lastIndexOf(')');
  const open = text.indexOf('(');
  if (open < 0 || close < open) return null;
  const pid = Number(text.slice(0, open).trim());
  const rest = text.slice(close + 2).trim().split(/\s+/); // rest[0] is field 3 (state)
  const field = (n: number) => Number(rest[n - 3]);
  const ppid = field(4);
  const utime = field(14);
  const stime = field(15);
  const start = field(22);
  if (![pid, ppid, utime, stime, start].every(Number.isFinite)) return null;
  return { pid, ppid, cpuTicks: utime + stime, startTicks: start };
}

/** Resident set size in bytes from `/proc/<pid>/status` (its `VmRSS:` line, in kB); null for a kernel thread or a zombie. */
export function parseRssBytes(statusText: string): number | null {
  const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(statusText);
  return m ? Number(m[1]) * 1024 : null;
}

export interface MemoryInfo {
  totalBytes: number;
  availableBytes: number;
}

/** `/proc/meminfo`: MemTotal and MemAvailable (kernels before 3.14 lack the latter: MemFree + Buffers + Cached then). */
export function parseMeminfo(text: string): MemoryInfo | null {
  const kb = (name: string) => {
    const m = new RegExp(`^${name}:\\s+(\\d+)\\s+kB`, 'm').exec(text);
    return m ? Number(m[1]) * 1024 : undefined;
  };
  const total = kb('MemTotal');
  if (total === undefined) return null;
  const available = kb('MemAvailable') ?? (kb('MemFree') ?? 0) + (kb('Buffers') ?? 0) + (kb('Cached') ?? 0);
  return { totalBytes: total, availableBytes: available };
}

export interface ByteCounters {
  readBytes: number;
  writtenBytes: number;
}

/** Bytes read and written by the named block devices, from `/proc/diskstats` (fields 6 and 10 are sectors). */
export function parseDiskstats(text: string, devices: ReadonlySet<string>): ByteCounters {
  let read = 0;
  let written = 0;
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 10 || !devices.has(f[2]!)) continue;
    read += Number(f[5]) * DISKSTATS_SECTOR_BYTES;
    written += Number(f[9]) * DISKSTATS_SECTOR_BYTES;
  }
  return { readBytes: read, writtenBytes: written };
}

/** Bytes received (`readBytes`) and sent (`writtenBytes`) by every interface but loopback, from `/proc/net/dev`. */
export function parseNetDev(text: string): ByteCounters {
  let received = 0;
  let sent = 0;
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const name = line.slice(0, colon).trim();
    if (name === 'lo') continue;
    const f = line.slice(colon + 1).trim().split(/\s+/);
    if (f.length < 9) continue;
    received += Number(f[0]);
    sent += Number(f[8]);
  }
  return { readBytes: received, writtenBytes: sent };
}

/** Reads a file under the proc root; null when it is gone or unreadable (a process that just ended). */
export async function readProcText(procRoot: string, ...parts: string[]): Promise<string | null> {
  try {
    return await fsp.readFile(path.join(procRoot, ...parts), 'utf8');
  } catch {
    return null;
  }
}

/**
 * The pids of `rootPid` and every process below it. The kernel lists each thread's children in
 * `task/<tid>/children`; where that file does not exist (kernels built without it), every
 * process's parent is read from its stat instead.
 */
export async function processTree(procRoot: string, rootPid: number): Promise<number[]> {
  const first = await childrenOf(procRoot, rootPid);
  if (first === null) return processTreeByScan(procRoot, rootPid);
  const found = [rootPid];
  const seen = new Set(found);
  let frontier = first;
  while (frontier.length > 0) {
    const next: number[] = [];
    for (const pid of frontier) {
      if (seen.has(pid)) continue;
      seen.add(pid);
      found.push(pid);
      next.push(...((await childrenOf(procRoot, pid)) ?? []));
    }
    frontier = next;
  }
  return found;
}

/** Children of every thread of `pid`; null when the kernel offers no children files (or the process is gone). */
async function childrenOf(procRoot: string, pid: number): Promise<number[] | null> {
  let tids: string[];
  try {
    tids = await fsp.readdir(path.join(procRoot, String(pid), 'task'));
  } catch {
    return null;
  }
  const out: number[] = [];
  let any = false;
  for (const tid of tids) {
    const text = await readProcText(procRoot, String(pid), 'task', tid, 'children');
    if (text === null) continue;
    any = true;
    for (const word of text.split(/\s+/)) if (word) out.push(Number(word));
  }
  return any ? out : null;
}

async function processTreeByScan(procRoot: string, rootPid: number): Promise<number[]> {
  let names: string[];
  try {
    names = await fsp.readdir(procRoot);
  } catch {
    return [];
  }
  const children = new Map<number, number[]>();
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    const stat = parseProcessStat((await readProcText(procRoot, name, 'stat')) ?? '');
    if (!stat) continue;
    const list = children.get(stat.ppid) ?? [];
    list.push(stat.pid);
    children.set(stat.ppid, list);
  }
  const found: number[] = [];
  const stack = [rootPid];
  while (stack.length > 0) {
    const pid = stack.pop()!;
    if (found.includes(pid)) continue;
    found.push(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return found;
}

/**
 * The topmost process whose environment holds `name=value` (a launcher and the program it starts
 * both carry it; the launcher's tree holds the program). Only processes of this user can be read,
 * which is where a run started from this editor lives.
 */
export async function findProcessByEnvironment(procRoot: string, name: string, value: string): Promise<number | undefined> {
  let names: string[];
  try {
    names = await fsp.readdir(procRoot);
  } catch {
    return undefined;
  }
  const wanted = Buffer.from(`${name}=${value}\0`);
  const carriers = new Map<number, number>(); // pid → ppid
  for (const entry of names) {
    if (!/^\d+$/.test(entry)) continue;
    let environ: Buffer;
    try {
      environ = await fsp.readFile(path.join(procRoot, entry, 'environ'));
    } catch {
      continue;
    }
    if (environ[0] === undefined || !(`\0${environ.toString('latin1')}`).includes(`\0${wanted.toString('latin1')}`)) continue;
    const stat = parseProcessStat((await readProcText(procRoot, entry, 'stat')) ?? '');
    if (stat) carriers.set(stat.pid, stat.ppid);
  }
  for (const [pid, ppid] of carriers) if (!carriers.has(ppid)) return pid;
  return undefined;
}

/** Whole physical disks (those with a `device` link in /sys/block), so partitions, loop and device-mapper volumes are not counted twice. */
export async function physicalDisks(sysBlock = '/sys/block'): Promise<Set<string>> {
  const out = new Set<string>();
  let names: string[];
  try {
    names = await fsp.readdir(sysBlock);
  } catch {
    return out;
  }
  for (const name of names) {
    try {
      await fsp.access(path.join(sysBlock, name, 'device'));
      out.add(name);
    } catch {
      // A virtual device: its I/O is counted on the disk below it.
    }
  }
  return out;
}
