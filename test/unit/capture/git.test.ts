import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { capPatch, readGitState, uncommittedDiff } from '../../../src/core/capture/git';

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** A repository with one commit of a.txt and bin.dat, on branch main, configured locally. */
function makeRepo(root: string): string {
  const repo = path.join(root, 'repo');
  fs.mkdirSync(repo);
  git(repo, 'init', '-q', '-b', 'main');
  git(repo, 'config', 'user.email', 'test@example.com');
  git(repo, 'config', 'user.name', 'Test');
  git(repo, 'config', 'commit.gpgsign', 'false');
  fs.writeFileSync(path.join(repo, 'a.txt'), 'one\ntwo\n');
  fs.writeFileSync(path.join(repo, 'bin.dat'), Buffer.from([0, 1, 2, 3, 255]));
  fs.writeFileSync(path.join(repo, '.gitignore'), 'ignored.log\n');
  git(repo, 'add', '.');
  git(repo, 'commit', '-q', '-m', 'first');
  return repo;
}

describe('capture/git', function () {
  this.timeout(30000);
  let root: string;
  beforeEach(() => { root = fs.mkdtempSync(path.join(os.tmpdir(), 'exptrack-git-')); });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('is undefined outside a repository', async () => {
    assert.equal(await readGitState(root), undefined);
    assert.equal(await uncommittedDiff(root), undefined);
  });

  it('reads commit, branch and a clean state', async () => {
    const repo = makeRepo(root);
    const head = git(repo, 'rev-parse', 'HEAD').trim();
    assert.deepEqual(await readGitState(repo), { commit: head, branch: 'main', dirty: false });
    fs.mkdirSync(path.join(repo, 'sub'));
    assert.deepEqual(await readGitState(path.join(repo, 'sub')), { commit: head, branch: 'main', dirty: false });
  });

  it('has no branch on a detached HEAD, and reports the origin remote without credentials', async () => {
    const repo = makeRepo(root);
    git(repo, 'remote', 'add', 'upstream', 'https://example.com/up.git');
    git(repo, 'remote', 'add', 'origin', 'https://user:secret-token@example.com/team/proj.git');
    git(repo, 'checkout', '-q', '--detach');
    const state = await readGitState(repo);
    assert.equal(state?.branch, undefined);
    assert.equal(state?.remote, 'https://example.com/team/proj.git');
  });

  it('is dirty with tracked changes or untracked files, but not for ignored files or excluded paths', async () => {
    const repo = makeRepo(root);
    fs.writeFileSync(path.join(repo, 'ignored.log'), 'x');
    fs.mkdirSync(path.join(repo, '.exptrack', 'runs', 'r1'), { recursive: true });
    fs.writeFileSync(path.join(repo, '.exptrack', 'runs', 'r1', 'events.jsonl'), '{}\n');
    const exclude = { excludePaths: [path.join(repo, '.exptrack')] };
    assert.equal((await readGitState(repo, exclude))?.dirty, false);
    assert.equal((await readGitState(repo))?.dirty, true);
    fs.writeFileSync(path.join(repo, 'new.py'), 'print(1)\n');
    assert.equal((await readGitState(repo, exclude))?.dirty, true);
  });

  it('writes a patch of tracked changes and small untracked text files that applies to the commit', async () => {
    const repo = makeRepo(root);
    fs.writeFileSync(path.join(repo, 'a.txt'), 'one\nTWO\nthree\n');
    fs.writeFileSync(path.join(repo, 'bin.dat'), Buffer.from([9, 0, 8]));
    fs.mkdirSync(path.join(repo, 'src'));
    fs.writeFileSync(path.join(repo, 'src', 'new model.py'), 'import torch\n');
    fs.writeFileSync(path.join(repo, 'notes.md'), 'no final newline');
    fs.writeFileSync(path.join(repo, 'weights.bin'), Buffer.from([0, 0, 1]));
    fs.writeFileSync(path.join(repo, 'big.txt'), 'x'.repeat(2000));
    fs.writeFileSync(path.join(repo, 'ignored.log'), 'secret\n');
    fs.mkdirSync(path.join(repo, '.exptrack'));
    fs.writeFileSync(path.join(repo, '.exptrack', 'registry.jsonl'), '{}\n');
    const indexBefore = fs.readFileSync(path.join(repo, '.git', 'index'));

    const patch = await uncommittedDiff(repo, { excludePaths: [path.join(repo, '.exptrack')], maxUntrackedFileBytes: 1000 });
    assert.ok(patch);
    assert.deepEqual(fs.readFileSync(path.join(repo, '.git', 'index')), indexBefore, 'the index is untouched');
    assert.match(patch, /^# exptrack: untracked file left out \(larger than 1000 bytes\): big\.txt$/m);
    assert.match(patch, /^# exptrack: untracked file left out \(binary\): weights\.bin$/m);
    assert.match(patch, /^\+TWO$/m);
    assert.match(patch, /GIT binary patch/);
    assert.match(patch, /^\+import torch$/m);
    assert.doesNotMatch(patch, /secret|registry\.jsonl|ignored\.log/);

    const clone = path.join(root, 'clone');
    git(root, 'clone', '-q', repo, clone);
    fs.writeFileSync(path.join(root, 'code.patch'), patch);
    git(clone, 'apply', path.join(root, 'code.patch'));
    assert.equal(fs.readFileSync(path.join(clone, 'a.txt'), 'utf8'), 'one\nTWO\nthree\n');
    assert.deepEqual(fs.readFileSync(path.join(clone, 'bin.dat')), Buffer.from([9, 0, 8]));
    assert.equal(fs.readFileSync(path.join(clone, 'src', 'new model.py'), 'utf8'), 'import torch\n');
    assert.equal(fs.readFileSync(path.join(clone, 'notes.md'), 'utf8'), 'no final newline');
  });

  it('works in a repository without commits', async () => {
    const repo = path.join(root, 'fresh');
    fs.mkdirSync(repo);
    git(repo, 'init', '-q', '-b', 'main');
    fs.writeFileSync(path.join(repo, 'train.py'), 'print(1)\n');
    const state = await readGitState(repo);
    assert.deepEqual(state, { branch: 'main', dirty: true });
    const patch = await uncommittedDiff(repo);
    assert.match(patch!, /^\+\+\+ b\/train\.py$/m);
  });

  it('caps the patch size with a marker line', async () => {
    const repo = makeRepo(root);
    fs.writeFileSync(path.join(repo, 'a.txt'), Array.from({ length: 2000 }, (_, i) => `line ${i}`).join('\n'));
    const patch = (await uncommittedDiff(repo, { maxPatchBytes: 4096 }))!;
    assert.ok(Buffer.byteLength(patch) <= 4096 + 100);
    assert.match(patch, /\n# exptrack: patch truncated at 4096 bytes\n$/);
  });

  it('cuts patches at a line start', () => {
    assert.equal(capPatch(Buffer.from('ab\ncd\nef\n'), 100), 'ab\ncd\nef\n');
    assert.equal(capPatch(Buffer.from('ab\ncd\nef\n'), 7), 'ab\ncd\n# exptrack: patch truncated at 7 bytes\n');
  });
});
