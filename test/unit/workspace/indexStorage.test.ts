/**
 * The extension's choice of where a folder's index goes and whether its session starts with the
 * extension (src/extension/startup/indexStorage.ts; only VS Code's types are imported there, so the
 * storage folders here are plain file URIs as VS Code gives them).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type * as vscode from 'vscode';
import { workspaceKey } from '../../../src/core/store/indexLocation';
import { hasKnownRuns, planIndex } from '../../../src/extension/startup/indexStorage';

const fileUri = (fsPath: string) => ({ scheme: 'file', fsPath }) as vscode.Uri;

describe('startup/indexStorage', () => {
  let tmp: string;
  let root: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'exptrack-storage-'));
    root = path.join(tmp, 'ws');
    fs.mkdirSync(root);
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  const context = (storage: string | undefined, global = path.join(tmp, 'global')) =>
    ({ storageUri: storage === undefined ? undefined : fileUri(storage), globalStorageUri: fileUri(global) }) as vscode.ExtensionContext;

  it('keeps the index in workspace storage, else in a folder of the global storage, unless a path is configured', () => {
    assert.deepEqual(planIndex(context(path.join(tmp, 'ws-storage')), root, ''), { outsideDir: path.join(tmp, 'ws-storage', workspaceKey(root)) });
    assert.deepEqual(planIndex(context(undefined), root, ''), { outsideDir: path.join(tmp, 'global', 'workspaces', workspaceKey(root)) });
    assert.deepEqual(planIndex(context(path.join(tmp, 'ws-storage')), root, 'idx/x.sqlite'), { dbPath: path.join(root, 'idx/x.sqlite') });
  });

  it('starts with the extension only when the folder has runs to show: .exptrack/, or an index saved earlier', () => {
    const plan = planIndex(context(path.join(tmp, 'ws-storage')), root, '');
    assert.equal(hasKnownRuns(root, plan), false);
    fs.mkdirSync(plan.outsideDir!, { recursive: true });
    fs.writeFileSync(path.join(plan.outsideDir!, 'exptrack.sqlite'), '');
    assert.equal(hasKnownRuns(root, plan), true);
    fs.rmSync(plan.outsideDir!, { recursive: true });
    fs.mkdirSync(path.join(root, '.exptrack'));
    assert.equal(hasKnownRuns(root, plan), true);
  });
});
