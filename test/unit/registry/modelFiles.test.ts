import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { frameworkFromContent, guessFramework, modelArtifactOf } from '../../../src/core/registry/framework';
import { modelFileFacts } from '../../../src/core/registry/modelFiles';

const CLIENT_DIR = path.resolve(__dirname, '../../../python');

function pythonAvailable(): boolean {
  try {
    execFileSync('python3', ['-c', 'import hashlib'], { stdio: 'ignore', timeout: 10_000 });
    return fs.existsSync(path.join(CLIENT_DIR, 'exptrack.py'));
  } catch {
    return false;
  }
}

describe('model files', () => {
  let root: string;
  let outside: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'exptrack-models-'));
    outside = fs.mkdtempSync(path.join(os.tmpdir(), 'exptrack-outside-'));
  });
  afterEach(() => {
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(outside, { recursive: true, force: true });
  });

  it('guesses the framework from the extension', () => {
    const cases: [string, string | null][] = [
      ['m.onnx', 'onnx'], ['m.pt', 'pytorch'], ['M.PTH', 'pytorch'], ['m.h5', 'keras'], ['m.keras', 'keras'], ['m.joblib', 'sklearn'],
      ['m.pkl', 'sklearn'], ['m.safetensors', 'safetensors'], ['m.gguf', 'gguf'], ['export/saved_model.pb', 'tensorflow'], ['m.bin', null], ['.pt', null],
    ];
    for (const [p, expected] of cases) assert.equal(guessFramework(p), expected, p);
    assert.equal(guessFramework('out/saved_model', { isDirectory: true }), 'tensorflow');
    assert.equal(guessFramework('out/export', { isDirectory: true, directoryEntries: ['variables', 'saved_model.pb'] }), 'tensorflow');
    assert.equal(guessFramework('out/export', { isDirectory: true, directoryEntries: ['weights.bin'] }), null);
  });

  it('recognises GGUF, safetensors and HDF5 by their first bytes when the name says nothing', () => {
    assert.equal(frameworkFromContent(Buffer.from('GGUF\u0003\u0000\u0000\u0000')), 'gguf');
    const st = Buffer.alloc(12);
    st.writeBigUInt64LE(40n, 0);
    st.write('{"a', 8);
    assert.equal(frameworkFromContent(st), 'safetensors');
    assert.equal(frameworkFromContent(Buffer.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a, 0])), 'keras');
    assert.equal(frameworkFromContent(Buffer.from('PK\u0003\u0004 zip of something')), null);
    assert.equal(guessFramework('weights.bin', { head: Buffer.from('GGUFxxxx') }), 'gguf');
  });

  it('maps run artifacts to the model they belong to', () => {
    assert.deepEqual(modelArtifactOf('out/model.onnx'), { path: 'out/model.onnx', framework: 'onnx' });
    assert.deepEqual(modelArtifactOf('out/saved_model/variables/variables.index'), { path: 'out/saved_model', framework: 'tensorflow' });
    assert.deepEqual(modelArtifactOf('export/1/saved_model.pb'), { path: 'export/1', framework: 'tensorflow' });
    assert.equal(modelArtifactOf('out/metrics.csv'), null);
  });

  it('hashes a file and reports its size and framework', async () => {
    fs.mkdirSync(path.join(root, 'out'));
    const content = Buffer.from('onnx bytes '.repeat(10_000));
    fs.writeFileSync(path.join(root, 'out', 'model.onnx'), content);
    const r = await modelFileFacts(root, 'out/model.onnx');
    assert.ok(r.ok);
    assert.deepEqual(r.facts, {
      relPath: 'out/model.onnx', kind: 'file', sha256: createHash('sha256').update(content).digest('hex'), bytes: content.length, framework: 'onnx',
    });
  });

  it('refuses to hash files outside the workspace, also through symlinks inside a folder', async () => {
    fs.writeFileSync(path.join(outside, 'secret.pkl'), 'secret');
    assert.equal((await modelFileFacts(root, '../../etc/passwd')).ok, false);
    assert.equal((await modelFileFacts(root, path.join(outside, 'secret.pkl'))).ok, false);
    fs.mkdirSync(path.join(root, 'saved_model'));
    fs.writeFileSync(path.join(root, 'saved_model', 'saved_model.pb'), 'pb');
    fs.symlinkSync(path.join(outside, 'secret.pkl'), path.join(root, 'saved_model', 'leak'));
    const r = await modelFileFacts(root, 'saved_model');
    assert.equal(r.ok, false);
    assert.match(!r.ok ? r.reason : '', /outside the workspace/);
  });

  it('hashes a folder the way the Python client does', async function () {
    if (!pythonAvailable()) {
      this.test!.title += ' (skipped: python3 or python/exptrack.py not available)';
      this.skip();
    }
    const dir = path.join(root, 'out', 'saved_model');
    fs.mkdirSync(path.join(dir, 'variables', 'deeper'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'assets'));
    fs.writeFileSync(path.join(dir, 'saved_model.pb'), 'graph');
    fs.writeFileSync(path.join(dir, 'Z-upper.txt'), 'upper first in code-point order');
    fs.writeFileSync(path.join(dir, 'variables', 'variables.index'), 'index');
    fs.writeFileSync(path.join(dir, 'variables', 'deeper', 'é.bin'), Buffer.from([0, 1, 2]));
    fs.writeFileSync(path.join(dir, 'assets', 'vocab.txt'), 'a\nb\n');
    fs.symlinkSync(path.join(dir, 'saved_model.pb'), path.join(dir, 'graph-link.pb'));
    fs.symlinkSync(path.join(dir, 'variables'), path.join(dir, 'vars-link'));
    const r = await modelFileFacts(root, 'out/saved_model');
    assert.ok(r.ok);
    assert.equal(r.facts.kind, 'directory');
    assert.equal(r.facts.framework, 'tensorflow');
    const script = 'import json, sys; sys.path.insert(0, sys.argv[1]); import exptrack; print(json.dumps(exptrack._file_facts(sys.argv[2], False)))';
    const fromClient = JSON.parse(execFileSync('python3', ['-c', script, CLIENT_DIR, dir], { encoding: 'utf8', timeout: 20_000 }));
    assert.deepEqual({ sha256: r.facts.sha256, bytes: r.facts.bytes }, fromClient);
  });
});
