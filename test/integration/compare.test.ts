// Comparing runs inside the real extension host: ticked runs in the Runs tree, the Compare panel
// opened by "Compare Selected Runs", and "Diff Run Code" — each side rebuilt from the run's
// commit plus its code.patch in memory, shown in VS Code's diff editor, the working tree untouched.
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { ExpTrackApi } from '../../src/extension/extension';
import { api, root, waitForWithin } from './support';

const waitFor = waitForWithin(15_000);

function writeRun(id: string, commit: string, patch?: string): void {
  const dir = path.join(root(), '.exptrack', 'runs', id);
  fs.mkdirSync(dir, { recursive: true });
  const lines = [
    { t: 'run', v: 1, id, name: id, experiment: 'compare-it', started: 1732240000, source: { kind: 'script', path: 'train.py' }, git: { commit, dirty: patch !== undefined } },
    { t: 'params', values: { lr: id === 'cmp-a' ? 0.1 : 0.2 } },
    { t: 'metrics', step: 0, time: 1732240001, values: { loss: 1 } },
    { t: 'end', status: 'finished', exit: 0, ended: 1732240002 },
  ];
  fs.writeFileSync(path.join(dir, 'events.jsonl'), lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  if (patch !== undefined) fs.writeFileSync(path.join(dir, 'code.patch'), patch);
}

describe('Compare runs (extension host)', function () {
  this.timeout(60_000);
  let a: ExpTrackApi;
  let head: string;
  const trainAtHead = () => execFileSync('git', ['show', 'HEAD:train.py'], { cwd: root(), encoding: 'utf8' });

  before(async () => {
    a = await api();
    head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root(), encoding: 'utf8' }).trim();
    const original = trainAtHead().split('\n');
    const changed = original.findIndex((l) => l.includes('default=0.1'));
    assert.ok(changed >= 0, 'train.py has an lr default to change');
    const patch = [
      'diff --git a/train.py b/train.py',
      '--- a/train.py',
      '+++ b/train.py',
      `@@ -${changed + 1} +${changed + 1} @@`,
      `-${original[changed]}`,
      `+${original[changed]!.replace('default=0.1', 'default=0.3')}`,
      '',
    ].join('\n');
    writeRun('cmp-a', head, patch);
    writeRun('cmp-b', head);
    await a.runIndex()!.rescan();
    await waitFor('both runs indexed', async () => ((await a.runsTree()!.load()).filter((r) => r.uid.startsWith('cmp-')).length === 2 ? true : undefined));
  });

  after(async () => {
    a.runsTree()!.setChecked([]);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('rebuilds a run\'s file from its commit and code.patch, read-only, without touching the working tree', async () => {
    const before = fs.readFileSync(path.join(root(), 'train.py'), 'utf8');
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse('exptrack-code:/train.py?run=cmp-a'));
    assert.ok(doc.getText().includes('default=0.3'), 'the patched line');
    assert.strictEqual(doc.getText().replace('default=0.3', 'default=0.1'), trainAtHead(), 'everything else as at the commit');
    const other = await vscode.workspace.openTextDocument(vscode.Uri.parse('exptrack-code:/train.py?run=cmp-b'));
    assert.strictEqual(other.getText(), trainAtHead());
    assert.strictEqual(fs.readFileSync(path.join(root(), 'train.py'), 'utf8'), before, 'the working tree is as it was');
    const status = execFileSync('git', ['status', '--porcelain', '--', 'train.py'], { cwd: root(), encoding: 'utf8' });
    assert.strictEqual(status, '', 'git sees no change to train.py');
  });

  it('"Diff Run Code" opens VS Code\'s diff editor between the two runs\' code', async () => {
    await vscode.commands.executeCommand('exptrack.diffRunCode', 'cmp-b', 'cmp-a');
    const input = await waitFor('a diff editor', () => {
      const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
      return tab?.input instanceof vscode.TabInputTextDiff ? tab.input : undefined;
    });
    assert.strictEqual(input.original.scheme, 'exptrack-code');
    assert.strictEqual(input.original.path, '/train.py');
    assert.match(input.original.query, /run=cmp-b/);
    assert.match(input.modified.query, /run=cmp-a/);
  });

  it('ticks runs in the Runs tree and opens the Compare panel for them', async () => {
    const tree = a.runsTree()!;
    const changes: (readonly string[])[] = [];
    const sub = tree.onDidChangeChecked((uids) => changes.push(uids));
    tree.setChecked(['cmp-a', 'cmp-b']);
    sub.dispose();
    assert.deepStrictEqual(changes, [['cmp-a', 'cmp-b']]);
    const experiment = (await tree.getChildren()).find((n) => n.kind === 'experiment' && n.name === 'compare-it')!;
    const items = (await tree.getChildren(experiment)).map((n) => tree.getTreeItem(n));
    const states = items.map((i) => (typeof i.checkboxState === 'object' ? i.checkboxState.state : i.checkboxState));
    assert.deepStrictEqual(states, [vscode.TreeItemCheckboxState.Checked, vscode.TreeItemCheckboxState.Checked]);

    await vscode.commands.executeCommand('exptrack.compareSelectedRuns');
    const tab = await waitFor('the Compare panel', () => vscode.window.tabGroups.all.flatMap((g) => g.tabs)
      .find((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.includes('exptrack.comparePanel')));
    assert.strictEqual(tab.label, 'Compare: 2 runs');
  });

  it('answers the comparison and chart-ready series through the store worker', async () => {
    const snapshot = await a.runIndex()!.call('compareRuns', ['cmp-a', 'cmp-b', 'nope'], 0);
    assert.deepStrictEqual(snapshot.runs.map((r) => r.uid), ['cmp-a', 'cmp-b']);
    assert.deepStrictEqual(snapshot.missing, ['nope']);
    assert.deepStrictEqual(snapshot.params.filter((p) => p.differs).map((p) => p.key), ['lr']);
    assert.ok(snapshot.metrics[0]!.atStep instanceof Float64Array, 'typed arrays survive the worker boundary');
    const series = await a.runIndex()!.call('metricSeries', ['cmp-a'], ['loss'], 2000);
    assert.deepStrictEqual([...series[0]!.values], [1]);
  });
});
