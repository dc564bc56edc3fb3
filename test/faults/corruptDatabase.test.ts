/**
 * A corrupt or truncated database file: emptied, cut short, overwritten with garbage, pages zeroed
 * (what a crash without fsync can leave on some file systems), bytes flipped at random, another
 * program's SQLite file, a newer schema, a folder in its place. Each time the store opens without
 * throwing, says why it starts afresh, keeps the damaged file aside (never deletes it), and the
 * rebuild from the sources is exactly what the writers wrote. Through the store worker and the
 * CLI too. FAULTS_CORRUPT_FLIPS sets how many random-damage variants run (default 40).
 */
import * as assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Store } from '../../src/core/store/store';
import { StoreClient } from '../../src/core/store/storeClient';
import { faultBundles, SQL_WASM } from './support/bundle';
import { firstDifference, pointCount, snapshotOf } from './support/indexSnapshot';
import { exited, startNode } from './support/processes';
import { seededRng, WorkspaceWriter } from './support/workspaceWriter';

const FLIPS = Number(process.env.FAULTS_CORRUPT_FLIPS ?? 40);

describe('faults: corrupt or truncated database file', function () {
  this.timeout(300_000);
  let root: string;
  let writer: WorkspaceWriter;
  let dbFile: string;
  let good: Buffer;

  before(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'exptrack-faults-corrupt-'));
    writer = new WorkspaceWriter(root, seededRng(3));
    for (let i = 0; i < 4; i++) writer.startRun();
    for (let i = 0; i < 800; i++) writer.appendMetrics(2);
    for (let i = 0; i < 20; i++) writer.appendRegistryTag();
    writer.completeLines();
    dbFile = path.join(root, '.exptrack', 'exptrack.sqlite');
    const { store } = await Store.open({ workspaceRoot: root, wasmPath: SQL_WASM });
    store.ingest();
    store.save();
    store.close();
    good = fs.readFileSync(dbFile);
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  /** Puts the damaged file in place of the index and removes what earlier variants set aside. */
  function place(damage: Buffer | 'folder'): void {
    const dir = path.dirname(dbFile);
    for (const f of fs.readdirSync(dir)) if (f.startsWith('exptrack.sqlite')) fs.rmSync(path.join(dir, f), { recursive: true });
    if (damage === 'folder') fs.mkdirSync(path.join(dbFile, 'inside'), { recursive: true });
    else fs.writeFileSync(dbFile, damage);
  }

  const pageSize = () => good.readUInt16BE(16);
  const rng = seededRng(99);
  const flipped = () => {
    const bad = Buffer.from(good);
    for (let n = 1 + Math.floor(rng() * 8); n > 0; n--) bad[Math.floor(rng() * bad.length)] = Math.floor(rng() * 256);
    return bad;
  };
  const variants: { name: string; make: () => Buffer | 'folder' }[] = [
    { name: 'empty', make: () => Buffer.alloc(0) },
    { name: 'cut to 50 bytes', make: () => good.subarray(0, 50) },
    { name: 'cut to one page', make: () => good.subarray(0, pageSize()) },
    { name: 'cut in half', make: () => good.subarray(0, Math.floor(good.length / 2)) },
    { name: 'cut by one byte', make: () => good.subarray(0, good.length - 1) },
    { name: 'garbage', make: () => Buffer.from(Array.from({ length: good.length }, () => Math.floor(rng() * 256))) },
    { name: 'text file', make: () => Buffer.from('not a database\n'.repeat(1000)) },
    { name: 'pages after the first zeroed', make: () => Buffer.concat([good.subarray(0, pageSize()), Buffer.alloc(good.length - pageSize())]) },
    { name: 'last page zeroed', make: () => Buffer.concat([good.subarray(0, good.length - pageSize()), Buffer.alloc(pageSize())]) },
    { name: 'header zeroed', make: () => Buffer.concat([Buffer.alloc(100), good.subarray(100)]) },
    { name: 'another program\'s SQLite file', make: foreignSqlite },
    { name: 'a newer schema', make: () => withUserVersion(good, 99) },
    { name: 'a folder in its place', make: () => 'folder' },
    ...Array.from({ length: FLIPS }, (_, i) => ({ name: `random bytes changed #${i + 1}`, make: flipped })),
  ];

  it(`opens, sets the file aside and rebuilds exactly, for ${variants.length} kinds of damage`, async () => {
    const outcomes = new Map<string, number>();
    let points = 0;
    for (const v of variants) {
      place(v.make());
      let opened;
      try {
        opened = await Store.open({ workspaceRoot: root, wasmPath: SQL_WASM });
      } catch (e) {
        assert.fail(`${v.name}: opening threw ${(e as Error).stack}`);
      }
      const { store, info } = opened;
      try {
        assert.ok(info.fresh === 'set-aside' || info.fresh === 'outdated', `${v.name}: opened as ${info.fresh}`);
        assert.ok(info.reason && info.reason.length > 5, `${v.name}: no reason given`);
        if (info.fresh === 'set-aside') {
          assert.ok(info.setAsidePath && fs.existsSync(info.setAsidePath), `${v.name}: the damaged file was not kept aside`);
          assert.match(path.basename(info.setAsidePath), /^exptrack\.sqlite\.unreadable-\d+$/);
        }
        outcomes.set(`${info.fresh}: ${shorten(info.reason!)}`, (outcomes.get(`${info.fresh}: ${shorten(info.reason!)}`) ?? 0) + 1);
        store.ingest();
        const snapshot = snapshotOf(store);
        const diff = firstDifference(snapshot, writer.expected());
        assert.equal(diff, null, `${v.name}: ${diff}`);
        assert.deepStrictEqual(snapshot, writer.expected());
        points = pointCount(snapshot);
        assert.ok(store.save() > 0);
      } finally {
        store.close();
      }
      const { store: again, info: reopened } = await Store.open({ workspaceRoot: root, wasmPath: SQL_WASM });
      again.close();
      assert.equal(reopened.fresh, null, `${v.name}: the rebuilt index did not open cleanly (${reopened.reason})`);
    }
    const setAside = [...outcomes].filter(([k]) => k.startsWith('set-aside')).reduce((n, [, c]) => n + c, 0);
    console.log(`faults: corrupt database: ${variants.length} damaged files, ${variants.length} opened without a crash `
      + `(${setAside} set aside, ${variants.length - setAside} rebuilt as outdated), every rebuild equal to the sources (${points} points); `
      + `reasons: ${[...outcomes].map(([k, n]) => `${n}× ${k}`).join('; ')}`);
  });

  it('a file saved before checksums (application_id 0) still opens as it is', async () => {
    place(withApplicationId(good, 0));
    const { store, info } = await Store.open({ workspaceRoot: root, wasmPath: SQL_WASM });
    try {
      assert.equal(info.fresh, null, info.reason);
      assert.deepStrictEqual(snapshotOf(store), writer.expected());
    } finally {
      store.close();
    }
  });

  it('the store worker and the CLI say so and go on', async () => {
    const { storeWorker, cli } = await faultBundles();
    place(good.subarray(0, Math.floor(good.length / 3)));
    const { client, info } = await StoreClient.start({ workerPath: storeWorker, workspaceRoot: root, dbPath: undefined, wasmPath: SQL_WASM, saveDelayMs: 10 });
    try {
      assert.equal(info.fresh, 'set-aside');
      assert.ok(info.setAsidePath && fs.existsSync(info.setAsidePath));
      await client.call('ingest');
      assert.equal((await client.call('listRuns', { includeHidden: true })).length, writer.expected().runs.length);
    } finally {
      await client.close();
    }
    place(Buffer.from('garbage'.repeat(100)));
    const run = startNode(cli, ['--workspace', root, 'runs', '--json'], root);
    assert.equal(await exited(run), 0, run.output());
    assert.equal((JSON.parse(run.output().slice(run.output().indexOf('['))) as unknown[]).length, writer.expected().runs.length);
    console.log(`faults: corrupt database through the worker: opened as set-aside ("${info.reason}"), ${writer.expected().runs.length} runs rebuilt; CLI runs exit 0`);
  });
});

function shorten(reason: string): string {
  return reason.replace(/\d{5,}/g, 'N').slice(0, 80);
}

function withUserVersion(bytes: Buffer, version: number): Buffer {
  const copy = Buffer.from(bytes);
  copy.writeUInt32BE(version, 60);
  copy.writeUInt32BE(0, 68); // as another writer would leave it: no checksum
  return copy;
}

function withApplicationId(bytes: Buffer, id: number): Buffer {
  const copy = Buffer.from(bytes);
  copy.writeUInt32BE(id, 68);
  return copy;
}

/** A SQLite file another program made, with a `runs` table of its own. */
function foreignSqlite(): Buffer {
  const file = path.join(os.tmpdir(), `exptrack-faults-foreign-${process.pid}.sqlite`);
  fs.rmSync(file, { force: true });
  const db = new Database(file);
  db.exec("CREATE TABLE runs (name TEXT); INSERT INTO runs VALUES ('theirs')");
  db.close();
  const bytes = fs.readFileSync(file);
  fs.rmSync(file, { force: true });
  return bytes;
}
