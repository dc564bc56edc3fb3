/**
 * Run directories deleted while the workspace is being read. Deterministically, through a reader
 * hook and a file-system hook: a run deleted while its own log is being read, one deleted after it
 * was listed but before it was looked at, one deleted between its stat and its open (new, and
 * already indexed). And for real: a big ingest in the store worker while this thread deletes run
 * folders at random. No crash, no error, every other run kept whole, and the next ingest leaves
 * exactly the runs that still exist, as a rebuild would.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { defaultReaders } from '../../src/core/ingest/readers';
import type { SourceReader } from '../../src/core/ingest/sourceReader';
import { Store } from '../../src/core/store/store';
import { StoreClient } from '../../src/core/store/storeClient';
import { faultBundles, SQL_WASM } from './support/bundle';
import { firstDifference, pointCount, snapshotOf, type IndexSnapshot } from './support/indexSnapshot';
import { sleep } from './support/processes';
import { faultSeed, seededRng, WorkspaceWriter } from './support/workspaceWriter';

/** What the writer wrote, less the runs whose folders are gone. */
function expectedWithout(writer: WorkspaceWriter, root: string): IndexSnapshot {
  return { runs: writer.expected().runs.filter((r) => fs.existsSync(path.join(root, '.exptrack', 'runs', r.uid))) };
}

describe('faults: run directories deleted while being read', function () {
  this.timeout(180_000);
  let root: string;
  beforeEach(() => (root = fs.mkdtempSync(path.join(os.tmpdir(), 'exptrack-faults-vanish-'))));
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  const runDir = (uid: string) => path.join(root, '.exptrack', 'runs', uid);

  it('during its own read, after listing, and between stat and open: no error, the rest kept', async () => {
    const writer = new WorkspaceWriter(root, seededRng(21));
    for (let i = 0; i < 12; i++) writer.startRun();
    for (let i = 0; i < 1200; i++) writer.appendMetrics(1);
    writer.completeLines();

    // Hooks: reading r0003 deletes its own folder (mid-read) and r0004's (listed, not yet looked at);
    // opening r0005's log finds it deleted just after its stat.
    const hooked = defaultReaders().map((r): SourceReader => (r.id.startsWith('events-jsonl') ? {
      ...r,
      read: (input) => {
        if (input.relPath.includes('/r0003/')) {
          fs.rmSync(runDir('r0003'), { recursive: true });
          fs.rmSync(runDir('r0004'), { recursive: true });
        }
        return r.read(input);
      },
    } : r));
    const fsModule = require('node:fs') as { openSync: (...a: unknown[]) => number };
    const realOpen = fsModule.openSync;
    const deleteBeforeOpen = new Set(['r0005']);
    fsModule.openSync = (file: unknown, ...rest: unknown[]) => {
      const uid = /runs\/(r\d+)\/events\.jsonl$/.exec(String(file))?.[1];
      if (uid && deleteBeforeOpen.delete(uid)) fs.rmSync(runDir(uid), { recursive: true });
      return realOpen(file, ...rest);
    };
    const { store } = await Store.open({ workspaceRoot: root, dbPath: null, wasmPath: SQL_WASM, readers: hooked });
    try {
      const first = store.ingest();
      assert.deepEqual(first.problems.filter((p) => p.severity === 'error'), [], 'errors for vanished runs');
      const uids = store.listRuns({ includeHidden: true }).map((r) => r.uid);
      assert.ok(uids.includes('r0003'), 'a run read to its end before its deletion is indexed until the next ingest');
      assert.ok(!uids.includes('r0004') && !uids.includes('r0005'));

      // Already indexed, grown (so it is opened again), then deleted between its stat and its open.
      deleteBeforeOpen.add('r0007');
      fs.appendFileSync(path.join(runDir('r0007'), 'events.jsonl'), '{"t":"tag","key":"k","value":"v"}\n');
      const second = store.ingest();
      assert.deepEqual(second.problems.filter((p) => p.severity === 'error'), []);
      const expected = expectedWithout(writer, root);
      const diff = firstDifference(snapshotOf(store), expected);
      assert.equal(diff, null, diff ?? '');
      assert.deepStrictEqual(snapshotOf(store), expected);
      console.log(`faults: runs deleted while read (hooks): deleted mid-read, after listing, between stat and open (new and indexed): `
        + `0 errors, ${first.problems.length + second.problems.length} messages; ${expected.runs.length} of 12 runs kept whole (${pointCount(expected)} points)`);
    } finally {
      fsModule.openSync = realOpen;
      store.close();
    }
  });

  it('during a big ingest in the store worker, folders deleted at random: no crash, no error, survivors exact', async () => {
    const { storeWorker } = await faultBundles();
    const seed = faultSeed();
    const rng = seededRng(seed);
    const writer = new WorkspaceWriter(root, rng);
    const RUNS = 150;
    for (let i = 0; i < RUNS; i++) writer.startRun();
    for (let i = 0; i < 40_000; i++) writer.appendMetrics(2);
    writer.completeLines();

    const { client } = await StoreClient.start({ workerPath: storeWorker, workspaceRoot: root, dbPath: null, wasmPath: SQL_WASM });
    try {
      let done = false;
      const t0 = Date.now();
      const ingest = client.call('ingest').finally(() => (done = true));
      const deleted: string[] = [];
      const candidates = writer.expected().runs.map((r) => r.uid);
      while (!done && deleted.length < RUNS / 3) {
        await sleep(2 + rng() * 20);
        if (done) break;
        const uid = candidates.splice(Math.floor(rng() * candidates.length), 1)[0]!;
        fs.rmSync(runDir(uid), { recursive: true, force: true });
        deleted.push(uid);
      }
      const report = await ingest;
      const seconds = (Date.now() - t0) / 1000;
      assert.ok(deleted.length >= 5, `only ${deleted.length} folders were deleted during the ingest (${seconds} s); make it bigger`);
      assert.deepEqual(report.problems.filter((p) => p.severity === 'error'), [], 'errors for vanished runs');
      const indexedDuring = (await client.call('listRuns', { includeHidden: true })).length;
      const after = await client.call('ingest');
      assert.deepEqual(after.problems, []);

      // The worker's index against the files left, run by run, point by point.
      const { store: rebuilt } = await Store.open({ workspaceRoot: root, dbPath: null, wasmPath: SQL_WASM });
      try {
        rebuilt.ingest();
        const expected = expectedWithout(writer, root);
        assert.deepStrictEqual(snapshotOf(rebuilt), expected);
        const survivors = await client.call('listRuns', { includeHidden: true });
        assert.deepEqual(survivors.map((r) => r.uid).sort(), expected.runs.map((r) => r.uid));
        for (const run of expected.runs.filter(() => rng() < 0.2)) {
          for (const [key, points] of Object.entries(run.metrics)) {
            assert.deepStrictEqual((await client.call('metricPoints', run.uid, key)).map((p) => [p.step, p.time, p.value]), points);
          }
        }
        console.log(`faults: runs deleted during a ${seconds.toFixed(1)} s ingest in the worker: ${deleted.length} of ${RUNS} folders deleted, `
          + `0 errors, ${report.problems.length} messages, ${indexedDuring} runs indexed by that ingest; next ingest: ${survivors.length} runs, `
          + `equal to a rebuild (${pointCount(expected)} points) (seed ${seed})`);
      } finally {
        rebuilt.close();
      }
    } finally {
      await client.close();
    }
  });
});
