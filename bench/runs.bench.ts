/**
 * P5 for 10,000 runs, and searching them (issue 13). Every figure beside a reference measured in
 * the same run, as a ratio.
 *   P5   open the index of 10,000 runs in a fresh store worker and list them (as the Runs tree
 *        does at activation), against the 300 ms goal and beside better-sqlite3 opening the same
 *        file and reading the same rows (runs, metric summaries, params); then every source checked.
 *   S1   a filter in MLflow's syntax over the 10,000 runs through the worker, as the Runs tree and
 *        the CLI ask, against the 100 ms goal and beside the same filter written as SQL and run by
 *        better-sqlite3 on the same file (which must find the same runs in the same order).
 *   S2   the same filter on the first call after opening (the run catalog read from the index).
 *   S3   the Runs table's query: every run, sorted by a metric, eight columns as text.
 * On a shared machine absolute times swing with its load; the ratios to the references less so.
 */
import Database from 'better-sqlite3';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Store } from '../src/core/store/store';
import { StoreClient } from '../src/core/store/storeClient';
import type { RunsTableQuery } from '../src/shared/runsTable';

const RUNS = 10_000;
const METRICS = 10;
const STEPS = 5;
const FILTER = "metrics.val_loss < 0.3 and params.optimizer = 'adam' and tags.note LIKE '%aug%' and attributes.status = 'FINISHED'";
const ORDER_BY = 'metrics.val_loss ASC, attributes.start_time DESC';
/** FILTER and ORDER_BY as SQL over the index, for the reference. */
const FILTER_SQL = `SELECT r.uid FROM runs r
  JOIN metric_summary m ON m.run_id = r.id AND m.key = 'val_loss'
  JOIN params p ON p.run_id = r.id AND p.key = 'optimizer'
  JOIN tags t ON t.run_id = r.id AND t.key = 'note'
  WHERE r.hidden = 0 AND m.last < 0.3 AND p.value = '"adam"' AND t.value GLOB '*aug*' AND upper(r.status) = 'FINISHED'
  ORDER BY m.last ASC, r.started DESC`;
const bundledWorker = path.join(__dirname, '../dist/storeWorker.js');
const workerPath = fs.existsSync(bundledWorker) ? bundledWorker : path.join(__dirname, '../test/unit/helpers/storeWorkerFromSource.cjs');

function writeWorkspace(root: string): void {
  for (let r = 0; r < RUNS; r++) {
    const id = `bench-${String(r).padStart(5, '0')}`;
    const dir = path.join(root, '.exptrack', 'runs', id);
    fs.mkdirSync(dir, { recursive: true });
    const started = 1732240000 + r;
    const lines = [
      JSON.stringify({ t: 'run', v: 1, id, name: id, experiment: `exp${r % 7}`, started }),
      JSON.stringify({ t: 'params', values: { lr: 0.001 * ((r % 50) + 1), batch: 32 << (r % 3), optimizer: ['adam', 'sgd', 'rmsprop'][r % 3], seed: r } }),
      JSON.stringify({ t: 'tag', key: 'note', value: r % 10 === 0 ? 'with aug' : 'plain' }),
    ];
    for (let s = 0; s < STEPS; s++) {
      const values: Record<string, number> = { val_loss: 1 / (s + 1) + (r % 100) / 100 };
      for (let m = 1; m < METRICS; m++) values[`metric_${m}`] = Math.sin(s + m + r);
      lines.push(JSON.stringify({ t: 'metrics', step: s, time: started + s, values }));
    }
    lines.push(JSON.stringify({ t: 'end', status: r % 13 === 0 ? 'failed' : 'finished', exit: 0, ended: started + 100 }));
    fs.writeFileSync(path.join(dir, 'events.jsonl'), lines.join('\n') + '\n');
  }
}

/** better-sqlite3 opening the index and reading what listing reads. */
function referenceList(dbFile: string): number {
  const t0 = performance.now();
  const db = new Database(dbFile, { readonly: true });
  db.prepare(`SELECT r.id, r.uid, COALESCE(r.renamed, r.name) AS name, e.name AS experiment, r.status, r.source_kind, r.source_path,
    r.started, r.ended, r.exit_code, r.hidden, r.user FROM runs r LEFT JOIN experiments e ON e.id = r.experiment_id WHERE r.hidden = 0
    ORDER BY r.started IS NULL, r.started DESC, r.uid`).all();
  db.prepare('SELECT run_id, key, last, last_step, last_time, min, max, count FROM metric_summary').all();
  db.prepare('SELECT run_id, key, value FROM params').all();
  db.prepare('SELECT run_id, key, value FROM tags').all();
  db.close();
  return performance.now() - t0;
}

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
}

function line(name: string, value: number, reference: number, referenceName: string, goal: string): void {
  const ms = (x: number) => `${x.toFixed(0)} ms`;
  console.log(`${name.padEnd(48)} ${ms(value).padStart(9)}   ${referenceName} ${ms(reference).padStart(9)}   ratio ${(value / reference).toFixed(2).padStart(6)}   goal ${goal}`);
}

function timedSync(fn: () => unknown): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

async function timed<T>(fn: () => Promise<T> | T): Promise<[number, T]> {
  const t0 = performance.now();
  const value = await fn();
  return [performance.now() - t0, value];
}

async function main(): Promise<void> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'exptrack-bench-search-'));
  try {
    writeWorkspace(root);
    const built = await Store.open({ workspaceRoot: root });
    built.store.ingest();
    built.store.save();
    built.store.close();

    const dbFile = path.join(root, '.exptrack', 'exptrack.sqlite');
    const sqlite = new Database(dbFile, { readonly: true });
    const filterSql = sqlite.prepare(FILTER_SQL);
    const sqlUids = (filterSql.all() as { uid: string }[]).map((r) => r.uid);

    // P5 and S2: fresh workers on the saved index, as at activation; the median of three.
    const listed: number[] = [];
    const listingAlone: number[] = [];
    const checked: number[] = [];
    const firstFilter: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      const { client } = await StoreClient.start({ workerPath, workspaceRoot: root, dbPath: undefined });
      const opened = performance.now();
      const runs = await client.call('listRuns');
      listed.push(performance.now() - t0);
      listingAlone.push(performance.now() - opened);
      if (runs.length !== RUNS) throw new Error(`expected ${RUNS} runs, got ${runs.length}`);
      const report = await client.call('ingest');
      checked.push(performance.now() - t0);
      if (report.sourcesRead !== 0) throw new Error(`the saved index was not current: ${report.sourcesRead} sources read`);
      await client.close();

      const { client: fresh } = await StoreClient.start({ workerPath, workspaceRoot: root, dbPath: undefined });
      const [ms, found] = await timed(() => fresh.call('searchRuns', { filter: FILTER, orderBy: ORDER_BY }));
      if (!found.ok || found.runs.length === 0) throw new Error(`the filter found nothing: ${JSON.stringify(found).slice(0, 200)}`);
      firstFilter.push(ms);
      if (JSON.stringify(found.runs.map((r) => r.uid)) !== JSON.stringify(sqlUids)) throw new Error('the SQL reference found other runs');
      await fresh.close();
    }
    const referenceLists = [referenceList(dbFile), referenceList(dbFile), referenceList(dbFile)];
    line(`P5 open index + list ${RUNS.toLocaleString('en-US')} runs`, median(listed), 300, 'goal', '<= 1.0 of the goal');
    line('P5 beside better-sqlite3 opening + reading the rows', median(listed), median(referenceLists), 'sqlite', 'reported');
    line('P5 of which listing, once the index is open', median(listingAlone), 300, 'goal', 'reported');
    line('P5 then every source checked', median(checked), 300, 'goal', 'reported');

    // S1, S3: one worker, warm; the median of seven.
    const { client } = await StoreClient.start({ workerPath, workspaceRoot: root, dbPath: undefined });
    await client.call('listRuns');
    const lists: number[] = [];
    const filters: number[] = [];
    const tables: number[] = [];
    const query: RunsTableQuery = {
      filter: '', sort: [{ field: { kind: 'metric', key: 'val_loss', agg: 'last' }, dir: 'asc' }], groupBy: null, pinned: [],
      columns: [
        { kind: 'attribute', key: 'status' }, { kind: 'attribute', key: 'experiment' }, { kind: 'attribute', key: 'start_time' },
        { kind: 'metric', key: 'val_loss', agg: 'last' }, { kind: 'metric', key: 'val_loss', agg: 'min' }, { kind: 'metric', key: 'metric_1', agg: 'last' },
        { kind: 'param', key: 'lr' }, { kind: 'param', key: 'optimizer' },
      ],
    };
    for (let i = 0; i < 7; i++) {
      lists.push((await timed(() => client.call('listRuns')))[0]);
      filters.push((await timed(() => client.call('searchRuns', { filter: FILTER, orderBy: ORDER_BY })))[0]);
      const [ms, t] = await timed(() => client.call('runsTable', query));
      if (!t.ok || t.rows.length !== RUNS) throw new Error('the table query failed');
      tables.push(ms);
    }
    await client.close();
    const sqlFilters = Array.from({ length: 7 }, () => timedSync(() => filterSql.all()));
    sqlite.close();
    line(`S1 filter ${RUNS.toLocaleString('en-US')} runs (worker, warm)`, median(filters), 100, 'goal', '<= 1.0 of the goal');
    line('S1 beside listing them (worker, warm)', median(filters), median(lists), 'list  ', 'reported');
    line('S1 beside the filter as SQL (better-sqlite3)', median(filters), median(sqlFilters), 'sqlite', 'reported');
    line('S2 filter, first call after opening', median(firstFilter), 300, 'goal', 'reported (P5 goal)');
    line(`S3 Runs table: ${RUNS.toLocaleString('en-US')} rows × 8 columns, sorted`, median(tables), median(lists), 'list  ', 'reported');
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

void main();
