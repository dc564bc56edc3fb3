/** `exptrack sweeps` and `exptrack sweeps show` on the sweep fixtures, text and JSON, with their exit codes. */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { CliIo } from '../../../src/cli/cliContext';
import { main } from '../../../src/cli/main';
import { fixtureWorkspace } from '../ingest/importSupport';
import { describeWithFixtures } from '../../support/fixtures';

describeWithFixtures('exptrack sweeps', function () {
  this.timeout(60_000);
  let ws: Awaited<ReturnType<typeof fixtureWorkspace>>;
  before(async () => (ws = await fixtureWorkspace(['sweeps'])));
  after(() => ws.close());

  async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = '';
    let err = '';
    const io: CliIo = { stdout: (s) => void (out += s), stderr: (s) => void (err += s), cwd: ws.root };
    const code = await main(['--workspace', ws.root, '--db', path.join(ws.root, 'index.sqlite'), ...args], io);
    return { code, out, err };
  }

  it('lists every study with its source, objective, trials per state and best trial (--json)', async () => {
    const r = await cli('sweeps', '--json');
    assert.equal(r.code, 0, r.err);
    const rows = JSON.parse(r.out) as { name: string; source: string; directions: string[]; trials: Record<string, number>; total: number; best: { uid: string; number: number; values: unknown[]; params: Record<string, unknown> }[] }[];
    assert.equal(rows.length, 12);
    const ga = rows.find((x) => x.name === 'ga_configuration_optimization')!;
    assert.deepEqual([ga.source, ga.directions, ga.total, ga.trials.complete, ga.trials.pruned, ga.trials.failed], ['optuna', ['maximize'], 157, 58, 98, 1]);
    assert.deepEqual([ga.best.length, ga.best[0]!.number, ga.best[0]!.values], [1, 112, [0.33093083399327594]]);
    assert.equal(Object.keys(ga.best[0]!.params).length, 10);
    const nsga = rows.find((x) => x.name === 'stock_lstm_optuna')!;
    assert.deepEqual([nsga.directions, nsga.best.map((b) => b.number)], [['minimize', 'minimize', 'minimize'], [105]]);
    const bayes = rows.find((x) => x.total === 100)!;
    assert.ok(bayes.best[0]!.values.every((v) => typeof v === 'number'));
    const text = await cli('sweeps', '--no-ingest');
    assert.match(text.out, /^NAME\s+SOURCE\s+OBJECTIVE\s+TRIALS\s+BEST\n/);
    assert.match(text.out, /ga_configuration_optimization\s+optuna\s+value max\s+58 complete · 98 pruned · 1 failed\s+#112 value=0\.3309/);
    assert.match(text.out, /intro_to_kt\s+keras-tuner\s+val_accuracy max \(inferred\)/);
  });

  it('shows one study: its trials, importance and Pareto front; a name two studies share asks for an id', async () => {
    const r = await cli('sweeps', 'show', 'stock_lstm_optuna', '--no-ingest', '--json');
    assert.equal(r.code, 0, r.err);
    const d = JSON.parse(r.out) as { trials: unknown[]; best: string[]; importance: { params: { name: string }[] }; objectives: unknown[] };
    assert.deepEqual([d.trials.length, d.objectives.length, d.importance.params.slice(0, 3).map((p) => p.name)], [125, 3, ['num_layers', 'patience', 'hidden_size']]);
    assert.equal(d.best.length, 1);
    const mape = await cli('sweeps', 'show', 'stock_lstm_optuna', '--no-ingest', '--importance-objective', '2');
    assert.match(mape.out, /parameter importance \(MAPE, PED-ANOVA over 122 complete trials\)\nPARAMETER\s+IMPORTANCE\nnum_layers\s+0\.2730\nlearning_rate\s+0\.2225/);
    assert.match(mape.out, /^pareto\s+#105$/m);
    const both = await cli('sweeps', 'show', 'untitled_project', '--no-ingest');
    assert.equal(both.code, 1);
    assert.match(both.err, /"untitled_project" matches 2 studies; give one of their ids: kt:sweeps\/keras_tuner\/kt1_1x_randomsearch_rbf\/untitled_project, /);
    assert.equal((await cli('sweeps', 'show', 'nothing-like-it', '--no-ingest')).code, 1);
  });

  it('an objective given on the command line picks the best of a study that states none', async () => {
    const hydra = await cli('sweeps', 'show', 'backTester 2022-05-27/21-45-14', '--no-ingest', '--objective', 'NetLiq:max', '--json');
    assert.equal(hydra.code, 0, hydra.err);
    const d = JSON.parse(hydra.out) as { objectives: unknown[]; objectiveOrigin: string; trials: { uid: string; values: number[] }[]; best: string[] };
    assert.deepEqual([d.objectives, d.objectiveOrigin], [[{ name: 'NetLiq', direction: 'maximize' }], 'chosen']);
    assert.equal(d.trials.length, 4);
    const values = d.trials.map((t) => t.values[0]!);
    // The jobs of this copy are still "running" (their files are new): no best until they are done.
    assert.ok(values.every((v) => typeof v === 'number' && v > 0), JSON.stringify(values));
    const usage = await cli('sweeps', 'show', 'x', '--objective', ':max');
    assert.equal(usage.code, 64);
    assert.match(usage.err, /--objective takes KEY or KEY:min \/ KEY:max/);
  });
});
