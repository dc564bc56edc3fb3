import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CellFile, CellSnapshot } from '../../../src/core/notebooks/cellSnapshot';
import { NotebookRecording, type NotebookRecordingOptions } from '../../../src/core/notebooks/notebookRecording';
import { readNotebookRuns, updateNotebookRuns } from '../../../src/core/notebooks/notebookRunsMap';
import { Store } from '../../../src/core/store/store';
import { parseRunEventLine, RUN_EVENT_FORMAT_VERSION, type RunEvent } from '../../../src/shared/runEvents';

const MIN = 60_000;
const T0 = Date.UTC(2026, 0, 2, 3, 4, 5);

function cell(order: number | null, text: string, at: number, extra: Partial<CellSnapshot> = {}): CellSnapshot {
  return {
    index: 0, executionOrder: order, success: true, started: at / 1000, ended: (at + 100) / 1000, language: 'python',
    source: `print(${JSON.stringify(text)})`, outputs: [{ type: 'stream', name: 'stdout', text }], ...extra,
  };
}

function events(file: string): RunEvent[] {
  return fs.readFileSync(file, 'utf8').trimEnd().split('\n').map((line) => {
    const parsed = parseRunEventLine(line);
    assert.equal(parsed.kind, 'event', line);
    return (parsed as { event: RunEvent }).event;
  });
}

describe('notebooks/NotebookRecording', () => {
  let root: string;
  let exptrackDir: string;
  let notebookPath: string;
  let ids: string[];
  let log: string[];

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'exptrack-nb-'));
    exptrackDir = path.join(root, '.exptrack');
    notebookPath = path.join(root, 'experiments', 'train é.ipynb');
    fs.mkdirSync(path.dirname(notebookPath), { recursive: true });
    fs.writeFileSync(notebookPath, '{}');
    ids = [];
    log = [];
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  function recording(extra: Partial<NotebookRecordingOptions> = {}): NotebookRecording {
    let n = 0;
    return new NotebookRecording({
      exptrackDir, workspaceRoot: root, notebookPath, idleMs: 30 * MIN,
      newRunId: () => `20260102-030405-0000000${++n}`,
      describeRun: async (d) => ({
        t: 'run', v: RUN_EVENT_FORMAT_VERSION, id: d.runId, name: path.posix.basename(d.notebook), experiment: d.experiment,
        started: d.startedMs / 1000, source: { kind: 'notebook', path: d.notebook },
      }),
      onError: (e) => log.push(`error ${e.message}`),
      onRunStarted: (id, reason) => {
        ids.push(id);
        log.push(`start ${id} ${reason}`);
        updateNotebookRuns(exptrackDir, { [notebookPath]: id });
      },
      onRunEnded: (id) => log.push(`end ${id}`),
      ...extra,
    });
  }

  it('writes the run, a snapshot per cell and the printed metrics; a restart ends it and starts another', async () => {
    const rec = recording();
    rec.cellStarted('c0#1', 1, T0);
    // The map lists the run before anything of it is written, so the kernel's client can join it.
    assert.deepEqual(readNotebookRuns(exptrackDir), { [notebookPath]: '20260102-030405-00000001' });
    rec.cellFinished('c0#1', cell(1, 'Epoch 1/2\n10/10 - loss: 0.5 - acc: 0.7\nEpoch 2/2\n10/10 - loss: 0.25 - acc: 0.8\n', T0), T0 + 100);
    rec.cellFinished('c1#2', cell(2, 'val_loss=NaN\n', T0 + 200, { index: 1, success: false }), T0 + 300);
    rec.cellStarted('c0#1b', 1, T0 + 5000); // the kernel was restarted
    rec.cellFinished('c0#1b', cell(1, 'loss: 0.125\n', T0 + 5000), T0 + 5100);
    rec.close();
    await rec.flushed();

    const [first, second] = ids;
    // A new run is announced at once (the map must name it before the kernel's code runs); ends are written in order.
    assert.deepEqual(log, [`start ${first} first`, `start ${second} restart`, `end ${first}`, `end ${second}`]);
    const firstEvents = events(path.join(exptrackDir, 'runs', first!, 'events.jsonl'));
    assert.deepEqual(firstEvents, [
      { t: 'run', v: 1, id: first, name: 'train é.ipynb', experiment: 'experiments', started: T0 / 1000, source: { kind: 'notebook', path: 'experiments/train é.ipynb' } },
      { t: 'metrics', step: 1, time: (T0 + 100) / 1000, values: { loss: 0.5, acc: 0.7 } },
      { t: 'metrics', step: 2, time: (T0 + 100) / 1000, values: { loss: 0.25, acc: 0.8 } },
      { t: 'metrics', step: 2, time: (T0 + 300) / 1000, values: { val_loss: 'NaN' } },
      { t: 'end', status: 'finished', ended: (T0 + 300) / 1000 },
    ]);
    const cells = fs.readdirSync(path.join(exptrackDir, 'runs', first!, 'cells')).sort();
    assert.deepEqual(cells, ['1.json', '2.json']);
    const snapshot = JSON.parse(fs.readFileSync(path.join(exptrackDir, 'runs', first!, 'cells', '2.json'), 'utf8')) as CellFile;
    assert.deepEqual(snapshot, { notebook: 'experiments/train é.ipynb', ...cell(2, 'val_loss=NaN\n', T0 + 200, { index: 1, success: false }) });
    assert.deepEqual(events(path.join(exptrackDir, 'runs', second!, 'events.jsonl')).map((e) => e.t), ['run', 'metrics', 'end']);

    // Through the index: two finished notebook runs with their metrics.
    const { store } = await Store.open({ workspaceRoot: root, dbPath: null });
    try {
      store.ingest();
      const run = store.getRun(first!)!;
      assert.deepEqual([run.status, run.sourceKind, run.sourcePath, run.runDir], ['finished', 'notebook', 'experiments/train é.ipynb', `.exptrack/runs/${first}`]);
      assert.deepEqual(store.metricPoints(first!, 'loss').map((p) => [p.step, p.value]), [[1, 0.5], [2, 0.25]]);
      assert.deepEqual(store.getRun(second!)!.metrics.map((m) => [m.key, m.last]), [['loss', 0.125]]);
      // The notebook itself is listed as recorded live, so its saved outputs are not imported again.
      assert.equal(store.listRuns().length, 2);
    } finally {
      store.close();
    }
  });

  it('ends a run after the idle time; the next cell starts a new one', async () => {
    const rec = recording({ idleMs: MIN });
    rec.cellFinished('a', cell(1, 'x=1\n', T0), T0 + 100);
    assert.equal(rec.idleDeadline, T0 + 100 + MIN);
    assert.equal(rec.expireIfIdle(T0 + 100 + MIN - 1), false);
    assert.equal(rec.expireIfIdle(T0 + 100 + MIN), true);
    assert.equal(rec.runId, undefined);
    rec.cellFinished('b', cell(2, 'x=2\n', T0 + 2 * MIN), T0 + 2 * MIN + 100);
    await rec.flushed();
    assert.deepEqual(log, [`start ${ids[0]} first`, `start ${ids[1]} first`, `end ${ids[0]}`]);
    const ended = events(path.join(exptrackDir, 'runs', ids[0]!, 'events.jsonl')).at(-1);
    assert.deepEqual(ended, { t: 'end', status: 'finished', ended: (T0 + 100) / 1000 });
  });

  it('names snapshots by a counter when the kernel reports no execution order', async () => {
    const rec = recording();
    rec.cellFinished('a', cell(null, 'a\n', T0), T0 + 100);
    rec.cellFinished('b', cell(null, 'b\n', T0 + 200), T0 + 300);
    rec.close();
    await rec.flushed();
    assert.deepEqual(fs.readdirSync(path.join(exptrackDir, 'runs', ids[0]!, 'cells')).sort(), ['1.json', '2.json']);
  });

  it('describes a run with the real run start by default (no git here: no git fields)', async () => {
    const rec = recording({ describeRun: undefined, experiment: 'nb' });
    rec.cellFinished('a', cell(1, 'loss: 1\n', T0), T0 + 100);
    rec.close();
    await rec.flushed();
    const start = events(path.join(exptrackDir, 'runs', ids[0]!, 'events.jsonl'))[0]!;
    assert.equal(start.t, 'run');
    if (start.t !== 'run') return;
    assert.deepEqual([start.name, start.experiment, start.source, start.command], ['train é.ipynb', 'nb', { kind: 'notebook', path: 'experiments/train é.ipynb' }, undefined]);
    assert.equal(start.cwd, path.dirname(notebookPath));
  });
});
