/**
 * Kill -9 during saves. A child process ingests and saves the index in a loop (on its main thread
 * as the CLI does, or in the store worker as the extension host does) while this process keeps
 * appending to run logs and the registry; the child is SIGKILLed at a random moment, half of the
 * time just after a save has started writing its temp file. After every kill the database file
 * must open (or be set aside and rebuilt; a save of changed pages killed once its journal was in
 * place is completed from it), and catching up from it must give exactly what the
 * writers wrote: runs, params, tags and every metric point. At the end a rebuild from nothing must
 * give the same. FAULTS_KILL_CYCLES changes the number of kills (default 100).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Store } from '../../src/core/store/store';
import { faultBundles, SQL_WASM } from './support/bundle';
import { firstDifference, pointCount, registryEventIds, snapshotOf } from './support/indexSnapshot';
import { firstLine, killHard, sleep, startNode } from './support/processes';
import { faultSeed, seededRng, WorkspaceWriter } from './support/workspaceWriter';

const CYCLES = Number(process.env.FAULTS_KILL_CYCLES ?? 100);
const TEMP_FILE = /^exptrack\.sqlite\..*\.tmp$/;
/** What a save writes first: its temp file (a whole-file write, or a journal being written) or its journal. */
const SAVE_STARTED = /^exptrack\.sqlite\.(.*\.tmp|journal)$/;

describe('faults: kill -9 during saves', function () {
  this.timeout(600_000);
  let root: string;
  beforeEach(() => (root = fs.mkdtempSync(path.join(os.tmpdir(), 'exptrack-faults-kill-'))));
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it(`the index opens after each of ${CYCLES} kills, and catching up gives exactly what was written`, async () => {
    const { saveLoop } = await faultBundles();
    const seed = faultSeed();
    const rng = seededRng(seed);
    const writer = new WorkspaceWriter(root, rng);
    const exptrackDir = path.join(root, '.exptrack');
    const dbFile = path.join(exptrackDir, 'exptrack.sqlite');

    // An index of a few MB, so that writing it takes long enough for kills to land inside saves.
    for (let i = 0; i < 8; i++) writer.startRun();
    for (let i = 0; i < 4000; i++) writer.appendMetrics(2);
    writer.completeLines();
    {
      const { store } = await Store.open({ workspaceRoot: root, wasmPath: SQL_WASM });
      store.ingest();
      store.save();
      store.close();
    }
    const startBytes = fs.statSync(dbFile).size;

    const figures = { cycles: 0, opened: 0, setAside: 0, midSave: 0, journalsLeft: 0, tempFilesLeft: 0, aimedAtSave: 0, reasons: new Set<string>(), waitMs: 0, verifyMs: 0 };
    const started = Date.now();
    const modeOf = (cycle: number) => (cycle % 2 === 0 ? 'direct' : 'worker');
    // The next child starts while what the last one left is checked: its saves are atomic renames,
    // so the check reads one whole file or the other, and no writer appends meanwhile.
    let next: ReturnType<typeof startNode> | undefined = startNode(saveLoop, [root, modeOf(0)]);
    try {
      for (let cycle = 0; cycle < CYCLES; cycle++) {
        const mode = modeOf(cycle);
        const aimAtSave = rng() < 0.5;
        const child = next!;
        const waiting = Date.now();
        // Writers go on appending while the child ingests and saves (a bounded number of times, so the
        // index grows by about the same amount per cycle however slow the machine is).
        let steps = 0;
        const writing = setInterval(() => steps++ < 60 && writer.step(), 8);
        try {
          const opened = JSON.parse(await firstLine(child, 30_000)) as { opened: string | null; reason: string | null };
          figures.waitMs += Date.now() - waiting;
          assert.ok(opened.opened === null, `cycle ${cycle}: the child found the index ${opened.opened} (${opened.reason})`);
          if (aimAtSave) {
            figures.aimedAtSave++;
            // The first, second or third save of this process that this test sees.
            for (let saves = 1 + Math.floor(rng() * 3); saves > 0; saves--) await tempFileAppears(exptrackDir, 5_000);
            // Somewhere inside the write: right away, or a few milliseconds on.
            if (rng() < 0.5) await sleep(rng() * 8);
          } else {
            await sleep(rng() * 250);
          }
        } finally {
          await killHard(child);
          clearInterval(writing);
        }
        writer.completeLines();
        figures.cycles++;

        const left = fs.readdirSync(exptrackDir).filter((f) => TEMP_FILE.test(f));
        if (left.length) figures.midSave++;
        // Killed while a save wrote changed pages, after its journal was in place: opening completes it.
        if (fs.existsSync(`${dbFile}.journal`)) figures.journalsLeft++;
        next = cycle + 1 < CYCLES ? startNode(saveLoop, [root, modeOf(cycle + 1)]) : undefined;
        const verifying = Date.now();
        const { store, info } = await Store.open({ workspaceRoot: root, wasmPath: SQL_WASM });
        try {
          if (info.fresh === null) figures.opened++;
          else if (info.fresh === 'set-aside') {
            figures.setAside++;
            figures.reasons.add(info.reason ?? '');
          } else assert.fail(`cycle ${cycle}: the index was ${info.fresh} after a kill (${info.reason})`);
          figures.tempFilesLeft = fs.readdirSync(exptrackDir).filter((f) => TEMP_FILE.test(f)).length;
          store.ingest();
          const expected = writer.expected();
          const actual = snapshotOf(store);
          const diff = firstDifference(actual, expected);
          assert.equal(diff, null, `cycle ${cycle} (${mode}, seed ${seed}): ${diff}`);
          assert.deepStrictEqual(actual, expected);
          const ids = registryEventIds(store);
          assert.equal(writer.registryEventIds.filter((id) => !ids.has(id)).length, 0, `cycle ${cycle}: registry events missing`);
          assert.deepEqual(store.problems(), []);
        } finally {
          store.close(); // not saved: the next child goes on from what the killed one left
        }
        figures.verifyMs += Date.now() - verifying;
      }
    } finally {
      if (next) await killHard(next);
    }

    // What the last killed process left, caught up, equals a rebuild from the sources alone.
    const { store: recovered } = await Store.open({ workspaceRoot: root, wasmPath: SQL_WASM });
    const { store: rebuilt } = await Store.open({ workspaceRoot: root, dbPath: null, wasmPath: SQL_WASM });
    try {
      recovered.ingest();
      rebuilt.ingest();
      const expected = writer.expected();
      const fromRebuild = snapshotOf(rebuilt);
      assert.deepStrictEqual(fromRebuild, expected);
      assert.deepStrictEqual(snapshotOf(recovered), fromRebuild);
      const pointsFound = pointCount(fromRebuild);
      const eventsFound = registryEventIds(rebuilt).size;
      assert.equal(pointsFound, writer.pointsWritten);
      assert.equal(eventsFound, writer.registryEventsWritten);
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      console.log(`faults: kill -9 during save: ${figures.cycles} cycles (${figures.aimedAtSave} aimed at a save, ${figures.midSave} killed mid-save with its temp file written, ${figures.journalsLeft} with its journal in place), `
        + `${figures.opened} opened, ${figures.setAside} set aside and rebuilt${figures.reasons.size ? ` (${[...figures.reasons].join('; ')})` : ''}, `
        + `${figures.tempFilesLeft} stale temp files after the last open; index ${(startBytes / 1e6).toFixed(1)}-${(fs.statSync(path.join(exptrackDir, 'exptrack.sqlite')).size / 1e6).toFixed(1)} MB; `
        + `${fromRebuild.runs.length} runs; points written ${writer.pointsWritten}, points found ${pointsFound}; `
        + `registry events written ${writer.registryEventsWritten}, events found ${eventsFound}; ${seconds} s `
        + `(per cycle: ${Math.round(figures.waitMs / figures.cycles)} ms waiting for the child to open the index, ${Math.round(figures.verifyMs / figures.cycles)} ms to open and check) (seed ${seed})`);
    } finally {
      recovered.close();
      rebuilt.close();
    }
  });
});

/** Resolves when a save's temp file or journal shows up in `dir` (or after `ms`, when none did). */
function tempFileAppears(dir: string, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const watcher = fs.watch(dir, (_event, name) => {
      if (name && SAVE_STARTED.test(name)) done(true);
    });
    const timer = setTimeout(() => done(false), ms);
    const done = (seen: boolean) => {
      clearTimeout(timer);
      watcher.close();
      resolve(seen);
    };
  });
}
