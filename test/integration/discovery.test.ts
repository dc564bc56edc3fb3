// Discovery inside the real extension host: files.exclude, search.exclude and .gitignore decide what
// is read and are re-applied when they change, a log folder listed in .gitignore is read anyway,
// and a rescan of a workspace of many files reports its progress and stops when cancelled,
// leaving the index as it was.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { RunIndex } from '../../src/extension/store/runIndex';
import type { RunSummary, ScanProgress } from '../../src/shared/runTypes';
import { writeBigWorkspaceAsync } from '../support/bigWorkspace';
import { api, root, waitFor } from './support';

const KERAS_LOG = 'epoch,loss\n0,0.5\n1,0.4\n';
/** Runs read from big/: MLflow's are named by their run id, the others by their folder. */
const inBig = (r: RunSummary) => r.uid.includes(':big/') || (r.sourcePath ?? '').startsWith('big/');

async function uidsUnder(index: RunIndex, prefix: string): Promise<string[]> {
  return (await index.call('listRuns')).map((r) => r.uid).filter((uid) => uid.includes(`:${prefix}`)).sort();
}

/** Waits until the index holds exactly `expected` among the runs under `prefix`. */
async function runsBecome(index: RunIndex, prefix: string, expected: string[], why: string): Promise<void> {
  await waitFor(`${why}: runs under ${prefix} to be ${JSON.stringify(expected)}`, async () =>
    JSON.stringify(await uidsUnder(index, prefix)) === JSON.stringify(expected) ? true : undefined);
}

describe('Discovery honours the workspace\'s ignore rules', function () {
  this.timeout(120_000);

  it('files.exclude, search.exclude and .gitignore leave runs out, log folders stay, and changes apply at once', async () => {
    const a = await api();
    const index = a.runIndex()!;
    const dir = path.join(root(), 'disc');
    for (const sub of ['a', 'b', 'c']) {
      fs.mkdirSync(path.join(dir, sub), { recursive: true });
      fs.writeFileSync(path.join(dir, sub, 'training_log.csv'), KERAS_LOG);
    }
    fs.mkdirSync(path.join(dir, 'lightning_logs', 'version_0'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'lightning_logs', 'version_0', 'metrics.csv'), 'epoch,step,loss\n0,0,0.5\n');
    fs.writeFileSync(path.join(dir, '.gitignore'), 'c/\nlightning_logs/\n');
    const keras = (sub: string) => `keras:disc/${sub}/training_log.csv`;
    const lightning = 'lightning:disc/lightning_logs/version_0';
    const files = vscode.workspace.getConfiguration('files');
    const search = vscode.workspace.getConfiguration('search');
    try {
      await index.rescan();
      assert.deepStrictEqual(await uidsUnder(index, 'disc/'), [keras('a'), keras('b'), lightning], 'c/ is gitignored; lightning_logs/ too, but it is a log folder');

      await files.update('exclude', { 'disc/a': true }, vscode.ConfigurationTarget.Workspace);
      await runsBecome(index, 'disc/', [keras('b'), lightning], 'files.exclude applied');
      await search.update('exclude', { '**/b/**': true }, vscode.ConfigurationTarget.Workspace);
      await runsBecome(index, 'disc/', [lightning], 'search.exclude applied');

      // The watcher sees the .gitignore change and scans again.
      fs.writeFileSync(path.join(dir, '.gitignore'), 'lightning_logs/\n');
      await runsBecome(index, 'disc/', [keras('c'), lightning], '.gitignore change applied');

      await vscode.workspace.getConfiguration('exptrack.sources').update('useGitignore', false, vscode.ConfigurationTarget.Workspace);
      await files.update('exclude', undefined, vscode.ConfigurationTarget.Workspace);
      await search.update('exclude', undefined, vscode.ConfigurationTarget.Workspace);
      await runsBecome(index, 'disc/', [keras('a'), keras('b'), keras('c'), lightning], 'settings reset');
    } finally {
      await vscode.workspace.getConfiguration('exptrack.sources').update('useGitignore', undefined, vscode.ConfigurationTarget.Workspace);
      await files.update('exclude', undefined, vscode.ConfigurationTarget.Workspace);
      await search.update('exclude', undefined, vscode.ConfigurationTarget.Workspace);
      fs.rmSync(dir, { recursive: true, force: true });
      await index.rescan();
    }
  });

  it('a rescan of many files reports progress from the worker, and Cancel stops it with the index unchanged', async () => {
    const a = await api();
    const index = a.runIndex()!;
    // Made beside the workspace and moved in whole, so the file watcher sees one folder appear.
    const staging = fs.mkdtempSync(path.join(path.dirname(root()), 'big-'));
    const { files, sources } = await writeBigWorkspaceAsync(staging, 20_000);
    const big = path.join(root(), 'big');
    fs.renameSync(staging, big);
    try {
      const progress: ScanProgress[] = [];
      const listening = index.onScanProgress((p) => progress.push(p));
      try {
        // As a user starts it: the command opens the progress notification at once and fills it.
        await vscode.commands.executeCommand('exptrack.rescanWorkspace');
      } finally {
        listening.dispose();
      }
      assert.strictEqual(index.lastScan?.cancelled, false);
      // All but big/build/ (in big/.gitignore) and big/node_modules/: about 80 % of its files.
      assert.ok((index.lastScan?.summary?.filesLookedAt ?? 0) > files * 0.75, `big/ was walked: ${JSON.stringify(index.lastScan)}`);
      assert.ok(progress.some((p) => p.phase === 'walking' && p.filesLookedAt > 0) && progress.some((p) => p.phase === 'reading'),
        `progress of the walk and of the reading: ${JSON.stringify(progress.slice(0, 3))}`);
      const before = await index.call('listRuns');
      assert.strictEqual(before.filter(inBig).length, 30, `${sources} sources of 30 runs`);

      // Cancel as the first report of the walk arrives: the walk has some 20,000 entries to go.
      const cancelling = index.onScanProgress(() => index.cancelRescan());
      try {
        await index.rescan();
      } finally {
        cancelling.dispose();
      }
      assert.strictEqual(index.lastScan?.cancelled, true);
      const looked = index.lastScan?.summary?.filesLookedAt ?? Infinity;
      console.log(`      cancelled after ${looked} of some ${files} files and folders looked at`);
      assert.ok(looked < files / 2, `stopped soon: ${looked} of ${files} looked at`);
      assert.deepStrictEqual(await index.call('listRuns'), before, 'the index is as it was');
    } finally {
      fs.rmSync(big, { recursive: true, force: true });
      await index.rescan();
    }
    assert.strictEqual((await index.call('listRuns')).filter(inBig).length, 0);
  });
});
