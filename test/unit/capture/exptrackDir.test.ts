import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  codePatchPath, ensureExptrackDir, eventsPath, runDir, stdoutPath,
} from '../../../src/core/exptrackDir';

describe('capture/exptrackDir', () => {
  let root: string;
  beforeEach(() => { root = fs.mkdtempSync(path.join(os.tmpdir(), 'exptrack-dir-')); });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('lays out a run under runs/<id>/', () => {
    const dir = path.join(root, '.exptrack');
    const id = '20261122-014211-a1b2c3d4';
    assert.equal(runDir(dir, id), path.join(dir, 'runs', id));
    assert.equal(eventsPath(dir, id), path.join(dir, 'runs', id, 'events.jsonl'));
    assert.equal(stdoutPath(dir, id), path.join(dir, 'runs', id, 'stdout.log'));
    assert.equal(codePatchPath(dir, id), path.join(dir, 'runs', id, 'code.patch'));
  });

  it('creates .exptrack/runs and a .gitignore for the database and temp files', () => {
    const dir = ensureExptrackDir(root);
    assert.equal(dir, path.join(root, '.exptrack'));
    assert.ok(fs.statSync(path.join(dir, 'runs')).isDirectory());
    assert.equal(fs.readFileSync(path.join(dir, '.gitignore'), 'utf8'), 'exptrack.sqlite*\n*.tmp\nmlflow-sync.json*\nmlflow-sync.lock\nclaims/\nnotebook-runs.json\n');
  });

  it('leaves an existing .gitignore as the user edited it, and can run twice', () => {
    fs.mkdirSync(path.join(root, '.exptrack'));
    fs.writeFileSync(path.join(root, '.exptrack', '.gitignore'), 'custom\n');
    ensureExptrackDir(root);
    ensureExptrackDir(root);
    assert.equal(fs.readFileSync(path.join(root, '.exptrack', '.gitignore'), 'utf8'), 'custom\n');
  });
});
