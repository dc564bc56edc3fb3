import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { resolveCommit, revisionsOf, sha256File, writeFileAtRevision } from '../../../src/core/datasets/gitRevisionFile';
import { locateRecordedVersion } from '../../../src/core/datasets/recordedVersion';

const sha = (text: string) => createHash('sha256').update(text).digest('hex');

/** A git repository with data/train.csv committed twice; returns the two commits. */
function makeRepo(root: string): { first: string; second: string } {
  const env = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t.invalid', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t.invalid' };
  const git = (...args: string[]) => execFileSync('git', args, { cwd: root, env, encoding: 'utf8' }).trim();
  git('init', '-q', '-b', 'main');
  fs.mkdirSync(path.join(root, 'data'));
  fs.writeFileSync(path.join(root, 'data/train.csv'), V1);
  git('add', '-A');
  git('-c', 'commit.gpgsign=false', 'commit', '-q', '-m', 'first data');
  const first = git('rev-parse', 'HEAD');
  fs.writeFileSync(path.join(root, 'data/train.csv'), V2);
  git('-c', 'commit.gpgsign=false', 'commit', '-q', '-am', 'second data');
  return { first, second: git('rev-parse', 'HEAD') };
}

const V1 = 'a,b,species\n1,2,x\n3,4,y\n';
const V2 = 'a,b\n1,2\n3,4\n5,6\n';
const V3 = 'a,b\n9,9\n';

describe('data files at git revisions', () => {
  let root: string;
  let temp: string;
  let commits: { first: string; second: string };
  before(() => {
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'exptrack-gitrev-')));
    temp = fs.mkdtempSync(path.join(os.tmpdir(), 'exptrack-gitrev-out-'));
    commits = makeRepo(root);
    fs.writeFileSync(path.join(root, 'data/train.csv'), V3); // uncommitted change
  });
  after(() => {
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(temp, { recursive: true, force: true });
  });

  it('resolves revision names and refuses what git would take as an option', async () => {
    assert.equal(await resolveCommit(root, 'HEAD'), commits.second);
    assert.equal(await resolveCommit(root, 'HEAD~1'), commits.first);
    assert.equal(await resolveCommit(root, commits.first.slice(0, 8)), commits.first);
    assert.equal(await resolveCommit(root, 'no-such-branch'), undefined);
    assert.equal(await resolveCommit(root, '--output=/tmp/x'), undefined);
    assert.equal(await resolveCommit(root, 'HEAD HEAD'), undefined);
  });

  it('lists the commits that changed a file, newest first', async () => {
    const revs = await revisionsOf(path.join(root, 'data'), 'train.csv');
    assert.deepEqual(revs.map((r) => r.commit), [commits.second, commits.first]);
    assert.deepEqual(revs.map((r) => r.subject), ['second data', 'first data']);
    assert.ok(revs.every((r) => r.author === 't' && r.time > 1_600_000_000 && r.shortCommit.length >= 7));
  });

  it('writes a file as it was at a revision, relative to the folder it is run in, with its hash', async () => {
    const out = path.join(temp, 'head.csv');
    const r = await writeFileAtRevision(path.join(root, 'data'), 'HEAD~1', 'train.csv', out);
    assert.ok(r.ok, JSON.stringify(r));
    assert.equal(r.commit, commits.first);
    assert.equal(r.sha256, sha(V1));
    assert.equal(r.bytes, Buffer.byteLength(V1));
    assert.equal(fs.readFileSync(out, 'utf8'), V1);
    const top = await writeFileAtRevision(root, 'HEAD', 'data/train.csv', path.join(temp, 'top.csv'));
    assert.ok(top.ok && top.sha256 === sha(V2));
  });

  it('says why when the path or the revision is unknown, and leaves no file behind', async () => {
    const missing = await writeFileAtRevision(root, 'HEAD', 'data/none.csv', path.join(temp, 'none.csv'));
    assert.deepEqual(missing, { ok: false, reason: `data/none.csv is not in commit ${commits.second.slice(0, 10)}` });
    assert.equal(fs.existsSync(path.join(temp, 'none.csv')), false);
    const badRev = await writeFileAtRevision(root, 'nope', 'data/train.csv', path.join(temp, 'x.csv'));
    assert.deepEqual(badRev, { ok: false, reason: 'git knows no commit "nope" here' });
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'exptrack-nogit-'));
    try {
      fs.writeFileSync(path.join(outside, 'a.csv'), 'x\n1\n');
      const noRepo = await writeFileAtRevision(outside, 'HEAD', 'a.csv', path.join(temp, 'y.csv'));
      assert.equal(noRepo.ok, false);
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });

  it('hashes files the way the Python client does (sha256 of the bytes)', async () => {
    assert.deepEqual(await sha256File(path.join(root, 'data/train.csv')), { sha256: sha(V3), bytes: Buffer.byteLength(V3) });
  });

  describe('the version a run recorded', () => {
    it('is the current file while its hash matches', async () => {
      const r = await locateRecordedVersion(root, { path: 'data/train.csv', sha256: sha(V3) }, [commits.first], temp);
      assert.deepEqual(r, { ok: true, absPath: path.join(root, 'data/train.csv'), from: 'working-tree' });
    });

    it('is read from the run commit that holds it when the file changed since', async () => {
      const r = await locateRecordedVersion(root, { path: 'data/train.csv', sha256: sha(V1) }, [commits.second, commits.first], temp);
      assert.ok(r.ok && r.from === 'git', JSON.stringify(r));
      assert.equal(r.commit, commits.first);
      assert.ok(r.absPath.startsWith(temp) && r.absPath.endsWith('train.csv'));
      assert.equal(fs.readFileSync(r.absPath, 'utf8'), V1);
    });

    it('is not available when neither the file nor the commits hold those bytes', async () => {
      const r = await locateRecordedVersion(root, { path: 'data/train.csv', sha256: sha('something else') }, [commits.second], temp);
      assert.equal(r.ok, false);
      assert.match(!r.ok ? r.reason : '', /^the recorded version of data\/train\.csv \(sha256 [0-9a-f]{12}…\) is not available: the file has changed since, and commit [0-9a-f]{10} holds other content$/);
      const noCommit = await locateRecordedVersion(root, { path: 'data/train.csv', sha256: sha(V1) }, [], temp);
      assert.match(!noCommit.ok ? noCommit.reason : '', /no git commit was recorded with the run$/);
      const gone = await locateRecordedVersion(root, { path: 'data/gone.csv', sha256: sha(V1) }, [commits.first], temp);
      assert.match(!gone.ok ? gone.reason : '', /the file is gone, and data\/gone\.csv is not in commit/);
    });

    it('does not run git when told not to, and says why', async () => {
      const r = await locateRecordedVersion(root, { path: 'data/train.csv', sha256: sha(V1) }, [commits.first], temp, { noGit: 'git is not run here' });
      assert.equal(r.ok, false);
      assert.match(!r.ok ? r.reason : '', /the file has changed since, and git is not run here$/);
    });

    it('uses the current file, with a note, when the run recorded no hash', async () => {
      const r = await locateRecordedVersion(root, { path: 'data/train.csv', sha256: null }, [], temp);
      assert.ok(r.ok && r.from === 'working-tree' && /recorded no content hash/.test(r.note ?? ''));
    });

    it('refuses paths outside the workspace', async () => {
      const r = await locateRecordedVersion(root, { path: '../../etc/passwd', sha256: null }, [], temp);
      assert.equal(r.ok, false);
      assert.match(!r.ok ? r.reason : '', /outside the workspace/);
    });
  });
});
