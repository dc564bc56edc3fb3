import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { resolveInsideWorkspace } from '../../../src/core/workspacePaths';

describe('resolveInsideWorkspace', () => {
  let root: string;
  let outside: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'exptrack-ws-'));
    outside = fs.mkdtempSync(path.join(os.tmpdir(), 'exptrack-outside-'));
    fs.mkdirSync(path.join(root, 'out'));
    fs.writeFileSync(path.join(root, 'out', 'model.onnx'), 'x');
    fs.writeFileSync(path.join(outside, 'secret.pkl'), 'y');
  });
  afterEach(() => {
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(outside, { recursive: true, force: true });
  });

  it('resolves a relative and an absolute path inside the workspace', () => {
    const rel = resolveInsideWorkspace(root, 'out/model.onnx');
    assert.deepEqual(rel, { ok: true, absPath: path.join(root, 'out', 'model.onnx'), relPath: 'out/model.onnx' });
    const abs = resolveInsideWorkspace(root, path.join(root, 'out', '..', 'out', 'model.onnx'));
    assert.equal(abs.ok && abs.relPath, 'out/model.onnx');
  });

  it('refuses ../ escapes and absolute paths elsewhere', () => {
    for (const p of ['../../etc/passwd', '..', 'out/../../x', '/etc/passwd', path.join(outside, 'secret.pkl')]) {
      const r = resolveInsideWorkspace(root, p);
      assert.equal(r.ok, false, p);
      assert.match(!r.ok ? r.reason : '', /outside the workspace/, p);
    }
  });

  it('refuses a symlink that leads out, a folder symlink that leads out, and a dangling symlink', () => {
    fs.symlinkSync(path.join(outside, 'secret.pkl'), path.join(root, 'out', 'link.pkl'));
    fs.symlinkSync(outside, path.join(root, 'shared'));
    fs.symlinkSync(path.join(root, 'nothing-here'), path.join(root, 'dangling.pt'));
    const file = resolveInsideWorkspace(root, 'out/link.pkl');
    assert.match(!file.ok ? file.reason : '', /leads outside the workspace/);
    const viaDir = resolveInsideWorkspace(root, 'shared/secret.pkl');
    assert.match(!viaDir.ok ? viaDir.reason : '', /leads outside the workspace/);
    const dangling = resolveInsideWorkspace(root, 'dangling.pt');
    assert.match(!dangling.ok ? dangling.reason : '', /symlink to nothing/);
  });

  it('accepts a symlink that stays inside, and a workspace reached through a symlink', () => {
    fs.symlinkSync(path.join(root, 'out', 'model.onnx'), path.join(root, 'alias.onnx'));
    assert.equal(resolveInsideWorkspace(root, 'alias.onnx').ok, true);
    const linkedRoot = path.join(outside, 'ws-link');
    fs.symlinkSync(root, linkedRoot);
    assert.equal(resolveInsideWorkspace(linkedRoot, 'out/model.onnx').ok, true);
  });

  it('refuses missing files unless told otherwise, and still checks where they would be', () => {
    assert.match((r => (!r.ok ? r.reason : ''))(resolveInsideWorkspace(root, 'out/none.pt')), /does not exist/);
    assert.equal(resolveInsideWorkspace(root, 'out/new/none.pt', { mustExist: false }).ok, true);
    fs.symlinkSync(outside, path.join(root, 'exit'));
    assert.equal(resolveInsideWorkspace(root, 'exit/new.pt', { mustExist: false }).ok, false);
  });

  it('refuses empty paths and NUL bytes', () => {
    assert.equal(resolveInsideWorkspace(root, '').ok, false);
    assert.equal(resolveInsideWorkspace(root, 'out/model.onnx\u0000.txt').ok, false);
  });
});
