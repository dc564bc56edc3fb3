// The series pipeline on a real index (points in series files): the spike of one step visible at
// every zoom level, each pixel column's extremes kept, the same answer twice, a zoom that reads
// only the chunks it shows yet smooths exactly as over the whole series, derived metrics.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RunIndexWriter } from '../../../src/core/store/runIndexWriter';
import { avgInto, emaInto, freshState, gaussInto, twemaInto } from '../../../src/core/series/smoothers';
import { Store } from '../../../src/core/store/store';
import type { MetricSeries, SeriesRequest } from '../../../src/shared/compare/compareTypes';
import type { Smoothing } from '../../../src/shared/compare/smoothing';
import type { RunEvent } from '../../../src/shared/runEvents';

const N = 200_000;
const SPIKE = 123_457;
const valueAt = (s: number) => (s === SPIKE ? 50 : Math.exp(-s / 60_000) + 0.05 * Math.sin(s * 0.37));

function fill(store: Store, runs: { uid: string; points: [number, Record<string, number>][] }[]): void {
  const db = store.database;
  db.exec('BEGIN');
  const writer = new RunIndexWriter(db, store.series);
  for (const run of runs) {
    const events: RunEvent[] = [{ t: 'run', v: 1, id: run.uid, name: run.uid, experiment: 'e', started: 1732240000 } as RunEvent];
    for (const [step, values] of run.points) events.push({ t: 'metrics', step, time: 1732240000 + step, values } as RunEvent);
    writer.apply({ runUid: run.uid, events }, { sourceId: 1 });
  }
  writer.finish();
  db.exec('COMMIT');
}

const long = () => ({ uid: 'long', points: Array.from({ length: N }, (_, s): [number, Record<string, number>] => [s, { loss: valueAt(s) }]) });

describe('series pipeline', function () {
  this.timeout(120_000);
  let root: string;
  let dbPath: string;

  before(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'exptrack-pipeline-'));
    dbPath = path.join(root, '.exptrack', 'exptrack.sqlite');
    fs.mkdirSync(path.dirname(dbPath), { recursive: true });
    const { store } = await Store.open({ workspaceRoot: root, dbPath });
    const short = { uid: 'short', points: Array.from({ length: 5000 }, (_, s): [number, Record<string, number>] => [s * 10, { loss: 1 / (1 + s) }]) };
    const derived = {
      uid: 'derived',
      points: Array.from({ length: 10 }, (_, s): [number, Record<string, number>] => [s, s % 2 === 0 ? { loss: s, val_loss: 2 * s, accuracy: s / 10 } : { loss: s, accuracy: s / 10 }]),
    };
    // Steps logged backwards across chunks: chunk order is not step order.
    const backwards = { uid: 'backwards', points: [...Array.from({ length: 4096 }, (_, s): [number, Record<string, number>] => [10_000 + s, { loss: 2 }]), ...Array.from({ length: 4096 }, (_, s): [number, Record<string, number>] => [s, { loss: 1 }])] };
    fill(store, [long(), short, derived, backwards]);
    store.save();
    store.close();
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  async function open(): Promise<Store> {
    return (await Store.open({ workspaceRoot: root, dbPath })).store;
  }

  const ask = (store: Store, request: Partial<SeriesRequest> & { keys?: string[] }): MetricSeries[] =>
    store.chartSeries({ uids: ['long'], keys: ['loss'], buckets: 500, ...request });

  it('shows a one-step spike in a long series at every zoom level, and the same points twice', async () => {
    const store = await open();
    const again = await open();
    try {
      const ranges = [null, { from: 100_000, to: 150_000 }, { from: 123_000, to: 124_000 }, { from: 123_450, to: 123_470 }];
      for (const smoothing of [undefined, { kind: 'ema', amount: 0.9 } as Smoothing]) {
        for (const range of ranges) {
          const [view] = ask(store, { range, smoothing });
          const at = [...view!.values].indexOf(50);
          assert.ok(at >= 0, `the spike is drawn (range ${JSON.stringify(range)})`);
          assert.equal(view!.steps[at], SPIKE);
          assert.ok(view!.values.length <= 500 * (smoothing ? 6 : 4) + 2, `${view!.values.length} points for 500 columns`);
          assert.equal(view!.total, range ? range.to - range.from + 1 : N);
          // Another store on the same files gives exactly the same answer: nothing is sampled at random.
          assert.deepStrictEqual(ask(again, { range, smoothing })[0], view);
        }
      }
      const [elsewhere] = ask(store, { range: { from: 0, to: 50_000 } });
      assert.ok(![...elsewhere!.values].includes(50));
    } finally {
      store.close();
      again.close();
    }
  });

  it('keeps the first, last, lowest and highest point of every pixel column', async () => {
    const store = await open();
    try {
      const buckets = 333;
      const [view] = ask(store, { buckets });
      const kept = new Set(view!.steps);
      const perColumn = new Map<number, number[]>();
      for (let s = 0; s < N; s++) {
        const b = Math.min(buckets - 1, Math.floor((s * buckets) / (N - 1)));
        let list = perColumn.get(b);
        if (!list) perColumn.set(b, (list = []));
        list.push(s);
      }
      for (const steps of perColumn.values()) {
        const values = steps.map(valueAt);
        for (const s of [steps[0]!, steps.at(-1)!, steps[values.indexOf(Math.min(...values))]!, steps[values.indexOf(Math.max(...values))]!]) {
          assert.ok(kept.has(s), `step ${s} kept`);
        }
      }
      assert.equal(view!.bucketStarts.length, perColumn.size + 1);
      assert.equal(view!.bucketStarts.at(-1), view!.values.length);
    } finally {
      store.close();
    }
  });

  it('smooths a zoomed range exactly as the whole series, reading only the chunks it shows', async () => {
    const store = await open();
    try {
      const all = Float64Array.from({ length: N }, (_, s) => valueAt(s));
      const steps = Float64Array.from({ length: N }, (_, s) => s);
      const full = (s: Smoothing): Float64Array => {
        const out = new Float64Array(N);
        if (s.kind === 'ema') emaInto(all, 0, N, s.amount, freshState(), out);
        if (s.kind === 'twema') twemaInto(steps, all, 0, N, s.amount, N - 1, freshState(), out);
        if (s.kind === 'gauss') gaussInto(steps, all, N, 0, N, s.amount, out);
        if (s.kind === 'avg') avgInto(steps, all, N, 0, N, s.amount, out);
        return out;
      };
      let reads = 0;
      const bytesOf = store.series.bytesOf.bind(store.series);
      store.series.bytesOf = (c) => {
        reads++;
        return bytesOf(c);
      };
      for (const smoothing of [{ kind: 'ema', amount: 0.95 }, { kind: 'twema', amount: 0.7 }, { kind: 'gauss', amount: 25 }, { kind: 'avg', amount: 40 }] as Smoothing[]) {
        const reference = full(smoothing);
        ask(store, { smoothing }); // the whole chart first, as a user zooms into it
        reads = 0;
        const range = { from: 150_000, to: 160_000 };
        const [zoomed] = ask(store, { smoothing, range });
        assert.ok(reads <= 6, `${smoothing.kind}: ${reads} chunks read for 10,001 of ${N} steps`);
        for (let i = 0; i < zoomed!.steps.length; i++) {
          const s = zoomed!.steps[i]!;
          assert.ok(Math.abs(zoomed!.smoothed![i]! - reference[s]!) < 1e-9, `${smoothing.kind} at step ${s}: ${zoomed!.smoothed![i]} vs ${reference[s]}`);
        }
        assert.ok(zoomed!.steps[0]! < range.from && zoomed!.steps.at(-1)! > range.to, 'one point on each side leads the line in and out');
      }
    } finally {
      store.close();
    }
  });

  it('serves an unchanged series from its cache, and the x range of all runs divides the columns', async () => {
    const store = await open();
    try {
      const request = { uids: ['long', 'short'], keys: ['loss'], buckets: 100 };
      const first = store.chartSeries(request);
      assert.equal(store.chartSeries(request)[0], first[0], 'the same object: not computed again');
      // short logs steps 0..49,990: on the shared x range 0..199,999 it fills the first quarter of the columns.
      const short = first.find((s) => s.uid === 'short')!;
      assert.equal(short.bucketStarts.length - 1, 25);
    } finally {
      store.close();
    }
  });

  it('reads steps logged out of chunk order in full, and zooms them right', async () => {
    const store = await open();
    try {
      const [view] = store.chartSeries({ uids: ['backwards'], keys: ['loss'], buckets: 50, range: { from: 4000, to: 10_050 }, smoothing: { kind: 'ema', amount: 0.5 } });
      assert.equal(view!.total, 96 + 51);
      assert.deepEqual([view!.steps[0], view!.steps.at(-1)], [3999, 10_051]);
      assert.ok([...view!.steps].every((s, i, a) => i === 0 || s > a[i - 1]!), 'in step order');
    } finally {
      store.close();
    }
  });

  it('draws derived metrics at the steps all their keys have, and summarises them', async () => {
    const store = await open();
    try {
      const [diff, inverse] = store.chartSeries({ uids: ['derived'], keys: ['val_loss - loss', '1 - accuracy'], derived: ['val_loss - loss', '1 - accuracy'], buckets: 100 });
      assert.deepEqual([...diff!.steps], [0, 2, 4, 6, 8]);
      assert.deepEqual([...diff!.values], [0, 2, 4, 6, 8]);
      assert.equal(inverse!.key, '1 - accuracy');
      assert.deepEqual([...inverse!.values].map((v) => Math.round(v * 10) / 10), [1, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1]);
      const snapshot = store.compareRuns(['derived'], 5, ['val_loss - loss', 'no_such_key * 2']);
      const column = snapshot.metrics.find((m) => m.key === 'val_loss - loss')!;
      assert.equal(column.derived, true);
      assert.deepEqual([column.count[0], column.last[0], column.lastStep[0], column.min[0], column.max[0], column.atStep[0], column.atStepStep[0]], [5, 8, 8, 0, 8, 4, 4]);
      const missing = snapshot.metrics.find((m) => m.key === 'no_such_key * 2')!;
      assert.equal(missing.count[0], 0, 'a run without the key has no value');
    } finally {
      store.close();
    }
  });
});
