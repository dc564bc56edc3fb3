import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import type { ModelRegistryEvent } from '../../../src/shared/registryEvents';
import { foldModelRegistry, type LoggedModel, type ModelFoldInputs } from '../../../src/core/registry/modelVersionsFold';

const sha = (n: number) => n.toString(16).padStart(64, '0');
/** A distinct artifact per registration id. */
const shaOfId = (id: string) => Buffer.from(id).toString('hex').padStart(64, 'f').slice(-64);

function reg(id: string, time: number, name: string, version: number, extra: Partial<Extract<ModelRegistryEvent, { t: 'model.register' }>> = {}): ModelRegistryEvent {
  return { t: 'model.register', id, time, actor: 'ann', name, version, path: `models/${id}.onnx`, sha256: shaOfId(id), ...extra };
}

function alias(id: string, time: number, name: string, aliasName: string, version: number, extra: object = {}): ModelRegistryEvent {
  return { t: 'model.alias', id, time, actor: 'bob', name, alias: aliasName, version, reason: 'because', ...extra };
}

function logged(rowId: number, runUid: string, runStarted: number | null, name: string, extra: Partial<LoggedModel> = {}): LoggedModel {
  return {
    rowId, name, runUid, runStarted, runUser: 'trainer', path: `out/${runUid}-${rowId}.pt`, sha256: sha(10_000 + rowId), bytes: 10,
    parent: null, derivation: null, ...extra,
  };
}

const inputs = (p: Partial<ModelFoldInputs>): ModelFoldInputs => ({ events: [], logged: [], external: [], externalAliases: [], ...p });
const numbers = (r: ReturnType<typeof foldModelRegistry>, name: string) => r.versions.filter((v) => v.name === name).map((v) => v.version);

describe('model registry fold', () => {
  it('keeps the numbers registrations were written with and lists history in (time, id) order', () => {
    const r = foldModelRegistry(inputs({ events: [reg('b', 20, 'churn', 2), reg('a', 10, 'churn', 1), alias('c', 30, 'churn', 'champion', 2)] }));
    assert.deepEqual(numbers(r, 'churn'), [1, 2]);
    assert.deepEqual(r.history.map((h) => h.id), ['a', 'b', 'c']);
    assert.deepEqual(r.aliases.map((a) => [a.model, a.alias, a.version, a.by]), [['churn', 'champion', 2, 'bob']]);
    assert.equal(r.versions[0]!.origin, 'registered');
    assert.equal(r.versions[0]!.framework, 'onnx');
  });

  it('gives the later of two registrations racing for one number the next free number, and the alias follows it', () => {
    const r = foldModelRegistry(inputs({
      events: [
        reg('x1', 10, 'churn', 1),
        reg('x2', 20, 'churn', 2), // written by window A
        reg('x3', 20, 'churn', 2), // written by window B at the same time: the id decides
        reg('x4', 25, 'churn', 3), // written by window A after folding only its own event
        alias('x5', 30, 'churn', 'challenger', 2, { versionEvent: 'x3' }),
      ],
    }));
    assert.deepEqual(numbers(r, 'churn'), [1, 2, 3, 4]);
    const x3 = r.history.find((h) => h.id === 'x3')!;
    assert.equal(x3.kind, 'register');
    assert.deepEqual(x3.kind === 'register' && [x3.version, x3.writtenVersion, x3.outcome], [4, 2, 'renumbered']);
    assert.match(x3.kind === 'register' ? x3.note ?? '' : '', /written as v2.*numbered v4/);
    assert.equal(r.aliases[0]!.version, 4);
    const aliasEntry = r.history.find((h) => h.id === 'x5')!;
    assert.deepEqual(aliasEntry.kind === 'alias' && [aliasEntry.to, aliasEntry.writtenVersion], [4, 2]);
    assert.equal(r.problems.length, 1);
    assert.equal(r.problems[0]!.severity, 'info');
  });

  it('numbers models logged by runs after registrations, by run start time then run uid, in the gaps', () => {
    const r = foldModelRegistry(inputs({
      events: [reg('r1', 10, 'churn', 1), reg('r3', 30, 'churn', 3)],
      logged: [
        logged(7, 'run-b', 100, 'churn'),
        logged(5, 'run-a', 100, 'churn'),
        logged(6, 'run-a', 100, 'churn'),
        logged(9, 'run-late', 50, 'churn'),
        logged(8, 'run-nostart', null, 'churn'),
      ],
    }));
    const byRow = new Map(r.versions.flatMap((v) => v.loggedRowIds.map((id) => [id, v.version] as const)));
    assert.deepEqual([byRow.get(9), byRow.get(5), byRow.get(6), byRow.get(7), byRow.get(8)], [2, 4, 5, 6, 7]);
    const v2 = r.versions.find((v) => v.version === 2)!;
    assert.deepEqual([v2.origin, v2.runUid, v2.created, v2.createdBy, v2.registrationId], ['run', 'run-late', 50, 'trainer', null]);
  });

  it('treats a run logging the same artifact twice as one version', () => {
    const r = foldModelRegistry(inputs({ logged: [logged(1, 'run', 1, 'm'), logged(2, 'run', 1, 'm', { sha256: sha(10_001), path: 'out/run-1.pt' })] }));
    assert.deepEqual(numbers(r, 'm'), [1]);
    assert.deepEqual(r.versions[0]!.loggedRowIds, [1, 2]);
  });

  it('lets a registration pin a run-logged version so later runs cannot move it', () => {
    const base = { logged: [logged(1, 'run-2', 200, 'churn')] };
    const before = foldModelRegistry(inputs(base));
    assert.deepEqual(numbers(before, 'churn'), [1]);
    const pin = reg('pin', 300, 'churn', 1, { run: 'run-2', path: 'out/run-2-1.pt', sha256: sha(10_001) });
    // A run that started earlier shows up later (pulled from git): the pinned version keeps its number.
    const after = foldModelRegistry(inputs({ events: [pin], logged: [...base.logged, logged(2, 'run-1', 100, 'churn')] }));
    const pinned = after.versions.find((v) => v.loggedRowIds.includes(1))!;
    assert.deepEqual([pinned.version, pinned.origin, pinned.registrationId, pinned.created], [1, 'run', 'pin', 200]);
    assert.equal(after.versions.find((v) => v.loggedRowIds.includes(2))!.version, 2);
    // Without the pin the earlier run would have taken v1.
    const unpinned = foldModelRegistry(inputs({ logged: [...base.logged, logged(2, 'run-1', 100, 'churn')] }));
    assert.equal(unpinned.versions.find((v) => v.loggedRowIds.includes(1))!.version, 2);
  });

  it('names the existing version when the same artifact is registered again', () => {
    const r = foldModelRegistry(inputs({
      events: [reg('a', 10, 'm', 1, { run: 'r', sha256: sha(1) }), reg('b', 20, 'm', 2, { run: 'r', sha256: sha(1), path: 'elsewhere.onnx' })],
    }));
    assert.deepEqual(numbers(r, 'm'), [1]);
    const b = r.history[1]!;
    assert.deepEqual(b.kind === 'register' && [b.version, b.outcome], [1, 'duplicate']);
  });

  it('keeps external versions under their own numbers, starts from their aliases and overlays events', () => {
    const r = foldModelRegistry(inputs({
      external: [{ name: 'iris', version: 2, runUid: 'mlflow:x', path: null }, { name: 'iris', version: 1, runUid: 'mlflow:x', path: null }],
      externalAliases: [{ model: 'iris', alias: 'Production', version: 1 }, { model: 'iris', alias: 'Production', version: 2 }, { model: 'iris', alias: 'ghost', version: 9 }],
      events: [reg('a', 10, 'iris', 2), alias('b', 20, 'iris', 'champion', 1), alias('c', 30, 'iris', 'Production', 3)],
    }));
    assert.deepEqual(r.versions.map((v) => [v.version, v.origin]), [[1, 'external'], [2, 'external'], [3, 'registered']]);
    assert.deepEqual(r.aliases.map((a) => [a.alias, a.version, a.external]), [['Production', 3, false], ['champion', 1, false]]);
    const c = r.history.find((h) => h.id === 'c')!;
    assert.equal(c.kind === 'alias' && c.from, 2);
    assert.ok(r.problems.some((p) => /ghost.*v9/.test(p.message)));
  });

  it('skips an alias event naming a version that does not exist, and removes aliases', () => {
    const r = foldModelRegistry(inputs({
      events: [
        reg('a', 1, 'm', 1), alias('b', 2, 'm', 'staging', 1), alias('c', 3, 'm', 'staging', 7),
        { t: 'model.unalias', id: 'd', time: 4, actor: 'x', name: 'm', alias: 'staging', reason: 'retired' },
        { t: 'model.unalias', id: 'e', time: 5, actor: 'x', name: 'm', alias: 'staging', reason: 'again' },
      ],
    }));
    assert.deepEqual(r.aliases, []);
    const [, b, c, d, e] = r.history;
    assert.equal(b!.kind === 'alias' && b!.applied, true);
    assert.deepEqual(c!.kind === 'alias' && [c!.applied, c!.from], [false, 1]);
    assert.deepEqual(d!.kind === 'unalias' && [d!.applied, d!.from], [true, 1]);
    assert.deepEqual(e!.kind === 'unalias' && [e!.applied, e!.from], [false, null]);
    assert.equal(r.problems.filter((p) => p.severity === 'warning').length, 1);
  });

  it('folds a line duplicated by a merge once', () => {
    const r = foldModelRegistry(inputs({ events: [reg('a', 1, 'm', 1), reg('a', 1, 'm', 1)] }));
    assert.equal(r.history.length, 1);
    assert.deepEqual(numbers(r, 'm'), [1]);
  });

  it('gives the same result for its inputs in any order, with every version number used once', () => {
    const names = ['a', 'b'];
    const eventArb = fc.oneof(
      fc.record({ kind: fc.constant('reg' as const), name: fc.constantFrom(...names), version: fc.integer({ min: 1, max: 6 }), time: fc.integer({ min: 0, max: 5 }), run: fc.constantFrom('r1', 'r2', undefined), art: fc.integer({ min: 0, max: 4 }) }),
      fc.record({ kind: fc.constant('alias' as const), name: fc.constantFrom(...names), version: fc.integer({ min: 1, max: 8 }), time: fc.integer({ min: 0, max: 5 }), alias: fc.constantFrom('champion', 'staging') }),
    );
    const loggedArb = fc.record({ name: fc.constantFrom(...names), run: fc.constantFrom('r1', 'r2', 'r3'), started: fc.option(fc.integer({ min: 0, max: 3 }), { nil: null }), art: fc.integer({ min: 0, max: 4 }) });
    fc.assert(fc.property(fc.array(eventArb, { maxLength: 25 }), fc.array(loggedArb, { maxLength: 10 }), fc.integer(), (evs, logs, seed) => {
      const events: ModelRegistryEvent[] = evs.map((e, i) => e.kind === 'reg'
        ? reg(`e${i}`, e.time, e.name, e.version, { run: e.run, sha256: sha(e.art), path: `m${e.art}.onnx` })
        : alias(`e${i}`, e.time, e.name, e.alias, e.version));
      const loggedRows = logs.map((l, i) => logged(i + 1, l.run, l.started, l.name, { sha256: sha(l.art), path: `m${l.art}.onnx` }));
      const started = new Map<string, number | null>();
      // One run has one start time.
      for (const l of loggedRows) l.runStarted = started.has(l.runUid) ? started.get(l.runUid)! : (started.set(l.runUid, l.runStarted), l.runStarted);
      const ordered = foldModelRegistry(inputs({ events, logged: loggedRows }));
      const shuffled = foldModelRegistry(inputs({ events: shuffle(events, seed), logged: shuffle(loggedRows, seed + 1) }));
      assert.deepEqual(shuffled, ordered);
      const keys = ordered.versions.map((v) => `${v.name}@${v.version}`);
      assert.equal(new Set(keys).size, keys.length);
      for (const l of loggedRows) assert.equal(ordered.versions.filter((v) => v.loggedRowIds.includes(l.rowId)).length, 1);
      for (const h of ordered.history) if (h.kind === 'register') assert.ok(keys.includes(`${h.model}@${h.version}`));
    }), { numRuns: 300 });
  });
});

function shuffle<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let s = seed >>> 0;
  for (let i = out.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
