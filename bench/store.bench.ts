/**
 * P1, P4, P5 and the bundle size (issue: foundation). Every figure is printed beside a reference
 * measured in the same run, as a ratio: machines differ, ratios travel.
 *   P1  ingest 1M metric points (100 runs × 10 metrics × 1,000 steps) from events.jsonl,
 *       against better-sqlite3 parsing the same files and inserting the same rows.
 *   P4  event-loop delay p99 of the calling thread while the store worker does that ingest,
 *       against the same thread idle.
 *   P5  open the index of 1,000 runs and list them for the Runs tree, against the 300 ms goal.
 */
import Database from 'better-sqlite3';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { Store } from '../src/core/store/store';
import { StoreClient } from '../src/core/store/storeClient';
import { metricValueToNumber, type RunEvent } from '../src/shared/runEvents';

const RUNS = 100;
const METRICS = 10;
const STEPS = 1000;
// The shipped worker bundle when built (npm run build), else the worker from source.
const bundledWorker = path.join(__dirname, '../dist/storeWorker.js');
const workerPath = fs.existsSync(bundledWorker) ? bundledWorker : path.join(__dirname, '../test/unit/helpers/storeWorkerFromSource.cjs');
// Without this process's TypeScript loader, as in the extension host (the worker from source loads its own).
const execArgv: string[] = [];

function writeWorkspace(root: string, runs: number, steps: number): void {
  for (let r = 0; r < runs; r++) {
    const id = `bench-${String(r).padStart(4, '0')}`;
    const dir = path.join(root, '.exptrack', 'runs', id);
    fs.mkdirSync(dir, { recursive: true });
    const lines = [JSON.stringify({ t: 'run', v: 1, id, name: id, experiment: `exp${r % 5}`, started: 1732240000 + r })];
    lines.push(JSON.stringify({ t: 'params', values: { lr: 0.001 * (r + 1), batch: 32, seed: r } }));
    for (let s = 0; s < steps; s++) {
      const values: Record<string, number> = {};
      for (let m = 0; m < METRICS; m++) values[`metric_${m}`] = Math.sin(s / 50 + m) / (s + 1) + r;
      lines.push(JSON.stringify({ t: 'metrics', step: s, time: 1732240000 + r + s * 0.1, values }));
    }
    lines.push(JSON.stringify({ t: 'end', status: 'finished', exit: 0, ended: 1732240000 + r + steps }));
    fs.writeFileSync(path.join(dir, 'events.jsonl'), lines.join('\n') + '\n');
  }
}

/**
 * The reference: the same files parsed the same way, one row per point inserted with better-sqlite3
 * in one transaction into a table indexed for series reads (what a row-per-point store does).
 */
function referenceIngest(root: string): number {
  const db = new Database(':memory:');
  db.exec(`CREATE TABLE metrics (run_id INTEGER NOT NULL, key TEXT NOT NULL, step INTEGER, time REAL, value REAL, source_id INTEGER);
    CREATE INDEX metrics_by_run_key ON metrics (run_id, key, step)`);
  const insert = db.prepare('INSERT INTO metrics (run_id, key, step, time, value, source_id) VALUES (?, ?, ?, ?, ?, ?)');
  let points = 0;
  const runsDir = path.join(root, '.exptrack', 'runs');
  db.transaction(() => {
    fs.readdirSync(runsDir).sort().forEach((id, runId) => {
      for (const line of fs.readFileSync(path.join(runsDir, id, 'events.jsonl'), 'utf8').split('\n')) {
        if (!line) continue;
        const e = JSON.parse(line) as RunEvent;
        if (e.t !== 'metrics') continue;
        for (const [k, v] of Object.entries(e.values)) {
          insert.run(runId, k, e.step ?? null, e.time ?? null, metricValueToNumber(v), runId);
          points++;
        }
      }
    });
  })();
  db.close();
  return points;
}

function ms(t0: number): number {
  return performance.now() - t0;
}

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
}

function line(name: string, value: string, reference: string, ratio: number, goal: string): void {
  console.log(`${name.padEnd(44)} ${value.padStart(12)}   reference ${reference.padStart(12)}   ratio ${ratio.toFixed(2).padStart(6)}   goal ${goal}`);
}

async function main(): Promise<void> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'exptrack-bench-'));
  try {
    writeWorkspace(root, RUNS, STEPS);

    // P1: in-process, so the figure is the store's own work.
    const refStart = performance.now();
    const refPoints = referenceIngest(root);
    const refMs = ms(refStart);
    const { store } = await Store.open({ workspaceRoot: root, dbPath: null });
    const t0 = performance.now();
    const report = store.ingest();
    const oursMs = ms(t0);
    store.close();
    if (report.points !== refPoints) throw new Error(`point counts differ: ${report.points} vs ${refPoints}`);
    line(`P1 ingest ${(report.points / 1e6).toFixed(1)}M points (sql.js store)`, `${oursMs.toFixed(0)} ms`, `${refMs.toFixed(0)} ms`, oursMs / refMs, '<= 1.5x better-sqlite3');

    // P4: the same ingest through the worker, while this thread measures its own delay.
    const idle = monitorEventLoopDelay({ resolution: 10 });
    idle.enable();
    await new Promise((r) => setTimeout(r, 1000));
    idle.disable();
    const { client } = await StoreClient.start({ workerPath, execArgv, workspaceRoot: root, dbPath: null });
    const busy = monitorEventLoopDelay({ resolution: 10 });
    busy.enable();
    await client.call('ingest');
    busy.disable();
    await client.close();
    const p99 = busy.percentile(99) / 1e6;
    const idleP99 = idle.percentile(99) / 1e6;
    line('P4 event-loop delay p99 during ingest', `${p99.toFixed(1)} ms`, `${idleP99.toFixed(1)} ms`, p99 / idleP99, '<= 50 ms');

    // P5: 1,000 runs saved in an index; open it, check sources, list runs.
    const many = fs.mkdtempSync(path.join(os.tmpdir(), 'exptrack-bench-runs-'));
    writeWorkspace(many, 1000, 20);
    const built = await Store.open({ workspaceRoot: many });
    built.store.ingest();
    built.store.save();
    built.store.close();
    // As the extension activates: the tree asks for the runs first (answered from the saved index),
    // then the scan checks every source; the median of three fresh worker starts.
    const shown: number[] = [];
    const caughtUp: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t5 = performance.now();
      const { client: c5 } = await StoreClient.start({ workerPath, execArgv, workspaceRoot: many, dbPath: undefined });
      const listed = c5.call('listRuns').then((runs) => {
        shown.push(ms(t5));
        return runs;
      });
      const report = await c5.call('ingest');
      caughtUp.push(ms(t5));
      const runs = await listed;
      await c5.close();
      if (runs.length !== 1000) throw new Error(`expected 1000 runs, got ${runs.length}`);
      if (report.sourcesRead !== 0) throw new Error(`the saved index was not current: ${report.sourcesRead} sources read`);
    }
    fs.rmSync(many, { recursive: true, force: true });
    const p5 = median(shown);
    line('P5 open index + list 1,000 runs', `${p5.toFixed(0)} ms`, '300 ms', p5 / 300, '<= 1.0 of the goal');
    const checked = median(caughtUp);
    line('P5 then every source checked', `${checked.toFixed(0)} ms`, '300 ms', checked / 300, 'reported');

    const bundle = path.join(__dirname, '../dist/extension.js');
    if (fs.existsSync(bundle)) {
      const kb = fs.statSync(bundle).size / 1024;
      line('host bundle dist/extension.js', `${kb.toFixed(0)} KB`, '1024 KB', kb / 1024, '<= 1.0 of the limit');
    }
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

void main();
