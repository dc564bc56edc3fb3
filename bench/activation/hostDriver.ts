/**
 * Runs inside the extension host of a real VS Code (as its extensionTestsPath, see
 * ../activation.bench.ts): activates ExpTrack in a workspace without runs and measures what the
 * activation costs the extension host's thread — its CPU time (Linux's per-thread schedstat, so
 * neither other threads nor time spent waiting for a CPU on a loaded machine count) and its
 * active time (event-loop utilization, which counts that waiting) — then the same for the full
 * start (the session: index worker, views, features, first scan), the reference.
 */
import * as fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import type { ExpTrackApi } from '../../src/extension/extension';

/** Work started by a step that runs on after it returns (promise chains, RPC replies) is counted too. */
const SETTLE_MS = 500;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until the host has been almost idle for a second: the other extensions are done starting. */
async function quiet(): Promise<void> {
  for (let i = 0; i < 30; i++) {
    const start = performance.eventLoopUtilization();
    await sleep(1000);
    if (performance.eventLoopUtilization(start).utilization < 0.02) return;
  }
}

/** CPU time of the calling thread, in ms (the first field of schedstat is nanoseconds on a CPU). */
function threadCpuMs(): number {
  return Number(fs.readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e6;
}

export interface Cost {
  /** CPU time of the extension host's thread until `work` settled. */
  cpuMs: number;
  /** The same, including what it left running for SETTLE_MS after (and whatever else ran meanwhile). */
  settledCpuMs: number;
  /** Time the host thread's event loop was not idle. */
  activeMs: number;
  /** Until `work` settled. */
  wallMs: number;
}

/** What `work` costs, from its call to SETTLE_MS after it settled. */
async function measure(work: () => Promise<unknown>): Promise<Cost> {
  const loop = performance.eventLoopUtilization();
  const cpu = threadCpuMs();
  const t0 = performance.now();
  await work();
  const wallMs = performance.now() - t0;
  const cpuMs = threadCpuMs() - cpu;
  await sleep(SETTLE_MS);
  return { cpuMs, settledCpuMs: threadCpuMs() - cpu, activeMs: performance.eventLoopUtilization(loop).active, wallMs };
}

export async function run(): Promise<void> {
  // test/support/server-launcher.mjs prints what follows this line, and trusts the exit code with the last one.
  console.log('[exptrack-tests] running the activation bench');
  try {
    const ext = vscode.extensions.getExtension<ExpTrackApi>('exptrack.exptrack');
    if (!ext) throw new Error('ExpTrack is not loaded');
    if (ext.isActive) throw new Error('ExpTrack is already active: the bench workspace must give it no reason to start');
    await quiet();
    const idle = await measure(async () => undefined);
    const activation = await measure(async () => ext.activate());
    const fullStart = await measure(() => ext.exports.ready);
    const runs = (await ext.exports.runIndex()?.call('listRuns'))?.length ?? -1;
    console.log(`[bench] ${JSON.stringify({ idle, activation, fullStart, runs })}`);
    console.log('[exptrack-tests] finished with 0 failure(s)');
  } catch (e) {
    console.log(`[bench] error: ${(e as Error).message}`);
    console.log('[exptrack-tests] finished with 1 failure(s)');
    throw e;
  }
}
