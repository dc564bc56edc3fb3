// The manifest's workspaceContains events against real folders of every tracker ExpTrack reads:
// a workspace holding only one of them (an Optuna study, a KerasTuner project, a Hydra multirun…)
// starts ExpTrack when opened, as one holding mlruns/ does.
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import picomatch from 'picomatch';
import { describeWithFixtures, FIXTURES, repositoryRoot } from '../../support/fixtures';

const manifest = JSON.parse(fs.readFileSync(path.join(repositoryRoot(), 'package.json'), 'utf8'));
const globs: string[] = manifest.activationEvents
  .filter((e: string) => e.startsWith('workspaceContains:'))
  .map((e: string) => e.slice('workspaceContains:'.length));
const activates = picomatch(globs, { dot: true });

/** Every file and folder below `dir`, relative to it, `/`-separated. */
function entriesBelow(dir: string, rel = ''): string[] {
  return fs.readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((d) => {
    const child = rel ? `${rel}/${d.name}` : d.name;
    return d.isDirectory() ? [child, ...entriesBelow(dir, child)] : [child];
  });
}

/** Folders of run sources in the fixtures: one per case (`mlflow/<case>`, `sweeps/optuna/<case>`…). */
function runSourceCases(): string[] {
  const kinds = ['mlflow', 'tensorboard', 'dvc', 'lightning', 'keras_csvlogger', 'sweeps/optuna', 'sweeps/keras_tuner', 'sweeps/hydra_multirun', 'sweeps/mlflow_nested'];
  return kinds.flatMap((k) => fs.readdirSync(path.join(FIXTURES, k)).map((c) => `${k}/${c}`)).filter((c) => fs.statSync(path.join(FIXTURES, c)).isDirectory());
}

describeWithFixtures('activation events', () => {
  it('start ExpTrack in a workspace holding only one tracker\'s files, for every kind it reads', () => {
    const silent = runSourceCases().filter((c) => !entriesBelow(path.join(FIXTURES, c)).some((p) => activates(p)));
    assert.deepStrictEqual(silent, []);
  });

  it('do not start it for files no reader takes', () => {
    for (const p of ['data/train.db', 'notes/journal.md', 'src/model.py', 'config.yaml', 'results.json']) assert.ok(!activates(p), p);
  });
});
