/**
 * The Runs table's pure parts: the rows the store makes for a query (the same runs and order as
 * the CLI's search), how they are laid out with pins and groups, which lines are drawn, and the
 * column settings.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Store } from '../../../src/core/store/store';
import { BASE_COLUMNS, columnChoices, defaultColumns, mergeColumns } from '../../../src/extension/runsTable/tableSettings';
import type { RunField } from '../../../src/shared/runFields';
import { layoutRows, tableOrderBy, visibleRange, type RunsTableQuery, type RunsTableResult } from '../../../src/shared/runsTable';

function writeRun(root: string, id: string, events: object[]): void {
  const dir = path.join(root, '.exptrack', 'runs', id);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'events.jsonl'), events.map((e) => JSON.stringify(e)).join('\n') + '\n');
}

const loss: RunField = { kind: 'metric', key: 'val_loss', agg: 'last' };
const lossMin: RunField = { kind: 'metric', key: 'val_loss', agg: 'min' };
const lr: RunField = { kind: 'param', key: 'lr' };
const note: RunField = { kind: 'tag', key: 'note' };

describe('Runs table rows from the store', () => {
  let root: string;
  let store: Store;
  before(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'exptrack-table-'));
    const runs: [string, string, number, number[], string | undefined][] = [
      ['a', 'churn', 0.01, [0.9, 0.25], 'with aug'],
      ['b', 'churn', 0.1, [0.8, 0.5], undefined],
      ['c', 'vision', 0.001, [0.7, 0.35], 'plain'],
      ['d', 'vision', 0.1, [0.6, Number.NaN], undefined],
    ];
    runs.forEach(([id, experiment, rate, values, tag], i) => writeRun(root, id, [
      { t: 'run', v: 1, id, name: `<b>${id}</b>`, experiment, started: 1_700_000_000 + i * 100 },
      { t: 'params', values: id === 'd' ? { optimizer: 'sgd' } : { lr: rate, optimizer: 'adam' } },
      ...(tag ? [{ t: 'tag', key: 'note', value: tag }] : []),
      ...values.map((v, step) => ({ t: 'metrics', step, values: { val_loss: Number.isNaN(v) ? 'NaN' : v } })),
    ]));
    store = (await Store.open({ workspaceRoot: root, dbPath: null })).store;
    store.ingest();
  });
  after(() => {
    store.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  const query = (q: Partial<RunsTableQuery>): Extract<RunsTableResult, { ok: true }> => {
    const r = store.runsTable({ filter: '', sort: [], columns: [loss, lossMin, lr, note, { kind: 'attribute', key: 'experiment' }], groupBy: null, pinned: [], ...q });
    assert.ok(r.ok, JSON.stringify(r));
    return r;
  };

  it('gives the runs the CLI search gives for the same filter and sort, with the columns as text', () => {
    const sort = [{ field: loss, dir: 'asc' as const }];
    const t = query({ filter: "params.optimizer = 'adam'", sort });
    const cli = store.searchRuns({ filter: "params.optimizer = 'adam'", orderBy: tableOrderBy({ sort }) });
    assert.ok(cli.ok);
    assert.deepEqual(t.rows.map((r) => r.uid), cli.runs.map((r) => r.uid));
    assert.deepEqual(t.rows.map((r) => r.uid), ['a', 'c', 'b']);
    assert.deepEqual(t.rows[0], { uid: 'a', name: '<b>a</b>', status: 'running', cells: ['0.25', '0.25', '0.01', 'with aug', 'churn'], group: null });
    assert.deepEqual(t.rows[2]!.cells, ['0.5', '0.5', '0.1', '', 'churn'], 'no tag: an empty cell');
    assert.equal(t.total, 4);
    assert.deepEqual(t.keys, { params: ['lr', 'optimizer'], metrics: ['val_loss'], tags: ['note'] });
    assert.deepEqual(query({ sort: [{ field: loss, dir: 'desc' }] }).rows.find((r) => r.uid === 'd')!.cells.slice(0, 2), ['NaN', '0.6']);
  });

  it('groups by experiment or by a parameter, runs without it last, and keeps pinned runs whatever the filter', () => {
    const byExperiment = query({ groupBy: { kind: 'experiment' } });
    assert.deepEqual(byExperiment.groups, [{ label: 'churn', count: 2 }, { label: 'vision', count: 2 }]);
    const byLr = query({ groupBy: { kind: 'param', key: 'lr' } });
    assert.deepEqual(byLr.groups, [{ label: '0.001', count: 1 }, { label: '0.01', count: 1 }, { label: '0.1', count: 1 }, { label: null, count: 1 }]);
    const pinned = query({ filter: "params.optimizer = 'adam'", pinned: ['d', 'gone', 'a'] });
    assert.deepEqual(pinned.pinned.map((r) => [r.uid, r.matches]), [['d', false], ['a', true]]);
  });

  it('answers a wrong filter with the error and where it is', () => {
    const r = store.runsTable({ filter: 'metrics.val_loss < ', sort: [], columns: [], groupBy: null, pinned: [] });
    assert.deepEqual(r, { ok: false, error: { input: 'filter', message: "expected a value after '<'", start: 19, end: 19 } });
  });
});

describe('Runs table layout', () => {
  const row = (uid: string, group: string | null = null) => ({ uid, name: uid, status: 'finished', cells: [], group });
  const result = (rows: ReturnType<typeof row>[], groups: { label: string | null; count: number }[] | null, pinned: string[] = []): Extract<RunsTableResult, { ok: true }> => ({
    ok: true, rows, groups, total: rows.length, keys: { params: [], metrics: [], tags: [] },
    pinned: pinned.map((uid) => ({ ...(rows.find((r) => r.uid === uid) ?? row(uid)), matches: rows.some((r) => r.uid === uid) })),
  });

  it('puts pinned runs first, once, then the rest in order', () => {
    const items = layoutRows(result([row('a'), row('b'), row('c')], null, ['c', 'x']), new Set());
    assert.deepEqual(items.map((i) => (i.kind === 'row' ? `${i.row.uid}${i.pinned ? '*' : ''}${i.matches ? '' : '!'}` : 'group')), ['c*', 'x*!', 'a', 'b']);
  });

  it('puts a header above each group, and a collapsed group shows only its header', () => {
    const r = result([row('a', 'x'), row('b', null), row('c', 'x'), row('d', 'y')], [{ label: 'x', count: 2 }, { label: 'y', count: 1 }, { label: null, count: 1 }]);
    const text = (collapsed: string[]) => layoutRows(r, new Set(collapsed)).map((i) => (i.kind === 'group' ? `[${i.label}:${i.count}${i.collapsed ? '+' : ''}]` : i.row.uid));
    assert.deepEqual(text([]), ['[x:2]', 'a', 'c', '[y:1]', 'd', '[null:1]', 'b']);
    assert.deepEqual(text(['=x', '\u0000none']), ['[x:2+]', '[y:1]', 'd', '[null:1+]']);
  });

  it('draws only the lines in view, with a margin, within the list', () => {
    assert.deepEqual(visibleRange(0, 240, 24, 10_000, 8), { start: 0, end: 19 });
    assert.deepEqual(visibleRange(24 * 5000, 240, 24, 10_000, 8), { start: 4992, end: 5019 });
    assert.deepEqual(visibleRange(24 * 9999, 240, 24, 10_000, 8), { start: 9991, end: 10_000 });
    assert.deepEqual(visibleRange(0, 240, 24, 3, 8), { start: 0, end: 3 });
  });
});

describe('Runs table columns', () => {
  const keys = { params: ['batch', 'lr', 'optimizer', 'seed'], metrics: ['acc', 'loss', 'val_loss'], tags: ['note'] };

  it('starts with the base columns, the preferred metrics and the first parameters', () => {
    assert.deepEqual(defaultColumns(keys), [
      ...BASE_COLUMNS,
      { kind: 'metric', key: 'val_loss', agg: 'last' }, { kind: 'metric', key: 'loss', agg: 'last' }, { kind: 'metric', key: 'acc', agg: 'last' },
      { kind: 'param', key: 'batch' }, { kind: 'param', key: 'lr' }, { kind: 'param', key: 'optimizer' },
    ]);
  });

  it('offers every attribute but the name, each metric as last, min and max, every parameter and tag', () => {
    const choices = columnChoices(keys);
    assert.equal(choices.length, 7 + 3 * 3 + 4 + 1);
    assert.ok(!choices.some((c) => c.kind === 'attribute' && c.key === 'run_name'));
  });

  it('keeps chosen columns where they were and adds new ones at the end', () => {
    const current: RunField[] = [lr, loss, note];
    assert.deepEqual(mergeColumns(current, [note, lossMin, lr]), [lr, note, lossMin]);
  });
});
