import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openRegistryAppender, registryFilePath } from '../../../src/core/registry/registryAppender';
import { registrationCandidates, findModelFiles } from '../../../src/core/registry/candidates';
import { buildLineageGraph } from '../../../src/core/registry/lineage';
import { getModelVersion, listModels, modelHistory, readModelRegistry } from '../../../src/core/registry/modelQueries';
import { promoteModelVersion, registerModelVersion, removeAlias, type RegistryContext } from '../../../src/core/registry/operations';
import { rows } from '../../../src/core/store/queries';
import { Store } from '../../../src/core/store/store';
import { metrics, runEnd, runStart, tempWorkspace, writeFile, writeRun } from './support/workspace';

const gate = { metric: 'val_acc', mode: 'max' as const, minDelta: 0.01 };

function modelTables(store: Store): unknown {
  return {
    versions: rows(store.database, `SELECT m.name, m.version, m.origin, r.uid, m.path, m.sha256, m.parent_name, m.parent_version, m.derivation
      FROM model_versions m LEFT JOIN runs r ON r.id = m.run_id ORDER BY m.name, m.version, m.origin, m.path`),
    aliases: rows(store.database, 'SELECT model, alias, version FROM aliases ORDER BY model, alias'),
  };
}

describe('model registry over the store', () => {
  let root: string;
  let ctx: RegistryContext;
  beforeEach(async () => {
    root = tempWorkspace();
    // The teacher, distilled into a student, quantized for serving: dataset → run → version → derived version.
    writeRun(root, 'run-teacher', [
      runStart('run-teacher', 100),
      { t: 'dataset', path: 'data/train.csv', role: 'train', sha256: 'd'.repeat(64), rows: 1000 },
      metrics(0, { val_acc: 0.8 }), metrics(1, { val_acc: 0.9 }),
      { t: 'model', name: 'churn', path: 'out/teacher.pt', sha256: 'a'.repeat(64), bytes: 100 },
      runEnd(150),
    ]);
    writeRun(root, 'run-student', [
      runStart('run-student', 200),
      { t: 'dataset', path: 'data/train.csv', role: 'train', sha256: 'd'.repeat(64), rows: 1000 },
      metrics(0, { val_acc: 0.95 }), metrics(1, { val_acc: 0.85 }),
      { t: 'model', name: 'churn', path: 'out/student.pt', sha256: 'b'.repeat(64), bytes: 50, parent: { name: 'churn', version: 1 }, derivation: 'distilled' },
      { t: 'artifact', path: 'out/student.onnx' },
      { t: 'artifact', path: 'out/saved_model/saved_model.pb' },
      { t: 'artifact', path: 'out/log.txt' },
      runEnd(250),
    ]);
    writeFile(root, 'out/student.onnx', 'onnx-bytes');
    writeFile(root, 'out/saved_model/saved_model.pb', 'pb');
    const { store } = await Store.open({ workspaceRoot: root, dbPath: null });
    store.ingest();
    ctx = { store, appender: await openRegistryAppender(root, 'Ann <ann@example.com>') };
  });
  afterEach(() => {
    ctx.store.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('makes versions of the models runs logged, numbered by run start, with the run metric summary', () => {
    const [churn] = listModels(ctx.store.database);
    assert.deepEqual(churn!.versions.map((v) => [v.version, v.origin, v.runUid, v.framework, v.derivation]), [
      [1, 'run', 'run-teacher', 'pytorch', null],
      [2, 'run', 'run-student', 'pytorch', 'distilled'],
    ]);
    assert.equal(churn!.versions[1]!.metrics.find((m) => m.key === 'val_acc')!.last, 0.85);
    assert.deepEqual(churn!.versions[1]!.parent, { name: 'churn', version: 1 });
    // The store's run detail sees the numbers the fold gave.
    assert.deepEqual(ctx.store.getRun('run-student')!.models.map((m) => [m.name, m.version]), [['churn', 2]]);
  });

  it('registers a file of a run as the next version, and names the existing version when it is registered again', async () => {
    const r = await registerModelVersion(ctx, { name: 'churn', path: path.join(root, 'out/student.onnx'), run: 'run-student', parent: { name: 'churn', version: 2 }, derivation: 'quantized' });
    assert.ok(r.ok);
    assert.equal(r.outcome, 'new');
    assert.deepEqual([r.version.version, r.version.origin, r.version.framework, r.version.bytes, r.version.path, r.version.createdBy], [3, 'registered', 'onnx', 10, 'out/student.onnx', 'Ann <ann@example.com>']);
    const again = await registerModelVersion(ctx, { name: 'churn', path: 'out/student.onnx', run: 'run-student' });
    assert.ok(again.ok);
    assert.deepEqual([again.outcome, again.version.version], ['existing', 3]);
    assert.equal(fs.readFileSync(registryFilePath(root), 'utf8').trim().split('\n').length, 1);
  });

  it('refuses to register a file outside the workspace, an unknown run or parent', async () => {
    for (const [req, message] of [
      [{ name: 'churn', path: '../../etc/passwd', run: 'run-student' }, /outside the workspace/],
      [{ name: 'churn', path: 'out/student.onnx', run: 'no-such-run' }, /no run "no-such-run"/],
      [{ name: 'churn', path: 'out/student.onnx', run: 'run-student', parent: { name: 'churn', version: 9 } }, /parent churn v9 is not a known version/],
      [{ name: 'bad\nname', path: 'out/student.onnx' }, /control characters/],
    ] as const) {
      const r = await registerModelVersion(ctx, req);
      assert.equal(r.ok, false);
      assert.match(!r.ok ? r.error : '', message);
    }
    assert.equal(fs.existsSync(registryFilePath(root)), false);
  });

  it('promotes through the gate, refuses a worse challenger, records an override, and keeps the history', () => {
    const first = promoteModelVersion(ctx, { name: 'churn', version: 1, alias: 'champion', reason: 'first model', gate });
    assert.ok(first.ok && first.kind === 'promoted');
    assert.equal(first.gate!.passed, true);
    assert.match(first.gate!.reason, /no version holds champion/);

    const refused = promoteModelVersion(ctx, { name: 'churn', version: 2, alias: 'champion', reason: 'smaller', gate });
    assert.equal(refused.ok, false);
    assert.equal(!refused.ok && refused.kind, 'refused');
    assert.match(!refused.ok ? refused.error : '', /v2 val_acc=0\.85 vs champion v1 val_acc=0\.9/);

    const forced = promoteModelVersion(ctx, { name: 'churn', version: 2, alias: 'champion', reason: 'smaller', overrideReason: 'latency budget', gate });
    assert.ok(forced.ok && forced.kind === 'promoted');
    assert.equal(forced.overridden, true);
    // Aliases that are not gated move without a comparison.
    const staging = promoteModelVersion(ctx, { name: 'churn', version: 1, alias: 'staging', reason: 'keep for A/B', gate });
    assert.ok(staging.ok && staging.kind === 'promoted' && staging.gate === null);
    assert.equal(promoteModelVersion(ctx, { name: 'churn', version: 1, alias: 'staging', reason: 'again', gate }).ok, true);

    const churn = listModels(ctx.store.database)[0]!;
    assert.deepEqual(churn.aliases.map((a) => [a.alias, a.version, a.by]), [['champion', 2, 'Ann <ann@example.com>'], ['staging', 1, 'Ann <ann@example.com>']]);
    // Promoting run-logged versions pinned their numbers first.
    assert.deepEqual(churn.versions.map((v) => [v.version, v.origin, v.registrationId !== null]), [[1, 'run', true], [2, 'run', true]]);
    const history = modelHistory(ctx.store.database, 'churn');
    assert.deepEqual(history.map((h) => h.kind === 'alias' ? `${h.alias}:${h.from}->${h.to}` : h.kind), [
      'register', 'champion:null->1', 'register', 'champion:1->2', 'staging:null->1',
    ]);
    const override = history[3]!;
    assert.ok(override.kind === 'alias');
    assert.deepEqual([override.gate!.passed, override.overrideReason, override.reason, override.actor], [false, 'latency budget', 'smaller', 'Ann <ann@example.com>']);
    assert.deepEqual(rows(ctx.store.database, 'SELECT alias, version FROM aliases ORDER BY alias'), [{ alias: 'champion', version: 2 }, { alias: 'staging', version: 1 }]);

    const removed = removeAlias(ctx, { name: 'churn', alias: 'staging', reason: 'A/B over' });
    assert.ok(removed.ok);
    assert.deepEqual(listModels(ctx.store.database)[0]!.aliases.map((a) => a.alias), ['champion']);
  });

  it('needs an override to replace a holder when no gate metric is set', () => {
    assert.equal(promoteModelVersion(ctx, { name: 'churn', version: 1, alias: 'production', reason: 'go', gate: null }).ok, true);
    const r = promoteModelVersion(ctx, { name: 'churn', version: 2, alias: 'production', reason: 'go', gate: null });
    assert.match(!r.ok ? r.error : '', /no gate metric is set/);
    assert.equal(promoteModelVersion(ctx, { name: 'churn', version: 2, alias: 'production', reason: 'go', overrideReason: 'agreed in review', gate: null }).ok, true);
  });

  it('reports a garbled registry line with file and line, and keeps the events around it', () => {
    assert.ok(promoteModelVersion(ctx, { name: 'churn', version: 1, alias: 'staging', reason: 'a', gate }).ok);
    fs.appendFileSync(registryFilePath(root), '{"t":"model.alias","id":"x", garbage\n');
    assert.ok(promoteModelVersion(ctx, { name: 'churn', version: 2, alias: 'challenger', reason: 'b', gate }).ok);
    const problems = ctx.store.problems().filter((p) => p.path === '.exptrack/registry.jsonl');
    assert.deepEqual(problems.map((p) => [p.line, p.severity]), [[3, 'warning']]);
    assert.match(problems[0]!.message, /not JSON/);
    assert.deepEqual(listModels(ctx.store.database)[0]!.aliases.map((a) => [a.alias, a.version]), [['challenger', 2], ['staging', 1]]);
  });

  it('builds the lineage graph dataset → run → version → derived version, with alias badges and a focus', async () => {
    const quantized = await registerModelVersion(ctx, { name: 'churn', path: 'out/student.onnx', run: 'run-student', parent: { name: 'churn', version: 2 }, derivation: 'quantized' });
    assert.ok(quantized.ok);
    assert.ok(promoteModelVersion(ctx, { name: 'churn', version: 3, alias: 'production', reason: 'ship', gate: { ...gate, minDelta: -1 } }).ok);
    writeRun(root, 'run-unrelated', [runStart('run-unrelated', 300), { t: 'dataset', path: 'data/other.csv' }]);
    ctx.store.ingest();

    const graph = buildLineageGraph(ctx.store.database);
    const dataset = 'dataset:data/train.csv@' + 'd'.repeat(64);
    assert.deepEqual(graph.nodes.map((n) => n.id), [dataset, 'model:churn@1', 'model:churn@2', 'model:churn@3', 'run:run-student', 'run:run-teacher']);
    assert.deepEqual(graph.edges.map((e) => [e.kind, e.from, e.to, e.label]), [
      ['derived', 'model:churn@1', 'model:churn@2', 'distilled'],
      ['derived', 'model:churn@2', 'model:churn@3', 'quantized'],
      ['input', dataset, 'run:run-student', 'train'],
      ['input', dataset, 'run:run-teacher', 'train'],
      ['produced', 'run:run-student', 'model:churn@2', null],
      ['produced', 'run:run-student', 'model:churn@3', null],
      ['produced', 'run:run-teacher', 'model:churn@1', null],
    ]);
    const v3 = graph.nodes.find((n) => n.id === 'model:churn@3')!;
    assert.deepEqual(v3.kind === 'model' && [v3.aliases, v3.framework, v3.derivation], [['production'], 'onnx', 'quantized']);

    const focused = buildLineageGraph(ctx.store.database, { kind: 'model', name: 'churn', version: 2 });
    assert.deepEqual(focused.focus, ['model:churn@2']);
    assert.deepEqual(focused.nodes.map((n) => n.id), [dataset, 'model:churn@1', 'model:churn@2', 'model:churn@3', 'run:run-student', 'run:run-teacher']);
    const byDataset = buildLineageGraph(ctx.store.database, { kind: 'dataset', path: 'data/other.csv' });
    assert.deepEqual(byDataset.nodes.map((n) => n.id), ['dataset:data/other.csv@', 'run:run-unrelated']);
  });

  it('offers the model files in run artifacts for registration', async () => {
    const view = readModelRegistry(ctx.store.database);
    const offered = registrationCandidates(ctx.store.database, view, root, { runUid: 'run-student' });
    assert.deepEqual(offered.map((c) => [c.path, c.framework, c.registeredAs]), [['out/saved_model', 'tensorflow', null], ['out/student.onnx', 'onnx', null]]);
    assert.ok((await registerModelVersion(ctx, { name: 'churn', path: 'out/student.onnx', run: 'run-student' })).ok);
    const after = registrationCandidates(ctx.store.database, readModelRegistry(ctx.store.database), root);
    assert.deepEqual(after.find((c) => c.path === 'out/student.onnx')!.registeredAs, { name: 'churn', version: 3 });
    assert.deepEqual(findModelFiles(root, 'out'), ['out/saved_model', 'out/student.onnx']);
    assert.deepEqual(findModelFiles(root, '../..'), []);
  });

  it('rebuilds identical versions and aliases from the sources alone', async () => {
    await registerModelVersion(ctx, { name: 'churn', path: 'out/student.onnx', run: 'run-student' });
    promoteModelVersion(ctx, { name: 'churn', version: 2, alias: 'champion', reason: 'best', gate });
    const before = modelTables(ctx.store);
    const rebuilt = (await Store.open({ workspaceRoot: root, dbPath: null })).store;
    rebuilt.ingest();
    assert.deepEqual(modelTables(rebuilt), before);
    assert.deepEqual(getModelVersion(rebuilt.database, 'churn', 2), getModelVersion(ctx.store.database, 'churn', 2));
    rebuilt.close();
  });
});
