/**
 * Sliced metrics end to end: the Python client logs them, the index keeps them apart from the
 * overall series, `exptrack slices` reports them, and the gate refuses a challenger that is better
 * overall but worse on one slice.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createCliContext, type CliContext, type CliIo } from '../../../src/cli/cliContext';
import { gateCommand } from '../../../src/cli/commands/gate';
import { promoteCommand } from '../../../src/cli/commands/promote';
import { slicesCommand } from '../../../src/cli/commands/slices';
import { evaluateGate } from '../../../src/core/registry/gate';
import { parseRunEventLine } from '../../../src/shared/runEvents';
import type { RunSlices } from '../../../src/shared/slices';
import { metrics, runEnd, runStart, tempWorkspace, writeRun } from '../registry/support/workspace';

const CLIENT_DIR = path.resolve('python');

describe('sliced metrics', function () {
  this.timeout(30_000);
  let root: string;
  let ctx: CliContext;
  beforeEach(() => {
    root = tempWorkspace('exptrack-slices-');
    ctx = createCliContext(root, null);
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  async function cli(command: (args: string[], io: CliIo, ctx: CliContext) => Promise<number>, args: string[]) {
    let out = '';
    let err = '';
    const code = await command(args, { stdout: (s) => void (out += s), stderr: (s) => void (err += s), cwd: root }, ctx);
    return { code, out, err };
  }

  it('a Python-client run with 3 slices × 2 metrics: the overall series untouched, the slices reported', async () => {
    execFileSync('python3', ['-c', [
      'import exptrack',
      'with exptrack.init(name="fair", experiment="credit") as run:',
      '    run.log({"accuracy": 0.80, "f1": 0.75, "count": 1000})',
      '    for sex, acc, f1, n in (("F", 0.70, 0.74, 400), ("M", 0.86, 0.77, 550), ("<img src=x onerror=alert(1)>", 0.79, 0.6, 50)):',
      '        run.log({"accuracy": acc, "f1": f1, "count": n}, slice={"sex": sex})',
    ].join('\n')], { cwd: root, env: { ...process.env, PYTHONPATH: CLIENT_DIR, EXPTRACK_DIR: path.join(root, '.exptrack') } });
    const runDir = fs.readdirSync(path.join(root, '.exptrack', 'runs'))[0]!;
    const lines = fs.readFileSync(path.join(root, '.exptrack', 'runs', runDir, 'events.jsonl'), 'utf8').trim().split('\n');
    const sliced = lines.map(parseRunEventLine).filter((p) => p.kind === 'event' && p.event.t === 'metrics' && p.event.slice);
    assert.equal(sliced.length, 3, 'every line is a valid event of the format');

    const { code, out } = await cli(slicesCommand, [runDir, '--json']);
    assert.equal(code, 0);
    const report = JSON.parse(out) as RunSlices;
    assert.deepEqual(report.overall, { accuracy: 0.8, f1: 0.75 });
    assert.equal(report.overallCount, 1000);
    assert.deepEqual(report.metrics, ['accuracy', 'f1']);
    assert.deepEqual(report.slices.map((s) => s.values.f1), [0.6, 0.74, 0.77]);
    assert.deepEqual(report.slices.map((s) => [s.label, s.count, s.values.accuracy, Number(s.gaps.accuracy!.toFixed(12)), s.flagged]), [
      ['sex=<img src=x onerror=alert(1)>', 50, 0.79, -0.01, ['f1']],
      ['sex=F', 400, 0.7, -0.1, ['accuracy']],
      ['sex=M', 550, 0.86, 0.06, ['accuracy']],
    ]);
    // The overall series holds only the overall points: slices are not steps of it.
    const store = await ctx.openStore();
    try {
      store.ingest();
      assert.deepEqual(store.getRun(runDir)!.metrics.map((m) => [m.key, m.count, m.last]), [['accuracy', 1, 0.8], ['count', 1, 1000], ['f1', 1, 0.75]]);
    } finally {
      store.close();
    }
    const text = await cli(slicesCommand, [runDir, '--metric', 'accuracy', '--gap-threshold', '0.08']);
    assert.match(text.out, /accuracy \(overall 0\.8, 1000 examples\)/);
    assert.match(text.out, /sex=F\s+400\s+0\.7\s+-0\.1 !/);
    assert.match(text.out, /sex=M\s+550\s+0\.86\s+\+0\.06\n/);
    assert.equal((await cli(slicesCommand, [runDir, '--metric', 'loss'])).code, 1);
    await assert.rejects(cli(slicesCommand, [runDir, '--gap-threshold', '-1']), /--gap-threshold/);
  });

  it('the gate refuses a challenger better overall and worse on one slice by more than the allowed drop', async () => {
    writeRun(root, 'champ', [runStart('champ', 100), metrics(0, { auc: 0.80 }),
      { t: 'metrics', step: 0, slice: { region: 'north' }, values: { auc: 0.82 } },
      { t: 'metrics', step: 0, slice: { region: 'south' }, values: { auc: 0.78 } },
      { t: 'model', name: 'credit', path: 'out/champ.pt' }, runEnd(110)]);
    writeRun(root, 'chall', [runStart('chall', 200), metrics(0, { auc: 0.84 }),
      { t: 'metrics', step: 0, slice: { region: 'north' }, values: { auc: 0.90 } },
      { t: 'metrics', step: 0, slice: { region: 'south' }, values: { auc: 0.71 } },
      { t: 'model', name: 'credit', path: 'out/chall.pt' }, runEnd(210)]);
    assert.equal((await cli(promoteCommand, ['credit', '1', '--alias', 'champion', '--reason', 'first', '--metric', 'auc'])).code, 0);

    const overallOnly = await cli(gateCommand, ['--model', 'credit', '--candidate', '2', '--metric', 'auc', '--mode', 'max']);
    assert.equal(overallOnly.code, 0, 'better overall: passes without the slice check');
    const refused = await cli(gateCommand, ['--model', 'credit', '--candidate', '2', '--metric', 'auc', '--mode', 'max', '--slice-max-drop', '0.05']);
    assert.equal(refused.code, 1);
    assert.match(refused.out, /FAILED: better overall \(v2 auc=0\.84 vs champion v1 auc=0\.8: improvement \+0\.04 ≥ min delta 0 \(higher is better\)\), but 1 of 2 slices drop more than 0\.05; worst: slice region=south: v2 auc=0\.71 vs champion v1 0\.78, drop 0\.07/);
    const json = JSON.parse((await cli(gateCommand, ['--model', 'credit', '--candidate', '2', '--metric', 'auc', '--mode', 'max', '--slice-max-drop', '0.05', '--json'])).out);
    assert.deepEqual(json.result.slices.drops.map((d: { slice: string }) => d.slice), ['region=south', 'region=north']);
    const tolerant = await cli(gateCommand, ['--model', 'credit', '--candidate', '2', '--metric', 'auc', '--mode', 'max', '--slice-max-drop', '0.1']);
    assert.equal(tolerant.code, 0);
    assert.match(tolerant.out, /no slice drops more than 0\.1 \(largest: region=south, -0\.07\)/);

    // The same rule from .vscode/settings.json, and in a promotion: refused, explained.
    fs.mkdirSync(path.join(root, '.vscode'));
    fs.writeFileSync(path.join(root, '.vscode', 'settings.json'), '{ "exptrack.gate.metric": "auc", "exptrack.gate.sliceMaxDrop": 0.05 }');
    const promotion = await cli(promoteCommand, ['credit', '2', '--alias', 'champion', '--reason', 'better auc']);
    assert.equal(promotion.code, 1);
    assert.match(promotion.err, /slice region=south/);
  });

  it('the slice check, case by case', () => {
    const subject = (version: number, overall: number, slices: Record<string, number>) => ({
      version, metrics: [{ key: 'loss', last: overall, lastStep: 0, lastTime: null, min: overall, max: overall, count: 1 }],
      sliceMetrics: Object.entries(slices).map(([g, value]) => ({ slice: { group: g }, key: 'loss', value })),
    });
    const gate = (candidate: ReturnType<typeof subject>, holder: ReturnType<typeof subject>, sliceMaxDrop: number | null) =>
      evaluateGate({ candidate, holder, metric: 'loss', mode: 'min', minDelta: 0, sliceMaxDrop, holderLabel: 'champion' });
    // Lower is better: a slice whose loss rises by more than 0.1 fails.
    assert.equal(gate(subject(2, 0.3, { a: 0.2, b: 0.55 }), subject(1, 0.4, { a: 0.3, b: 0.4 }), 0.1).passed, false);
    assert.equal(gate(subject(2, 0.3, { a: 0.2, b: 0.45 }), subject(1, 0.4, { a: 0.3, b: 0.4 }), 0.1).passed, true);
    assert.equal(gate(subject(2, 0.3, { a: 0.2, b: 0.55 }), subject(1, 0.4, { a: 0.3, b: 0.4 }), null).slices, undefined, 'off unless set');
    assert.equal(gate(subject(2, 0.3, { a: NaN }), subject(1, 0.4, { a: 0.3 }), 0.1).passed, false, 'a NaN slice cannot pass');
    const noCommon = gate(subject(2, 0.3, { c: 9 }), subject(1, 0.4, { a: 0.3 }), 0.1);
    assert.equal(noCommon.passed, true);
    assert.match(noCommon.reason, /no slice of "loss" that both versions measured/);
    const worseOverall = gate(subject(2, 0.5, { a: 0.9 }), subject(1, 0.4, { a: 0.3 }), 0.1);
    assert.equal(worseOverall.passed, false);
    assert.match(worseOverall.reason, /; and 1 of 1 slices drop more than 0\.1/);
  });
});
