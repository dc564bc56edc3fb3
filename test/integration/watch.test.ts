// Training scripts started outside ExpTrack, inside the real extension host: commands typed into
// a terminal with shell integration and tasks become runs (source kind terminal / task) with their
// params, stdout metrics and exit codes; commands that are not training runs make none; a script
// using exptrack.py in a watched terminal gives exactly one run.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { ExpTrackApi } from '../../src/extension/extension';
import type { RunDetail, RunSummary } from '../../src/shared/runTypes';
import { api, root, waitForWithin } from './support';

const waitFor = waitForWithin(30_000);

const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs of `kind` that were not there before (`seen` holds the ids known earlier). */
async function newRuns(a: ExpTrackApi, kind: string, seen: Set<string>): Promise<RunSummary[]> {
  await a.runIndex()!.rescan();
  return (await a.runIndex()!.call('listRuns', { includeHidden: true })).filter((r) => r.sourceKind === kind && !seen.has(r.uid));
}

async function knownRuns(a: ExpTrackApi): Promise<Set<string>> {
  await a.runIndex()!.rescan();
  return new Set((await a.runIndex()!.call('listRuns', { includeHidden: true })).map((r) => r.uid));
}

async function endedRun(a: ExpTrackApi, uid: string): Promise<RunDetail> {
  return waitFor(`run ${uid} to end`, async () => {
    const run = await a.runIndex()!.call('getRun', uid);
    return run && run.status !== 'running' && run.status !== 'unknown' ? run : undefined;
  });
}

/** A terminal in the workspace with shell integration active. */
async function shellTerminal(name: string): Promise<vscode.Terminal> {
  const terminal = vscode.window.createTerminal({ name, cwd: root() });
  terminal.show(true);
  await waitFor('shell integration', () => terminal.shellIntegration, 20_000);
  return terminal;
}

/** Runs a command in the terminal and waits for the shell to report its end. */
async function runInTerminal(terminal: vscode.Terminal, commandLine: string): Promise<number | undefined> {
  const execution = terminal.shellIntegration!.executeCommand(commandLine);
  return new Promise((resolve) => {
    const listener = vscode.window.onDidEndTerminalShellExecution((e) => {
      if (e.execution !== execution) return;
      listener.dispose();
      resolve(e.exitCode);
    });
  });
}

function stdoutOf(run: RunDetail): string {
  return fs.readFileSync(path.join(root(), run.runDir!, 'stdout.log'), 'utf8');
}

describe('Watched terminals', function () {
  this.timeout(120_000);
  let terminal: vscode.Terminal;

  before(async () => {
    await api();
    terminal = await shellTerminal('watch test');
  });
  after(() => terminal?.dispose());

  it('records python3 train.py --lr 0.1 typed into a terminal with params, stdout metrics, git state and exit code', async () => {
    const a = await api();
    const seen = await knownRuns(a);
    assert.strictEqual(await runInTerminal(terminal, 'python3 train.py --lr 0.1 --epochs 3'), 0);
    const [summary] = await waitFor('a terminal run', async () => {
      const runs = await newRuns(a, 'terminal', seen);
      return runs.length ? runs : undefined;
    });
    const run = await endedRun(a, summary!.uid);
    assert.strictEqual(run.status, 'finished');
    assert.strictEqual(run.exitCode, 0);
    assert.strictEqual(run.params.lr, 0.1);
    assert.strictEqual(run.params.epochs, 3);
    assert.deepStrictEqual(run.command, ['python3', 'train.py', '--lr', '0.1', '--epochs', '3']);
    assert.strictEqual(run.cwd, root());
    assert.strictEqual(run.sourcePath, 'train.py');
    assert.strictEqual(run.git.commit?.length, 40);
    const loss = run.metrics.find((m) => m.key === 'loss');
    assert.strictEqual(loss?.count, 3, `loss among ${run.metrics.map((m) => `${m.key}×${m.count}`).join(', ')}`);
    assert.strictEqual(loss.last, 0.25);
    const stdout = stdoutOf(run);
    assert.match(stdout, /^training for 3 epochs, lr=0\.1\nepoch 1 loss=0\.5 acc=0\.5\n/, 'the output without escape sequences or \\r');
    assert.ok(!stdout.includes('\x1b') && !stdout.includes('\r'));
    assert.strictEqual(fs.readdirSync(path.join(root(), '.exptrack', 'claims')).filter((f) => f.endsWith('.json')).length, 0, 'the claim is gone');
  });

  it('records a failing script as failed with its exit code', async () => {
    const a = await api();
    const seen = await knownRuns(a);
    assert.strictEqual(await runInTerminal(terminal, 'python3 train.py --epochs 5 --fail-at 2 --lr 0.05'), 1);
    const [summary] = await waitFor('a terminal run', async () => ((r) => (r.length ? r : undefined))(await newRuns(a, 'terminal', seen)));
    const run = await endedRun(a, summary!.uid);
    assert.strictEqual(run.status, 'failed');
    assert.strictEqual(run.exitCode, 1);
    assert.match(stdoutOf(run), /diverged at epoch 2/);
  });

  it('makes no run for commands that are not training runs', async () => {
    const a = await api();
    const seen = await knownRuns(a);
    for (const line of [`python3 -c 'print(1)'`, 'python3 -m pip --version', 'echo python3 train.py', 'ls', 'python3 -V']) {
      await runInTerminal(terminal, line);
    }
    await delay(1000);
    assert.deepStrictEqual((await newRuns(a, 'terminal', seen)).map((r) => r.name), []);
  });

  it('records ten quick commands in a row as ten runs, each with its own output', async () => {
    const a = await api();
    const seen = await knownRuns(a);
    const lrs = Array.from({ length: 10 }, (_, i) => Number(((i + 1) / 100).toFixed(2)));
    const commands = lrs.map((lr) => `python3 train.py --epochs 2 --lr ${lr}`);
    // Typed ahead: the shell reads each line as the previous command ends.
    for (const command of commands) terminal.sendText(command);
    let last: RunSummary[] = [];
    const runs = await waitFor('ten finished terminal runs', async () => {
      last = await newRuns(a, 'terminal', seen);
      return last.length === 10 && last.every((r) => r.status === 'finished') ? last : undefined;
    }, 90_000).catch((err: Error) => {
      const state = last.map((r) => `${r.name ?? r.uid}: ${r.status}`).join(', ');
      throw new Error(`${err.message}; found ${last.length}: ${state}`);
    });
    const details = await Promise.all(runs.map((r) => endedRun(a, r.uid)));
    assert.deepStrictEqual(details.map((d) => d.params.lr).sort((x, y) => Number(x) - Number(y)), lrs);
    for (const run of details) {
      // VS Code writes typed text to the terminal 50 characters every 5 ms: a line that arrives once
      // a command runs is echoed into that command's output, as the terminal shows it.
      const stdout = stdoutOf(run).split('\n').filter((line) => !commands.includes(line)).join('\n');
      assert.match(stdout, new RegExp(`^training for 2 epochs, lr=${run.params.lr}\\n`), `run ${run.uid} has its own output: ${JSON.stringify(stdout)}`);
      assert.strictEqual(stdout.match(/training for/g)?.length, 1, 'and only its own');
      assert.strictEqual(run.metrics.find((m) => m.key === 'loss')?.count, 2);
    }
  });

  it('ends the run as killed when its terminal is closed mid-run', async () => {
    const a = await api();
    const seen = await knownRuns(a);
    const doomed = await shellTerminal('closed mid-run');
    doomed.shellIntegration!.executeCommand('python3 train.py --epochs 200 --sleep 0.2 --lr 0.2');
    const [summary] = await waitFor('the run with its first metrics', async () => {
      const runs = await newRuns(a, 'terminal', seen);
      const run = runs[0] && (await a.runIndex()!.call('getRun', runs[0].uid));
      return run?.metrics.some((m) => m.key === 'loss') ? runs : undefined;
    });
    doomed.dispose();
    const run = await endedRun(a, summary!.uid);
    assert.strictEqual(run.status, 'killed');
  });

  it('joins a script that uses exptrack.py into the same run: exactly one run', async () => {
    const a = await api();
    const seen = await knownRuns(a);
    // Nothing installs the client: the watched terminal has the bundled one on PYTHONPATH.
    fs.writeFileSync(path.join(root(), 'client_train.py'), [
      'import exptrack',
      'run = exptrack.init(experiment="watched")',
      'for step in range(3):',
      '    run.log({"client_metric": step * 0.5})',
      '    print(f"step {step} printed_metric={step}", flush=True)',
    ].join('\n') + '\n');
    assert.strictEqual(await runInTerminal(terminal, 'python3 client_train.py --batch-size 8'), 0);
    const runs = await waitFor('the finished run', async () => {
      const found = [...await newRuns(a, 'terminal', seen), ...await newRuns(a, 'client', seen)];
      return found.length && found.every((r) => r.status === 'finished') ? found : undefined;
    });
    await delay(1500); // a second run would have appeared by now
    const all = [...await newRuns(a, 'terminal', seen), ...await newRuns(a, 'client', seen)];
    assert.deepStrictEqual(all.map((r) => r.sourceKind), ['terminal'], `exactly one run: ${JSON.stringify(all.map((r) => r.uid))}`);
    const run = await endedRun(a, runs[0]!.uid);
    assert.strictEqual(run.experiment, 'watched', 'the client set the experiment of the run');
    assert.strictEqual(run.params.batch_size, 8);
    assert.strictEqual(run.metrics.find((m) => m.key === 'client_metric')?.count, 3);
    assert.strictEqual(run.metrics.find((m) => m.key === 'printed_metric')?.count, 3);
  });

  it('samples the system metrics of a command typed into a terminal every exptrack.systemMetrics.intervalSeconds', async () => {
    const a = await api();
    const config = vscode.workspace.getConfiguration('exptrack');
    const seen = await knownRuns(a);
    // Holds 150 MB and keeps a core busy for 2.5 s of its own CPU time, then prints the share of a
    // core it had meanwhile: on a machine other work shares, that is all a sample can see.
    fs.writeFileSync(path.join(root(), 'hold_train.py'), [
      'import time',
      'data = b"\\x01" * (150 * 1024 * 1024)',
      'wall, cpu = time.monotonic(), time.process_time()',
      'while time.process_time() - cpu < 2.5: pass',
      'print(f"own_share={100 * (time.process_time() - cpu) / (time.monotonic() - wall):.1f}")',
    ].join('\n') + '\n');
    await config.update('systemMetrics.intervalSeconds', 0.5, vscode.ConfigurationTarget.Workspace);
    try {
      assert.strictEqual(await runInTerminal(terminal, 'python3 hold_train.py'), 0);
      const [summary] = await waitFor('a terminal run', async () => ((r) => (r.length ? r : undefined))(await newRuns(a, 'terminal', seen)));
      const run = await endedRun(a, summary!.uid);
      const metric = (key: string) => run.metrics.find((m) => m.key === key);
      const keys = run.metrics.map((m) => `${m.key}×${m.count}`).join(', ');
      assert.ok((metric('system/rss_mb')?.max ?? 0) >= 150, `rss among ${keys}`);
      const ownShare = metric('own_share')?.last ?? NaN;
      assert.ok((metric('system/cpu_percent')?.max ?? 0) >= Math.min(80, 0.8 * ownShare), `cpu (own share ${ownShare}) among ${keys}`);
      assert.ok(metric('system/memory_used_mb'), `memory among ${keys}`);
    } finally {
      await config.update('systemMetrics.intervalSeconds', undefined, vscode.ConfigurationTarget.Workspace);
      fs.rmSync(path.join(root(), 'hold_train.py'), { force: true });
    }
  });

  it('leaves out excluded scripts, and everything once exptrack.watch.terminal is off', async () => {
    const a = await api();
    const config = vscode.workspace.getConfiguration('exptrack');
    const seen = await knownRuns(a);
    fs.writeFileSync(path.join(root(), 'scratch_try.py'), 'print("loss=1")\n');
    await config.update('watch.exclude', ['scratch_*.py'], vscode.ConfigurationTarget.Workspace);
    try {
      assert.strictEqual(await runInTerminal(terminal, 'python3 scratch_try.py'), 0);
      await config.update('watch.terminal', false, vscode.ConfigurationTarget.Workspace);
      assert.strictEqual(await runInTerminal(terminal, 'python3 train.py --epochs 1'), 0);
      await delay(1000);
      assert.deepStrictEqual((await newRuns(a, 'terminal', seen)).map((r) => r.name), []);
    } finally {
      await config.update('watch.exclude', undefined, vscode.ConfigurationTarget.Workspace);
      await config.update('watch.terminal', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });
});

describe('Watched tasks', function () {
  this.timeout(120_000);

  async function runTask(name: string, execution: vscode.ShellExecution | vscode.ProcessExecution): Promise<number | undefined> {
    const task = new vscode.Task({ type: 'exptrack-test', name }, vscode.TaskScope.Workspace, name, 'exptrack-test', execution);
    const started = await vscode.tasks.executeTask(task);
    return new Promise((resolve) => {
      const listener = vscode.tasks.onDidEndTaskProcess((e) => {
        if (e.execution !== started) return;
        listener.dispose();
        resolve(e.exitCode);
      });
    });
  }

  it('records a shell task and a process task with their params and exit codes', async () => {
    const a = await api();
    const seen = await knownRuns(a);
    assert.strictEqual(await runTask('train shell', new vscode.ShellExecution('python3 train.py --lr 0.3 --epochs 2')), 0);
    assert.strictEqual(await runTask('train process', new vscode.ProcessExecution('python3', ['train.py', '--lr', '0.4', '--fail-at', '1'])), 1);
    const runs = await waitFor('two finished task runs', async () => {
      const found = await newRuns(a, 'task', seen);
      return found.length === 2 && found.every((r) => r.status !== 'running') ? found : undefined;
    });
    const details = await Promise.all(runs.map((r) => endedRun(a, r.uid)));
    const shell = details.find((d) => d.params.lr === 0.3)!;
    const proc = details.find((d) => d.params.lr === 0.4)!;
    assert.strictEqual(shell.status, 'finished');
    assert.strictEqual(shell.exitCode, 0);
    assert.deepStrictEqual(shell.command, ['python3', 'train.py', '--lr', '0.3', '--epochs', '2']);
    assert.strictEqual(proc.status, 'failed');
    assert.strictEqual(proc.exitCode, 1);
    // No terminal run for the task's own terminal command.
    assert.deepStrictEqual((await newRuns(a, 'terminal', seen)).map((r) => r.name), []);
  });

  it('reads a task\'s output when the task terminal reports its command', async () => {
    const a = await api();
    const seen = await knownRuns(a);
    // Task terminals are reused: the terminal reports the command of a task that runs in it again.
    for (const lr of [0.5, 0.6]) assert.strictEqual(await runTask('train again', new vscode.ShellExecution(`python3 train.py --lr ${lr} --epochs 3`)), 0);
    const runs = await waitFor('two task runs', async () => {
      const found = await newRuns(a, 'task', seen);
      return found.length === 2 && found.every((r) => r.status === 'finished') ? found : undefined;
    });
    const details = await Promise.all(runs.map((r) => endedRun(a, r.uid)));
    const withOutput = details.filter((d) => d.metrics.some((m) => m.key === 'loss' && m.count === 3));
    assert.ok(withOutput.length >= 1, `stdout metrics in a task run: ${JSON.stringify(details.map((d) => d.metrics))}`);
    for (const run of withOutput) assert.match(stdoutOf(run), new RegExp(`lr=${run.params.lr}\\n`));
  });

  it('ends the run of a terminated task as killed', async () => {
    const a = await api();
    const seen = await knownRuns(a);
    const task = new vscode.Task({ type: 'exptrack-test', name: 'long' }, vscode.TaskScope.Workspace, 'long', 'exptrack-test',
      new vscode.ShellExecution('python3 train.py --lr 0.45 --epochs 300 --sleep 0.2'));
    const execution = await vscode.tasks.executeTask(task);
    const [summary] = await waitFor('the task run', async () => ((r) => (r.length ? r : undefined))(await newRuns(a, 'task', seen)));
    execution.terminate();
    const run = await endedRun(a, summary!.uid);
    assert.strictEqual(run.status, 'killed');
    assert.strictEqual(run.params.lr, 0.45);
  });

  it('joins exptrack.py inside a task into the task\'s run', async () => {
    const a = await api();
    const seen = await knownRuns(a);
    // Nothing installs the client: the task's terminal has the bundled one on PYTHONPATH.
    fs.writeFileSync(path.join(root(), 'task_client.py'), [
      'import exptrack',
      'exptrack.init().log({"task_metric": 1.5})',
    ].join('\n') + '\n');
    assert.strictEqual(await runTask('client task', new vscode.ShellExecution('python3 task_client.py --seed 7')), 0);
    const runs = await waitFor('the task run', async () => {
      const found = await newRuns(a, 'task', seen);
      return found.length && found.every((r) => r.status === 'finished') ? found : undefined;
    });
    await delay(1500);
    assert.deepStrictEqual((await newRuns(a, 'client', seen)).length, 0, 'no run of the client\'s own');
    const run = await endedRun(a, runs[0]!.uid);
    assert.strictEqual(run.params.seed, 7);
    assert.strictEqual(run.metrics.find((m) => m.key === 'task_metric')?.last, 1.5);
  });
});
