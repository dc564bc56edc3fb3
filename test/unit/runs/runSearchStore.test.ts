/**
 * Searching the runs of a real index: the store's catalog follows appends, registry tags and
 * vanished files; a rebuilt index answers the same; the CLI prints the same runs and places its
 * syntax errors.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../../src/cli/main';
import { appendRegistryLine, newEventId } from '../../../src/core/registry/runEditWriter';
import { Store } from '../../../src/core/store/store';
import type { RunAnnotationEvent } from '../../../src/shared/registryEvents';
import type { RunQuery } from '../../../src/shared/runSearch';

function writeRun(root: string, id: string, events: object[], append = false): void {
  const dir = path.join(root, '.exptrack', 'runs', id);
  fs.mkdirSync(dir, { recursive: true });
  const text = events.map((e) => JSON.stringify(e)).join('\n') + '\n';
  (append ? fs.appendFileSync : fs.writeFileSync)(path.join(dir, 'events.jsonl'), text);
}

function run(id: string, started: number, opts: { lr: number; optimizer: string; loss: number[]; note?: string }): object[] {
  return [
    { t: 'run', v: 1, id, name: `run-${id}`, experiment: 'sweep', started },
    { t: 'params', values: { lr: opts.lr, optimizer: opts.optimizer } },
    ...(opts.note ? [{ t: 'tag', key: 'note', value: opts.note }] : []),
    ...opts.loss.map((v, step) => ({ t: 'metrics', step, time: started + step, values: { val_loss: v } })),
    { t: 'end', status: 'finished', exit: 0, ended: started + 100 },
  ];
}

async function cli(root: string, args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(['--workspace', root, ...args], { stdout: (s) => void (out += s), stderr: (s) => void (err += s), cwd: root });
  return { code, out, err };
}

const uids = (store: Store, q: RunQuery) => {
  const r = store.searchRuns(q);
  assert.ok(r.ok, JSON.stringify(r));
  return r.runs.map((x) => x.uid);
};

describe('searching the runs of an index', () => {
  let root: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'exptrack-search-'));
    writeRun(root, 'a', run('a', 1_700_000_000, { lr: 0.01, optimizer: 'adam', loss: [0.9, 0.25], note: 'with aug' }));
    writeRun(root, 'b', run('b', 1_700_000_100, { lr: 0.1, optimizer: 'sgd', loss: [0.8, 0.5] }));
    writeRun(root, 'c', run('c', 1_700_000_200, { lr: 0.001, optimizer: 'adam', loss: [0.7, 0.35] }));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('filters, orders and limits; with no filter it lists what listRuns lists', async () => {
    const { store } = await Store.open({ workspaceRoot: root, dbPath: null });
    store.ingest();
    assert.deepEqual(uids(store, { filter: "params.optimizer = 'adam' and metrics.val_loss < 0.3" }), ['a']);
    assert.deepEqual(uids(store, { orderBy: 'metrics.val_loss ASC' }), ['a', 'c', 'b']);
    assert.deepEqual(uids(store, { orderBy: 'min(metrics.val_loss) DESC', maxResults: 2 }), ['b', 'c']);
    const all = store.searchRuns({});
    assert.ok(all.ok);
    assert.deepEqual(all.runs, store.listRuns());
    assert.deepEqual(uids(store, {}), ['c', 'b', 'a'], 'newest first');
    const bad = store.searchRuns({ filter: 'metrics.val_loss <' });
    assert.deepEqual(bad, { ok: false, error: { input: 'filter', message: "expected a value after '<'", start: 18, end: 18 } });
    store.close();
  });

  it('follows appended points, registry tags, deletions and vanished runs, and a rebuild answers the same', async () => {
    const { store } = await Store.open({ workspaceRoot: root, dbPath: null });
    store.ingest();
    assert.deepEqual(uids(store, { filter: 'metrics.val_loss < 0.3' }), ['a']);
    // A growing run: its new last value is what the filter sees.
    writeRun(root, 'c', [{ t: 'metrics', step: 2, time: 1_700_000_203, values: { val_loss: 0.2 } }], true);
    store.ingest([path.join(root, '.exptrack/runs/c/events.jsonl')]);
    assert.deepEqual(uids(store, { filter: 'metrics.val_loss < 0.3' }), ['c', 'a']);
    assert.deepEqual(uids(store, { filter: 'count(metrics.val_loss) = 3' }), ['c']);
    // A tag and a rename added from VS Code (registry events), and a deletion.
    const exptrackDir = path.join(root, '.exptrack');
    const annotate = (time: number, body: { t: RunAnnotationEvent['t']; run: string; [k: string]: string }) =>
      appendRegistryLine(exptrackDir, { ...body, id: newEventId(), time, actor: 'test' } as RunAnnotationEvent);
    annotate(1, { t: 'run.tag', run: 'b', key: 'note', value: 'augmented' });
    annotate(2, { t: 'run.rename', run: 'b', name: 'beta' });
    annotate(3, { t: 'run.delete', run: 'a' });
    store.ingest();
    assert.deepEqual(uids(store, { filter: "tags.note LIKE '%aug%'" }), ['b']);
    assert.deepEqual(uids(store, { filter: "tags.note LIKE '%aug%'", includeHidden: true }), ['b', 'a']);
    assert.deepEqual(uids(store, { filter: "attributes.run_name = 'beta'" }), ['b']);
    // A run whose file is gone is gone.
    fs.rmSync(path.join(root, '.exptrack/runs/b'), { recursive: true });
    store.ingest();
    assert.deepEqual(uids(store, { includeHidden: true }), ['c', 'a']);

    const rebuilt = (await Store.open({ workspaceRoot: root, dbPath: null })).store;
    rebuilt.ingest();
    for (const q of [{}, { includeHidden: true }, { filter: 'metrics.val_loss < 0.3', orderBy: 'params.lr DESC' }, { filter: "tags.note IS NOT NULL", includeHidden: true }]) {
      assert.deepEqual(rebuilt.searchRuns(q), store.searchRuns(q), JSON.stringify(q));
    }
    rebuilt.close();
    store.close();
  });

  it("lists each run's key metric as keyMetricOf picks it, whether or not every summary was read", async () => {
    writeRun(root, 'k1', [{ t: 'run', v: 1, id: 'k1', started: 1_700_000_300 }, { t: 'metrics', step: 0, values: { beta: 1, Alpha: 2, alpha: 3 } }]);
    writeRun(root, 'k2', [{ t: 'run', v: 1, id: 'k2', started: 1_700_000_400 }, { t: 'metrics', step: 0, values: { accuracy: 0.5, loss: 0.7, zeta: 1 } }]);
    writeRun(root, 'k3', [{ t: 'run', v: 1, id: 'k3', started: 1_700_000_500 }]);
    const { store } = await Store.open({ workspaceRoot: root, dbPath: null });
    store.ingest();
    const keys = () => Object.fromEntries(store.listRuns().map((r) => [r.uid, r.keyMetric?.key ?? null]));
    const listed = keys();
    assert.deepEqual(listed, { k3: null, k2: 'loss', k1: 'alpha', c: 'val_loss', b: 'val_loss', a: 'val_loss' });
    // The same once every summary is read (a search on a metric), and after a run gains a preferred key.
    const fromAll = store.listRuns();
    assert.ok(store.searchRuns({ filter: 'metrics.zeta > 0' }).ok);
    assert.deepEqual(store.listRuns(), fromAll);
    const reopened = (await Store.open({ workspaceRoot: root, dbPath: null })).store;
    reopened.ingest();
    writeRun(root, 'k1', [{ t: 'metrics', step: 1, values: { val_acc: 0.9 } }], true);
    for (const s of [store, reopened]) s.ingest([path.join(root, '.exptrack/runs/k1/events.jsonl')]);
    assert.equal(store.listRuns().find((r) => r.uid === 'k1')!.keyMetric!.key, 'val_acc', 'after every summary was read');
    assert.equal(reopened.listRuns().find((r) => r.uid === 'k1')!.keyMetric!.key, 'val_acc', 'reading key metrics only');
    assert.deepEqual(reopened.listRuns(), store.listRuns());
    reopened.close();
    store.close();
  });

  it('exptrack runs --filter --order-by --max --json prints those runs; a syntax error exits 64 with a caret', async () => {
    const found = await cli(root, ['runs', '--filter', "params.optimizer = 'adam'", '--order-by', 'metrics.val_loss ASC', '--json']);
    assert.equal(found.code, 0, found.err);
    assert.deepEqual((JSON.parse(found.out) as { uid: string }[]).map((r) => r.uid), ['a', 'c']);
    const limited = await cli(root, ['runs', '--order-by', 'attributes.start_time ASC', '--max', '2', '--no-ingest']);
    assert.equal(limited.code, 0, limited.err);
    assert.deepEqual(limited.out.trim().split('\n').slice(1).map((l) => l.split(/\s+/)[0]), ['a', 'b']);
    assert.match(limited.err, /2 of 3 runs \(3 match\)/);

    const bad = await cli(root, ['runs', '--filter', "metrics.val_loss < 0.3 and params.optimizer = adam"]);
    assert.equal(bad.code, 64);
    assert.equal(bad.out, '');
    assert.equal(bad.err, [
      "exptrack runs: invalid filter at column 47: expected a number or a quoted string, found 'adam'; text goes in quotes: 'adam'",
      '  metrics.val_loss < 0.3 and params.optimizer = adam',
      '                                                ^^^^',
      '',
    ].join('\n'));
    const badOrder = await cli(root, ['runs', '--order-by', 'metrics.val_loss UP']);
    assert.equal(badOrder.code, 64);
    assert.match(badOrder.err, /invalid order-by at column 18: expected ','/);
    const badMax = await cli(root, ['runs', '--max', 'ten']);
    assert.equal(badMax.code, 64);
    assert.match(badMax.err, /--max needs a whole number/);
  });
});
