/**
 * P2 (issue: compare runs). Every figure is printed beside a reference measured in the same run,
 * as a ratio: machines differ, ratios travel.
 *   P2  100 runs × 3 metrics × 10,000 steps → chart-ready series (min/max-preserving, <= 2,000
 *       points each), against a plain full scan of the same points (every chunk decoded, nothing
 *       down-sampled). In-process (the store's own work) and through the store worker (what the
 *       Compare panel waits for, structured clone to the host included); cold (every chunk read
 *       from the series files and decoded, which bounds this) and cached (reopened panel, hidden
 *       view shown again, other runs of a live comparison).
 * Run: npx tsx bench/compare.bench.ts
 * The first chart paint for 100 runs in the real browser is measured by the UI test
 * (node scripts/test-ui.mjs --grep "100 runs" test/ui/compare.ui.ts prints it).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { metricSeries } from '../src/core/compare/seriesQuery';
import { runIdsByUid } from '../src/core/compare/runLookup';
import { RunIndexWriter } from '../src/core/store/runIndexWriter';
import { Store } from '../src/core/store/store';
import { StoreClient } from '../src/core/store/storeClient';
import type { RunEvent } from '../src/shared/runEvents';

const RUNS = 100;
const KEYS = ['loss', 'val_loss', 'accuracy'];
const STEPS = 10_000;
const MAX_POINTS = 2000;
const GOAL_MS = 150;
const REPEAT = 5;

const bundledWorker = path.join(__dirname, '../dist/storeWorker.js');
const workerPath = fs.existsSync(bundledWorker) ? bundledWorker : path.join(__dirname, '../test/unit/helpers/storeWorkerFromSource.cjs');
// Without this process's TypeScript loader, as in the extension host (the worker from source loads its own).
const execArgv: string[] = [];

/** Fills the index directly through the writer (the same rows an ingest makes, without parsing files). */
function fill(store: Store): string[] {
  const db = store.database;
  const uids: string[] = [];
  db.exec('BEGIN');
  const writer = new RunIndexWriter(db, store.series);
  for (let r = 0; r < RUNS; r++) {
    const uid = `bench-${String(r).padStart(3, '0')}`;
    uids.push(uid);
    const events: RunEvent[] = [{ t: 'run', v: 1, id: uid, name: uid, experiment: 'bench', started: 1732240000 + r } as RunEvent];
    for (let s = 0; s < STEPS; s++) {
      events.push({
        t: 'metrics', step: s, time: 1732240000 + r + s * 0.5,
        values: { loss: Math.exp(-s / 3000) + 0.05 * Math.sin(s * 0.37 + r), val_loss: Math.exp(-s / 4000) + (s % 997 === 0 ? 1 : 0), accuracy: 1 - Math.exp(-s / 5000) },
      } as RunEvent);
    }
    writer.apply({ runUid: uid, events }, { sourceId: 1 });
  }
  writer.finish();
  db.exec('COMMIT');
  return uids;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function time(fn: () => unknown | Promise<unknown>): Promise<number> {
  await fn(); // warm-up
  const runs: number[] = [];
  for (let i = 0; i < REPEAT; i++) {
    const t0 = performance.now();
    await fn();
    runs.push(performance.now() - t0);
  }
  return median(runs);
}

function line(name: string, value: number, reference: number, goal: string): void {
  console.log(`${name.padEnd(44)} ${`${value.toFixed(1)} ms`.padStart(10)}   reference ${`${reference.toFixed(1)} ms`.padStart(10)}   ratio ${(value / reference).toFixed(2).padStart(6)}   goal ${goal}`);
}

async function main(): Promise<void> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'exptrack-bench-compare-'));
  try {
    const dbPath = path.join(root, '.exptrack', 'exptrack.sqlite');
    fs.mkdirSync(path.dirname(dbPath), { recursive: true });
    const built = await Store.open({ workspaceRoot: root, dbPath });
    const uids = fill(built.store);
    built.store.save();
    built.store.close();

    // In-process, on the saved index opened afresh: the store's own work.
    const { store } = await Store.open({ workspaceRoot: root, dbPath });
    const db = store.database;
    // The reference: every point of the same 300 series read as typed arrays, nothing else.
    let scanned = 0;
    const scan = () => {
      scanned = 0;
      const ids = runIdsByUid(db, uids);
      for (const uid of uids) for (const key of KEYS) scanned += store.series.readColumns(ids.get(uid)!, key)?.values.length ?? 0;
    };
    let sent = 0;
    let maxLen = 0;
    const cold = (withTimes: boolean) => () => {
      const out = metricSeries(store.series, uids, KEYS, MAX_POINTS, withTimes); // no cache: every block read and down-sampled
      sent = out.reduce((n, s) => n + s.values.length, 0);
      maxLen = Math.max(...out.map((s) => s.values.length));
    };
    const scanMs = await time(scan);
    const coldMs = await time(cold(true));
    const coldStepsMs = await time(cold(false));
    const warmMs = await time(() => store.metricSeries(uids, KEYS, MAX_POINTS, false));
    if (scanned !== RUNS * KEYS.length * STEPS) throw new Error(`scanned ${scanned} points`);
    if (maxLen > MAX_POINTS) throw new Error(`a series has ${maxLen} points`);
    console.log(`${RUNS} runs × ${KEYS.length} metrics × ${STEPS} steps = ${(scanned / 1e6).toFixed(1)}M points; series sent: ${sent} points (${(sent / (RUNS * KEYS.length)).toFixed(0)} per series on average, at most ${maxLen})`);
    line('P2 series, cold (in-process)', coldMs, scanMs, 'ratio ~1: down-sampling adds little to the read');
    line('P2 series by step, cold (no time column read)', coldStepsMs, scanMs, `<= ${GOAL_MS} ms`);
    line('P2 series, cached (in-process)', warmMs, scanMs, `<= ${GOAL_MS} ms`);
    store.close();

    // Through the worker: what a Compare webview waits for (structured clone to the host included).
    const coldRuns: number[] = [];
    const warmRuns: number[] = [];
    let allPoints = 0;
    for (let i = 0; i < 3; i++) {
      const { client } = await StoreClient.start({ workerPath, execArgv, workspaceRoot: root, dbPath });
      try {
        // As the Compare panel asks first: x by step, so no wall times.
        let t0 = performance.now();
        await client.call('metricSeries', uids, KEYS, MAX_POINTS, false);
        coldRuns.push(performance.now() - t0);
        t0 = performance.now();
        await client.call('metricSeries', uids, KEYS, MAX_POINTS, false);
        warmRuns.push(performance.now() - t0);
        if (i === 0) allPoints = await time(() => client.call('metricSeries', uids, KEYS, STEPS, true));
      } finally {
        await client.close();
      }
    }
    line('P2 series through the store worker, cold', median(coldRuns), allPoints, `<= ${GOAL_MS} ms (reference: every point sent)`);
    line('P2 series through the store worker, cached', median(warmRuns), GOAL_MS, `<= 1.0 of the ${GOAL_MS} ms goal`);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

void main();
