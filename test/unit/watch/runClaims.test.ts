import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { claimsDir, removeClaim, removeStaleClaims, writeClaim } from '../../../src/core/capture/runClaims';

describe('capture/runClaims', () => {
  let exptrackDir: string;
  beforeEach(() => (exptrackDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'exptrack-claims-')), '.exptrack')));
  afterEach(() => fs.rmSync(path.dirname(exptrackDir), { recursive: true, force: true }));

  it('writes a claim named after its run, git-ignored, and removes it', () => {
    const claim = { runId: '20261122-014211-a1b2c3d4', cwd: '/ws', script: '/ws/train.py', started: 1732240000.5, pid: 4242 };
    const file = writeClaim(exptrackDir, claim);
    assert.equal(file, path.join(claimsDir(exptrackDir), '20261122-014211-a1b2c3d4.json'));
    assert.deepEqual(JSON.parse(fs.readFileSync(file, 'utf8')), claim);
    assert.equal(fs.readFileSync(path.join(claimsDir(exptrackDir), '.gitignore'), 'utf8'), '*\n');
    assert.deepEqual(fs.readdirSync(claimsDir(exptrackDir)).filter((n) => n.endsWith('.tmp')), [], 'no temp file left');
    removeClaim(file);
    removeClaim(file);
    assert.equal(fs.existsSync(file), false);
  });

  it('gives declined claims names of their own', () => {
    const a = writeClaim(exptrackDir, { runId: null, cwd: '/ws', script: '/ws/a.py', started: 1 });
    const b = writeClaim(exptrackDir, { runId: null, cwd: '/ws', script: '/ws/a.py', started: 1 });
    assert.notEqual(a, b);
    assert.match(path.basename(a), /^declined-\d+-[0-9a-f]{8}\.json$/);
  });

  it('removes only old claims', () => {
    const old = writeClaim(exptrackDir, { runId: 'old', cwd: '/ws', started: 1 });
    const fresh = writeClaim(exptrackDir, { runId: 'fresh', cwd: '/ws', started: 2 });
    const hourAgo = new Date(Date.now() - 3600_000);
    fs.utimesSync(old, hourAgo, hourAgo);
    removeStaleClaims(exptrackDir, 600_000);
    assert.equal(fs.existsSync(old), false);
    assert.equal(fs.existsSync(fresh), true);
    removeStaleClaims(path.join(exptrackDir, 'missing'), 0);
  });
});
