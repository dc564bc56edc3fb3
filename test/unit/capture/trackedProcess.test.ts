import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { WritableRunEvent } from '../../../src/core/capture/eventLogWriter';
import { startTrackedRun, type TrackedRunOptions } from '../../../src/core/capture/trackedProcess';

const NOW_MS = 1732240000123;
const NOW = NOW_MS / 1000;
const USER = os.userInfo().username;
const PYTHON_VERSION = execFileSync('python3', ['-c', 'import platform; print(platform.python_version())'], { encoding: 'utf8' }).trim();

/** Waits until `pid` no longer runs (gone, or a zombie waiting to be reaped). */
async function processEnds(pid: number, withinMs: number): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  while (Date.now() < deadline) {
    try {
      process.kill(pid, 0);
      if (/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'))) return true;
    } catch {
      return true;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

describe('capture/startTrackedRun', function () {
  this.timeout(30000);
  let workspace: string;
  let exptrackDir: string;

  beforeEach(() => {
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'exptrack-run-'));
    exptrackDir = path.join(workspace, '.exptrack');
  });
  afterEach(() => fs.rmSync(workspace, { recursive: true, force: true }));

  function script(name: string, source: string): string {
    fs.writeFileSync(path.join(workspace, name), source);
    return name;
  }

  function options(command: string[], extra: Partial<TrackedRunOptions> = {}): TrackedRunOptions {
    return { exptrackDir, workspaceRoot: workspace, command, cwd: workspace, sourceKind: 'script', now: () => NOW_MS, ...extra };
  }

  function events(runDir: string): unknown[] {
    return fs.readFileSync(path.join(runDir, 'events.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
  }

  function runEvent(runId: string, command: string[], extra: Record<string, unknown> = {}) {
    return {
      t: 'run', v: 1, id: runId, started: NOW, source: { kind: 'script', path: 'train.py' }, command, cwd: workspace,
      env: { python: PYTHON_VERSION }, user: USER, ...extra,
    };
  }

  /** Without `env`: a command that is not a Python interpreter has no Python version to record. */
  function withoutEnv(event: Record<string, unknown>) {
    const { env: _env, ...rest } = event;
    return rest;
  }

  it('records a script that prints metrics: start, params, metrics, output and end', async () => {
    script('train.py', [
      'import os, sys',
      'print("run", os.environ["EXPTRACK_RUN_ID"], os.environ["EXPTRACK_DIR"], os.environ["PYTHONUNBUFFERED"])',
      'print("Epoch 1/2")',
      'print("loss=0.5 acc=0.75")',
      'print("Epoch 2/2")',
      'print("loss=nan acc=inf")',
      'print("warning: from stderr", file=sys.stderr)',
      '',
    ].join('\n'));
    const command = ['python3', 'train.py', '--lr', '0.01', '--layers', '[64,32]', '--optimizer', 'adam'];
    const seen: WritableRunEvent[] = [];
    const outputByStream = { stdout: '', stderr: '' };
    const run = await startTrackedRun(options(command, {
      name: 'baseline', experiment: 'mnist', pythonVersion: '3.11.7',
      onEvent: (e) => seen.push(e), onOutput: (chunk, stream) => { outputByStream[stream] += chunk; },
    }));
    assert.match(run.runId, /^20241122-014640-[0-9a-f]{8}$/);
    assert.equal(run.runDir, path.join(exptrackDir, 'runs', run.runId));
    assert.ok(run.pid! > 0);
    assert.deepEqual(await run.done, { status: 'finished', exitCode: 0, signal: null });

    const expected = [
      runEvent(run.runId, command, { name: 'baseline', experiment: 'mnist', env: { python: '3.11.7' } }),
      { t: 'params', values: { lr: 0.01, layers: [64, 32], optimizer: 'adam' } },
      { t: 'metrics', step: 1, time: NOW, values: { loss: 0.5, acc: 0.75 } },
      { t: 'metrics', step: 2, time: NOW, values: { loss: 'NaN', acc: 'Infinity' } },
      { t: 'end', status: 'finished', exit: 0, ended: NOW },
    ];
    assert.deepEqual(events(run.runDir), expected);
    assert.equal(seen.length, expected.length);
    assert.deepEqual(seen.map((e) => e.t), ['run', 'params', 'metrics', 'metrics', 'end']);

    const stdout = `run ${run.runId} ${exptrackDir} 1\nEpoch 1/2\nloss=0.5 acc=0.75\nEpoch 2/2\nloss=nan acc=inf\n`;
    assert.deepEqual(outputByStream, { stdout, stderr: 'warning: from stderr\n' });
    // stdout and stderr are read from two pipes, so only the order within each is fixed.
    const log = fs.readFileSync(path.join(run.runDir, 'stdout.log'), 'utf8');
    assert.deepEqual(log.split('\n').sort(), (stdout + 'warning: from stderr\n').split('\n').sort());
    assert.equal(fs.existsSync(path.join(run.runDir, 'code.patch')), false);
    assert.equal(fs.readFileSync(path.join(exptrackDir, '.gitignore'), 'utf8'), 'exptrack.sqlite*\n*.tmp\nmlflow-sync.json*\nmlflow-sync.lock\nclaims/\nnotebook-runs.json\n');
  });

  it('puts the bundled client first on PYTHONPATH, keeping the inherited entries, so `import exptrack` works', async () => {
    const clientDir = path.resolve(__dirname, '../../../python');
    script('train.py', [
      'import os, exptrack',
      'print("PYTHONPATH=" + os.environ["PYTHONPATH"])',
      'print("CLIENT=" + exptrack.__file__)',
      'exptrack.init().log({"client_metric": 0.25})',
    ].join('\n') + '\n');
    const output: string[] = [];
    const run = await startTrackedRun(options(['python3', 'train.py'], {
      pythonClientDir: clientDir, env: { PYTHONPATH: `/opt/mine${path.delimiter}/opt/theirs` }, onOutput: (c) => output.push(c),
    }));
    assert.equal((await run.done).status, 'finished', output.join(''));
    const text = output.join('');
    assert.match(text, new RegExp(`^PYTHONPATH=${clientDir}:/opt/mine:/opt/theirs$`, 'm'));
    assert.match(text, new RegExp(`^CLIENT=${path.join(clientDir, 'exptrack.py')}$`, 'm'));
    assert.deepEqual((events(run.runDir) as Array<{ t: string; values?: unknown }>).filter((e) => e.t === 'metrics').map((e) => e.values), [{ client_metric: 0.25 }]);
  });

  it('ends as failed with the exit code of a script that fails', async () => {
    script('train.py', 'print("loss=1")\nraise SystemExit(3)\n');
    const run = await startTrackedRun(options(['python3', 'train.py']));
    assert.deepEqual(await run.done, { status: 'failed', exitCode: 3, signal: null });
    assert.deepEqual(events(run.runDir), [
      runEvent(run.runId, ['python3', 'train.py'], { name: 'train', experiment: path.basename(workspace) }),
      { t: 'metrics', step: 0, time: NOW, values: { loss: 1 } },
      { t: 'end', status: 'failed', exit: 3, ended: NOW },
    ]);
  });

  it('keeps a traceback in stdout.log when the script raises', async () => {
    script('train.py', 'raise ValueError("bad data")\n');
    const run = await startTrackedRun(options(['python3', 'train.py']));
    assert.equal((await run.done).status, 'failed');
    assert.match(fs.readFileSync(path.join(run.runDir, 'stdout.log'), 'utf8'), /Traceback[\s\S]*ValueError: bad data/);
    assert.deepEqual(events(run.runDir).at(-1), { t: 'end', status: 'failed', exit: 1, ended: NOW });
  });

  it('stops a run on request: SIGINT to the process group, recorded as killed', async () => {
    script('train.py', 'import time\nprint("ready", flush=True)\ntime.sleep(30)\n');
    let resolveReady!: () => void;
    const ready = new Promise<void>((r) => (resolveReady = r));
    const run = await startTrackedRun(options(['python3', 'train.py'], { onOutput: (c) => { if (c.includes('ready')) resolveReady(); } }));
    await ready;
    const started = Date.now();
    run.stop();
    run.stop();
    const end = await run.done;
    assert.ok(Date.now() - started < 2500, 'SIGINT alone stops a Python script');
    assert.equal(end.status, 'killed');
    assert.deepEqual(events(run.runDir).at(-1), { t: 'end', status: 'killed', exit: end.exitCode, ended: NOW });
    assert.match(fs.readFileSync(path.join(run.runDir, 'stdout.log'), 'utf8'), /KeyboardInterrupt/);
  });

  it('escalates to SIGTERM and SIGKILL for a group that ignores SIGINT, children included', async () => {
    script('train.py', [
      'import signal, subprocess, sys, time',
      'signal.signal(signal.SIGINT, signal.SIG_IGN)',
      'signal.signal(signal.SIGTERM, signal.SIG_IGN)',
      'child = subprocess.Popen([sys.executable, "-c", "import signal, time; signal.signal(signal.SIGINT, signal.SIG_IGN); signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(60)"])',
      'print("child", child.pid, flush=True)',
      'time.sleep(60)',
      '',
    ].join('\n'));
    let childPid = 0;
    let output = '';
    let resolveReady!: () => void;
    const ready = new Promise<void>((r) => (resolveReady = r));
    const run = await startTrackedRun(options(['python3', 'train.py'], {
      stopEscalation: { termAfterMs: 200, killAfterMs: 500 },
      onOutput: (c) => {
        // print() may arrive in several chunks ("child", " ", "123", "\n").
        output += c;
        const m = /child (\d+)\n/.exec(output);
        if (m) { childPid = Number(m[1]); resolveReady(); }
      },
    }));
    await ready;
    run.stop();
    assert.deepEqual(await run.done, { status: 'killed', exitCode: null, signal: 'SIGKILL' });
    assert.deepEqual(events(run.runDir).at(-1), { t: 'end', status: 'killed', exit: null, ended: NOW });
    assert.ok(await processEnds(childPid, 3000), 'the grandchild was killed with its group');
  });

  it('records death by a signal as killed', async () => {
    script('train.py', 'import os, signal\nprint("loss=2")\nos.kill(os.getpid(), signal.SIGTERM)\n');
    const run = await startTrackedRun(options(['python3', 'train.py']));
    assert.deepEqual(await run.done, { status: 'killed', exitCode: null, signal: 'SIGTERM' });
    assert.deepEqual(events(run.runDir).slice(1), [
      { t: 'metrics', step: 0, time: NOW, values: { loss: 2 } },
      { t: 'end', status: 'killed', exit: null, ended: NOW },
    ]);
  });

  it('skips huge output lines for metrics but keeps them in stdout.log', async () => {
    script('train.py', 'import sys\nsys.stdout.write("loss=1 " + "x" * 300000 + "\\n")\nprint("loss=2")\n');
    const run = await startTrackedRun(options(['python3', 'train.py']));
    assert.equal((await run.done).status, 'finished');
    assert.deepEqual(events(run.runDir).slice(1), [
      { t: 'metrics', step: 0, time: NOW, values: { loss: 2 } },
      { t: 'end', status: 'finished', exit: 0, ended: NOW },
    ]);
    assert.equal(fs.statSync(path.join(run.runDir, 'stdout.log')).size, 'loss=1 '.length + 300000 + 1 + 'loss=2\n'.length);
  });

  it('reads the last line of output that has no newline', async () => {
    script('train.py', 'import sys\nprint("Epoch 4/5")\nsys.stdout.write("val_loss: 0.125")\n');
    const run = await startTrackedRun(options(['python3', 'train.py']));
    await run.done;
    assert.deepEqual(events(run.runDir).slice(1), [
      { t: 'metrics', step: 4, time: NOW, values: { val_loss: 0.125 } },
      { t: 'end', status: 'finished', exit: 0, ended: NOW },
    ]);
  });

  it('decodes a UTF-8 character split between two writes', async () => {
    script('train.py', 'import sys, time\nsys.stdout.buffer.write(b"\\xc3"); sys.stdout.flush(); time.sleep(0.2)\nsys.stdout.buffer.write(b"\\xa9 loss=1\\n")\n');
    let output = '';
    const run = await startTrackedRun(options(['python3', 'train.py'], { onOutput: (c) => { output += c; } }));
    await run.done;
    assert.equal(output, 'é loss=1\n');
    assert.deepEqual(events(run.runDir)[1], { t: 'metrics', step: 0, time: NOW, values: { loss: 1 } });
    assert.equal(fs.readFileSync(path.join(run.runDir, 'stdout.log'), 'utf8'), 'é loss=1\n');
  });

  it('passes input to the process', async () => {
    script('train.py', 'x = input()\nprint(f"answer={x}")\n');
    const run = await startTrackedRun(options(['python3', 'train.py']));
    run.writeInput('42\n');
    await run.done;
    run.writeInput('ignored after the end\n');
    assert.deepEqual(events(run.runDir)[1], { t: 'metrics', step: 0, time: NOW, values: { answer: 42 } });
  });

  it('records a command that cannot start as failed, with the reason in stdout.log', async () => {
    const errors: string[] = [];
    let output = '';
    const command = ['exptrack-no-such-program-xyz', 'train.py'];
    const run = await startTrackedRun(options(command, { onError: (e) => errors.push(e.message), onOutput: (c) => { output += c; } }));
    assert.equal(run.pid, undefined);
    assert.deepEqual(await run.done, { status: 'failed', exitCode: null, signal: null });
    assert.deepEqual(events(run.runDir), [
      withoutEnv(runEvent(run.runId, command, { source: { kind: 'script' } })),
      { t: 'end', status: 'failed', exit: null, ended: NOW },
    ]);
    const log = fs.readFileSync(path.join(run.runDir, 'stdout.log'), 'utf8');
    assert.match(log, /^exptrack: could not start "exptrack-no-such-program-xyz": .*ENOENT/);
    assert.equal(output, log);
    assert.equal(errors.length, 1);
    run.stop();
    run.writeInput('x');
  });

  it('records an empty command as failed', async () => {
    const run = await startTrackedRun(options([]));
    assert.deepEqual(await run.done, { status: 'failed', exitCode: null, signal: null });
    assert.match(fs.readFileSync(path.join(run.runDir, 'stdout.log'), 'utf8'), /the command is empty/);
  });

  it('still writes the end event when stdout.log cannot be written', async () => {
    script('train.py', 'print("loss=1")\n');
    const errors: string[] = [];
    const run = await startTrackedRun(options(['python3', 'train.py'], {
      onError: (e) => errors.push(e.message),
      // Before the process starts, put a directory where stdout.log would go.
      onEvent: (e) => { if (e.t === 'run') fs.mkdirSync(path.join(exptrackDir, 'runs', e.id, 'stdout.log')); },
    }));
    assert.equal((await run.done).status, 'finished');
    assert.deepEqual(events(run.runDir).slice(1), [
      { t: 'metrics', step: 0, time: NOW, values: { loss: 1 } },
      { t: 'end', status: 'finished', exit: 0, ended: NOW },
    ]);
    assert.equal(errors.length, 1);
    assert.match(errors[0], /^stdout\.log: EISDIR/);
  });

  it('survives throwing callbacks', async () => {
    script('train.py', 'print("loss=1")\n');
    const run = await startTrackedRun(options(['python3', 'train.py'], {
      onOutput: () => { throw new Error('output handler broke'); },
      onEvent: () => { throw new Error('event handler broke'); },
      onError: () => { throw new Error('error handler broke'); },
    }));
    assert.equal((await run.done).status, 'finished');
    assert.equal(events(run.runDir).length, 3);
  });

  it('uses the configured stdout patterns and reports invalid ones', async () => {
    script('train.py', 'print("reward 7.5 loss=1")\n');
    const errors: string[] = [];
    const run = await startTrackedRun(options(['python3', 'train.py'], {
      stdoutPatterns: [{ regex: 'reward (?<value>\\S+)', key: 'reward' }, '(?<value>'],
      onError: (e) => errors.push(e.message),
    }));
    await run.done;
    assert.deepEqual(events(run.runDir)[1], { t: 'metrics', step: 0, time: NOW, values: { reward: 7.5 } });
    assert.equal(errors.length, 1);
    assert.match(errors[0], /exptrack\.stdoutMetricPatterns\[1\]: not a valid regular expression/);
  });

  it('records git state and writes code.patch for a dirty working tree, leaving .exptrack out', async () => {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: workspace, stdio: 'ignore' });
    git('init', '-q', '-b', 'main');
    git('config', 'user.email', 'test@example.com');
    git('config', 'user.name', 'Test');
    git('config', 'commit.gpgsign', 'false');
    script('train.py', 'print("loss=1")\n');
    git('add', 'train.py');
    git('commit', '-q', '-m', 'first');
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: workspace, encoding: 'utf8' }).trim();

    const clean = await startTrackedRun(options(['python3', 'train.py']));
    await clean.done;
    assert.deepEqual((events(clean.runDir)[0] as { git: unknown }).git, { commit, branch: 'main', dirty: false });
    assert.equal(fs.existsSync(path.join(clean.runDir, 'code.patch')), false);

    script('train.py', 'print("loss=2")\n');
    const dirty = await startTrackedRun(options(['python3', 'train.py']));
    await dirty.done;
    assert.deepEqual((events(dirty.runDir)[0] as { git: unknown }).git, { commit, branch: 'main', dirty: true });
    const patch = fs.readFileSync(path.join(dirty.runDir, 'code.patch'), 'utf8');
    assert.match(patch, /^-print\("loss=1"\)\n\+print\("loss=2"\)$/m);
    assert.doesNotMatch(patch, /\.exptrack/);
  });
});
