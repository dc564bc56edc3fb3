import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { defaultReaders } from '../../../src/core/ingest/readers';
import { openRegistryAppender, registryFilePath } from '../../../src/core/registry/registryAppender';
import { listModels } from '../../../src/core/registry/modelQueries';
import { promoteModelVersion } from '../../../src/core/registry/operations';
import { Store } from '../../../src/core/store/store';
import { tempWorkspace } from './support/workspace';
import { FIXTURES as ALL_FIXTURES, itWithFixtures } from '../../support/fixtures';

const FIXTURES = path.join(ALL_FIXTURES, 'mlflow');
/** The files of MLflow's registry: a registered model's meta.yaml and its versions' meta.yaml. */
const REGISTRY_FILES = ['mlruns/models/iris_model/meta.yaml', 'mlruns/models/iris_model/version-1/meta.yaml'];

function registryReaderPresent(): boolean {
  return defaultReaders().some((r) => REGISTRY_FILES.some((f) => r.matches(f)));
}

/** A writable copy (the fixtures are read-only), so the store can keep its files beside them. */
function copyFixture(name: string): string {
  const root = tempWorkspace('exptrack-mlflow-registry-');
  fs.cpSync(path.join(FIXTURES, name), root, { recursive: true });
  for (const entry of fs.readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (entry.isDirectory()) fs.chmodSync(path.join(entry.parentPath ?? entry.path, entry.name), 0o755);
  }
  fs.chmodSync(root, 0o755);
  return root;
}

describe('MLflow registry versions in the model registry', () => {
  const roots: string[] = [];
  after(() => roots.forEach((r) => fs.rmSync(r, { recursive: true, force: true })));

  const cases = [
    {
      fixture: 'mlflow2_iris_notebook', model: 'SVMClassifier', versions: [1], run: '8595f7931d3943f4a7ee038c1728c2c3', runName: 'SVM_kernel',
      metric: ['metric_0', 0.9666666666666667], path: 'mlruns/853099972095872099/8595f7931d3943f4a7ee038c1728c2c3/artifacts/model',
    },
    {
      fixture: 'mlflow3_registry_iris', model: 'iris_model', versions: [1, 2], run: 'fd160e7ab17b4da0a70bb7a1c0a5b5a3', runName: 'luminous-hen-24',
      metric: ['accuracy', 1], path: 'mlruns/222440962282538811/models/m-917c21ba74b6488aa15474cbf4d1e1b4/artifacts',
    },
  ] as const;
  for (const c of cases) {
    itWithFixtures(`${c.fixture}: ${c.model} ${c.versions.map((v) => `v${v}`).join(', ')} appear as external versions of their run`, async function () {
      assert.ok(registryReaderPresent(), 'a reader claims mlruns/models/*/meta.yaml and mlruns/models/*/version-*/meta.yaml');
      const root = copyFixture(c.fixture);
      roots.push(root);
      const { store } = await Store.open({ workspaceRoot: root, dbPath: null });
      store.ingest();
      const model = listModels(store.database).find((m) => m.name === c.model);
      assert.ok(model, `no model ${c.model} among ${listModels(store.database).map((m) => m.name).join(', ')}`);
      assert.deepEqual(model.versions.map((v) => [v.version, v.origin]), c.versions.map((v) => [v, 'external']));
      assert.deepEqual(model.aliases, []);
      for (const v of model.versions) {
        assert.ok(v.runUid?.endsWith(c.run), `v${v.version} has run ${v.runUid}`);
        assert.deepEqual([v.runName, v.path], [c.runName, c.path]);
        // The version carries its run's metric summary, which the gate compares.
        assert.deepEqual(v.metrics, store.getRun(v.runUid!)!.metrics);
        assert.equal(v.metrics.find((m) => m.key === c.metric[0])?.last, c.metric[1]);
      }
      // An external version can be promoted here; its number stays MLflow's, nothing is pinned.
      const appender = await openRegistryAppender(root, 'ci');
      const last = c.versions[c.versions.length - 1]!;
      const promoted = promoteModelVersion({ store, appender }, {
        name: c.model, version: last, alias: 'champion', reason: 'imported', gate: { metric: c.metric[0], mode: 'max', minDelta: 0 },
      });
      assert.ok(promoted.ok && promoted.kind === 'promoted', JSON.stringify(promoted));
      assert.deepEqual(listModels(store.database).find((m) => m.name === c.model)!.aliases.map((a) => [a.alias, a.version]), [['champion', last]]);
      assert.equal(fs.readFileSync(registryFilePath(root), 'utf8').trim().split('\n').length, 1);
      store.close();
    });
  }
});
