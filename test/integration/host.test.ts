// Checks the ground every other integration test stands on: the fixture workspace is open, the
// test environment reaches the extension host, and the extension activates with every command
// its manifest contributes registered.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';

const extensionId = 'exptrack.exptrack';

describe('integration host', () => {
  it('opens the fixture workspace copy', async () => {
    const folders = vscode.workspace.workspaceFolders ?? [];
    assert.strictEqual(folders.length, 1, 'exactly one workspace folder');
    assert.strictEqual(folders[0].uri.fsPath, process.env.EXPTRACK_TEST_WORKSPACE);
    const found = await vscode.workspace.findFiles('train.py');
    assert.strictEqual(found.length, 1, 'train.py is in the workspace');
  });

  it('passes the test environment to the extension host', () => {
    assert.strictEqual(process.env.EXPTRACK_TEST, '1');
  });

  it('activates the extension and registers every contributed command', async () => {
    const extension = vscode.extensions.getExtension(extensionId);
    assert.ok(extension, `${extensionId} is loaded`);
    await extension.activate();
    assert.strictEqual(extension.isActive, true);

    const contributed: { command: string }[] = extension.packageJSON.contributes?.commands ?? [];
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.map((c) => c.command).filter((id) => !registered.has(id));
    assert.deepStrictEqual(missing, [], 'contributed commands without a registration');
  });

  it('bundles code that never reads the navigator global (newer extension hosts log every read)', () => {
    const extension = vscode.extensions.getExtension(extensionId)!;
    for (const bundle of ['extension.js', 'deferred.js', 'storeWorker.js', 'profileWorker.js', 'cli.js']) {
      const text = fs.readFileSync(path.join(extension.extensionPath, 'dist', bundle), 'utf8');
      assert.doesNotMatch(text, /\bnavigator\b/, `dist/${bundle} mentions navigator`);
    }
  });
});
