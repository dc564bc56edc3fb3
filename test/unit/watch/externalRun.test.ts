import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { externalEndStatus, startExternalRun, type ExternalRunOptions } from '../../../src/core/capture/externalRun';

const NOW_MS = 1732240000500;
const NOW = NOW_MS / 1000;

describe('capture/startExternalRun', function () {
  this.timeout(20_000);
  let workspace: string;
  let exptrackDir: string;

  beforeEach(() => {
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'exptrack-external-'));
    exptrackDir = path.join(workspace, '.exptrack');
  });
  afterEach(() => fs.rmSync(workspace, { recursive: true, force: true }));

  function options(extra: Partial<ExternalRunOptions> = {}): ExternalRunOptions {
    return {
      exptrackDir, workspaceRoot: workspace, command: ['python3', 'train.py', '--lr', '0.1'], cwd: workspace,
      sourceKind: 'terminal', pythonVersion: '3.11.2', user: 'tester', now: () => NOW_MS, ...extra,
    };
  }

  function events(runDir: string): Array<Record<string, unknown>> {
    return fs.readFileSync(path.join(runDir, 'events.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
  }

  it('records the command, params, metrics from terminal output, stdout.log and the exit code', async () => {
    const run = startExternalRun(options({ envNames: ['WANDB_MODE', 'CUDA_VISIBLE_DEVICES', 'WANDB_MODE'] }));
    run.output('\x1b]633;C\x07training, lr=0.1\r\nepoch 1 loss=0.5 ac');
    run.output('c=0.5\r\n\x1b[1mepoch 2 loss=0.25 acc=0.75\x1b[0m\r\n');
    await run.started;
    run.output('done\r\n');
    assert.deepEqual(await run.end({ exitCode: 0 }), { status: 'finished', exitCode: 0 });
    assert.equal(run.ended, true);
    assert.deepEqual(events(run.runDir), [
      {
        t: 'run', v: 1, id: run.runId, name: 'train lr=0.1', experiment: path.basename(workspace), started: NOW, source: { kind: 'terminal', path: 'train.py' },
        command: ['python3', 'train.py', '--lr', '0.1'], cwd: workspace, env: { python: '3.11.2' }, user: 'tester',
      },
      { t: 'params', values: { lr: 0.1 } },
      { t: 'tag', key: 'launch.env', value: 'CUDA_VISIBLE_DEVICES, WANDB_MODE' },
      { t: 'metrics', step: 0, time: NOW, values: { lr: 0.1 } },
      { t: 'metrics', step: 1, time: NOW, values: { loss: 0.5, acc: 0.5 } },
      { t: 'metrics', step: 2, time: NOW, values: { loss: 0.25, acc: 0.75 } },
      { t: 'end', status: 'finished', exit: 0, ended: NOW },
    ]);
    assert.equal(fs.readFileSync(path.join(run.runDir, 'stdout.log'), 'utf8'), 'training, lr=0.1\nepoch 1 loss=0.5 acc=0.5\nepoch 2 loss=0.25 acc=0.75\ndone\n');
  });

  it('writes the end last even when the process ends before the start events are written', async () => {
    const run = startExternalRun(options({ sourceKind: 'task' }));
    run.output('loss=1\n');
    const end = run.end({ exitCode: 2 });
    run.output('loss=2\n'); // after the end: dropped
    assert.deepEqual(await end, { status: 'failed', exitCode: 2 });
    const list = events(run.runDir);
    assert.deepEqual(list.map((e) => e.t), ['run', 'params', 'metrics', 'end']);
    assert.deepEqual((list[0]!.source as { kind: string }).kind, 'task');
    assert.deepEqual(list[2]!.values, { loss: 1 });
  });

  it('uses a run id chosen beforehand and keeps stdout and stderr lines apart', async () => {
    const run = startExternalRun(options({ runId: '20261122-014211-a1b2c3d4', sourceKind: 'debug' }));
    assert.equal(run.runId, '20261122-014211-a1b2c3d4');
    run.output('loss=', 'stdout');
    run.output('warning: x\n', 'stderr');
    run.output('0.5\n', 'stdout');
    await run.end({ exitCode: 0 });
    const metrics = events(run.runDir).filter((e) => e.t === 'metrics');
    assert.deepEqual(metrics.map((e) => e.values), [{ loss: 0.5 }]);
  });

  it('ends as killed when told so, once', async () => {
    const run = startExternalRun(options());
    const first = run.end({ killed: true });
    const second = run.end({ exitCode: 0 });
    assert.equal(first, second);
    assert.deepEqual(await first, { status: 'killed', exitCode: null });
    assert.deepEqual(events(run.runDir).at(-1), { t: 'end', status: 'killed', exit: null, ended: NOW });
  });

  it('reads the end status from the exit code a shell reports', () => {
    assert.equal(externalEndStatus(0, false), 'finished');
    assert.equal(externalEndStatus(null, false), 'finished');
    assert.equal(externalEndStatus(1, false), 'failed');
    assert.equal(externalEndStatus(2, false), 'failed');
    for (const code of [129, 130, 137, 143]) assert.equal(externalEndStatus(code, false), 'killed', String(code));
    assert.equal(externalEndStatus(0, true), 'killed');
  });

  it('throws only when the run directory cannot be made', () => {
    fs.writeFileSync(path.join(workspace, 'blocker'), '');
    assert.throws(() => startExternalRun(options({ exptrackDir: path.join(workspace, 'blocker', '.exptrack') })));
  });
});
