/**
 * P2 (issues: compare runs; charts that tell the truth at any size). Every figure is printed beside
 * a reference measured in the same run, as a ratio: machines differ, ratios travel.
 *   P2  100 runs × 3 metrics × 10,000 steps → chart series through the one pipeline (TensorBoard's
 *       EMA over every point, then min/max-preserving reduction to 500 pixel columns), as the
 *       Compare panel asks first; against decoding the same points alone (the floor under any
 *       query that smooths every point). In-process and through the store worker (what the panel
 *       waits for, structured clone to the host included); cold (every chunk read from the series
 *       files and decoded) and cached (reopened panel, hidden view shown again).
 *   Zoom  a 1M-point series: the whole chart (cold), then 10,000 steps of it at full resolution,
 *       smoothed (ema continues from where the whole series stood; gauss reads its window), against
 *       the whole chart.
 * Run: npx tsx bench/compare.bench.ts
 * The first chart paint for 100 runs in the real workbench is measured by the UI test
 * (node scripts/test-ui.mjs --grep "first paint" test/ui/charts.ui.ts prints it, several times).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { runIdsByUid } from '../src/core/compare/runLookup';
import { RunIndexWriter } from '../src/core/store/runIndexWriter';
import { Store } from '../src/core/store/store';
import { StoreClient } from '../src/core/store/storeClient';
import type { SeriesRequest } from '../src/shared/compare/compareTypes';
import type { RunEvent } from '../src/shared/runEvents';

const RUNS = 100;
const KEYS = ['loss', 'val_loss', 'accuracy'];
const STEPS = 10_000;
const LONG = 1_000_000;
const BUCKETS = 500;
const GOAL_MS = 150;
const ZOOM_GOAL_MS = 50;
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
  const events: RunEvent[] = [{ t: 'run', v: 1, id: 'long', name: 'long', experiment: 'bench', started: 1732240000 } as RunEvent];
  for (let s = 0; s < LONG; s++) events.push({ t: 'metrics', step: s, time: 1732240000 + s * 0.1, values: { loss: Math.exp(-s / 300_000) + 0.01 * Math.sin(s * 0.37) + (s % 99_991 === 0 ? 1 : 0) } } as RunEvent);
  writer.apply({ runUid: 'long', events }, { sourceId: 2 });
  writer.finish();
  db.exec('COMMIT');
  return uids;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function line(name: string, value: number, reference: number, goal: string): void {
  console.log(`${name.padEnd(52)} ${`${value.toFixed(1)} ms`.padStart(10)}   reference ${`${reference.toFixed(1)} ms`.padStart(10)}   ratio ${(value / reference).toFixed(2).padStart(6)}   goal ${goal}`);
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
    const first: SeriesRequest = { uids, keys: KEYS, buckets: BUCKETS, smoothing: { kind: 'ema', amount: 0.6 }, withTimes: false };

    // In-process, on the saved index opened afresh: the store's own work. A new store per query is cold.
    let scanned = 0;
    const decodeOnly = async () => {
      const { store } = await Store.open({ workspaceRoot: root, dbPath });
      const ids = runIdsByUid(store.database, uids);
      const t0 = performance.now();
      scanned = 0;
      for (const uid of uids) for (const key of KEYS) scanned += store.series.readColumns(ids.get(uid)!, key, false)?.values.length ?? 0;
      const ms = performance.now() - t0;
      store.close();
      return ms;
    };
    let sent = 0;
    let maxLen = 0;
    const pipelineCold = (request: SeriesRequest) => async () => {
      const { store } = await Store.open({ workspaceRoot: root, dbPath });
      const t0 = performance.now();
      const out = store.chartSeries(request);
      const ms = performance.now() - t0;
      sent = out.reduce((n, s) => n + s.values.length, 0);
      maxLen = Math.max(...out.map((s) => s.values.length));
      store.close();
      return ms;
    };
    const timed = async (fn: () => Promise<number>) => {
      await fn();
      const runs: number[] = [];
      for (let i = 0; i < REPEAT; i++) runs.push(await fn());
      return median(runs);
    };
    const decodeMs = await timed(decodeOnly);
    const rawMs = await timed(pipelineCold({ ...first, smoothing: { kind: 'none', amount: 0 } }));
    const emaMs = await timed(pipelineCold(first));
    if (scanned !== RUNS * KEYS.length * STEPS) throw new Error(`scanned ${scanned} points`);
    if (maxLen > BUCKETS * 6) throw new Error(`a series has ${maxLen} points`);
    console.log(`${RUNS} runs × ${KEYS.length} metrics × ${STEPS} steps = ${(scanned / 1e6).toFixed(1)}M points; sent: ${sent} points for ${BUCKETS} columns (${(sent / (RUNS * KEYS.length)).toFixed(0)} per series on average, at most ${maxLen})`);
    line('P2 pipeline, unsmoothed, cold (in-process)', rawMs, decodeMs, 'ratio ~1: reducing adds little to decoding');
    line('P2 pipeline, ema 0.6 over every point, cold (in-process)', emaMs, decodeMs, 'ratio ~1: smoothing adds little to decoding');

    // Through the worker: what a Compare panel waits for (structured clone to the host included).
    const coldRuns: number[] = [];
    const warmRuns: number[] = [];
    const zoomEma: number[] = [];
    const zoomGauss: number[] = [];
    const longCold: number[] = [];
    for (let i = 0; i < 3; i++) {
      const { client } = await StoreClient.start({ workerPath, execArgv, workspaceRoot: root, dbPath });
      try {
        let t0 = performance.now();
        await client.call('chartSeries', first);
        coldRuns.push(performance.now() - t0);
        t0 = performance.now();
        await client.call('chartSeries', first);
        warmRuns.push(performance.now() - t0);
        // The long series: the whole chart first, as a user zooms into it.
        const long = (range?: { from: number; to: number }, kind: 'ema' | 'gauss' = 'ema') =>
          client.call('chartSeries', { uids: ['long'], keys: ['loss'], buckets: BUCKETS, smoothing: kind === 'ema' ? { kind, amount: 0.6 } : { kind, amount: 5 }, withTimes: false, range });
        t0 = performance.now();
        const [whole] = await long();
        longCold.push(performance.now() - t0);
        if (whole!.total !== LONG) throw new Error(`the long series has ${whole!.total} points`);
        await long(undefined, 'gauss');
        for (let z = 0; z < 5; z++) {
          const from = Math.floor(((z + 1) * LONG) / 7);
          t0 = performance.now();
          const [zoomed] = await long({ from, to: from + 9999 });
          zoomEma.push(performance.now() - t0);
          if (zoomed!.total !== 10_000) throw new Error(`the zoom holds ${zoomed!.total} points`);
          t0 = performance.now();
          await long({ from: from + 50_000, to: from + 59_999 }, 'gauss');
          zoomGauss.push(performance.now() - t0);
        }
      } finally {
        await client.close();
      }
    }
    line('P2 through the store worker, cold', median(coldRuns), decodeMs, `<= ${GOAL_MS} ms (reference: decoding alone, in-process)`);
    line('P2 through the store worker, cached', median(warmRuns), GOAL_MS, `<= 1.0 of the ${GOAL_MS} ms goal`);
    line(`chart of a ${LONG / 1e6}M-point series, ema, cold (worker)`, median(longCold), median(coldRuns), 'reported (reference: P2 cold)');
    line('zoom on 10,000 steps of it, ema (worker)', median(zoomEma), median(longCold), `<= ${ZOOM_GOAL_MS} ms (reference: the whole chart)`);
    line('zoom on 10,000 steps of it, gauss σ=5 (worker)', median(zoomGauss), median(longCold), `<= ${ZOOM_GOAL_MS} ms (reference: the whole chart)`);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

void main();
