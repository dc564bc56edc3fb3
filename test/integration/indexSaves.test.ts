// Saves of the run index inside the real extension host: once the index file exists, the store
// worker writes only the pages a live run changed, into the same file (a whole-file write would
// rename a new file into place), leaves no journal behind, and the file read on its own holds the
// new points.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { loadSqlJs } from '../../src/core/store/database';
import { verifyChecksum } from '../../src/core/store/indexChecksum';
import { readIndexFile } from '../../src/core/store/journalReplay';
import { journalPathOf } from '../../src/core/store/pageJournal';
import { api, root, waitFor } from './support';

const RUNS = 40;
const runFile = (n: number) => path.join(root(), '.exptrack', 'runs', `index-saves-${n}`, 'events.jsonl');
const metricsLine = (step: number) => JSON.stringify({ t: 'metrics', step, time: 1732240001 + step, values: Object.fromEntries(Array.from({ length: 10 }, (_, k) => [`m${k}`, step / (k + 1)])) });

describe('Saving the run index (extension host)', function () {
  this.timeout(60_000);

  after(async () => {
    for (let n = 0; n < RUNS; n++) fs.rmSync(path.dirname(runFile(n)), { recursive: true, force: true });
    await (await api()).runIndex()!.ingestSoon(Array.from({ length: RUNS }, (_, n) => path.dirname(runFile(n))));
  });

  it('writes the pages a live run changed into the index file in place; the file alone holds the new points', async () => {
    const a = await api();
    const index = a.runIndex()!;
    const dbPath = index.dbPath!;
    const wasm = path.join(vscode.extensions.getExtension('exptrack.exptrack')!.extensionPath, 'dist', 'sql-wasm.wasm');
    const SQL = await loadSqlJs(wasm);
    /** Points of the live run in the index file as read from disk (journal included), without the worker. */
    const pointsInFile = (): number | undefined => {
      if (!fs.existsSync(dbPath)) return undefined;
      const { bytes } = readIndexFile(dbPath, () => true);
      verifyChecksum(bytes);
      const db = new SQL.Database(bytes);
      try {
        const row = db.exec("SELECT s.count FROM metric_summary s JOIN runs r ON r.id = s.run_id WHERE r.uid = 'index-saves-0' AND s.key = 'm0'")[0]?.values[0];
        return row === undefined ? undefined : Number(row[0]);
      } finally {
        db.close();
      }
    };

    // Runs with ten metrics each: an index of many pages, of which a few more points change a few.
    for (let n = 0; n < RUNS; n++) {
      fs.mkdirSync(path.dirname(runFile(n)), { recursive: true });
      fs.writeFileSync(runFile(n), [JSON.stringify({ t: 'run', v: 1, id: `index-saves-${n}`, name: `index saves ${n}`, started: 1732240000 }),
        ...Array.from({ length: 5 }, (_, s) => metricsLine(s))].join('\n') + '\n');
    }
    await index.ingestSoon(Array.from({ length: RUNS }, (_, n) => runFile(n)));
    await waitFor('the index file to hold the runs', () => (pointsInFile() === 5 ? true : undefined));
    const before = fs.statSync(dbPath);

    for (const step of [5, 15]) {
      fs.appendFileSync(runFile(0), Array.from({ length: 10 }, (_, i) => metricsLine(step + i)).join('\n') + '\n');
      await index.ingestSoon([runFile(0)]);
      await waitFor(`the index file to hold step ${step + 9}`, () => (pointsInFile() === step + 10 ? true : undefined));
    }
    const after = fs.statSync(dbPath);
    assert.strictEqual(after.ino, before.ino, 'the index file was replaced (a whole-file write), not written in place');
    assert.ok(after.mtimeMs > before.mtimeMs);
    await waitFor('the journal to be removed', () => (fs.existsSync(journalPathOf(dbPath)) ? undefined : true), 5_000);
    console.log(`      index ${(after.size / 1024).toFixed(0)} kB written in place twice (inode ${after.ino} kept), no journal left`);
  });
});
