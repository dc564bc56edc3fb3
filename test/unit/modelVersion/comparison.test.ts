import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openRegistryAppender } from '../../../src/core/registry/registryAppender';
import { promoteModelVersion, type RegistryContext } from '../../../src/core/registry/operations';
import { Store } from '../../../src/core/store/store';
import { StoreClient } from '../../../src/core/store/storeClient';
import type { ModelVersionComparison } from '../../../src/shared/modelComparison';
import { metrics, runEnd, runStart, tempWorkspace, writeFile, writeRun } from '../registry/support/workspace';

const gate = { metric: 'val_acc', mode: 'max' as const, minDelta: 0 };
const sha = (text: string) => createHash('sha256').update(text).digest('hex');

/** 200 rows: `amount` around `centre`, `plan` mostly `mainPlan`. */
function csv(centre: number, mainPlan: string): string {
  const lines = ['amount,plan,age'];
  for (let i = 0; i < 200; i++) lines.push(`${centre + (i % 20)},${i % 10 < 8 ? mainPlan : 'basic'},${20 + (i % 40)}`);
  return lines.join('\n') + '\n';
}

describe('model version comparison (Model Version panel)', () => {
  let root: string;
  let store: Store;
  let ctx: RegistryContext;
  const trainA = csv(10, 'pro');
  const trainB = csv(500, 'enterprise');

  beforeEach(async () => {
    root = tempWorkspace('exptrack-mv-');
    writeFile(root, 'data/a.csv', trainA);
    writeFile(root, 'data/b.csv', trainB);
    writeRun(root, 'run-a', [
      runStart('run-a', 100),
      { t: 'params', values: { lr: 0.1, layers: [64, 32], optimizer: 'adam' } },
      { t: 'dataset', path: 'data/a.csv', role: 'train', sha256: sha(trainA), rows: 200 },
      metrics(0, { val_acc: 0.7, loss: 0.5 }), metrics(1, { val_acc: 0.8, loss: 0.4 }),
      { t: 'model', name: 'churn', path: 'out/a.onnx', sha256: 'a'.repeat(64) },
      runEnd(150),
    ]);
    writeRun(root, 'run-b', [
      runStart('run-b', 200),
      { t: 'params', values: { lr: 0.05, layers: [64, 32], optimizer: 'sgd', dropout: 0.2 } },
      { t: 'dataset', path: 'data/b.csv', role: 'train', sha256: sha(trainB), rows: 200 },
      { t: 'dataset', path: 'data/holdout.csv', role: 'eval' },
      metrics(0, { val_acc: 0.9 }),
      { t: 'model', name: 'churn', path: 'out/b.onnx', sha256: 'b'.repeat(64) },
      runEnd(250),
    ]);
    store = (await Store.open({ workspaceRoot: root, dbPath: null })).store;
    store.ingest();
    ctx = { store, appender: await openRegistryAppender(root, 'Ann <ann@example.com>') };
    assert.ok(promoteModelVersion(ctx, { name: 'churn', version: 1, alias: 'champion', reason: 'first', gate }).ok);
  });
  afterEach(() => {
    store.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  async function compare(req: { version: number; against?: number; gate?: typeof gate | null }): Promise<ModelVersionComparison> {
    const result = await store.modelVersionComparison({ name: 'churn', gate, ...req });
    assert.ok(result.ok, result.ok ? '' : result.error);
    return result.comparison;
  }

  it('sets a version beside the champion: metrics, differing parameters and the gate verdict', async () => {
    const c = await compare({ version: 2 });
    assert.equal(c.againstLabel, 'champion v1');
    assert.deepEqual([c.version.version, c.against?.version, c.against?.aliases], [2, 1, ['champion']]);
    assert.deepEqual(c.version.runName, 'run run-b');
    assert.deepEqual(c.metrics, [
      { key: 'loss', version: null, against: 0.4, difference: null },
      { key: 'val_acc', version: 0.9, against: 0.8, difference: 0.9 - 0.8 },
    ]);
    assert.deepEqual(c.params.map((p) => [p.key, p.version, p.against, p.differs]), [
      ['dropout', '0.2', null, true],
      ['layers', '[64,32]', '[64,32]', false],
      ['lr', '0.05', '0.1', true],
      ['optimizer', 'sgd', 'adam', true],
    ]);
    assert.equal(c.gate?.passed, true);
    assert.equal(c.gate?.versionValue, 0.9);
    assert.equal(c.gate?.againstValue, 0.8);
    assert.match(c.gate!.reason, /vs champion v1/);
    assert.equal(c.gateMetric, 'val_acc');
    assert.deepEqual(c.versions, [{ version: 1, aliases: ['champion'] }, { version: 2, aliases: [] }]);
  });

  it('summarises the drift between the two training datasets', async () => {
    const c = await compare({ version: 2 });
    assert.equal(c.drift.status, 'compared');
    if (c.drift.status !== 'compared') return;
    assert.equal(c.drift.against.path, 'data/a.csv', 'the champion is the reference side');
    assert.equal(c.drift.version.path, 'data/b.csv', 'the training set, not the eval set');
    assert.deepEqual(c.drift.rows, { against: 200, version: 200 });
    assert.equal(c.drift.columns.compared, 3);
    const drifted = c.drift.drifted.map((d) => d.column).sort();
    assert.deepEqual(drifted, ['amount', 'plan'], 'amount moved and plan changed its main value; age did not');
    for (const d of c.drift.drifted) assert.ok(d.value > d.threshold, `${d.column} ${d.measure} ${d.value} > ${d.threshold}`);
    assert.ok(c.drift.findings.warning + c.drift.findings.error > 0);
    assert.ok(c.drift.messages.length > 0);
  });

  it('says why drift is not available: a changed file, a run without datasets', async () => {
    fs.appendFileSync(path.join(root, 'data/a.csv'), '1,pro,30\n');
    const changed = await compare({ version: 2 });
    assert.equal(changed.drift.status, 'unavailable');
    assert.match(changed.drift.status === 'unavailable' ? changed.drift.reason : '', /data\/a\.csv has changed since the run read it/);

    writeRun(root, 'run-c', [runStart('run-c', 300), metrics(0, { val_acc: 0.5 }), { t: 'model', name: 'churn', path: 'out/c.onnx', sha256: 'c'.repeat(64) }, runEnd(350)]);
    store.ingest();
    const noData = await compare({ version: 3 });
    assert.equal(noData.drift.status, 'unavailable');
    assert.match(noData.drift.status === 'unavailable' ? noData.drift.reason : '', /v3's run \(run run-c\) recorded no dataset/);
    assert.equal(noData.gate?.passed, false, 'worse than the champion');
  });

  it('reports the same dataset version as no drift, and compares with a chosen version', async () => {
    writeRun(root, 'run-d', [
      runStart('run-d', 400),
      { t: 'dataset', path: 'data/a.csv', role: 'train', sha256: sha(trainA), rows: 200 },
      metrics(0, { val_acc: 0.85 }),
      { t: 'model', name: 'churn', path: 'out/d.onnx', sha256: 'd'.repeat(64) },
      runEnd(450),
    ]);
    store.ingest();
    const same = await compare({ version: 3 });
    assert.equal(same.drift.status, 'same');
    const chosen = await compare({ version: 3, against: 2 });
    assert.equal(chosen.againstLabel, 'v2');
    assert.equal(chosen.gate?.passed, false);
    assert.match(chosen.gate!.reason, /vs version v2/);
    assert.equal(chosen.drift.status, 'compared');
    const champion = await compare({ version: 3, against: 1 });
    assert.equal(champion.againstLabel, 'champion v1', 'a chosen version is named by its aliases too');
    assert.match(champion.gate!.reason, /vs champion v1/);
  });

  it('has nothing to compare the champion with until another version is chosen', async () => {
    const c = await compare({ version: 1 });
    assert.equal(c.against, null);
    assert.match(c.notice ?? '', /v1 is the champion/);
    assert.equal(c.gate, null);
    assert.equal(c.drift.status, 'unavailable');
    assert.deepEqual(c.params.map((p) => [p.key, p.version, p.against]), [['layers', '[64,32]', null], ['lr', '0.1', null], ['optimizer', 'adam', null]]);
    const without = await compare({ version: 2, gate: null });
    assert.equal(without.gate, null);
    assert.equal(without.gateMetric, null);
  });

  it('refuses unknown models and versions', async () => {
    assert.deepEqual(await store.modelVersionComparison({ name: 'nope', version: 1, gate }), { ok: false, error: 'no model named "nope"' });
    assert.deepEqual(await store.modelVersionComparison({ name: 'churn', version: 9, gate }), { ok: false, error: 'churn has no version 9' });
    assert.deepEqual(await store.modelVersionComparison({ name: 'churn', version: 1, against: 7, gate }), { ok: false, error: 'churn has no version 7' });
  });
});

describe('registry queries through the store worker', () => {
  it('answers the methods that return a promise (hashing a model file) and the plain ones', async () => {
    const root = tempWorkspace('exptrack-mv-worker-');
    try {
      writeRun(root, 'r1', [runStart('r1', 1), { t: 'artifact', path: 'out/m.onnx' }, metrics(0, { acc: 0.5 })]);
      writeFile(root, 'out/m.onnx', 'onnx');
      const { client } = await StoreClient.start({ workerPath: path.join(__dirname, '../helpers/storeWorkerFromSource.cjs'), workspaceRoot: root, dbPath: null });
      try {
        await client.call('ingest');
        const overview = await client.call('modelRegistry');
        assert.deepEqual(overview.candidates.map((c) => [c.runUid, c.path, c.framework]), [['r1', 'out/m.onnx', 'onnx']]);
        const plan = await client.call('planModelRegistration', { name: 'm', path: 'out/m.onnx', run: 'r1' });
        assert.equal(plan.kind, 'new');
        assert.equal(plan.kind === 'new' && plan.draft.sha256, sha('onnx'));
        await assert.rejects(client.call('planModelRegistration', null as never), /Cannot read properties|null/);
        assert.deepEqual(await client.call('modelFiles'), ['out/m.onnx']);
      } finally {
        await client.close();
      }
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
