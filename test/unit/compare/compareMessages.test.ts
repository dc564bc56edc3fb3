// The host's side of the Compare protocol, in Node: every message from a webview is validated;
// what does not match is logged and ignored. (No vscode import is needed by these modules.)
import * as assert from 'node:assert/strict';
import * as z from 'zod/mini';
import { dispatchCompareMessage, type CompareMessageTarget } from '../../../src/extension/compare/compareMessages';
import type { Log } from '../../../src/extension/log';
import { createCompareProtocol } from '../../../src/shared/protocol/compare';

function recorder() {
  const calls: unknown[][] = [];
  const warnings: string[] = [];
  const errors: string[] = [];
  const target: CompareMessageTarget = {
    ready: () => void calls.push(['ready']),
    setRuns: (uids) => void calls.push(['setRuns', uids]),
    pickRuns: async () => void calls.push(['pickRuns']),
    openPanel: async () => void calls.push(['openPanel']),
    setAtStep: (step) => void calls.push(['setAtStep', step]),
    requestSeries: (keys, shape) => void calls.push(['requestSeries', keys, shape]),
    requestDetail: (request) => void calls.push(['requestDetail', request]),
    setDerived: (expressions) => void calls.push(['setDerived', expressions]),
    exportTable: async (format, allParams, keys) => void calls.push(['export', format, allParams, keys]),
    diffCode: async (uids) => void calls.push(['diffCode', uids]),
    requestSlices: () => void calls.push(['requestSlices']),
  };
  const log = { warn: (m: string) => warnings.push(m), error: (m: string) => errors.push(m), info: () => undefined } as unknown as Log;
  return { calls, warnings, errors, target, log };
}

describe('Compare protocol on the host', () => {
  const protocol = createCompareProtocol();

  it('hands valid messages to the target', async () => {
    const r = recorder();
    for (const m of [
      { type: 'ready' },
      { type: 'setRuns', uids: ['a', 'b'] },
      { type: 'setAtStep', step: null },
      { type: 'requestSeries', keys: ['loss'], buckets: 500, smoothing: { kind: 'gauss', amount: 3 } },
      { type: 'requestSeries', keys: ['acc'] },
      { type: 'requestDetail', key: 'loss', id: 7, buckets: 400, ranges: [{ uid: 'a', from: 10, to: 20 }] },
      { type: 'setDerived', expressions: ['val/loss - train/loss'] },
      { type: 'export', format: 'csv', allParams: true },
      { type: 'diffCode', uids: ['a', 'b'] },
      { type: 'requestSlices' },
    ]) await dispatchCompareMessage(m, protocol, r.target, r.log, 'test');
    assert.deepEqual(r.calls, [
      ['ready'], ['setRuns', ['a', 'b']], ['setAtStep', null], ['requestSeries', ['loss'], { buckets: 500, smoothing: { kind: 'gauss', amount: 3 } }],
      ['requestSeries', ['acc'], {}], ['requestDetail', { key: 'loss', id: 7, buckets: 400, ranges: [{ uid: 'a', from: 10, to: 20 }] }],
      ['setDerived', ['val/loss - train/loss']], ['export', 'csv', true, undefined], ['diffCode', ['a', 'b']], ['requestSlices'],
    ]);
    assert.deepEqual(r.warnings, []);
  });

  it('ignores and logs what does not match: unknown types, wrong shapes, huge or hostile input', async () => {
    const r = recorder();
    const bad: unknown[] = [
      null, 'ready', 42, {}, { type: 'runShell', command: 'rm -rf /' },
      { type: 'setRuns', uids: 'a' }, { type: 'setRuns', uids: [''] }, { type: 'setAtStep', step: Infinity },
      { type: 'requestSeries', keys: ['x'], buckets: 1e9 }, { type: 'requestSeries', keys: ['x'], smoothing: { kind: 'median', amount: 3 } },
      { type: 'requestDetail', key: 'x', id: 1, buckets: 10, ranges: [{ uid: 'a', from: 'start', to: 2 }] },
      { type: 'setDerived', expressions: new Array(101).fill('a') }, { type: 'export', format: 'html', allParams: true },
      { type: 'diffCode', uids: ['only-one'] }, { type: 'setRuns', uids: new Array(6000).fill('u') },
      { type: 'error', message: 'x'.repeat(5000) },
    ];
    for (const m of bad) await dispatchCompareMessage(m, protocol, r.target, r.log, 'Compare panel');
    assert.deepEqual(r.calls, [], 'nothing reached the target');
    assert.equal(r.warnings.length, bad.length);
    assert.ok(r.warnings.every((w) => w.startsWith('Compare panel: ignored an invalid message')));
    assert.ok(r.warnings.every((w) => w.length < 2000), 'the log line stays short');
  });

  it('writes a page error to the log', async () => {
    const r = recorder();
    await dispatchCompareMessage({ type: 'error', message: 'boom' }, protocol, r.target, r.log, 'Compare view');
    assert.deepEqual(r.errors, ['Compare view: boom']);
  });

  it('logs a target that fails instead of throwing', async () => {
    const r = recorder();
    r.target.pickRuns = async () => {
      throw new Error('no quick pick');
    };
    await dispatchCompareMessage({ type: 'pickRuns' }, protocol, r.target, r.log, 'test');
    assert.deepEqual(r.errors, ['test: pickRuns failed: no quick pick']);
  });

  it('validates host messages the way a webview does, in jitless mode, typed arrays included', () => {
    z.config({ jitless: true });
    try {
      const webviewSide = createCompareProtocol();
      const f = (...v: number[]) => Float32Array.from(v);
      const ok = webviewSide.hostMessage.safeParse({
        type: 'series', keys: ['loss'], withTimes: false, smoothing: { kind: 'ema', amount: 0.6 }, buckets: 500, replace: true,
        series: [{ uid: 'a', key: 'loss', steps: f(0, 1), values: f(1, NaN), smoothed: f(1, NaN), bucketStarts: Uint32Array.from([0, 2]), timeBase: null, times: null, total: 2, nonFinite: 1 }],
      });
      assert.ok(ok.success);
      const data = ok.data as unknown as { series: { values: Float32Array }[] };
      assert.ok(Number.isNaN(data.series[0]!.values[1]!), 'NaN survives');
      const wrong = webviewSide.hostMessage.safeParse({
        type: 'series', keys: [], withTimes: false, smoothing: { kind: 'none', amount: 0 }, buckets: 500, replace: true,
        series: [{ uid: 'a', key: 'k', steps: [0], values: [0], smoothed: null, bucketStarts: [0, 1], timeBase: null, times: null, total: 1, nonFinite: 0 }],
      });
      assert.equal(wrong.success, false, 'plain arrays are not series');
      const slices = {
        uid: 'a', name: '<b>x</b>', overall: { acc: 0.8 }, overallCount: 10, metrics: ['acc'], gapThreshold: 0.05,
        slices: [{ slice: { sex: 'F' }, label: 'sex=F', count: 4, values: { acc: 0.7 }, gaps: { acc: -0.1 }, flagged: ['acc'] }],
        thresholds: [{ metric: 'acc', slice: '', lower: 0.5, upper: null, value: 0.8, passed: true }],
        validation: { passed: false, failures: [{ slice: 'sex=F', metric: 'acc', message: 'below' }] }, blessed: null,
      };
      assert.ok(webviewSide.hostMessage.safeParse({ type: 'slices', runs: [slices] }).success);
      assert.equal(webviewSide.hostMessage.safeParse({ type: 'slices', runs: [{ ...slices, slices: [{ label: 1 }] }] }).success, false);
      assert.equal(webviewSide.hostMessage.safeParse({ type: 'showTab', tab: 'evil' }).success, false);
    } finally {
      z.config({ jitless: false });
    }
  });
});
