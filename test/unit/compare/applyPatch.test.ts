import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { applyFilePatch } from '../../../src/core/compare/applyPatch';
import { parseUnifiedDiff } from '../../../src/core/compare/unifiedDiff';

/** The patch git itself writes from `before` to `after` (as capture's `git diff` does). */
function gitDiff(dir: string, before: string | null, after: string | null): string {
  const a = path.join(dir, 'a.txt');
  const b = path.join(dir, 'b.txt');
  fs.rmSync(a, { force: true });
  fs.rmSync(b, { force: true });
  if (before !== null) fs.writeFileSync(a, before);
  if (after !== null) fs.writeFileSync(b, after);
  try {
    return execFileSync('git', ['diff', '--no-index', '--no-color', before === null ? '/dev/null' : 'a.txt', after === null ? '/dev/null' : 'b.txt'], { cwd: dir, encoding: 'utf8' });
  } catch (e) {
    return (e as { stdout: string }).stdout; // exit code 1: the files differ
  }
}

describe('unified diff: parse and apply in memory', () => {
  let dir: string;
  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exptrack-patch-'))));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('rebuilds any edit that git diff describes', () => {
    const line = fc.constantFrom('a', 'b', 'c', 'x = 1', 'return y', '', '  indented', 'tab\there', 'crlf\r');
    fc.assert(fc.property(fc.array(line, { maxLength: 40 }), fc.array(line, { maxLength: 40 }), fc.boolean(), fc.boolean(),
      (beforeLines, afterLines, eolBefore, eolAfter) => {
        const before = beforeLines.join('\n') + (eolBefore && beforeLines.length ? '\n' : '');
        const after = afterLines.join('\n') + (eolAfter && afterLines.length ? '\n' : '');
        if (before === after) return;
        const [file] = parseUnifiedDiff(gitDiff(dir, before, after));
        assert.ok(file, 'one file patch');
        const result = applyFilePatch(before, file);
        assert.deepEqual(result.failedHunks, []);
        assert.equal(result.text, after);
      }), { numRuns: 60 });
  });

  it('places hunks where the file moved on, and reports a hunk that fits nowhere', () => {
    const base = Array.from({ length: 30 }, (_, i) => `line ${i}`);
    const edited = [...base];
    edited[20] = 'line 20 changed';
    const patch = parseUnifiedDiff(gitDiff(dir, base.join('\n') + '\n', edited.join('\n') + '\n'))[0]!;
    const shifted = ['new first', 'new second', ...base].join('\n') + '\n';
    const moved = applyFilePatch(shifted, patch);
    assert.deepEqual(moved.failedHunks, []);
    assert.equal(moved.text, ['new first', 'new second', ...edited].join('\n') + '\n');
    const conflicting = [...base];
    conflicting[20] = 'someone else';
    const failed = applyFilePatch(conflicting.join('\n') + '\n', patch);
    assert.deepEqual(failed.failedHunks, [1]);
    assert.equal(failed.text, conflicting.join('\n') + '\n', 'the file stays as it was');
  });

  it('reads new, deleted, renamed and binary files and skips note lines', () => {
    const text = [
      '# exptrack: untracked file left out (binary): data.bin',
      'diff --git a/new.py b/new.py',
      'new file mode 100644',
      'index 0000000..e69de29',
      '--- /dev/null',
      '+++ b/new.py',
      '@@ -0,0 +1,2 @@',
      '+print(1)',
      '+print(2)',
      'diff --git a/gone.py b/gone.py',
      'deleted file mode 100644',
      '--- a/gone.py',
      '+++ /dev/null',
      '@@ -1 +0,0 @@',
      '-x',
      'diff --git a/old name.py b/new name.py',
      'similarity index 100%',
      'rename from old name.py',
      'rename to new name.py',
      'diff --git a/img.png b/img.png',
      'index 1..2 100644',
      'Binary files a/img.png and b/img.png differ',
      '',
    ].join('\n');
    const files = parseUnifiedDiff(text);
    assert.deepEqual(files.map((f) => [f.oldPath, f.newPath, f.binary, f.hunks.length]), [
      [null, 'new.py', false, 1],
      ['gone.py', null, false, 1],
      ['old name.py', 'new name.py', false, 0],
      ['img.png', 'img.png', true, 0],
    ]);
    assert.equal(applyFilePatch('', files[0]!).text, 'print(1)\nprint(2)\n');
    assert.equal(applyFilePatch('x\n', files[1]!).text, '');
  });

  it('reads git\'s quoted names', () => {
    const [file] = parseUnifiedDiff('diff --git "a/caf\\303\\251 \\"q\\".py" "b/caf\\303\\251 \\"q\\".py"\n--- "a/caf\\303\\251 \\"q\\".py"\n+++ "b/caf\\303\\251 \\"q\\".py"\n@@ -1 +1 @@\n-a\n+b\n');
    assert.equal(file!.newPath, 'café "q".py');
    assert.equal(applyFilePatch('a\n', file!).text, 'b\n');
  });
});
