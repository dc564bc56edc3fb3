/** The exptrack.sources.include / exclude settings: glob matching, discovery and the index. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { discoverSources } from '../../../src/core/ingest/discovery';
import { defaultReaders } from '../../../src/core/ingest/readers';
import { globToRegExp } from '../../../src/core/ingest/glob';
import { SourceFilter } from '../../../src/core/ingest/sourceFilter';
import { Store } from '../../../src/core/store/store';
import { FIXTURES, tempDir } from './importSupport';
import { itWithFixtures } from '../../support/fixtures';

describe('Source settings (include / exclude globs)', () => {
  it('matches globs the way VS Code settings do (picomatch, with VS Code\'s dots, brackets and plain parentheses)', () => {
    const cases: [string, string, boolean][] = [
      ['**', 'a/b/c.csv', true],
      ['**/node_modules/**', 'node_modules/x/mlruns/0/meta.yaml', true],
      ['**/node_modules/**', 'src/node_modules/a', true],
      ['**/node_modules/**', 'src/node_modulesx/a', false],
      ['*.ipynb', 'train.ipynb', true],
      ['*.ipynb', 'nb/train.ipynb', false],
      ['**/*.ipynb', 'nb/deep/train.ipynb', true],
      ['logs/', 'logs/fit/events.out.tfevents.1', true],
      ['./logs/**', 'logs/a', true],
      ['logs/**', 'logsx/a', false],
      ['runs/?/metrics.csv', 'runs/1/metrics.csv', true],
      ['runs/?/metrics.csv', 'runs/12/metrics.csv', false],
      ['**/{mlruns,lightning_logs}/**', 'x/lightning_logs/version_0/metrics.csv', true],
      ['**/version_[0-4]/**', 'l/version_3/hparams.yaml', true],
      ['**/version_[!0-4]/**', 'l/version_3/hparams.yaml', false],
      ['a/**/b', 'a/b', true],
      ['a/**/b', 'a/x/y/b', true],
      ['data.(v1)+.csv', 'data.(v1)+.csv', true],
      ['data.(v1)+.csv', 'data.v1v1.csv', false],
      ['a|b.csv', 'a.csv', false],
      ['!draft.csv', '!draft.csv', true],
      ['!draft.csv', 'other.csv', false],
      ['**/.git', '.git', true],
      ['*', '.env', true],
      ['**/*.{csv,tsv}', 'x/y.tsv', true],
      ['logs\\fit\\', 'logs/fit/a', true],
    ];
    for (const [glob, rel, expected] of cases) assert.equal(globToRegExp(glob).test(rel), expected, `${glob} vs ${rel}`);
  });

  it('accepts what an include matches and no exclude does; ExpTrack\'s own files always', () => {
    const { filter, errors } = SourceFilter.compile({ include: ['mlruns/**'], exclude: ['mlruns/.trash/**', '**/*.tmp'] });
    assert.deepEqual(errors, []);
    assert.equal(filter.accepts('mlruns/0/r/meta.yaml'), true);
    assert.equal(filter.accepts('mlruns/.trash/r/meta.yaml'), false);
    assert.equal(filter.accepts('logs/events.out.tfevents.1'), false);
    assert.equal(filter.accepts('.exptrack/runs/r1/events.jsonl'), true);
    assert.equal(filter.accepts('.exptrack/registry.jsonl'), true);
    assert.equal(filter.excludes('mlruns/.trash', true), true);
    assert.equal(filter.excludes('mlruns', true), false);
  });

  it('defaults to everything but node_modules, and reports unusable entries while keeping the rest', () => {
    const { filter } = SourceFilter.compile({});
    assert.equal(filter.accepts('deep/a/mlruns/0/meta.yaml'), true);
    assert.equal(filter.excludes('web/node_modules', true), true);
    const bad = SourceFilter.compile({ include: ['**', 3 as unknown as string, '  '], exclude: 'x' as unknown as string[] });
    assert.deepEqual(bad.errors, [
      'exptrack.sources.include[1] is not a glob pattern',
      'exptrack.sources.include[2] is not a glob pattern',
      'exptrack.sources.exclude must be a list of glob patterns',
    ]);
    assert.equal(bad.filter.accepts('a/node_modules/b/mlruns/0/meta.yaml'), false, 'the default exclude stands in for a broken one');
  });

  itWithFixtures('discovery skips excluded folders and files', () => {
    const root = tempDir('exptrack-sources-');
    try {
      fs.cpSync(path.join(FIXTURES, 'keras_csvlogger'), path.join(root, 'keep'), { recursive: true });
      fs.cpSync(path.join(FIXTURES, 'keras_csvlogger'), path.join(root, 'vendor', 'old'), { recursive: true });
      const { filter } = SourceFilter.compile({ exclude: ['vendor/**'] });
      const found = discoverSources(root, defaultReaders(), { filter }).sources.map((s) => s.relPath);
      assert.deepEqual(found, ['keep/keras2019_acc/logs/training_log.csv', 'keep/tf2025_accuracy/logs/training_log.csv']);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  itWithFixtures('the index follows a change of settings: excluded runs go, included ones come back, watched files obey it', async () => {
    const root = tempDir('exptrack-sources-');
    const { store } = await Store.open({ workspaceRoot: root, dbPath: null, sources: { exclude: ['tb/**'] } });
    try {
      fs.cpSync(path.join(FIXTURES, 'keras_csvlogger'), path.join(root, 'keras'), { recursive: true });
      fs.cpSync(path.join(FIXTURES, 'tensorboard', 'keras_tf2_tensor_scalars'), path.join(root, 'tb'), { recursive: true });
      const own = path.join(root, '.exptrack', 'runs', 'r1');
      fs.mkdirSync(own, { recursive: true });
      fs.writeFileSync(path.join(own, 'events.jsonl'), '{"t":"run","v":1,"id":"r1","started":1}\n');
      const uids = () => store.listRuns().map((r) => r.uid).sort();
      const keras = ['keras:keras/keras2019_acc/logs/training_log.csv', 'keras:keras/tf2025_accuracy/logs/training_log.csv'];

      store.ingest();
      assert.deepEqual(uids(), [...keras, 'r1']);
      // A watched file below an excluded folder is not read.
      const tbFile = fs.readdirSync(path.join(root, 'tb'), { recursive: true, encoding: 'utf8' }).find((f) => f.includes('tfevents'))!;
      assert.equal(store.ingest([path.join(root, 'tb', tbFile)]).sourcesSeen, 0);

      assert.deepEqual(store.configureSources({ include: ['tb/**'], exclude: [] }), []);
      const report = store.ingest();
      assert.deepEqual(report.problems, []);
      assert.deepEqual(uids(), ['r1', 'tb:tb/tb_logs_at_2022-09-27-09-01-18'], 'keras runs removed, own run kept, TensorBoard read');

      // Rebuilding with the same settings gives the same runs.
      const { store: rebuilt } = await Store.open({ workspaceRoot: root, dbPath: null, sources: { include: ['tb/**'], exclude: [] } });
      rebuilt.ingest();
      assert.deepEqual(rebuilt.listRuns().map((r) => r.uid), store.listRuns().map((r) => r.uid));
      rebuilt.close();

      // A file event for a known source that is now excluded removes it.
      store.configureSources({ include: ['**'], exclude: ['tb/**'] });
      store.ingest([path.join(root, 'tb', tbFile)]);
      assert.deepEqual(uids(), ['r1']);
    } finally {
      store.close();
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
