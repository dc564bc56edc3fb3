// `exptrack series`: the same pipeline as the charts, on the command line — every point, smoothed,
// reduced, a step range, a derived metric, JSON and CSV, and clear messages for wrong input.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../../src/cli/main';
import { emaInto, freshState } from '../../../src/core/series/smoothers';

const loss = (s: number) => (s === 700 ? 9 : 1 / (1 + s / 100));

function writeRun(root: string): void {
  const dir = path.join(root, '.exptrack', 'runs', 'run-1');
  fs.mkdirSync(dir, { recursive: true });
  const lines: object[] = [{ t: 'run', v: 1, id: 'run-1', name: 'baseline', experiment: 'e', started: 1732240000 }];
  for (let s = 0; s < 1000; s++) {
    const values: Record<string, unknown> = { loss: loss(s), 'val/loss': loss(s) + 0.1 };
    if (s === 3) values.loss = 'NaN';
    lines.push({ t: 'metrics', step: s, time: 1732240000 + s, values });
  }
  fs.writeFileSync(path.join(dir, 'events.jsonl'), lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
}

async function cli(root: string, args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(['--workspace', root, ...args], { stdout: (s) => void (out += s), stderr: (s) => void (err += s), cwd: root });
  return { code, out, err };
}

describe('exptrack series', function () {
  this.timeout(60_000);
  let root: string;
  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'exptrack-series-cli-'));
    writeRun(root);
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('prints every point, NaN included, with TensorBoard\'s smoothing over all of them', async () => {
    const r = await cli(root, ['series', 'baseline', 'loss', '--smoothing', 'ema:0.6', '--json']);
    assert.equal(r.code, 0, r.err);
    const json = JSON.parse(r.out) as { total: number; nonFinite: number; smoothing: string; points: { step: number; value: number | string; smoothed: number | string }[] };
    assert.equal(json.total, 1000);
    assert.equal(json.nonFinite, 1);
    assert.equal(json.smoothing, 'ema:0.6');
    assert.equal(json.points.length, 1000);
    assert.equal(json.points[3]!.value, 'NaN');
    const values = Float64Array.from({ length: 1000 }, (_, s) => (s === 3 ? NaN : loss(s)));
    const expected = new Float64Array(1000);
    emaInto(values, 0, 1000, 0.6, freshState(), expected);
    assert.equal(json.points[999]!.smoothed, expected[999]);
  });

  it('reduces to --max-points keeping the spike, and reads a step range', async () => {
    const r = await cli(root, ['series', 'run-1', 'loss', '--max-points', '40', '--csv']);
    assert.equal(r.code, 0, r.err);
    const rows = r.out.trim().split('\n');
    assert.equal(rows[0], 'step,time,value');
    assert.ok(rows.length - 1 <= 40, `${rows.length - 1} rows`);
    assert.ok(rows.includes('700,1732240700,9'), 'the one-step spike is kept');
    const range = await cli(root, ['series', 'run-1', 'loss', '--from', '690', '--to', '709', '--csv']);
    assert.deepEqual(range.out.trim().split('\n').slice(1).map((l) => Number(l.split(',')[0])), Array.from({ length: 20 }, (_, i) => 690 + i));
  });

  it('computes a derived metric from keys with slashes', async () => {
    const r = await cli(root, ['series', 'run-1', 'val/loss - loss', '--from', '10', '--to', '12', '--json']);
    assert.equal(r.code, 0, r.err);
    const json = JSON.parse(r.out) as { derived: boolean; points: { step: number; value: number }[] };
    assert.equal(json.derived, true);
    assert.deepEqual(json.points.map((p) => [p.step, Math.round(p.value * 1000) / 1000]), [[10, 0.1], [11, 0.1], [12, 0.1]]);
  });

  it('says what is wrong: unknown run or key, a bad expression, a bad smoothing or range', async () => {
    assert.match((await cli(root, ['series', 'nope', 'loss'])).err, /no run matches "nope"/);
    const unknown = await cli(root, ['series', 'run-1', 'accuracy']);
    assert.equal(unknown.code, 1);
    assert.match(unknown.err, /has no metric "accuracy" \(it has loss, val\/loss\)/);
    assert.match((await cli(root, ['series', 'run-1', 'loss/2'])).err, /no metric "loss\/2"/);
    assert.match((await cli(root, ['series', 'run-1', 'loss +'])).err, /ends where a number, a key/);
    const smoothing = await cli(root, ['series', 'run-1', 'loss', '--smoothing', 'ema:2']);
    assert.equal(smoothing.code, 64);
    assert.match(smoothing.err, /--smoothing: ema takes a weight from 0 to 0.999, not 2/);
    assert.match((await cli(root, ['series', 'run-1', 'loss', '--from', '5', '--to', '1'])).err, /--from 5 is after --to 1/);
    assert.match((await cli(root, ['series', 'run-1', 'loss', '--json', '--csv'])).err, /exclude each other/);
  });
});
