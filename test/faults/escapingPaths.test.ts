/**
 * Paths from run events that lead out of the workspace — `../../…`, absolute paths, a symlinked
 * file, a symlinked folder, a symlink inside a model folder — in artifact, model and dataset
 * events and in a run's own files (code.patch, cells/). Every core entry point that opens or hashes
 * such a path is driven with them while a spy watches the file system: nothing outside the
 * workspace is opened, read, listed or hashed, and each refusal says why.
 * (The extension's own openers — Reveal Run Source, Open Run Output, Open Code Patch, Reveal
 * Model Artifact, the lineage's Open Dataset — go through the same resolveInsideWorkspace.)
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RunCode } from '../../src/core/compare/runCode';
import { modelFileFacts } from '../../src/core/registry/modelFiles';
import { Store } from '../../src/core/store/store';
import { SQL_WASM } from './support/bundle';

type Spied = 'openSync' | 'readFileSync' | 'readdirSync' | 'createReadStream' | 'opendirSync';
type SpiedPromise = 'open' | 'readFile' | 'readdir' | 'opendir';

/** Records every path outside `root` that is opened, read or listed until `stop()`. */
function spyOutside(root: string): { outside: string[]; stop(): void } {
  const realRoot = fs.realpathSync(root);
  const outside: string[] = [];
  const note = (p: unknown) => {
    if (typeof p !== 'string' && !(p instanceof URL) && !Buffer.isBuffer(p)) return; // an fd
    let real: string;
    try {
      real = fs.realpathSync(String(p));
    } catch {
      real = path.resolve(String(p));
    }
    const rel = path.relative(realRoot, real);
    // The sql.js wasm file and the modules are read by the test harness itself, not by what is tested.
    if ((rel.startsWith('..') || path.isAbsolute(rel)) && !real.includes('node_modules')) outside.push(real);
  };
  const fsSync = require('node:fs') as Record<Spied, (...a: unknown[]) => unknown>;
  const fsAsync = fs.promises as unknown as Record<SpiedPromise, (...a: unknown[]) => unknown>;
  const restore: (() => void)[] = [];
  for (const name of ['openSync', 'readFileSync', 'readdirSync', 'createReadStream', 'opendirSync'] as const) {
    const real = fsSync[name];
    fsSync[name] = (p: unknown, ...rest: unknown[]) => (note(p), real(p, ...rest));
    restore.push(() => (fsSync[name] = real));
  }
  for (const name of ['open', 'readFile', 'readdir', 'opendir'] as const) {
    const real = fsAsync[name];
    fsAsync[name] = (p: unknown, ...rest: unknown[]) => (note(p), real(p, ...rest));
    restore.push(() => (fsAsync[name] = real));
  }
  return { outside, stop: () => restore.forEach((r) => r()) };
}

describe('security: paths that escape the workspace', function () {
  this.timeout(60_000);
  let base: string;
  let root: string;
  let secretDir: string;

  beforeEach(() => {
    base = fs.mkdtempSync(path.join(os.tmpdir(), 'exptrack-faults-escape-'));
    root = path.join(base, 'workspace');
    secretDir = path.join(base, 'secret');
    fs.mkdirSync(path.join(secretDir, 'cells'), { recursive: true });
    fs.writeFileSync(path.join(secretDir, 'id_rsa'), 'PRIVATE KEY\n');
    fs.writeFileSync(path.join(secretDir, 'data.csv'), 'a,b\n1,2\n');
    fs.writeFileSync(path.join(secretDir, 'cells', 'cell-1.py'), 'secret = 1\n');
    fs.writeFileSync(path.join(secretDir, 'stolen.patch'), '--- a/x.py\n+++ b/x.py\n@@ -0,0 +1 @@\n+secret\n');
    fs.mkdirSync(path.join(root, 'out', 'saved_model'), { recursive: true });
    fs.mkdirSync(path.join(root, 'data'), { recursive: true });
    fs.writeFileSync(path.join(root, 'out', 'model.onnx'), 'onnx bytes');
    fs.writeFileSync(path.join(root, 'out', 'saved_model', 'saved_model.pb'), 'pb');
    fs.writeFileSync(path.join(root, 'data', 'train.csv'), 'a,b\n1,2\n3,4\n');
    fs.symlinkSync(path.join(secretDir, 'id_rsa'), path.join(root, 'out', 'link.pt'));
    fs.symlinkSync(secretDir, path.join(root, 'out', 'linked_dir'));
    fs.symlinkSync(path.join(secretDir, 'id_rsa'), path.join(root, 'out', 'saved_model', 'variables.data'));
    fs.symlinkSync(path.join(secretDir, 'data.csv'), path.join(root, 'data', 'link.csv'));
  });
  afterEach(() => fs.rmSync(base, { recursive: true, force: true }));

  const hostile = () => [
    '../secret/id_rsa', '../../etc/passwd', path.join(secretDir, 'id_rsa'), '/etc/passwd', 'out/link.pt', 'out/linked_dir/id_rsa',
    'out/linked_dir', 'out/saved_model', 'data/link.csv', 'out/../../secret/data.csv',
  ];

  function writeRun(id: string, events: object[]): string {
    const dir = path.join(root, '.exptrack', 'runs', id);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'events.jsonl'), events.map((e) => JSON.stringify(e)).join('\n') + '\n');
    return dir;
  }

  it('refuses them wherever a path from an event is opened or hashed', async () => {
    const paths = hostile();
    // Two runs that each trained a version of "m" on a hostile dataset, with hostile artifacts and models.
    for (const [i, id] of ['a1', 'b2'].entries()) {
      writeRun(id, [
        { t: 'run', v: 1, id, started: 1732240000 + i },
        ...paths.map((p) => ({ t: 'artifact', path: p })),
        { t: 'dataset', path: paths[(i * 3 + 2) % paths.length], role: 'train', sha256: String(i).repeat(64) },
        { t: 'model', name: 'm', path: 'out/model.onnx' },
        ...paths.map((p, j) => ({ t: 'model', name: `hostile${j}`, path: p })),
        { t: 'end', status: 'finished', exit: 0, ended: 1732240100 + i },
      ]);
    }
    // A run whose code.patch and cells/ are symlinks out.
    const c3 = writeRun('c3', [{ t: 'run', v: 1, id: 'c3', started: 1732240005 }]);
    fs.symlinkSync(path.join(secretDir, 'stolen.patch'), path.join(c3, 'code.patch'));
    fs.symlinkSync(path.join(secretDir, 'cells'), path.join(c3, 'cells'));

    const { store } = await Store.open({ workspaceRoot: root, dbPath: null, wasmPath: SQL_WASM });
    const spy = spyOutside(root);
    const refusals: string[] = [];
    try {
      store.ingest();
      // Registration candidates: artifacts that are model files (hostile ones are not offered).
      const { candidates } = store.modelRegistry();
      assert.deepEqual(candidates.map((c) => c.path).filter((p) => p !== 'out/model.onnx' && p !== 'out/saved_model'), []);
      // Registering a file by path (hashes it).
      for (const p of paths) {
        const plan = await store.planModelRegistration({ name: 'reg', path: p, run: 'a1' });
        if (plan.kind !== 'error') assert.fail(`registering ${p} was planned: ${JSON.stringify(plan)}`);
        refusals.push(plan.error);
      }
      // Hashing a model file or folder directly.
      for (const p of paths) {
        const facts = await modelFileFacts(root, p);
        assert.equal(facts.ok, false, `${p} was hashed`);
        if (!facts.ok) refusals.push(facts.reason);
      }
      // Training-data drift between two versions (opens and hashes both datasets).
      const comparison = await store.modelVersionComparison({ name: 'm', version: 2, against: 1, gate: null });
      assert.ok(comparison.ok, JSON.stringify(comparison));
      const drift = JSON.stringify(comparison.comparison);
      assert.match(drift, /outside the workspace|leads outside/);
      refusals.push(/"reason":"([^"]*)"/.exec(drift)?.[1] ?? '');
      // A run's code: code.patch and cells/ are symlinks out, so neither is read.
      const code = await RunCode.load(root, { uid: 'c3', runDir: '.exptrack/runs/c3', gitCommit: null });
      assert.deepEqual(code.ownFiles(), []);
      assert.equal(code.hasCode, false);
      // A run folder that is itself outside (an index entry pointing elsewhere).
      const away = await RunCode.load(root, { uid: 'x', runDir: '../secret', gitCommit: null });
      assert.deepEqual(away.ownFiles(), []);
    } finally {
      spy.stop();
      store.close();
    }
    assert.deepEqual(spy.outside, [], 'files outside the workspace were opened or listed');
    for (const r of refusals) assert.match(r, /outside the workspace|leads outside|symlink|does not exist/, r);
    const legit = await modelFileFacts(root, 'out/model.onnx');
    assert.equal(legit.ok, true, 'a file inside the workspace is still hashed');
    console.log(`faults: escaping paths: ${paths.length} hostile paths (../, absolute, symlinked file and folder, symlink inside a model folder) `
      + `in artifact, model and dataset events and run files; ${refusals.length} refusals with a reason, 0 files outside opened, read, listed or hashed; `
      + `e.g. "${refusals[0]}", "${refusals.find((r) => r.includes('symlink'))}"`);
  });

  it('the spy itself sees a read outside the workspace', () => {
    const spy = spyOutside(root);
    try {
      fs.readFileSync(path.join(root, 'out', 'link.pt'));
    } finally {
      spy.stop();
    }
    assert.ok(spy.outside.includes(fs.realpathSync(path.join(secretDir, 'id_rsa'))), JSON.stringify(spy.outside));
  });
});
