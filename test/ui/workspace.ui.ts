// A workspace left as found, in the real workbench. A plain git repository with a notebook that
// has outputs, a training_log.csv and a script, but no .exptrack/: opened, used (the Runs view,
// a Rescan, a window reload) and left for 20 s, `git status --porcelain --ignored` does not change
// and the runs come from the index in VS Code's workspace storage. A read-only folder gets nothing
// written and one clear message when a run cannot be recorded; so does a folder where .exptrack/
// cannot be created; a folder renamed away while open costs one log line, and comes back.
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { treeListing } from '../faults/support/fileHashes';
import { mountReadOnly } from '../faults/support/mounts';
import { reloadWindow, sampleWorkspace, useWorkbench, type Workbench } from '../support/workbench';

/** A repository someone opens with ExpTrack installed, having asked nothing of it. */
function plainRepository(extra: (dir: string) => void = () => undefined): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exptrack-plain-ui-'));
  fs.copyFileSync(path.join(sampleWorkspace, 'train.py'), path.join(dir, 'train.py'));
  fs.writeFileSync(path.join(dir, 'training_log.csv'), 'epoch,accuracy,loss\n0,0.5,0.9\n1,0.7,0.6\n2,0.8,0.4\n');
  fs.writeFileSync(path.join(dir, 'analysis.ipynb'), JSON.stringify({
    nbformat: 4, nbformat_minor: 5, metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
    cells: [{
      cell_type: 'code', id: 'c0', execution_count: 1, metadata: {}, source: 'for e in range(3): print(f"epoch {e} val_loss={0.9 / (e + 1):.3f}")',
      outputs: [{ output_type: 'stream', name: 'stdout', text: 'epoch 0 val_loss=0.900\nepoch 1 val_loss=0.450\nepoch 2 val_loss=0.300\n' }],
    }],
  }, null, 1));
  extra(dir);
  return dir;
}

const git = (dir: string, ...args: string[]) => execFileSync('git', args, { cwd: dir, encoding: 'utf8' });

/** Waits until the Runs view shows a row containing each of `texts`; returns the rows. */
async function waitForRuns(wb: Workbench, texts: string[], timeoutMs = 60_000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = await wb.treeRows('Runs');
    if (texts.every((t) => rows.some((r) => r.includes(t)))) return rows;
    if (Date.now() > deadline) throw new Error(`the Runs view does not show ${JSON.stringify(texts)}: ${JSON.stringify(rows)}`);
    await wb.page.waitForTimeout(250);
  }
}

/** ExpTrack's notifications (from the notification centre). */
async function expTrackNotifications(wb: Workbench): Promise<string[]> {
  return (await wb.readNotifications()).filter((m) => m.startsWith('ExpTrack'));
}

function errorLines(log: string): string[] {
  return log.split('\n').filter((l) => /\[error\]/.test(l));
}

describe('a plain repository opened and left for 20 s (UI)', function () {
  this.timeout(240_000);
  const workspace = plainRepository();
  let before = '';
  const wb = useWorkbench({ workspace, readyFile: 'training_log.csv', prepare: (dir) => void (before = git(dir, 'status', '--porcelain', '--ignored')) });
  after(() => fs.rmSync(workspace, { recursive: true, force: true }));

  it('shows its runs from the index in workspace storage, and git status does not change', async () => {
    const dir = wb().workspace;
    assert.strictEqual(before, '', 'a clean repository to start with');
    await wb().openFile('train.py'); // activates ExpTrack (onLanguage:python) as a Python file would
    await wb().page.waitForTimeout(20_000);
    await wb().openExperiments();
    await waitForRuns(wb(), ['training_log.csv', 'analysis.ipynb']);
    await wb().runCommand('ExpTrack: Rescan Workspace');
    await wb().page.waitForTimeout(3_000); // the index is saved a second after the last change
    assert.strictEqual(git(dir, 'status', '--porcelain', '--ignored'), before, 'nothing new, changed or ignored in the repository');
    assert.strictEqual(fs.existsSync(path.join(dir, '.exptrack')), false);
    const log = await wb().readOutputLog('ExpTrack');
    const kept = /the run index is kept outside the workspace, at (\S+exptrack\.sqlite)/.exec(log);
    assert.ok(kept, `the log says where the index is:\n${log}`);
    assert.ok(kept[1]!.includes('exptrack.exptrack') && !kept[1]!.startsWith(dir), `${kept[1]} is in the extension's storage`);
    await wb().screenshot('workspace-plain-repository-runs');

    // After a reload the runs are there at once, read from that index: still nothing in the folder.
    await reloadWindow(wb());
    await wb().openExperiments();
    await waitForRuns(wb(), ['training_log.csv', 'analysis.ipynb'], 30_000);
    assert.match(await wb().readOutputLog('ExpTrack'), /ready: 2 runs indexed/);
    assert.strictEqual(git(dir, 'status', '--porcelain', '--ignored'), before);
    assert.deepStrictEqual(errorLines(await wb().readOutputLog('ExpTrack')), []);
    storageIndex = kept[1]!;
  });

  let storageIndex = '';
  it('a first recorded run makes .exptrack/, .gitignore first; the next start moves the index in, ignored by git', async () => {
    const dir = wb().workspace;
    await wb().openFile('train.py');
    await wb().runCommand('ExpTrack: Run Python File with Tracking');
    // train.py's last loss is 0.25; the run ends finished.
    await wb().viewBody('Runs').locator('.monaco-list-row', { hasText: 'loss=0.25' }).locator('.codicon-pass').waitFor({ timeout: 60_000 });
    // During this session the index stays where it was opened.
    assert.strictEqual(fs.existsSync(path.join(dir, '.exptrack', 'exptrack.sqlite')), false);
    assert.match(fs.readFileSync(path.join(dir, '.exptrack', '.gitignore'), 'utf8'), /^exptrack\.sqlite\*$/m);
    assert.strictEqual(fs.readFileSync(path.join(dir, '.exptrack', '.gitattributes'), 'utf8'), 'registry.jsonl merge=union\n');

    await reloadWindow(wb());
    await wb().openExperiments();
    await waitForRuns(wb(), ['training_log.csv', 'analysis.ipynb', 'loss=0.25'], 30_000);
    assert.ok(fs.existsSync(path.join(dir, '.exptrack', 'exptrack.sqlite')), 'the index moved into .exptrack/');
    assert.strictEqual(fs.existsSync(storageIndex), false, 'no stale copy is left in the storage');
    const status = git(dir, 'status', '--porcelain', '--ignored', '--untracked-files=all').split('\n').filter(Boolean);
    const ignored = status.filter((l) => l.startsWith('!! '));
    assert.ok(ignored.includes('!! .exptrack/exptrack.sqlite'), `the index is ignored: ${JSON.stringify(status)}`);
    for (const line of ignored) assert.match(line, /^!! \.exptrack\/exptrack\.sqlite(\.series\/[\w-]+\.chunks)?$/, 'the index and its series files, and only they, are ignored');
    assert.strictEqual(fs.existsSync(`${storageIndex}.series`), false, 'nor a stale copy of its series files');
    // What is new is what a team commits: the run's files, the .gitignore and the .gitattributes.
    const added = status.filter((l) => !l.startsWith('!! ')).map((l) => l.replace(/runs\/[^/]+\//, 'runs/<id>/')).sort();
    const committable = ['?? .exptrack/.gitattributes', '?? .exptrack/.gitignore', '?? .exptrack/runs/<id>/code.patch', '?? .exptrack/runs/<id>/events.jsonl', '?? .exptrack/runs/<id>/stdout.log'];
    for (const line of added) assert.ok(committable.includes(line), `${line} in ${JSON.stringify(status)}`);
    for (const line of ['?? .exptrack/.gitattributes', '?? .exptrack/.gitignore', '?? .exptrack/runs/<id>/events.jsonl']) assert.ok(added.includes(line), `${line} in ${JSON.stringify(status)}`);
    await wb().screenshot('workspace-first-run-index-moved-in');
  });
});

describe('a read-only workspace folder (UI)', function () {
  this.timeout(240_000);
  const workspace = plainRepository();
  let snapshot: string[] = [];
  const wb = useWorkbench({
    workspace,
    readyFile: 'training_log.csv',
    prepare: (dir) => {
      const mounted = mountReadOnly(dir);
      if (!mounted.ok) throw new Error(`cannot make ${dir} read-only here: ${mounted.reason}`);
      snapshot = treeListing(dir);
      return mounted.unmount;
    },
  });
  after(() => fs.rmSync(workspace, { recursive: true, force: true }));

  it('lists the runs, writes nothing, and says once why Run with Tracking cannot record', async () => {
    const dir = wb().workspace;
    assert.throws(() => fs.writeFileSync(path.join(dir, 'probe'), 'x'), /EROFS/, 'the folder is read-only');
    await wb().openExperiments();
    await waitForRuns(wb(), ['training_log.csv', 'analysis.ipynb']);
    await wb().openFile('train.py');
    await wb().runCommand('ExpTrack: Run Python File with Tracking');
    const message = await wb().waitForNotification('cannot record train.py here');
    assert.match(message, /read-only file system/);
    await wb().runCommand('ExpTrack: Rescan Workspace');
    await wb().page.waitForTimeout(3_000);
    await wb().screenshot('workspace-read-only');
    assert.deepStrictEqual(await expTrackNotifications(wb()), [message], 'one message, not a storm');
    assert.strictEqual(errorLines(await wb().readOutputLog('ExpTrack')).length, 1);
    assert.deepStrictEqual(treeListing(dir), snapshot, 'nothing was written into the folder');
    await waitForRuns(wb(), ['training_log.csv', 'analysis.ipynb']);
  });
});

describe('a folder where .exptrack/ cannot be created, renamed away while open (UI)', function () {
  this.timeout(240_000);
  const workspace = plainRepository((dir) => fs.writeFileSync(path.join(dir, '.exptrack'), 'a file where the folder would go\n'));
  const wb = useWorkbench({ workspace, readyFile: 'training_log.csv' });
  after(() => fs.rmSync(workspace, { recursive: true, force: true }));

  it('keeps the index in storage and explains why Run with Tracking cannot record', async () => {
    await wb().openExperiments();
    await waitForRuns(wb(), ['training_log.csv', 'analysis.ipynb']);
    await wb().openFile('train.py');
    await wb().runCommand('ExpTrack: Run Python File with Tracking');
    const message = await wb().waitForNotification('cannot record train.py here');
    assert.match(message, /\.exptrack exists and is not a folder/);
    assert.match(await wb().readOutputLog('ExpTrack'), /kept outside the workspace, at \S+ \(\S+\.exptrack is not a folder\)/);
  });

  it('a workspace folder renamed away: one clear log line, no error, the runs stay; back, it is read again', async () => {
    const dir = wb().workspace;
    const away = `${dir}-away`;
    const errorsBefore = errorLines(await wb().readOutputLog('ExpTrack')).length;
    const notificationsBefore = await expTrackNotifications(wb());
    fs.renameSync(dir, away);
    try {
      await wb().runCommand('ExpTrack: Rescan Workspace');
      await wb().runCommand('ExpTrack: Refresh Runs');
      await wb().page.waitForTimeout(5_000);
      const log = await wb().readOutputLog('ExpTrack');
      assert.strictEqual(log.match(/is gone \(deleted or renamed\?\)/g)?.length, 1, `one line says what happened:\n${log}`);
      assert.strictEqual(errorLines(log).length, errorsBefore, 'no error storm');
      assert.deepStrictEqual(await expTrackNotifications(wb()), notificationsBefore, 'no new message');
      await waitForRuns(wb(), ['training_log.csv', 'analysis.ipynb'], 10_000);
      await wb().screenshot('workspace-folder-gone');
    } finally {
      fs.renameSync(away, dir);
    }
    fs.writeFileSync(path.join(dir, 'history.csv'), 'epoch,loss\n0,0.7\n1,0.2\n');
    await wb().runCommand('ExpTrack: Rescan Workspace');
    await waitForRuns(wb(), ['training_log.csv', 'analysis.ipynb', 'history.csv'], 30_000);
    assert.match(await wb().readOutputLog('ExpTrack'), /is back: reading it again/);
  });
});
