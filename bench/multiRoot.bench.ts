/**
 * Compare across the folders of a multi-root workspace. Every figure is printed beside a reference
 * measured in the same run, as a ratio.
 *   One comparison of 200 runs (30 parameters, 10 metrics each) held by two folders: each folder's
 *   store compares its 100 runs and the snapshots are merged (src/core/compare/mergeSnapshots.ts,
 *   in the extension host), against the same 200 runs compared by one store. The merge alone is
 *   what the extension host's thread pays; it is printed against the one-store comparison too.
 * Run: npx tsx bench/multiRoot.bench.ts
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { mergeSnapshots, type SnapshotPart } from '../src/core/compare/mergeSnapshots';
import { RunIndexWriter } from '../src/core/store/runIndexWriter';
import { Store } from '../src/core/store/store';
import type { RunEvent } from '../src/shared/runEvents';

const RUNS = 200;
const PARAMS = 30;
const METRICS = 10;
const STEPS = 50;
const REPEAT = 7;

async function storeWith(root: string, runs: number[]): Promise<{ store: Store; uids: string[] }> {
  const dbPath = path.join(root, '.exptrack', 'exptrack.sqlite');
  fs.mkdirSync(path.dirname(dbPath), { recursive: true });
  const { store } = await Store.open({ workspaceRoot: root, dbPath });
  const db = store.database;
  db.exec('BEGIN');
  const writer = new RunIndexWriter(db, store.series);
  const uids: string[] = [];
  for (const r of runs) {
    const uid = `run-${String(r).padStart(3, '0')}`;
    uids.push(uid);
    const params: Record<string, unknown> = {};
    for (let p = 0; p < PARAMS; p++) params[`p${p}`] = p % 3 === 0 ? r % 7 : p % 3 === 1 ? `opt-${r % 4}` : 0.5;
    const events: RunEvent[] = [
      { t: 'run', v: 1, id: uid, name: uid, experiment: 'bench', started: 1732240000 + r } as RunEvent,
      { t: 'params', values: params } as RunEvent,
    ];
    for (let s = 0; s < STEPS; s++) {
      const values: Record<string, number> = {};
      for (let m = 0; m < METRICS; m++) values[`m${m}`] = Math.sin(s * 0.1 + r + m);
      events.push({ t: 'metrics', step: s, time: 1732240000 + r + s, values } as RunEvent);
    }
    writer.apply({ runUid: uid, events }, { sourceId: 1 });
  }
  writer.finish();
  db.exec('COMMIT');
  return { store, uids };
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function time(fn: () => unknown): number {
  fn(); // warm-up
  const runs: number[] = [];
  for (let i = 0; i < REPEAT; i++) {
    const t0 = performance.now();
    fn();
    runs.push(performance.now() - t0);
  }
  return median(runs);
}

function line(name: string, value: number, reference: number, goal: string): void {
  console.log(`${name.padEnd(48)} ${`${value.toFixed(1)} ms`.padStart(10)}   reference ${`${reference.toFixed(1)} ms`.padStart(10)}   ratio ${(value / reference).toFixed(2).padStart(6)}   goal ${goal}`);
}

async function main(): Promise<void> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'exptrack-bench-multiroot-'));
  try {
    const all = Array.from({ length: RUNS }, (_, i) => i);
    const one = await storeWith(path.join(root, 'one'), all);
    const alpha = await storeWith(path.join(root, 'alpha'), all.filter((r) => r % 2 === 0));
    const beta = await storeWith(path.join(root, 'beta'), all.filter((r) => r % 2 === 1));
    // Keys in tick order, alternating folders: the merge has to interleave them.
    const order = all.map((r) => `${r % 2 === 0 ? 'alpha' : 'beta'}/run-${String(r).padStart(3, '0')}`);
    const parts = (): SnapshotPart[] => [
      { snapshot: alpha.store.compareRuns(alpha.uids), key: (uid) => `alpha/${uid}`, label: 'alpha' },
      { snapshot: beta.store.compareRuns(beta.uids), key: (uid) => `beta/${uid}`, label: 'beta' },
    ];

    const oneMs = time(() => one.store.compareRuns(one.uids));
    const fixed = parts();
    const mergeMs = time(() => mergeSnapshots(fixed, order, null));
    const twoMs = time(() => mergeSnapshots(parts(), order, null));
    const merged = mergeSnapshots(fixed, order, null);
    const single = one.store.compareRuns(one.uids);
    if (merged.runs.length !== RUNS || merged.params.length !== single.params.length || merged.metrics.length !== single.metrics.length) {
      throw new Error('the merged comparison does not hold what one store compares');
    }
    const differs = (s: typeof single) => s.params.filter((p) => p.differs).map((p) => p.key).join();
    if (differs(merged) !== differs(single)) throw new Error('the merged comparison finds other differing parameters');
    console.log(`${RUNS} runs × ${PARAMS} parameters × ${METRICS} metrics, in one folder or two of ${RUNS / 2}`);
    line('compare across two folders (both + merge)', twoMs, oneMs, 'ratio <= ~1: folders add little');
    line('merge alone (extension host thread)', mergeMs, oneMs, '<= 0.5 of one comparison');
    for (const s of [one, alpha, beta]) s.store.close();
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

void main();
