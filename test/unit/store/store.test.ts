import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Store } from '../../../src/core/store/store';

function tempWorkspace(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'exptrack-store-'));
}

function writeRun(root: string, id: string, lines: (object | string)[], append = false): string {
  const dir = path.join(root, '.exptrack', 'runs', id);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'events.jsonl');
  const text = lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + (lines.length ? '\n' : '');
  if (append) fs.appendFileSync(file, text);
  else fs.writeFileSync(file, text);
  return file;
}

const start = (id: string, extra: object = {}) => ({ t: 'run', v: 1, id, name: `run ${id}`, experiment: 'exp', started: 1732240000.5, ...extra });

describe('Store', () => {
  let root: string;
  beforeEach(() => (root = tempWorkspace()));
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('indexes a run with params, metrics, summaries and end status', async () => {
    writeRun(root, 'r1', [
      start('r1', { command: ['python', 'train.py', '--lr', '0.01'], git: { commit: 'abc', branch: 'main', dirty: true } }),
      { t: 'params', values: { lr: 0.01, layers: [64, 32], optimizer: 'adam' } },
      { t: 'metrics', step: 0, time: 1732240001, values: { loss: 0.9, acc: 0.5 } },
      { t: 'metrics', step: 1, time: 1732240002, values: { loss: 'NaN', acc: 0.7 } },
      { t: 'metrics', step: 2, time: 1732240003, values: { loss: 0.4, acc: 'Infinity' } },
      { t: 'end', status: 'finished', exit: 0, ended: 1732240100 },
    ]);
    const { store } = await Store.open({ workspaceRoot: root, dbPath: null });
    const report = store.ingest();
    assert.equal(report.points, 6);
    assert.deepEqual(report.problems, []);
    const [run] = store.listRuns();
    assert.equal(run!.uid, 'r1');
    assert.equal(run!.status, 'finished');
    assert.equal(run!.experiment, 'exp');
    const detail = store.getRun('r1')!;
    assert.deepEqual(detail.params, { lr: 0.01, layers: [64, 32], optimizer: 'adam' });
    assert.equal(detail.git.dirty, true);
    assert.equal(detail.runDir, '.exptrack/runs/r1');
    const loss = detail.metrics.find((m) => m.key === 'loss')!;
    assert.deepEqual([loss.last, loss.min, loss.max, loss.count, loss.lastStep], [0.4, 0.4, 0.9, 3, 2]);
    const acc = detail.metrics.find((m) => m.key === 'acc')!;
    assert.equal(acc.max, Infinity);
    const points = store.metricPoints('r1', 'loss');
    assert.ok(Number.isNaN(points[1]!.value));
    assert.equal(detail.exitCode, 0);
  });

  it('lists runs with the configured key metric where a run has it, the preferred ones elsewhere', async () => {
    writeRun(root, 'r1', [start('r1'), { t: 'metrics', step: 0, values: { loss: 0.9, acc: 0.5, 'val/f1': 0.3 } }]);
    writeRun(root, 'r2', [start('r2', { started: 1732240001 }), { t: 'metrics', step: 0, values: { zeta: 2, alpha: 1 } }]);
    const { store } = await Store.open({ workspaceRoot: root, dbPath: null });
    store.ingest();
    const shown = (keyMetric?: string) => store.listRuns({ keyMetric }).map((r) => `${r.uid}:${r.keyMetric?.key}`);
    assert.deepEqual(shown(), ['r2:alpha', 'r1:loss']);
    assert.deepEqual(shown('val/f1'), ['r2:alpha', 'r1:val/f1']);
    assert.deepEqual(shown('zeta'), ['r2:zeta', 'r1:loss']);
  });

  it('reports bad lines with file and line number and keeps the lines around them', async () => {
    writeRun(root, 'r2', [
      start('r2'),
      '{"t":"metrics","step":0,"values":{"loss":1}}',
      'this is not json',
      '\u0000\u0001binary\u00ff',
      '{"t":"metrics","step":"x","values":{}}',
      '{"t":"future-event","x":1}',
      '{"t":"metrics","step":1,"values":{"loss":0.5}}',
    ]);
    const { store } = await Store.open({ workspaceRoot: root, dbPath: null });
    const report = store.ingest();
    assert.equal(report.points, 2);
    const lines = report.problems.map((p) => [p.path, p.line, p.severity]);
    assert.deepEqual(lines, [
      ['.exptrack/runs/r2/events.jsonl', 3, 'warning'],
      ['.exptrack/runs/r2/events.jsonl', 4, 'warning'],
      ['.exptrack/runs/r2/events.jsonl', 5, 'warning'],
      ['.exptrack/runs/r2/events.jsonl', 6, 'info'],
    ]);
    assert.match(report.problems[2]!.message, /step/);
    assert.equal(store.problems().length, 4);
  });

  it('leaves a half-written last line for later and reads only new bytes', async () => {
    const file = writeRun(root, 'r3', [start('r3')]);
    fs.appendFileSync(file, '{"t":"metrics","step":0,"val');
    const { store } = await Store.open({ workspaceRoot: root, dbPath: null });
    let report = store.ingest();
    assert.equal(report.points, 0);
    assert.deepEqual(report.problems, []);
    fs.appendFileSync(file, 'ues":{"loss":1}}\n{"t":"metrics","step":1,"values":{"loss":2}}\n');
    report = store.ingest([file]);
    assert.equal(report.points, 2);
    report = store.ingest([file]);
    assert.equal(report.sourcesRead, 0);
    assert.equal(store.getRun('r3')!.metrics[0]!.count, 2);
  });

  it('skips a 10 MB line with a message and keeps the rest', async () => {
    const file = writeRun(root, 'r4', [start('r4')]);
    fs.appendFileSync(file, `{"t":"params","values":{"big":"${'x'.repeat(10 * 1024 * 1024)}"}}\n`);
    writeRun(root, 'r4', [{ t: 'metrics', step: 0, values: { loss: 1 } }], true);
    const { store } = await Store.open({ workspaceRoot: root, dbPath: null });
    const report = store.ingest();
    assert.equal(report.points, 1);
    assert.equal(report.problems.length, 1);
    assert.equal(report.problems[0]!.line, 2);
    assert.match(report.problems[0]!.message, /10\.0 MB/);
  });

  it('re-reads a rewritten file without keeping what it said before', async () => {
    writeRun(root, 'r5', [start('r5'), { t: 'metrics', step: 0, values: { loss: 1 } }, { t: 'metrics', step: 1, values: { loss: 2 } }]);
    const { store } = await Store.open({ workspaceRoot: root, dbPath: null });
    store.ingest();
    writeRun(root, 'r5', [start('r5'), { t: 'metrics', step: 0, values: { loss: 5 } }]);
    store.ingest();
    const m = store.getRun('r5')!.metrics[0]!;
    assert.deepEqual([m.count, m.last, m.min, m.max], [1, 5, 5, 5]);
    assert.equal(store.getRun('r5')!.status, 'running');
  });

  it('forgets a run whose files were deleted', async () => {
    writeRun(root, 'r6', [start('r6'), { t: 'metrics', step: 0, values: { loss: 1 } }]);
    const { store } = await Store.open({ workspaceRoot: root, dbPath: null });
    store.ingest();
    fs.rmSync(path.join(root, '.exptrack', 'runs', 'r6'), { recursive: true });
    store.ingest();
    assert.deepEqual(store.listRuns(), []);
  });

  it('rebuilds identical content after the database file is deleted', async () => {
    for (let i = 0; i < 5; i++) {
      writeRun(root, `r${i}`, [start(`r${i}`), { t: 'params', values: { i } }, ...Array.from({ length: 20 }, (_, s) => ({ t: 'metrics', step: s, values: { loss: 1 / (s + 1 + i) } }))]);
    }
    const first = await Store.open({ workspaceRoot: root });
    first.store.ingest();
    first.store.save();
    const before = dump(first.store);
    first.store.close();
    const reopened = await Store.open({ workspaceRoot: root });
    assert.equal(reopened.info.fresh, null);
    assert.equal(reopened.store.ingest().sourcesRead, 0);
    assert.deepEqual(dump(reopened.store), before);
    reopened.store.close();
    fs.rmSync(path.join(root, '.exptrack', 'exptrack.sqlite'));
    const rebuilt = await Store.open({ workspaceRoot: root });
    assert.equal(rebuilt.info.fresh, 'new');
    rebuilt.store.ingest();
    assert.deepEqual(dump(rebuilt.store), before);
  });

  it('sets an unreadable database aside and rebuilds', async () => {
    writeRun(root, 'r7', [start('r7')]);
    fs.writeFileSync(path.join(root, '.exptrack', 'exptrack.sqlite'), 'garbage that is not sqlite');
    const { store, info } = await Store.open({ workspaceRoot: root });
    assert.equal(info.fresh, 'set-aside');
    assert.ok(info.setAsidePath && fs.existsSync(info.setAsidePath));
    store.ingest();
    assert.equal(store.listRuns().length, 1);
  });

  it('shows an idle run of a format without end marker as finished, a growing one as running', async () => {
    const old = writeRun(root, 'tb-old', [start('tb-old', { source: { kind: 'tensorboard' } }), { t: 'metrics', step: 0, values: { loss: 1 } }]);
    writeRun(root, 'tb-new', [start('tb-new', { source: { kind: 'tensorboard' } }), { t: 'metrics', step: 0, values: { loss: 1 } }]);
    writeRun(root, 'script-old', [start('script-old', { source: { kind: 'script' } })]);
    const hourAgo = new Date(Date.now() - 3600_000);
    fs.utimesSync(old, hourAgo, hourAgo);
    fs.utimesSync(path.join(root, '.exptrack', 'runs', 'script-old', 'events.jsonl'), hourAgo, hourAgo);
    const { store } = await Store.open({ workspaceRoot: root, dbPath: null });
    store.ingest();
    const status = Object.fromEntries(store.listRuns().map((r) => [r.uid, r.status]));
    // A script's run says when it ends; only formats that never do are judged by idleness.
    assert.deepEqual(status, { 'tb-old': 'finished', 'tb-new': 'running', 'script-old': 'running' });
  });

  it('applies renames, notes, tags and deletions from the registry in time order', async () => {
    writeRun(root, 'r8', [start('r8')]);
    const reg = path.join(root, '.exptrack', 'registry.jsonl');
    const ev = (o: object) => JSON.stringify({ actor: 'ana', ...o });
    fs.writeFileSync(reg, [
      ev({ id: 'b', time: 2, t: 'run.rename', run: 'r8', name: 'second' }),
      ev({ id: 'a', time: 1, t: 'run.rename', run: 'r8', name: 'first' }),
      ev({ id: 'c', time: 3, t: 'run.note', run: 'r8', text: 'lr too high' }),
      ev({ id: 'd', time: 4, t: 'run.tag', run: 'r8', key: 'team', value: 'vision' }),
      '{garbled',
    ].join('\n') + '\n');
    const { store } = await Store.open({ workspaceRoot: root, dbPath: null });
    const report = store.ingest();
    assert.equal(report.problems.length, 1);
    assert.equal(report.problems[0]!.line, 5);
    const d = store.getRun('r8')!;
    assert.equal(d.name, 'second');
    assert.equal(d.note, 'lr too high');
    assert.equal(d.tags.team, 'vision');
    fs.appendFileSync(reg, ev({ id: 'e', time: 5, t: 'run.delete', run: 'r8' }) + '\n');
    store.ingest();
    assert.equal(store.listRuns().length, 0);
    assert.equal(store.listRuns({ includeHidden: true }).length, 1);
  });
});

function dump(store: Store): unknown {
  const db = store.database;
  const q = (sql: string) => db.exec(sql)[0]?.values ?? [];
  return {
    runs: q('SELECT uid, name, status, started, ended, run_dir FROM runs ORDER BY uid'),
    params: q('SELECT r.uid, p.key, p.value FROM params p JOIN runs r ON r.id = p.run_id ORDER BY r.uid, p.key'),
    metrics: store.listRuns().flatMap((r) => store.getRun(r.uid)!.metrics.map((m) => [r.uid, m.key, store.metricPoints(r.uid, m.key)])),
    summary: q('SELECT r.uid, s.key, s.last, s.min, s.max, s.count FROM metric_summary s JOIN runs r ON r.id = s.run_id ORDER BY r.uid, s.key'),
  };
}
