// A workspace left as found, inside the real extension host: the folder had no .exptrack/ when it
// was opened, so its index lives in the extension's workspace storage (also after runs recorded
// by the other tests made .exptrack/); a read-only folder gets nothing written and Run with
// Tracking refuses with a reason; a folder renamed away and back costs no runs and no crash.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { treeListing } from '../faults/support/fileHashes';
import { mountReadOnly } from '../faults/support/mounts';
import { api, root, waitFor } from './support';


describe('A workspace left as found (extension host)', function () {
  this.timeout(60_000);

  it('keeps the index of a folder opened without .exptrack/ in workspace storage, also once runs made .exptrack/', async () => {
    const a = await api();
    const dbPath = a.runIndex()!.dbPath;
    assert.ok(dbPath, 'the index is saved to a file');
    assert.ok(!dbPath.startsWith(root() + path.sep), `${dbPath} is outside the workspace folder`);
    assert.match(dbPath, /exptrack\.exptrack/, 'in the extension\'s own storage');
    fs.mkdirSync(path.join(root(), 'logs'), { recursive: true });
    fs.writeFileSync(path.join(root(), 'logs', 'history.csv'), 'epoch,loss\n0,0.8\n1,0.4\n');
    await vscode.commands.executeCommand('exptrack.rescanWorkspace');
    await waitFor('the index to be saved', () => (fs.existsSync(dbPath) ? true : undefined));
    // A recorded run (here or in another test file) creates .exptrack/, with its .gitignore and .gitattributes first.
    const exptrack = path.join(root(), '.exptrack');
    if (!fs.existsSync(exptrack)) {
      const runId = await a.runFileWithTracking(vscode.Uri.file(path.join(root(), 'train.py')));
      assert.ok(runId);
      await waitFor('the run to end', async () => ((await a.runIndex()!.call('getRun', runId))?.status === 'finished' ? true : undefined));
    }
    assert.match(fs.readFileSync(path.join(exptrack, '.gitignore'), 'utf8'), /^exptrack\.sqlite\*$/m);
    assert.strictEqual(fs.readFileSync(path.join(exptrack, '.gitattributes'), 'utf8'), 'registry.jsonl merge=union\n');
    assert.strictEqual(fs.existsSync(path.join(exptrack, 'exptrack.sqlite')), false, 'the index moves in at the next start, not during this one');
  });

  it('in a read-only folder, Run with Tracking refuses and nothing is written; the index still answers', async function () {
    const a = await api();
    const runsBefore = await a.runIndex()!.call('listRuns');
    // Root ignores permission bits: a read-only bind mount is what refuses writes to everyone.
    const mounted = mountReadOnly(root());
    if (!mounted.ok) {
      console.log(`      read-only folder SKIPPED: ${mounted.reason}`);
      this.skip();
    }
    try {
      assert.throws(() => fs.writeFileSync(path.join(root(), 'probe'), 'x'), /EROFS/);
      const before = treeListing(root());
      const runId = await a.runFileWithTracking(vscode.Uri.file(path.join(root(), 'train.py')));
      assert.strictEqual(runId, undefined, 'no run starts');
      await vscode.commands.executeCommand('exptrack.rescanWorkspace');
      assert.deepStrictEqual(await a.runIndex()!.call('listRuns'), runsBefore, 'the runs are still listed');
      assert.deepStrictEqual(treeListing(root()), before, 'nothing was written into the folder');
    } finally {
      mounted.unmount();
    }
  });

  it('a workspace folder renamed away and back: no crash, the runs stay listed, a Rescan reads it again', async () => {
    const a = await api();
    const index = a.runIndex()!;
    const before = await index.call('listRuns');
    assert.ok(before.length > 0);
    const away = `${root()}-renamed`;
    fs.renameSync(root(), away);
    try {
      await vscode.commands.executeCommand('exptrack.rescanWorkspace');
      await new Promise((r) => setTimeout(r, 1500)); // the file watcher's deletions arrive meanwhile
      assert.deepStrictEqual(await index.call('listRuns'), before, 'nothing was dropped while the folder was away');
      assert.strictEqual(fs.existsSync(root()), false, 'the folder was not recreated');
    } finally {
      fs.renameSync(away, root());
    }
    // A log that appeared while it was away is read once it is back.
    const dir = path.join(root(), 'logs');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'training_log.csv'), 'epoch,loss\n0,0.9\n1,0.5\n');
    await vscode.commands.executeCommand('exptrack.rescanWorkspace');
    const after = await index.call('listRuns');
    assert.strictEqual(after.length, before.length + 1, 'the runs are there, and the new log too');
  });
});
