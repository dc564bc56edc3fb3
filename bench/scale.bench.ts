/**
 * P8 (issue: scale). Two workspaces of native events.jsonl logs, generated as a stream:
 *   A  many runs:  10,000 runs × 10 metrics × 1,000 steps  (100M points)
 *   B  long runs:     100 runs × 10 metrics × 100,000 steps (100M points), plus one run whose
 *      `loss` has 1M steps (the series of the chart and zoom queries).
 * By default runs of the same shapes, fewer and shorter (200 × 10 × 1,000 and 10 × 10 × 10,000, a
 * 100,000-step series), which runs in CI-like time; `--full` (or P8_FULL=1 under `npm run bench`) is the real size.
 * Printed, each beside a reference measured in the same run (or the goal where none exists):
 *   ingest per point              vs P1's workspace (100 runs × 10 × 1,000) ingested by the same store
 *   worker process RSS after open vs the same process before the worker started, goal 300 MB
 *   list every run of A           goal 300 ms
 *   chart query on the long series (cold, through the worker)  vs decoding its points alone, goal 150 ms
 *   zoom query on 10,000 steps of it (full resolution)          vs the chart query, goal 50 ms
 *   a save after 10 new points (bytes, time) vs a whole-file write of the same index
 *   opening the index (with its journal check)              vs the steps of an open without it
 * plus the index file's size, save time, the series files' size, for A and B.
 * Run: npx tsx bench/scale.bench.ts [--full] [--keep DIR] [--runs N] [--steps N]  (A's shape: e.g. --runs 10000 --steps 20
 * gives the index of 10,000 runs without generating 100M points)
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadSqlJs, openDatabase, saveDatabase } from '../src/core/store/database';
import { verifyChecksum } from '../src/core/store/indexChecksum';
import { readIndexFile } from '../src/core/store/journalReplay';
import { Store } from '../src/core/store/store';
import { seriesDirOf } from '../src/core/store/seriesFiles';

const FULL = process.argv.includes('--full') || process.env.P8_FULL === '1';
const METRICS = 10;
const argNumber = (flag: string): number | undefined => (process.argv.includes(flag) ? Number(process.argv[process.argv.indexOf(flag) + 1]) : undefined);
const A = FULL ? { runs: 10_000, steps: 1000 } : { runs: 200, steps: 1000 };
A.runs = argNumber('--runs') ?? A.runs;
A.steps = argNumber('--steps') ?? A.steps;
const B = FULL ? { runs: 100, steps: 100_000 } : { runs: 10, steps: 10_000 };
const LONG_STEPS = FULL ? 1_000_000 : 100_000;

const bundledWorker = path.join(__dirname, '../dist/storeWorker.js');
const workerPath = fs.existsSync(bundledWorker) ? bundledWorker : path.join(__dirname, '../test/unit/helpers/storeWorkerFromSource.cjs');

/** Writes one run's log line by line through a buffered stream of 4 MB writes, never the whole file in memory. */
function writeRun(root: string, id: string, experiment: string, keys: number, steps: number, seed: number): void {
  const dir = path.join(root, '.exptrack', 'runs', id);
  fs.mkdirSync(dir, { recursive: true });
  const fd = fs.openSync(path.join(dir, 'events.jsonl'), 'w');
  let buf = '';
  const flush = () => {
    fs.writeSync(fd, buf);
    buf = '';
  };
  buf += JSON.stringify({ t: 'run', v: 1, id, name: id, experiment, started: 1732240000 + seed }) + '\n';
  buf += JSON.stringify({ t: 'params', values: { lr: 0.001 * ((seed % 10) + 1), batch: 32 << (seed % 3), seed } }) + '\n';
  const names = keys === 1 ? ['loss'] : Array.from({ length: keys }, (_, m) => (m === 0 ? 'loss' : `metric_${m}`));
  for (let s = 0; s < steps; s++) {
    let values = '';
    for (let m = 0; m < keys; m++) {
      const v = Math.exp(-s / (steps / 3)) * (m + 1) + 0.01 * Math.sin(s * 0.37 + seed) + (s % 9973 === 0 ? 1 : 0);
      values += `${m ? ',' : ''}"${names[m]}":${v}`;
    }
    buf += `{"t":"metrics","step":${s},"time":${1732240000 + seed + s * 0.1},"values":{${values}}}\n`;
    if (buf.length > 4_000_000) flush();
  }
  buf += JSON.stringify({ t: 'end', status: 'finished', exit: 0, ended: 1732240000 + seed + steps }) + '\n';
  flush();
  fs.closeSync(fd);
}

function ms(t0: number): number {
  return performance.now() - t0;
}

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
}

function line(name: string, value: string, reference: string, ratio: number, goal: string): void {
  console.log(`${name.padEnd(48)} ${value.padStart(12)}   reference ${reference.padStart(12)}   ratio ${ratio.toFixed(2).padStart(6)}   goal ${goal}`);
}

function dirBytes(dir: string): number {
  let n = 0;
  for (const f of fs.readdirSync(dir)) n += fs.statSync(path.join(dir, f)).size;
  return n;
}

/** Ingest + save in this process; ns per point. */
async function ingest(root: string, label: string) {
  const dbPath = path.join(root, '.exptrack', 'exptrack.sqlite');
  const { store } = await Store.open({ workspaceRoot: root, dbPath });
  const t0 = performance.now();
  const report = store.ingest();
  const ingestMs = ms(t0);
  const t1 = performance.now();
  store.save();
  const saveMs = ms(t1);
  // Then a live run logs 10 more steps, five times: what each save costs while training goes on
  // (medians), beside the same index written whole right after each (as every save did before).
  const seriesDir = seriesDirOf(dbPath);
  const seriesBefore = dirBytes(seriesDir);
  const live = path.join(root, '.exptrack', 'runs', fs.readdirSync(path.join(root, '.exptrack', 'runs')).sort()[0]!, 'events.jsonl');
  // The index file alone (saveDatabase), saved by changed pages into one copy and whole into another.
  const wholePath = path.join(root, 'whole.sqlite');
  const deltaPath = path.join(root, 'delta.sqlite');
  let deltaImage = saveDatabase(store.database, deltaPath).image;
  const small = { storeMs: [] as number[], bytes: [] as number[], ms: [] as number[], wholeBytes: [] as number[], wholeMs: [] as number[] };
  for (let round = 0; round < 5; round++) {
    fs.appendFileSync(live, Array.from({ length: 10 }, (_, i) => `{"t":"metrics","step":${1e7 + round * 10 + i},"values":{"loss":${i}}}\n`).join(''));
    store.ingest([live]);
    const t2 = performance.now();
    small.bytes.push(store.save());
    small.storeMs.push(ms(t2));
    const t3 = performance.now();
    const delta = saveDatabase(store.database, deltaPath, deltaImage);
    small.ms.push(ms(t3));
    deltaImage = delta.image;
    const t4 = performance.now();
    small.wholeBytes.push(saveDatabase(store.database, wholePath).written);
    small.wholeMs.push(ms(t4));
  }
  fs.rmSync(wholePath);
  fs.rmSync(deltaPath);
  const smallSaveBytes = median(small.bytes);
  const smallSaveMs = median(small.storeMs);
  const save = { bytes: smallSaveBytes, ms: median(small.ms), wholeBytes: median(small.wholeBytes), wholeMs: median(small.wholeMs) };
  store.close();
  const indexBytes = fs.statSync(dbPath).size;
  const seriesBytes = dirBytes(seriesDir);
  console.log(`   ${label}: ${(report.points / 1e6).toFixed(1)}M points ingested in ${(ingestMs / 1000).toFixed(1)} s, first save ${saveMs.toFixed(0)} ms; `
    + `index ${(indexBytes / 1e6).toFixed(1)} MB, series files ${(seriesBytes / 1e6).toFixed(0)} MB (${(seriesBytes / report.points).toFixed(2)} bytes/point); `
    + `a save after 10 new points (median of 5, series files included): ${smallSaveMs.toFixed(0)} ms, index ${(smallSaveBytes / 1e3).toFixed(0)} kB + ${(seriesBytes - seriesBefore) / 5} series bytes`);
  const open = await openTimes(dbPath);
  return {
    nsPerPoint: (ingestMs * 1e6) / report.points, points: report.points,
    save, open, indexBytes,
  };
}

/**
 * Medians of 9: opening the saved index file (openDatabase, with its journal check), and the steps
 * an open took before it, on the same file.
 */
async function openTimes(dbPath: string): Promise<{ ms: number; referenceMs: number; readMs: number; plainReadMs: number }> {
  const SQL = await loadSqlJs();
  const times: number[] = [];
  const references: number[] = [];
  const reads: number[] = [];
  const plainReads: number[] = [];
  const open = () => {
    const t0 = performance.now();
    const opened = openDatabase(SQL, dbPath);
    times.push(ms(t0));
    if (opened.fresh !== null) throw new Error(`the index opened ${opened.fresh}`);
    opened.db.close();
  };
  const reference = () => {
    const t0 = performance.now();
    const bytes = fs.readFileSync(dbPath);
    verifyChecksum(bytes);
    const db = new SQL.Database(bytes);
    db.exec('PRAGMA quick_check');
    db.exec('PRAGMA user_version');
    db.exec("SELECT value FROM meta WHERE key = 'derivation'");
    references.push(ms(t0));
    db.close();
  };
  // Alternating which goes first, so neither always finds the file cached by the other.
  for (let i = 0; i < 9; i++) {
    // The one step of opening that changed: reading the file (with its journal, if any) against a plain read.
    const read = () => {
      const t0 = performance.now();
      readIndexFile(dbPath, () => true);
      reads.push(ms(t0));
    };
    const plainRead = () => {
      const t0 = performance.now();
      fs.readFileSync(dbPath);
      plainReads.push(ms(t0));
    };
    for (const step of i % 2 ? [plainRead, read, reference, open] : [read, plainRead, open, reference]) step();
  }
  return { ms: median(times), referenceMs: median(references), readMs: median(reads), plainReadMs: median(plainReads) };
}

type Ingested = Awaited<ReturnType<typeof ingest>>;

function saveLines(label: string, x: Ingested): void {
  const mb = (n: number) => `${(n / 1e6).toFixed(2)} MB`;
  line(`P8 a save after 10 new points, ${label}: bytes`, mb(x.save.bytes), mb(x.save.wholeBytes), x.save.bytes / x.save.wholeBytes, 'what changed (reference: the whole file)');
  line(`P8 a save after 10 new points, ${label}: time`, `${x.save.ms.toFixed(1)} ms`, `${x.save.wholeMs.toFixed(1)} ms`, x.save.ms / x.save.wholeMs, 'reported (the index file alone; reference: the whole file)');
  line(`P8 open the ${mb(x.indexBytes)} index, ${label}`, `${x.open.ms.toFixed(0)} ms`, `${x.open.referenceMs.toFixed(0)} ms`, x.open.ms / x.open.referenceMs, 'reported (reference: read, check, load, quick_check alone)');
  line(`P8 open: read the index file and its journal, ${label}`, `${x.open.readMs.toFixed(1)} ms`, `${x.open.plainReadMs.toFixed(1)} ms`, x.open.readMs / x.open.plainReadMs, 'as fast (reference: a plain read of the file)');
}

/**
 * In a child process, as the extension host holds it: start the store worker on the saved index,
 * list the runs, check every source, then query; prints one JSON line of figures.
 */
function probe(root: string, longUid: string): Record<string, number> {
  const script = `
    const { StoreClient } = require(${JSON.stringify(path.join(__dirname, '../src/core/store/storeClient'))});
    (async () => {
      const rss0 = process.memoryUsage().rss;
      const t0 = performance.now();
      const { client } = await StoreClient.start({ workerPath: ${JSON.stringify(workerPath)}, execArgv: [], workspaceRoot: ${JSON.stringify(root)}, dbPath: undefined });
      const runs = await client.call('listRuns');
      const firstList = performance.now() - t0;
      const lists = [];
      for (let i = 0; i < 3; i++) { const t = performance.now(); await client.call('listRuns'); lists.push(performance.now() - t); }
      const report = await client.call('ingest');
      const rssOpen = process.memoryUsage().rss;
      const out = { rss0, rssOpen, runs: runs.length, firstList, list: lists.sort((a, b) => a - b)[1], sourcesRead: report.sourcesRead };
      if (${JSON.stringify(longUid)}) {
        let t = performance.now();
        const [chart] = await client.call('metricSeries', [${JSON.stringify(longUid)}], ['loss'], 2000, false);
        out.chartCold = performance.now() - t;
        out.chartTotal = chart.total;
        const zooms = [];
        for (let i = 0; i < 5; i++) {
          const from = Math.floor((i + 1) * ${LONG_STEPS} / 7);
          t = performance.now();
          const z = await client.call('metricSeriesInRange', ${JSON.stringify(longUid)}, 'loss', { from, to: from + 9999 }, 2000, false);
          zooms.push(performance.now() - t);
          out.zoomTotal = z.total;
        }
        out.zoom = zooms.sort((a, b) => a - b)[2];
        out.rssQueried = process.memoryUsage().rss;
      }
      await client.close();
      console.log(JSON.stringify(out));
    })().catch((e) => { console.error(e); process.exit(1); });`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: path.join(__dirname, '..'), encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`probe failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as Record<string, number>;
}

/** In this process: decoding the long series' points alone, the floor under any chart query. */
async function decodeOnly(root: string, uid: string): Promise<number> {
  const { store } = await Store.open({ workspaceRoot: root });
  const runId = Number(store.database.exec('SELECT id FROM runs WHERE uid = ?', [uid])[0]!.values[0]![0]);
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    const c = store.series.readColumns(runId, 'loss', false);
    times.push(ms(t0));
    if (c!.values.length !== LONG_STEPS) throw new Error(`long series has ${c!.values.length} points`);
  }
  store.close();
  return median(times);
}

async function main(): Promise<void> {
  const keepAt = process.argv.indexOf('--keep');
  const base = keepAt > 0 ? process.argv[keepAt + 1]! : fs.mkdtempSync(path.join(os.tmpdir(), 'exptrack-bench-p8-'));
  const ref = path.join(base, 'p1');
  const wsA = path.join(base, 'many-runs');
  const wsB = path.join(base, 'long-runs');
  try {
    console.log(`P8 at ${FULL ? 'full size' : 'a small size (--full for 2 × 100M points)'}: A ${A.runs} runs × ${METRICS} × ${A.steps}, B ${B.runs} runs × ${METRICS} × ${B.steps} + 1 series of ${LONG_STEPS}`);
    let t0 = performance.now();
    for (let r = 0; r < 100; r++) writeRun(ref, `p1-${r}`, `exp${r % 5}`, METRICS, 1000, r);
    for (let r = 0; r < A.runs; r++) writeRun(wsA, `a-${String(r).padStart(5, '0')}`, `exp${r % 20}`, METRICS, A.steps, r);
    for (let r = 0; r < B.runs; r++) writeRun(wsB, `b-${String(r).padStart(3, '0')}`, `exp${r % 4}`, METRICS, B.steps, r);
    writeRun(wsB, 'long', 'long', 1, LONG_STEPS, 7);
    console.log(`   generated in ${(ms(t0) / 1000).toFixed(0)} s`);

    const p1 = await ingest(ref, 'P1 workspace');
    const a = await ingest(wsA, 'A many runs');
    const b = await ingest(wsB, 'B long runs');
    line('P8 ingest per point, A (many runs)', `${a.nsPerPoint.toFixed(0)} ns`, `${p1.nsPerPoint.toFixed(0)} ns`, a.nsPerPoint / p1.nsPerPoint, '<= 1.0 of P1 (per point)');
    line('P8 ingest per point, B (long runs)', `${b.nsPerPoint.toFixed(0)} ns`, `${p1.nsPerPoint.toFixed(0)} ns`, b.nsPerPoint / p1.nsPerPoint, '<= 1.0 of P1 (per point)');
    saveLines(`A (${A.runs} runs)`, a);
    saveLines('B (long runs)', b);

    t0 = performance.now();
    const pa = probe(wsA, '');
    const pb = probe(wsB, 'long');
    if (pa.runs !== A.runs || pa.sourcesRead !== 0) throw new Error(`A: ${pa.runs} runs, ${pa.sourcesRead} sources read again`);
    const mb = (n: number) => n / 1024 / 1024;
    line('P8 process RSS with the worker open, A', `${mb(pa.rssOpen!).toFixed(0)} MB`, `${mb(pa.rss0!).toFixed(0)} MB`, mb(pa.rssOpen!) / 300, '<= 300 MB (ratio: of the goal; reference: before the worker)');
    line('P8 process RSS with the worker open, B', `${mb(pb.rssOpen!).toFixed(0)} MB`, `${mb(pb.rss0!).toFixed(0)} MB`, mb(pb.rssOpen!) / 300, '<= 300 MB (ratio: of the goal)');
    line(`P8 list ${pa.runs} runs (worker, warm)`, `${pa.list!.toFixed(0)} ms`, '300 ms', pa.list! / 300, '<= 1.0 of the goal');
    line(`P8 open + first list of ${pa.runs} runs`, `${pa.firstList!.toFixed(0)} ms`, '300 ms', pa.firstList! / 300, 'reported');
    const decodeMs = await decodeOnly(wsB, 'long');
    line(`P8 chart of a ${(LONG_STEPS / 1e6).toFixed(1)}M-point series (worker, cold)`, `${pb.chartCold!.toFixed(0)} ms`, `${decodeMs.toFixed(0)} ms`, pb.chartCold! / decodeMs, '<= 150 ms (reference: decoding alone)');
    line('P8 zoom on 10,000 steps of it (full resolution)', `${pb.zoom!.toFixed(1)} ms`, `${pb.chartCold!.toFixed(0)} ms`, pb.zoom! / pb.chartCold!, '<= 50 ms (reference: the whole chart)');
    console.log(`   (after the queries the process held ${mb(pb.rssQueried!).toFixed(0)} MB; probes took ${(ms(t0) / 1000).toFixed(0)} s)`);
    if (pb.chartTotal !== LONG_STEPS || pb.zoomTotal !== 10_000) throw new Error(`chart ${pb.chartTotal} / zoom ${pb.zoomTotal} points`);
  } finally {
    if (keepAt < 0) fs.rmSync(base, { recursive: true, force: true });
  }
}

void main();
