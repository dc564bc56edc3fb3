// What one Compare webview is sent, and when: fetched early, posted only to a listening page,
// everything again after the page comes back, and only the runs that grew while it listens.
import * as assert from 'node:assert/strict';
import { CompareSession } from '../../../src/extension/compare/compareSession';
import { RunColorSlots } from '../../../src/extension/compare/runColorSlots';
import type { Log } from '../../../src/extension/log';
import type { RunIndex } from '../../../src/extension/store/runIndex';
import type { CompareSnapshot, MetricSeries, SeriesRequest } from '../../../src/shared/compare/compareTypes';
import type { CompareHostMessage } from '../../../src/shared/protocol/compare';
import type { IngestReport } from '../../../src/shared/runTypes';

const f = (...v: number[]) => Float64Array.from(v);

class FakeIndex {
  calls: string[] = [];
  /** Runs while a call is in the worker (before it answers). */
  during: ((method: string) => void) | undefined;
  private listeners: ((r: IngestReport) => void)[] = [];
  onDidChange = (l: (r: IngestReport) => void) => {
    this.listeners.push(l);
    return { dispose: () => undefined };
  };
  async call(method: string, ...args: unknown[]): Promise<unknown> {
    const request = method === 'chartSeries' ? (args[0] as SeriesRequest) : undefined;
    const uids = request ? request.uids : (args[0] as string[]);
    await Promise.resolve();
    this.during?.(method);
    this.calls.push(request ? `chartSeries(${JSON.stringify(uids)}, ${JSON.stringify(request.keys)}${request.range ? `, ${request.range.from}..${request.range.to}` : ''})` : `${method}(${JSON.stringify(uids)})`);
    if (method === 'compareRuns') {
      const snapshot: CompareSnapshot = {
        runs: uids.map((uid) => ({ uid, name: uid, experiment: 'e', status: 'running', sourceKind: null, sourcePath: null, started: 0, ended: null, gitCommit: null, gitDirty: null })),
        params: [],
        metrics: ['acc', 'loss'].map((key) => ({ key, count: f(...uids.map(() => 1)), last: f(), lastStep: f(), min: f(), max: f(), atStep: f(), atStepStep: f() })),
        atStep: null,
        missing: [],
      };
      return snapshot;
    }
    return uids.flatMap((uid) => request!.keys.map((key): MetricSeries => ({ uid, key, steps: f(0), times: f(0), values: f(1), smoothed: null, bucketStarts: Uint32Array.from([0, 1]), total: 1, nonFinite: 0 })));
  }
  grow(uids: string[]): void {
    for (const l of this.listeners) l({ sourcesSeen: 1, sourcesRead: 1, runsTouched: uids, points: 1, problems: [] });
  }
}

const settle = () => new Promise((r) => setTimeout(r, 200));
const log = { info: () => undefined, warn: () => undefined, error: (m: string) => assert.fail(m) } as unknown as Log;

function session() {
  const index = new FakeIndex();
  const posted: CompareHostMessage[] = [];
  const s = new CompareSession(index as unknown as RunIndex, async (m) => {
    posted.push(m);
    return true;
  }, log, { label: 'test', shape: { buckets: 500, smoothing: { kind: 'none', amount: 0 }, withTimes: false }, colors: new RunColorSlots(), defaultKeys: (keys) => keys.slice(0, 1) });
  return { index, posted, s };
}

const summary = (posted: CompareHostMessage[]) => posted.map((m) => (m.type === 'series'
  ? `series ${m.replace ? 'all' : 'update'} ${m.series.map((x) => `${x.uid}/${x.key}`).join(',')}`
  : m.type === 'snapshot' ? `snapshot ${m.snapshot.runs.map((r) => r.uid).join(',')} colors ${m.colors.join(',')}`
    : m.type === 'detail' ? `detail ${m.key} ${m.series.map((x) => x.uid).join(',')}` : m.type));

describe('CompareSession', () => {
  it('fetches the runs and the default metrics before the page is ready, and posts once it is', async () => {
    const { index, posted, s } = session();
    s.setRuns(['a', 'b']);
    await settle();
    assert.deepEqual(index.calls.slice(-2), ['compareRuns(["a","b"])', 'chartSeries(["a","b"], ["acc"])']);
    assert.deepEqual(posted, [], 'nothing posted to a page that is not listening');
    s.attach();
    await settle();
    assert.deepEqual(summary(posted), ['snapshot a,b colors 0,1', 'series all a/acc,b/acc']);
    s.dispose();
  });

  it('sends the snapshot before any series when the page comes while the series are read, and each once', async () => {
    const { index, posted, s } = session();
    index.during = (method) => {
      if (method === 'chartSeries') s.attach();
    };
    s.setRuns(['a', 'b']);
    await settle();
    assert.deepEqual(summary(posted), ['snapshot a,b colors 0,1', 'series all a/acc,b/acc']);
    assert.equal(index.calls.filter((c) => c.startsWith('chartSeries')).length, 1);
    s.dispose();
  });

  it('sends only the runs that grew while the page listens, and everything after it comes back', async () => {
    const { index, posted, s } = session();
    s.setRuns(['a', 'b']);
    s.attach();
    await settle();
    s.requestSeries(['loss']);
    await settle();
    posted.length = 0;
    index.calls.length = 0;
    index.grow(['b', 'elsewhere']);
    await settle();
    assert.deepEqual(index.calls, ['compareRuns(["a","b"])', 'chartSeries(["b"], ["loss"])']);
    assert.deepEqual(summary(posted), ['snapshot a,b colors 0,1', 'series update b/loss']);

    // Hidden: growth waits; shown again: the latest state, whole.
    s.detach();
    posted.length = 0;
    index.calls.length = 0;
    index.grow(['a']);
    await settle();
    assert.deepEqual(index.calls, [], 'no work for a hidden page');
    s.attach();
    await settle();
    assert.deepEqual(index.calls, ['compareRuns(["a","b"])', 'chartSeries(["a"], ["loss"])']);
    assert.deepEqual(summary(posted), ['snapshot a,b colors 0,1', 'series all a/loss,b/loss']);
    s.dispose();
  });

  it('fetches only what a tick, a chart scrolled into view or a zoom adds; a new smoothing fetches all again', async () => {
    const { index, posted, s } = session();
    s.setRuns(['a', 'b']);
    s.attach();
    await settle();
    posted.length = 0;
    index.calls.length = 0;
    s.setRuns(['a', 'b', 'c']);
    await settle();
    assert.deepEqual(index.calls, ['compareRuns(["a","b","c"])', 'chartSeries(["c"], ["acc"])'], 'only the ticked run');
    assert.deepEqual(summary(posted), ['snapshot a,b,c colors 0,1,2', 'series update c/acc']);
    posted.length = 0;
    index.calls.length = 0;
    s.setRuns(['a', 'c']);
    await settle();
    assert.deepEqual(index.calls, ['compareRuns(["a","c"])'], 'an unticked run costs no series');
    index.calls.length = 0;
    s.requestSeries(['acc', 'loss']);
    await settle();
    assert.deepEqual(index.calls, ['chartSeries(["a","c"], ["loss"])'], 'only the chart that came into view');
    index.calls.length = 0;
    posted.length = 0;
    s.requestDetail({ key: 'loss', id: 3, buckets: 300, ranges: [{ uid: 'a', from: 10, to: 20 }, { uid: 'c', from: 10, to: 20 }, { uid: 'gone', from: 1, to: 2 }] });
    await settle();
    assert.deepEqual(index.calls, ['chartSeries(["a","c"], ["loss"], 10..20)'], 'one call for one step range');
    assert.deepEqual(summary(posted), ['detail loss a,c']);
    index.calls.length = 0;
    s.requestSeries(['acc', 'loss'], { smoothing: { kind: 'ema', amount: 0.9 } });
    await settle();
    assert.deepEqual(index.calls, ['chartSeries(["a","c"], ["acc","loss"])']);
    s.dispose();
  });

  it('keeps a run\'s colour while it is compared and gives new runs the lowest free colour', async () => {
    const slots = new RunColorSlots();
    assert.deepEqual(slots.assign('view', ['a', 'b', 'c']), [0, 1, 2]);
    assert.deepEqual(slots.assign('view', ['c', 'd']), [2, 0]);
    assert.deepEqual(slots.assign('panel', ['d', 'e', 'c']), [0, 1, 2], 'the panel shows the same colours');
    slots.release('view');
    assert.deepEqual(slots.assign('panel', ['c', 'f']), [2, 0]);
  });
});
