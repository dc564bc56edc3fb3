import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isListedNotebook, notebookRunsPath, readNotebookRuns, updateNotebookRuns } from '../../../src/core/notebooks/notebookRunsMap';

describe('notebooks/notebook-runs.json', () => {
  let dir: string;
  let exptrackDir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exptrack-nbmap-'));
    exptrackDir = path.join(dir, '.exptrack');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('is empty when missing or not a JSON object of strings', () => {
    assert.deepEqual(readNotebookRuns(exptrackDir), {});
    fs.mkdirSync(exptrackDir);
    fs.writeFileSync(notebookRunsPath(exptrackDir), '[1, 2]');
    assert.deepEqual(readNotebookRuns(exptrackDir), {});
    fs.writeFileSync(notebookRunsPath(exptrackDir), '{"a": 1, "b": "r1", "c": ""}');
    assert.deepEqual(readNotebookRuns(exptrackDir), { b: 'r1' });
  });

  it('merges with entries written by others, removes on null, and drops notebooks that are gone', () => {
    const a = path.join(dir, 'a.ipynb');
    const b = path.join(dir, 'sub', 'b.ipynb');
    fs.mkdirSync(path.dirname(b));
    fs.writeFileSync(a, '{}');
    fs.writeFileSync(b, '{}');
    updateNotebookRuns(exptrackDir, { [a]: 'r1' });
    // Another window adds its notebook; a deleted notebook's entry goes away on the next update.
    fs.writeFileSync(notebookRunsPath(exptrackDir), JSON.stringify({ ...readNotebookRuns(exptrackDir), [b]: 'r2', [path.join(dir, 'gone.ipynb')]: 'r3' }));
    assert.deepEqual(updateNotebookRuns(exptrackDir, { [a]: 'r4' }), { [a]: 'r4', [b]: 'r2' });
    assert.deepEqual(updateNotebookRuns(exptrackDir, { [b]: null }), { [a]: 'r4' });
    assert.deepEqual(JSON.parse(fs.readFileSync(notebookRunsPath(exptrackDir), 'utf8')), { [a]: 'r4' });
    // The folder it made got its .gitignore (and the registry's .gitattributes) first; no temp file is left behind.
    assert.deepEqual(fs.readdirSync(exptrackDir).sort(), ['.gitattributes', '.gitignore', 'notebook-runs.json']);
  });

  it('recognises a listed notebook however its path is spelled', () => {
    const map = { [path.join(dir, 'x', '..', 'a.ipynb')]: 'r1' };
    assert.equal(isListedNotebook(map, path.join(dir, 'a.ipynb')), true);
    assert.equal(isListedNotebook(map, path.join(dir, 'b.ipynb')), false);
  });
});
