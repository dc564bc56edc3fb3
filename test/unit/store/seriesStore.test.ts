import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import type { Database } from 'sql.js';
import { CHUNK_POINTS, decodeChunk, encodeChunk } from '../../../src/core/store/seriesChunks';
import { seriesDirOf } from '../../../src/core/store/seriesFiles';
import { Store } from '../../../src/core/store/store';

function writeLines(file: string, lines: object[], append = false): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const text = lines.map((l) => JSON.stringify(l)).join('\n') + '\n';
  if (append) fs.appendFileSync(file, text);
  else fs.writeFileSync(file, text);
}

const eventsOf = (root: string, id: string) => path.join(root, '.exptrack', 'runs', id, 'events.jsonl');

/** A value that exercises the encoding: curves, NaN and ±Infinity, -0, integers, tiny and huge numbers. */
function valueAt(r: number, s: number, m: number): number | string {
  if (s % 97 === 13) return ['NaN', 'Infinity', '-Infinity'][(s + m) % 3]!;
  if (s % 89 === 7) return [-0, 0, 1e308, 5e-324, -123456789][(s + r) % 5]!;
  return Math.exp(-s / 3000) * (m + 1) + 0.01 * Math.sin(s * 0.37 + r);
}

/** Runs of different lengths: several chunks, a partial chunk, one point, steps out of order and repeated, no steps. */
function writeWorkspace(root: string): void {
  const lengths = [CHUNK_POINTS * 2 + 123, 1, 500, 7000];
  lengths.forEach((steps, r) => {
    const id = `r${r}`;
    const lines: object[] = [{ t: 'run', v: 1, id, name: id, experiment: 'e', started: 1732240000 + r }];
    for (let s = 0; s < steps; s++) {
      const step = r === 3 && s % 50 === 0 ? s - 7 : s; // drops and repeats
      const event: Record<string, unknown> = { t: 'metrics', time: 1732240000 + s * 0.25, values: { loss: valueAt(r, s, 0), acc: valueAt(r, s, 1) } };
      if (!(r === 2 && s % 5 === 0)) event.step = step; // some points without a step
      lines.push(event);
    }
    lines.push({ t: 'end', status: 'finished', exit: 0, ended: 1732250000 });
    writeLines(eventsOf(root, id), lines);
  });
}

/** Every row of the tables other than the point chunks, as text, table by table. */
function tableRows(db: Database): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const table of ['experiments', 'runs', 'params', 'metric_summary', 'tags', 'artifacts', 'datasets', 'dataset_use', 'model_versions', 'sources', 'problems', 'registry_events']) {
    out[table] = (db.exec(`SELECT * FROM ${table} ORDER BY 1, 2`)[0]?.values ?? []).map((r) => JSON.stringify(r));
  }
  return out;
}

/** Every series of every run, point by point (NaN equals NaN in deepStrictEqual). */
function allSeries(store: Store): Record<string, [number | null, number | null, number][]> {
  const out: Record<string, [number | null, number | null, number][]> = {};
  for (const run of store.listRuns({ includeHidden: true })) {
    for (const m of store.getRun(run.uid)!.metrics) out[`${run.uid}/${m.key}`] = store.metricPoints(run.uid, m.key).map((p) => [p.step, p.time, p.value]);
  }
  return out;
}

function chunkCount(store: Store, where = ''): number {
  return Number(store.database.exec(`SELECT count(*) FROM metric_chunks ${where}`)[0]!.values[0]![0]);
}

describe('store/seriesStore: points beside the index', function () {
  this.timeout(60_000);
  let root: string;
  let dbPath: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'exptrack-series-'));
    dbPath = path.join(root, 'elsewhere', 'index.sqlite');
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('encodes chunks bit for bit: NaN, ±Infinity, -0 and any double', () => {
    fc.assert(fc.property(fc.array(fc.tuple(fc.double(), fc.double(), fc.double()), { minLength: 1, maxLength: 300 }), (points) => {
      const steps = points.map((p) => p[0]);
      const times = points.map((p) => p[1]);
      const values = points.map((p) => p[2]);
      const back = decodeChunk(encodeChunk(steps, times, values), points.length);
      assert.deepStrictEqual([[...back.steps], [...back.times], [...back.values]], [steps, times, values]);
    }), { numRuns: 300 });
    const bytes = encodeChunk([1, 2], [3, 4], [5, 6]);
    bytes[bytes.length - 1] ^= 0xff;
    assert.throws(() => decodeChunk(bytes, 2), /damaged/);
  });

  it('keeps points in files beside the index (from the database path), and a rebuild gives identical rows and series', async () => {
    writeWorkspace(root);
    const built = await Store.open({ workspaceRoot: root, dbPath });
    built.store.ingest();
    const saved = built.store.save();
    const series = allSeries(built.store);
    const rowsBefore = tableRows(built.store.database);
    const compared = built.store.compareRuns(['r0', 'r1', 'r2', 'r3'], 4000);
    const charts = built.store.metricSeries(['r0', 'r3'], ['loss', 'acc'], 400);
    built.store.close();

    const files = fs.readdirSync(seriesDirOf(dbPath));
    assert.equal(files.length, 1, 'one series file for one session');
    const pointCount = Object.values(series).reduce((n, s) => n + s.length, 0);
    assert.equal(pointCount, 2 * (CHUNK_POINTS * 2 + 123 + 1 + 500 + 7000));
    // The index holds no points (its ~40 pages are tables and indexes), the series file holds them.
    assert.ok(saved < 64 * 4096, `index of ${saved} bytes`);
    assert.ok(fs.statSync(path.join(seriesDirOf(dbPath), files[0]!)).size > pointCount, 'the points are in the series file');

    const reopened = await Store.open({ workspaceRoot: root, dbPath });
    assert.equal(reopened.info.fresh, null);
    assert.equal(reopened.store.ingest().sourcesRead, 0);
    assert.deepStrictEqual(allSeries(reopened.store), series);
    assert.equal(chunkCount(reopened.store, 'WHERE file_id IS NULL'), 0, 'every chunk of these finished runs is in the file');
    reopened.store.close();

    fs.rmSync(dbPath);
    fs.rmSync(seriesDirOf(dbPath), { recursive: true });
    const rebuilt = await Store.open({ workspaceRoot: root, dbPath });
    rebuilt.store.ingest();
    assert.deepStrictEqual(tableRows(rebuilt.store.database), rowsBefore);
    assert.deepStrictEqual(allSeries(rebuilt.store), series);
    assert.deepStrictEqual(rebuilt.store.compareRuns(['r0', 'r1', 'r2', 'r3'], 4000), compared);
    assert.deepStrictEqual(rebuilt.store.metricSeries(['r0', 'r3'], ['loss', 'acc'], 400), charts);
    rebuilt.store.close();
  });

  it('in memory (no database path) keeps working', async () => {
    writeWorkspace(root);
    const mem = await Store.open({ workspaceRoot: root, dbPath: null });
    mem.store.ingest();
    assert.equal(mem.store.save(), 0);
    const onDisk = await Store.open({ workspaceRoot: root, dbPath });
    onDisk.store.ingest();
    onDisk.store.save();
    assert.deepStrictEqual(allSeries(mem.store), allSeries(onDisk.store));
    mem.store.close();
    onDisk.store.close();
  });

  it('a live run logging a point at a time grows its last chunk in the index, and writes it out once full or ended', async () => {
    const file = eventsOf(root, 'live');
    writeLines(file, [{ t: 'run', v: 1, id: 'live', name: 'live', started: 1732240000 }]);
    const { store } = await Store.open({ workspaceRoot: root, dbPath });
    let step = 0;
    const expected: [number, number, number][] = [];
    const log = (n: number) => {
      const lines = [];
      for (let i = 0; i < n; i++, step++) {
        lines.push({ t: 'metrics', step, time: 1732240000 + step, values: { loss: 1 / (step + 1) } });
        expected.push([step, 1732240000 + step, 1 / (step + 1)]);
      }
      writeLines(file, lines, true);
      store.ingest([file]);
      store.save();
    };
    for (let i = 0; i < 30; i++) log(3);
    assert.equal(chunkCount(store), 1, 'one chunk, grown in place');
    assert.equal(chunkCount(store, 'WHERE file_id IS NULL'), 1, 'the tail of a live run stays in the index');
    log(CHUNK_POINTS);
    assert.equal(chunkCount(store), 2);
    assert.equal(chunkCount(store, 'WHERE file_id IS NULL'), 1, 'the full chunk went to the file, the new tail did not');
    writeLines(file, [{ t: 'end', status: 'finished', ended: 1732250000 }], true);
    store.ingest([file]);
    store.save();
    assert.equal(chunkCount(store, 'WHERE file_id IS NULL'), 0, 'an ended run has everything in the file');
    assert.deepStrictEqual(store.metricPoints('live', 'loss').map((p) => [p.step, p.time, p.value]), expected);
    store.close();
    const again = await Store.open({ workspaceRoot: root, dbPath });
    assert.deepStrictEqual(again.store.metricPoints('live', 'loss').map((p) => [p.step, p.time, p.value]), expected);
    again.store.close();
  });

  it('a save writes the new chunks, not the old ones again', async () => {
    writeWorkspace(root);
    const { store } = await Store.open({ workspaceRoot: root, dbPath });
    store.ingest();
    store.save();
    const dir = seriesDirOf(dbPath);
    const [file] = fs.readdirSync(dir);
    const before = fs.statSync(path.join(dir, file!)).size;
    writeLines(eventsOf(root, 'more'), [
      { t: 'run', v: 1, id: 'more', started: 1732240000 },
      ...Array.from({ length: 100 }, (_, s) => ({ t: 'metrics', step: s, values: { loss: s } })),
      { t: 'end', status: 'finished', ended: 1732240100 },
    ]);
    store.ingest();
    store.save();
    const grown = fs.statSync(path.join(dir, file!)).size - before;
    assert.ok(grown > 0 && grown < 2000, `the series file grew by ${grown} bytes for 100 points`);
    store.close();
  });

  it('a zoom reads the points of a step range at full resolution, from the chunks that meet it', async () => {
    writeWorkspace(root);
    const { store } = await Store.open({ workspaceRoot: root, dbPath });
    store.ingest();
    store.save();
    const all = store.metricPoints('r0', 'loss').filter((p) => Number.isFinite(p.value));
    const inRange = all.filter((p) => p.step! >= 5000 && p.step! <= 5999);
    const zoom = store.metricSeriesInRange('r0', 'loss', { from: 5000, to: 5999 }, 2000)!;
    assert.equal(zoom.total, 1000);
    // Every point of the range, and the nearest point on each side, so the line enters and leaves the view.
    const before = all.filter((p) => p.step! < 5000).at(-1)!;
    const after = all.find((p) => p.step! > 5999)!;
    assert.deepEqual([...zoom.steps], [before, ...inRange, after].map((p) => p.step));
    assert.deepEqual([...zoom.values], [before, ...inRange, after].map((p) => p.value));
    const lastStep = all.at(-1)!.step!;
    const coarse = store.metricSeriesInRange('r0', 'loss', { from: 0, to: lastStep }, 2000)!;
    assert.deepStrictEqual(coarse, store.metricSeries(['r0'], ['loss'], 2000)[0]);
    const beyond = store.metricSeriesInRange('r0', 'loss', { from: 1e6, to: 2e6 })!;
    assert.equal(beyond.total, 0, 'no point in a range past the end');
    assert.deepEqual([...beyond.steps], [lastStep], 'only the last point, leading the line out');
    // Chunks are in step order here: the range meets one of the three.
    const met = store.database.exec(
      "SELECT count(*) FROM metric_chunks c JOIN runs r ON r.id = c.run_id WHERE r.uid = 'r0' AND key = 'loss' AND max_step >= 5000 AND min_step <= 5999",
    )[0]!.values[0]![0];
    assert.equal(met, 1);
    store.close();
  });

  it('repairs what a crash leaves: stray bytes and files of dead writers; a missing or cut series file rebuilds the index', async () => {
    writeWorkspace(root);
    const built = await Store.open({ workspaceRoot: root, dbPath });
    built.store.ingest();
    built.store.save();
    const series = allSeries(built.store);
    built.store.close();
    const dir = seriesDirOf(dbPath);
    const [file] = fs.readdirSync(dir);
    // A writer killed after writing chunks, before saving the index that would name them.
    fs.appendFileSync(path.join(dir, file!), Buffer.alloc(1000, 7));
    const orphan = path.join(dir, '999999999-0-abcdef.chunks');
    fs.writeFileSync(orphan, Buffer.alloc(500, 1));
    const opened = await Store.open({ workspaceRoot: root, dbPath });
    assert.equal(opened.info.fresh, null);
    assert.equal(fs.existsSync(orphan), false, 'the file of a dead writer no index names is removed');
    assert.deepStrictEqual(allSeries(opened.store), series);
    opened.store.close();

    fs.truncateSync(path.join(dir, file!), 100);
    const cut = await Store.open({ workspaceRoot: root, dbPath });
    assert.equal(cut.info.fresh, 'outdated');
    assert.match(cut.info.reason!, /shorter than the index says/);
    cut.store.ingest();
    assert.deepStrictEqual(allSeries(cut.store), series);
    cut.store.save();
    cut.store.close();

    fs.rmSync(dir, { recursive: true });
    const gone = await Store.open({ workspaceRoot: root, dbPath });
    assert.equal(gone.info.fresh, 'outdated');
    assert.match(gone.info.reason!, /missing/);
    gone.store.ingest();
    assert.deepStrictEqual(allSeries(gone.store), series);
    gone.store.close();
  });
});
