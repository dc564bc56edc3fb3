// Tracked runs inside the real extension host: the command starts train.py in a pseudo-terminal,
// the run lands in the index and the Runs tree, and its end state, params and metrics are right.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { ExpTrackApi } from '../../src/extension/extension';
import type { RunDetail } from '../../src/shared/runTypes';
import { api, root, waitFor } from './support';

async function runScript(a: ExpTrackApi, args: string[], onStart?: () => void): Promise<string> {
  await vscode.workspace.getConfiguration('exptrack').update('runArgs', args, vscode.ConfigurationTarget.Workspace);
  onStart?.();
  const runId = await a.runFileWithTracking(vscode.Uri.file(path.join(root(), 'train.py')));
  assert.ok(runId, 'a run id');
  return runId;
}

async function ended(a: ExpTrackApi, runId: string): Promise<RunDetail> {
  return waitFor(`run ${runId} to end`, async () => {
    const run = await a.runIndex()!.call('getRun', runId);
    return run && run.status !== 'running' && run.status !== 'unknown' ? run : undefined;
  });
}

describe('Run Python File with Tracking', function () {
  this.timeout(60_000);

  it('records a finished run with params from the command line and metrics from stdout', async () => {
    const a = await api();
    let started = 0;
    const runId = await runScript(a, ['--epochs', '3', '--lr', '0.05'], () => (started = Date.now()));
    // The run is visible in the Runs tree while it is still starting or running.
    await waitFor('the run in the Runs tree', async () => (await a.runsTree()!.load()).find((r) => r.uid === runId));
    console.log(`      run visible in the Runs tree ${Date.now() - started} ms after the command`);
    const run = await ended(a, runId);
    assert.strictEqual(run.status, 'finished');
    assert.strictEqual(run.exitCode, 0);
    assert.strictEqual(run.params.lr, 0.05);
    assert.strictEqual(run.params.epochs, 3);
    const loss = run.metrics.find((m) => m.key === 'loss');
    assert.ok(loss, `loss among ${run.metrics.map((m) => m.key).join(', ')}`);
    assert.strictEqual(loss.count, 3);
    assert.strictEqual(loss.last, Number((1 / (1 + 3 * 0.05 * 10)).toFixed(4)));
    assert.strictEqual(run.sourcePath, 'train.py');
    assert.match(run.env.python ?? '', /^3\.\d+/, 'the Python version');
    assert.strictEqual(run.git.commit?.length, 40, 'the workspace copy is a git repository');
    const stdout = fs.readFileSync(path.join(root(), run.runDir!, 'stdout.log'), 'utf8');
    assert.match(stdout, /epoch 3 loss=/);
    // The tree refreshes shortly after the index changes: wait for the finished state there too.
    const tree = a.runsTree()!;
    const item = await waitFor('the finished run in the tree', async () => {
      for (const experiment of await tree.getChildren()) {
        const node = (await tree.getChildren(experiment)).find((n) => n.kind === 'run' && n.run.uid === runId);
        if (node?.kind === 'run' && node.run.status === 'finished') return tree.getTreeItem(node);
      }
      return undefined;
    });
    assert.match(String(item.description), /loss=0\.4/);
    assert.strictEqual((item.iconPath as vscode.ThemeIcon).id, 'pass');
  });

  it('files a run under its script\'s folder and shows the configured key metric beside it', async () => {
    const a = await api();
    const runId = await runScript(a, ['--epochs', '2']);
    await ended(a, runId);
    const tree = a.runsTree()!;
    const findItem = async () => {
      for (const experiment of await tree.getChildren()) {
        const node = (await tree.getChildren(experiment)).find((n) => n.kind === 'run' && n.run.uid === runId);
        if (node?.kind === 'run') return { experiment, item: tree.getTreeItem(node) };
      }
      return undefined;
    };
    // exptrack.experiment is empty: train.py sits at the top of the workspace folder, so that folder names it.
    // loss stands for a run by default (once the tree has caught up with the finished run).
    const found = await waitFor('the run with its loss in the tree', async () => {
      const f = await findItem();
      return f && /^loss=0\.3333/.test(String(f.item.description)) ? f : undefined;
    });
    assert.deepStrictEqual(found.experiment.kind === 'experiment' && found.experiment.name, path.basename(root()));

    const config = vscode.workspace.getConfiguration('exptrack');
    await config.update('keyMetric', 'acc', vscode.ConfigurationTarget.Workspace);
    try {
      await waitFor('acc beside the run', async () => {
        const item = (await findItem())?.item;
        return /^acc=0\.6667/.test(String(item?.description)) ? item : undefined;
      });
    } finally {
      await config.update('keyMetric', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  it('marks a script that exits 1 as failed and keeps the tail of its output', async () => {
    const a = await api();
    const runId = await runScript(a, ['--epochs', '5', '--fail-at', '2']);
    const run = await ended(a, runId);
    assert.strictEqual(run.status, 'failed');
    assert.strictEqual(run.exitCode, 1);
    assert.strictEqual(run.metrics.find((m) => m.key === 'loss')?.count, 2);
    const stdout = fs.readFileSync(path.join(root(), run.runDir!, 'stdout.log'), 'utf8');
    assert.match(stdout, /diverged at epoch 2/);
  });

  it('marks a run stopped by the user as killed', async () => {
    const a = await api();
    const runId = await runScript(a, ['--epochs', '100', '--sleep', '0.2']);
    await waitFor('first metrics', async () => {
      const run = await a.runIndex()!.call('getRun', runId);
      return run?.metrics.length ? run : undefined;
    });
    await vscode.commands.executeCommand('exptrack.stopRun');
    const run = await ended(a, runId);
    assert.strictEqual(run.status, 'killed');
  });
});

describe('Runs from files', function () {
  this.timeout(30_000);

  it('reports a malformed events line in Problems with its line and keeps the valid lines', async () => {
    const a = await api();
    const dir = path.join(root(), '.exptrack', 'runs', 'manual-bad-lines');
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'events.jsonl');
    fs.writeFileSync(file, [
      JSON.stringify({ t: 'run', v: 1, id: 'manual-bad-lines', name: 'bad lines', started: 1732240000 }),
      '{"t":"metrics","step":0,"values":{"loss":1}}',
      'not json at all',
      '{"t":"metrics","step":1,"values":{"loss":"NaN"}}',
    ].join('\n') + '\n');
    await a.runIndex()!.ingestSoon([file]);
    const run = await a.runIndex()!.call('getRun', 'manual-bad-lines');
    assert.strictEqual(run?.metrics[0]?.count, 2);
    const diagnostics = await waitFor('a diagnostic', async () => {
      const d = vscode.languages.getDiagnostics(vscode.Uri.file(file));
      return d.length ? d : undefined;
    });
    assert.strictEqual(diagnostics[0]!.range.start.line, 2, 'line 3, zero-based');
    assert.match(diagnostics[0]!.message, /not JSON/);
  });

  it('renames a run through an audit event without touching its files', async () => {
    const a = await api();
    const [run] = await a.runsTree()!.load();
    assert.ok(run);
    const original = vscode.window.showInputBox;
    (vscode.window as { showInputBox: unknown }).showInputBox = async () => 'renamed in test';
    try {
      await vscode.commands.executeCommand('exptrack.renameRun', { kind: 'run', run });
    } finally {
      (vscode.window as { showInputBox: unknown }).showInputBox = original;
    }
    const renamed = await a.runIndex()!.call('getRun', run.uid);
    assert.strictEqual(renamed?.name, 'renamed in test');
    const registry = fs.readFileSync(path.join(root(), '.exptrack', 'registry.jsonl'), 'utf8');
    assert.match(registry, /"t":"run.rename"/);
  });
});
