import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CELLS_PREFIX, differingFiles, RunCode } from '../../../src/core/compare/runCode';

const gitEnv = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t.invalid', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t.invalid' };
const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, env: gitEnv, encoding: 'utf8' }).trim();

describe('RunCode', () => {
  let root: string;
  let first: string;
  let second: string;

  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'exptrack-code-'));
    git(root, 'init', '-q', '-b', 'main');
    fs.writeFileSync(path.join(root, 'train.py'), 'lr = 0.1\nepochs = 3\n');
    fs.writeFileSync(path.join(root, 'util.py'), 'def f():\n    return 1\n');
    git(root, 'add', '-A');
    git(root, '-c', 'commit.gpgsign=false', 'commit', '-q', '-m', 'one');
    first = git(root, 'rev-parse', 'HEAD');
    fs.writeFileSync(path.join(root, 'util.py'), 'def f():\n    return 2\n');
    git(root, '-c', 'commit.gpgsign=false', 'commit', '-q', '-am', 'two');
    second = git(root, 'rev-parse', 'HEAD');
    // Run a: commit one plus an uncommitted change of train.py and a new file.
    const runA = path.join(root, '.exptrack/runs/a');
    fs.mkdirSync(runA, { recursive: true });
    fs.writeFileSync(path.join(runA, 'code.patch'), [
      'diff --git a/train.py b/train.py', '--- a/train.py', '+++ b/train.py', '@@ -1,2 +1,2 @@', '-lr = 0.1', '+lr = 0.01', ' epochs = 3',
      'diff --git a/extra.py b/extra.py', 'new file mode 100644', '--- /dev/null', '+++ b/extra.py', '@@ -0,0 +1 @@', '+x = 1', '',
    ].join('\n'));
    fs.mkdirSync(path.join(root, '.exptrack/runs/b'), { recursive: true });
    // The user's working tree moves on; the runs' code must not.
    fs.writeFileSync(path.join(root, 'train.py'), 'lr = 5\n');
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('rebuilds a file from the run\'s commit with its patch, without touching the working tree', async () => {
    const a = await RunCode.load(root, { uid: 'a', runDir: '.exptrack/runs/a', gitCommit: first });
    assert.deepEqual((await a.content('train.py')).text, 'lr = 0.01\nepochs = 3\n');
    assert.deepEqual((await a.content('extra.py')).text, 'x = 1\n');
    assert.deepEqual((await a.content('util.py')).text, 'def f():\n    return 1\n');
    assert.equal((await a.content('missing.py')).text, '');
    assert.equal(fs.readFileSync(path.join(root, 'train.py'), 'utf8'), 'lr = 5\n');
    assert.equal(git(root, 'status', '--porcelain', '--', 'util.py'), '');
  });

  it('lists the files that differ between two runs: their patches and their commits', async () => {
    const a = await RunCode.load(root, { uid: 'a', runDir: '.exptrack/runs/a', gitCommit: first });
    const b = await RunCode.load(root, { uid: 'b', runDir: '.exptrack/runs/b', gitCommit: second });
    assert.deepEqual(await differingFiles(a, b), ['extra.py', 'train.py', 'util.py']);
    assert.deepEqual(await differingFiles(b, b), []);
  });

  it('shows notebook cell snapshots as files of their own', async () => {
    const cells = path.join(root, '.exptrack/runs/nb/cells');
    fs.mkdirSync(cells, { recursive: true });
    fs.writeFileSync(path.join(cells, 'cell-1.py'), 'import numpy\n');
    const nb = await RunCode.load(root, { uid: 'nb', runDir: '.exptrack/runs/nb', gitCommit: null });
    assert.ok(nb.hasCode);
    assert.deepEqual(nb.ownFiles(), [`${CELLS_PREFIX}cell-1.py`]);
    assert.equal((await nb.content(`${CELLS_PREFIX}cell-1.py`)).text, 'import numpy\n');
    assert.equal((await nb.content('train.py')).text, '', 'no commit: no repository files');
  });

  it('reports a patch hunk that no longer applies to the commit', async () => {
    const dir = path.join(root, '.exptrack/runs/c');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'code.patch'), 'diff --git a/util.py b/util.py\n--- a/util.py\n+++ b/util.py\n@@ -1,2 +1,2 @@\n def f():\n-    return 7\n+    return 8\n');
    const c = await RunCode.load(root, { uid: 'c', runDir: '.exptrack/runs/c', gitCommit: first });
    const content = await c.content('util.py');
    assert.equal(content.text, 'def f():\n    return 1\n');
    assert.match(content.notes[0]!, /hunk 1 of code\.patch did not apply/);
  });

  it('shows the commit\'s files, with a note, when code.patch cannot be read at all', async () => {
    const dir = path.join(root, '.exptrack/runs/d');
    fs.mkdirSync(dir, { recursive: true });
    // A hunk header promising more lines than follow, then another file: the patch was cut and spliced.
    fs.writeFileSync(path.join(dir, 'code.patch'), 'diff --git a/util.py b/util.py\n--- a/util.py\n+++ b/util.py\n@@ -1,2 +1,2 @@\n-def f():\n@@ -9 +9 @@\n-x\n+y\n');
    const d = await RunCode.load(root, { uid: 'd', runDir: '.exptrack/runs/d', gitCommit: first });
    const content = await d.content('util.py');
    assert.equal(content.text, 'def f():\n    return 1\n');
    assert.match(content.notes[0] ?? '', /code\.patch could not be read \(.+\): files are shown as at the commit/);
  });
});
