import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { MetricSummary } from '../../../src/shared/runTypes';
import { evaluateGate, formatGateReport, gateRecordOf } from '../../../src/core/registry/gate';
import { gateResultOf } from '../../../src/core/registry/modelVersionsFold';
import { readWorkspaceGateSettings, resolveGateSettings } from '../../../src/core/registry/gateSettings';

const summary = (key: string, last: number): MetricSummary => ({ key, last, lastStep: 9, lastTime: null, min: Math.min(last, 0), max: Math.max(last, 1), count: 10 });
const subject = (version: number, metrics: Record<string, number>) => ({ version, metrics: Object.entries(metrics).map(([k, v]) => summary(k, v)) });

describe('champion–challenger gate', () => {
  it('passes a candidate that improves by at least minDelta (max), on the last value', () => {
    const r = evaluateGate({ candidate: subject(4, { acc: 0.92 }), holder: subject(3, { acc: 0.9 }), metric: 'acc', mode: 'max', minDelta: 0.01, holderLabel: 'champion' });
    assert.equal(r.passed, true);
    assert.equal(r.candidateValue, 0.92);
    assert.equal(r.holderValue, 0.9);
    assert.ok(Math.abs(r.delta! - 0.02) < 1e-12);
    assert.match(r.reason, /v4 acc=0\.92 vs champion v3 acc=0\.9: improvement \+0\.02 ≥ min delta 0\.01 \(higher is better\)/);
  });

  it('fails a candidate that does not improve enough, and reads min mode the other way round', () => {
    const worse = evaluateGate({ candidate: subject(4, { acc: 0.905 }), holder: subject(3, { acc: 0.9 }), metric: 'acc', mode: 'max', minDelta: 0.01 });
    assert.equal(worse.passed, false);
    assert.match(worse.reason, /< min delta 0\.01/);
    const lowerLoss = evaluateGate({ candidate: subject(2, { loss: 0.3 }), holder: subject(1, { loss: 0.4 }), metric: 'loss', mode: 'min', minDelta: 0 });
    assert.equal(lowerLoss.passed, true);
    assert.ok(lowerLoss.delta! > 0);
    const higherLoss = evaluateGate({ candidate: subject(2, { loss: 0.5 }), holder: subject(1, { loss: 0.4 }), metric: 'loss', mode: 'min', minDelta: 0 });
    assert.equal(higherLoss.passed, false);
  });

  it('lets a tie pass at minDelta 0, does not fail on decimal rounding, and tolerates a loss with a negative minDelta', () => {
    assert.equal(evaluateGate({ candidate: subject(2, { m: 0.5 }), holder: subject(1, { m: 0.5 }), metric: 'm', mode: 'max', minDelta: 0 }).passed, true);
    // 0.3 - 0.2 is 0.09999999999999998 in floating point.
    assert.equal(evaluateGate({ candidate: subject(2, { m: 0.3 }), holder: subject(1, { m: 0.2 }), metric: 'm', mode: 'max', minDelta: 0.1 }).passed, true);
    assert.equal(evaluateGate({ candidate: subject(2, { m: 0.89 }), holder: subject(1, { m: 0.9 }), metric: 'm', mode: 'max', minDelta: -0.02 }).passed, true);
  });

  it('passes when nothing holds the alias or the holder lacks the metric', () => {
    const none = evaluateGate({ candidate: subject(1, { acc: 0.5 }), holder: null, metric: 'acc', mode: 'max', minDelta: 0.1, holderLabel: 'champion' });
    assert.deepEqual([none.passed, none.holderVersion, none.delta], [true, null, null]);
    assert.match(none.reason, /no version holds champion/);
    const holderWithout = evaluateGate({ candidate: subject(2, { acc: 0.5 }), holder: subject(1, { loss: 1 }), metric: 'acc', mode: 'max', minDelta: 0 });
    assert.equal(holderWithout.passed, true);
    assert.match(holderWithout.reason, /v1 has no "acc"/);
  });

  it('fails a candidate without the metric, or with NaN, saying why', () => {
    const noRun = evaluateGate({ candidate: subject(2, {}), holder: subject(1, { acc: 0.5 }), metric: 'acc', mode: 'max', minDelta: 0 });
    assert.equal(noRun.passed, false);
    assert.match(noRun.reason, /candidate v2 has no "acc" \(it has no source run with metrics\)/);
    const otherMetric = evaluateGate({ candidate: subject(2, { loss: 1 }), holder: null, metric: 'acc', mode: 'max', minDelta: 0 });
    assert.equal(otherMetric.passed, false);
    assert.match(otherMetric.reason, /its run did not log it/);
    const nan = evaluateGate({ candidate: subject(2, { acc: NaN }), holder: subject(1, { acc: 0.5 }), metric: 'acc', mode: 'max', minDelta: 0 });
    assert.equal(nan.passed, false);
    assert.match(nan.reason, /NaN/);
  });

  it('records a verdict in the event format and reads it back', () => {
    const r = evaluateGate({ candidate: subject(2, { acc: Infinity }), holder: subject(1, { acc: 0.5 }), metric: 'acc', mode: 'max', minDelta: 0 });
    const record = gateRecordOf(r);
    assert.equal(record.candidate.value, 'Infinity');
    assert.equal(record.delta, 'Infinity');
    assert.deepEqual(gateResultOf(JSON.parse(JSON.stringify(record))), r);
  });

  it('formats a readable report', () => {
    const r = evaluateGate({ candidate: subject(4, { acc: 0.88 }), holder: subject(3, { acc: 0.9 }), metric: 'acc', mode: 'max', minDelta: 0, holderLabel: 'champion' });
    const text = formatGateReport(r, { model: 'churn', against: 'champion' });
    assert.equal(text, [
      'Gate: churn v4 against champion on "acc" (higher is better, min delta 0)',
      '  candidate v4  0.88',
      '  champion v3   0.9',
      '  improvement   -0.02',
      'FAILED: v4 acc=0.88 vs champion v3 acc=0.9: improvement -0.02 < min delta 0 (higher is better)',
    ].join('\n'));
  });
});

describe('gate settings', () => {
  let root: string;
  beforeEach(() => (root = fs.mkdtempSync(path.join(os.tmpdir(), 'exptrack-gate-'))));
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('reads exptrack.gate.* from .vscode/settings.json with comments and trailing commas', () => {
    fs.mkdirSync(path.join(root, '.vscode'));
    fs.writeFileSync(path.join(root, '.vscode', 'settings.json'), `{
      // gate on validation accuracy
      "exptrack.gate.metric": "val/acc", /* slash in a name */
      "exptrack.gate.mode": "max",
      "exptrack.gate.minDelta": 0.005,
      "files.exclude": { "**/.git": true, },
    }`);
    const s = readWorkspaceGateSettings(root);
    assert.deepEqual(s, { metric: 'val/acc', mode: 'max', minDelta: 0.005, problems: [] });
    assert.deepEqual(resolveGateSettings(s, { mode: 'min', metric: undefined }), { metric: 'val/acc', mode: 'min', minDelta: 0.005 });
  });

  it('reports unusable values and works without a settings file', () => {
    assert.deepEqual(readWorkspaceGateSettings(root), { problems: [] });
    assert.equal(resolveGateSettings(readWorkspaceGateSettings(root)), null);
    assert.deepEqual(resolveGateSettings({}, { metric: 'loss' }), { metric: 'loss', mode: 'max', minDelta: 0 });
    fs.mkdirSync(path.join(root, '.vscode'));
    fs.writeFileSync(path.join(root, '.vscode', 'settings.json'), '{"exptrack.gate.mode": "up", "exptrack.gate.minDelta": "0.1"}');
    assert.equal(readWorkspaceGateSettings(root).problems.length, 2);
    fs.writeFileSync(path.join(root, '.vscode', 'settings.json'), '{\n  // the gate\n  "exptrack.gate.metric": "acc"\n  "exptrack.gate.mode": "max"\n}');
    assert.deepEqual(readWorkspaceGateSettings(root).problems, ['.vscode/settings.json:4: not readable as JSON (CommaExpected); gate settings ignored']);
  });
});
