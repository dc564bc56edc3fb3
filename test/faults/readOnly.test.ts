/**
 * An .exptrack/ folder made read-only (a read-only bind mount when running as root, who ignores
 * permission bits; chmod otherwise). Reading goes on: the index opens, catches up and answers.
 * Every write says what failed and where, and nothing crashes: the store's save, the store
 * worker's, a registry append, the Python client in a training script, and a damaged index that
 * cannot even be moved aside. The CLI, which chooses where its index goes, keeps it in its cache
 * folder and says so.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { appendRegistryLine, RegistryWriteError } from '../../src/core/registry/registryAppender';
import { Store } from '../../src/core/store/store';
import { StoreClient } from '../../src/core/store/storeClient';
import { faultBundles, REPO_ROOT, SQL_WASM } from './support/bundle';
import { hashFile, hashTree, isSourceFile } from './support/fileHashes';
import { snapshotOf } from './support/indexSnapshot';
import { mountReadOnly } from './support/mounts';
import { cleanEnv, exited, startNode } from './support/processes';
import { seededRng, WorkspaceWriter } from './support/workspaceWriter';

const READ_ONLY = /EROFS|EACCES|EPERM/;

/** Makes `dir` read-only for this process, whoever it runs as; undefined when that is not possible here. */
function makeReadOnly(dir: string): { undo(): void; how: string } | { reason: string } {
  if (process.getuid?.() === 0) {
    const m = mountReadOnly(dir);
    return m.ok ? { undo: m.unmount, how: 'read-only bind mount' } : { reason: m.reason };
  }
  const files = [dir, ...fs.readdirSync(dir, { recursive: true }).map((f) => path.join(dir, String(f)))];
  const modes = files.map((f) => [f, fs.statSync(f).mode] as const);
  for (const [f, mode] of modes) fs.chmodSync(f, mode & ~0o222);
  return { undo: () => modes.forEach(([f, mode]) => fs.chmodSync(f, mode)), how: 'chmod a-w' };
}

describe('faults: a read-only .exptrack/', function () {
  this.timeout(120_000);
  let root: string;
  let undo: (() => void) | undefined;
  beforeEach(() => (root = fs.mkdtempSync(path.join(os.tmpdir(), 'exptrack-faults-ro-'))));
  afterEach(() => {
    undo?.();
    undo = undefined;
    fs.rmSync(root, { recursive: true, force: true });
  });

  /** A workspace whose index is one save behind its run files, then made read-only. */
  async function staleReadOnlyWorkspace(ctx: Mocha.Context, damageIndex = false): Promise<{ writer: WorkspaceWriter; how: string }> {
    const writer = new WorkspaceWriter(root, seededRng(5));
    for (let i = 0; i < 3; i++) writer.startRun();
    for (let i = 0; i < 200; i++) writer.appendMetrics(2);
    writer.completeLines();
    const { store } = await Store.open({ workspaceRoot: root, wasmPath: SQL_WASM });
    store.ingest();
    store.save();
    store.close();
    writer.startRun();
    for (let i = 0; i < 100; i++) writer.appendMetrics(2);
    writer.appendRegistryTag();
    writer.completeLines();
    const dbFile = path.join(root, '.exptrack', 'exptrack.sqlite');
    if (damageIndex) fs.writeFileSync(dbFile, fs.readFileSync(dbFile).subarray(0, 5000));
    // A temp file a killed process left: cleaning it up must not fail either.
    fs.writeFileSync(`${dbFile}.999999999-0.tmp`, 'left over');
    const ro = makeReadOnly(path.join(root, '.exptrack'));
    if ('reason' in ro) {
      console.log(`faults: read-only .exptrack/ SKIPPED: ${ro.reason}`);
      ctx.skip();
    }
    undo = ro.undo;
    assert.throws(() => fs.writeFileSync(path.join(root, '.exptrack', 'probe'), 'x'), READ_ONLY);
    return { writer, how: ro.how };
  }

  it('the index opens, catches up and answers; every write fails with a clear message; nothing crashes', async function () {
    const { writer, how } = await staleReadOnlyWorkspace(this);
    const { cli, storeWorker } = await faultBundles();
    const dbFile = path.join(root, '.exptrack', 'exptrack.sqlite');
    const dbBefore = hashFile(dbFile);
    const sourcesBefore = hashTree(root, isSourceFile);

    const { store, info } = await Store.open({ workspaceRoot: root, wasmPath: SQL_WASM });
    let saveError = '';
    try {
      assert.equal(info.fresh, null);
      const report = store.ingest();
      assert.deepEqual(report.problems, []);
      assert.deepStrictEqual(snapshotOf(store), writer.expected());
      try {
        store.save();
        assert.fail('the save succeeded in a read-only folder');
      } catch (e) {
        saveError = (e as Error).message;
      }
      assert.match(saveError, /^could not save the run index to \S+exptrack\.sqlite: /);
      assert.match(saveError, READ_ONLY);
    } finally {
      store.close();
    }

    const { client } = await StoreClient.start({ workerPath: storeWorker, workspaceRoot: root, dbPath: undefined, wasmPath: SQL_WASM, saveDelayMs: 10 });
    const workerFailure = new Promise<string>((resolve) => client.once('saveFailed', resolve));
    await client.call('ingest');
    const workerError = await workerFailure;
    assert.match(workerError, /^could not save the run index to /);
    assert.equal((await client.call('listRuns', { includeHidden: true })).length, writer.expected().runs.length);
    await client.close();

    // The CLI keeps the index of a read-only .exptrack/ in its cache folder, and says so.
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'exptrack-faults-cache-'));
    const cacheBefore = process.env.XDG_CACHE_HOME;
    process.env.XDG_CACHE_HOME = cache;
    let cliRuns: unknown[];
    try {
      const cliRun = startNode(cli, ['--workspace', root, 'ingest'], root);
      assert.equal(await exited(cliRun), 0, cliRun.output());
      assert.match(cliRun.output(), new RegExp(`the run index is kept at ${cache}/exptrack/\\S+/exptrack\\.sqlite: \\S+\\.exptrack cannot be written`));
      assert.doesNotMatch(cliRun.output(), /^\s+at /m);
      const listed = startNode(cli, ['--workspace', root, 'runs', '--json', '--all'], root);
      assert.equal(await exited(listed), 0, listed.output());
      cliRuns = JSON.parse(listed.output().slice(listed.output().indexOf('[')));
      assert.equal(cliRuns.length, writer.expected().runs.length);
    } finally {
      if (cacheBefore === undefined) delete process.env.XDG_CACHE_HOME;
      else process.env.XDG_CACHE_HOME = cacheBefore;
      fs.rmSync(cache, { recursive: true, force: true });
    }

    let registryError = '';
    try {
      appendRegistryLine(path.join(root, '.exptrack', 'registry.jsonl'), Buffer.from('{"id":"x","time":1,"t":"run.note","run":"r0000","text":"hi"}\n'));
    } catch (e) {
      assert.ok(e instanceof RegistryWriteError);
      registryError = e.message;
    }
    assert.match(registryError, /registry\.jsonl: .*(EROFS|EACCES)/);

    // A training script: the client warns and training goes on.
    const script = `import sys; sys.path.insert(0, ${JSON.stringify(path.join(REPO_ROOT, 'python'))}); import exptrack
run = exptrack.init(name="ro", dir=${JSON.stringify(path.join(root, '.exptrack'))})
for step in range(5): run.log({"loss": 1.0 / (step + 1)})
run.finish(); print("trained")`;
    const py = spawnSync(process.env.PYTHON ?? 'python3', ['-c', script], { env: cleanEnv(), encoding: 'utf8' });
    assert.equal(py.status, 0, py.stderr);
    assert.equal(py.stdout.trim(), 'trained');
    assert.match(py.stderr, /exptrack: could not (create|write)/);

    assert.equal(hashFile(dbFile), dbBefore);
    assert.deepEqual(hashTree(root, isSourceFile), sourcesBefore);
    console.log(`faults: read-only .exptrack/ (${how}): index opened and caught up (${writer.expected().runs.length} runs, equal to the sources); `
      + `save: "${saveError.slice(0, 120)}…"; worker: saveFailed; CLI: index kept in its cache folder, ${cliRuns.length} runs; registry append: "${registryError.slice(0, 90)}…"; `
      + `Python client: warned, script exit 0 ("${py.stderr.trim().split('\n').find((l) => l.includes('exptrack:'))?.trim().slice(0, 90)}…"); database and sources unchanged`);
  });

  it('a damaged index that cannot be moved aside is rebuilt in memory, and says so', async function () {
    const { writer } = await staleReadOnlyWorkspace(this, true);
    const { store, info } = await Store.open({ workspaceRoot: root, wasmPath: SQL_WASM });
    try {
      assert.equal(info.fresh, 'set-aside');
      assert.equal(info.setAsidePath, undefined, 'a set-aside path was given although nothing was moved');
      assert.match(info.reason!, /could not be moved aside: .*(EROFS|EACCES)/);
      store.ingest();
      assert.deepStrictEqual(snapshotOf(store), writer.expected());
      assert.throws(() => store.save(), /could not save the run index/);
      console.log(`faults: damaged index in a read-only .exptrack/: "${info.reason}"; rebuilt in memory, equal to the sources`);
    } finally {
      store.close();
    }
  });
});
