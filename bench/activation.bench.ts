/**
 * Activation on a workspace without runs (issue: ship it): the time ExpTrack's activation keeps the
 * extension host's thread busy, in the real VS Code server (code-server 4.100.3), goal ≤ 50 ms.
 * The reference, measured in the same host right after: the full start — the run index's worker,
 * the views, the features and the first scan — which is what activation did in every window before
 * it was deferred to first use. The median of five fresh hosts.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { bundleTests } from '../test/support/bundle-tests.mjs';
import { chromiumPath, serverMain } from '../test/support/vscode-host.mjs';
import type { Cost } from './activation/hostDriver';

const REPO = path.resolve(__dirname, '..');
const HOSTS = 5;

interface Figures {
  idle: Cost;
  activation: Cost;
  fullStart: Cost;
  runs: number;
}

function line(name: string, value: string, reference: string, ratio: number, goal: string): void {
  console.log(`${name.padEnd(44)} ${value.padStart(12)}   reference ${reference.padStart(12)}   ratio ${ratio.toFixed(2).padStart(6)}   goal ${goal}`);
}

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
}

/** A folder with a script and a README: nothing ExpTrack reads, no reason for it to start. */
function workspaceWithoutRuns(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exptrack-bench-activation-'));
  fs.copyFileSync(path.join(REPO, 'test/integration/workspace/train.py'), path.join(dir, 'train.py'));
  fs.writeFileSync(path.join(dir, 'README.md'), '# a project\n');
  return dir;
}

function oneHost(driver: string, workspace: string): Figures {
  const launcher = spawnSync(process.execPath, [
    path.join(REPO, 'test/support/server-launcher.mjs'),
    `--extensionDevelopmentPath=${REPO}`, `--extensionTestsPath=${driver}`, workspace,
  ], { encoding: 'utf8', env: { ...process.env, EXPTRACK_SERVER_LOG: path.join(REPO, 'test-results/bench-activation-server.log') } });
  const found = /^\[bench\] (\{.*\})$/m.exec(launcher.stdout);
  if (launcher.status !== 0 || !found) throw new Error(`the bench host failed (exit ${launcher.status}):\n${launcher.stdout}\n${launcher.stderr}`);
  return JSON.parse(found[1]!) as Figures;
}

async function main(): Promise<void> {
  if (!fs.existsSync(serverMain) || !fs.existsSync(chromiumPath)) {
    console.log('activation bench skipped: the VS Code test host is not installed (npm run setup:test-host)');
    return;
  }
  const outdir = path.join(REPO, 'out/bench/activation');
  await bundleTests({ entryPoints: [path.join(__dirname, 'activation/hostDriver.ts')], outbase: path.join(__dirname, 'activation'), outdir });
  const workspace = workspaceWithoutRuns();
  const all: Figures[] = [];
  try {
    for (let i = 0; i < HOSTS; i++) all.push(oneHost(path.join(outdir, 'hostDriver.js'), workspace));
  } finally {
    fs.rmSync(workspace, { recursive: true, force: true });
  }
  if (fs.existsSync(path.join(workspace, '.exptrack'))) throw new Error('activation wrote .exptrack/ into the workspace');
  const med = (pick: (f: Figures) => number) => median(all.map(pick));
  const cpu = med((f) => f.activation.cpuMs);
  line('activation, workspace without runs', `${cpu.toFixed(1)} ms`, `${med((f) => f.fullStart.cpuMs).toFixed(1)} ms`, cpu / med((f) => f.fullStart.cpuMs), '<= 50 ms of extension-host time');
  line('  with the next 500 ms (CPU)', `${med((f) => f.activation.settledCpuMs).toFixed(1)} ms`, `${med((f) => f.fullStart.settledCpuMs).toFixed(1)} ms`,
    med((f) => f.activation.settledCpuMs) / med((f) => f.fullStart.settledCpuMs), 'reported');
  line('  host thread busy (incl. waiting for a CPU)', `${med((f) => f.activation.activeMs).toFixed(1)} ms`, `${med((f) => f.fullStart.activeMs).toFixed(1)} ms`,
    med((f) => f.activation.activeMs) / med((f) => f.fullStart.activeMs), 'reported');
  line('  wall time until activate() resolved', `${med((f) => f.activation.wallMs).toFixed(1)} ms`, `${med((f) => f.fullStart.wallMs).toFixed(1)} ms`,
    med((f) => f.activation.wallMs) / med((f) => f.fullStart.wallMs), 'reported');
  line('  500 ms with nothing to do (CPU)', `${med((f) => f.idle.settledCpuMs).toFixed(1)} ms`, `${cpu.toFixed(1)} ms`, med((f) => f.idle.settledCpuMs) / cpu, 'reported (noise floor)');
  console.log(`   reference: the full start (index worker, views, features, first scan) in the same host; median of ${HOSTS} hosts;`);
  console.log(`   per host, activation / full start CPU: ${all.map((f) => `${f.activation.cpuMs.toFixed(1)} / ${f.fullStart.cpuMs.toFixed(1)}`).join(', ')} ms; runs found ${all[0]!.runs}; load average ${os.loadavg()[0]!.toFixed(1)}`);
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
