import * as assert from 'node:assert/strict';
import * as os from 'node:os';
import * as path from 'node:path';
import { compileWatchRules, decideArgv, decideCommandLine, DEFAULT_COMMAND_PATTERNS, type WatchDecision } from '../../../src/core/capture/watchedCommand';

const ROOT = '/ws';
const defaults = compileWatchRules(undefined, undefined).rules;
const decide = (line: string, cwd = ROOT, rules = defaults) => decideCommandLine(line, cwd, ROOT, rules);

function run(decision: WatchDecision) {
  assert.equal(decision.kind, 'run', JSON.stringify(decision));
  return (decision as Extract<WatchDecision, { kind: 'run' }>).command;
}

describe('capture/watchedCommand', () => {
  it('records python, python3, uv run, poetry run, accelerate launch and torchrun starting a .py file or a module', () => {
    const lines = [
      'python train.py', 'python3 train.py --lr 0.1', 'python3.11 -u train.py', '/usr/bin/python3 train.py', '.venv/bin/python train.py',
      'uv run train.py', 'uv run python train.py', 'poetry run python train.py', 'accelerate launch --num_processes 2 train.py',
      'torchrun --nproc_per_node 2 train.py', 'python -m pkg.train --epochs 3', 'python3 -m torch.distributed.run train.py',
    ];
    for (const line of lines) {
      const command = run(decide(line));
      assert.ok(command.training.script === 'train.py' || command.training.module === 'pkg.train', line);
    }
    assert.deepEqual(DEFAULT_COMMAND_PATTERNS.includes('python'), true);
  });

  it('reads params, the script path and the command from the line', () => {
    const command = run(decide(`python3 "my train.py" --lr 0.1 --layers 64 32 --name 'run a'`, '/ws/src'));
    assert.deepEqual(command.argv, ['python3', 'my train.py', '--lr', '0.1', '--layers', '64', '32', '--name', 'run a']);
    assert.deepEqual(command.training.params, { lr: 0.1, layers: [64, 32], name: 'run a' });
    assert.equal(command.scriptPath, '/ws/src/my train.py');
    assert.equal(command.cwd, '/ws/src');
  });

  it('keeps the names of assigned variables but never their values', () => {
    const command = run(decide('WANDB_API_KEY=secret CUDA_VISIBLE_DEVICES=0 python train.py --lr 0.1'));
    assert.deepEqual(command.argv, ['python', 'train.py', '--lr', '0.1']);
    assert.deepEqual(command.envNames, ['WANDB_API_KEY', 'CUDA_VISIBLE_DEVICES']);
    assert.ok(!JSON.stringify(command).includes('secret'));
    const wrapped = run(decide('env -i TOKEN=abc nohup python train.py model.lr=0.1'));
    assert.deepEqual(wrapped.argv, ['env', '-i', 'nohup', 'python', 'train.py', 'model.lr=0.1']);
    assert.deepEqual(wrapped.envNames, ['TOKEN']);
    assert.deepEqual(wrapped.training.params, { 'model.lr': 0.1 }, 'overrides after the script stay arguments');
  });

  it('ignores commands that are not training runs', () => {
    for (const line of [
      `python -c 'print(1)'`, 'python', 'python3 -V', 'pip install torch', 'python -m pip install x', 'python -m pytest -q',
      'ls -la', 'echo python train.py', 'python setup.py install', 'cat train.py', './train.sh', 'python train', 'git commit -m "python train.py"',
      ' *  Executing task: python3 train.py ',
    ]) {
      assert.notEqual(decide(line).kind, 'run', line);
    }
  });

  it('declines Python commands no pattern matches, and says why', () => {
    const rules = compileWatchRules(['python3'], []).rules;
    const decision = decide('python train.py', ROOT, rules);
    assert.equal(decision.kind, 'declined');
    assert.match((decision as { reason: string }).reason, /commandPatterns/);
    assert.equal(decide('pipenv run python train.py').kind, 'declined');
    assert.equal(run(decide('pipenv run python train.py', ROOT, compileWatchRules(['pipenv run'], []).rules)).training.script, 'train.py');
  });

  it('matches the first word of a pattern by file name, with * as a wildcard', () => {
    const rules = compileWatchRules(['py*', 'conda run'], []).rules;
    assert.equal(decide('/opt/x/pypy3 train.py', ROOT, rules).kind, 'run');
    assert.equal(decide('conda run -n env python train.py', ROOT, rules).kind, 'run');
    assert.equal(decide('uv run train.py', ROOT, rules).kind, 'declined');
  });

  it('excludes scripts by glob, relative to the workspace or absolute, and modules by name', () => {
    const rules = compileWatchRules(undefined, ['tests/**', '**/scratch_*.py', 'tmp/x.py', 'pkg.tools.*']).rules;
    const excluded = ['python tests/check.py', 'python src/scratch_1.py', 'python /tmp/x.py', 'python -m pkg.tools.export'];
    for (const line of excluded) {
      const decision = decide(line, ROOT, rules);
      assert.equal(decision.kind, 'declined', line);
      assert.match((decision as { reason: string }).reason, /exclude/);
    }
    assert.equal(decide('python src/train.py', ROOT, rules).kind, 'run');
    assert.equal(decide('python train.py', '/ws/tests', rules).kind, 'declined', 'relative to the workspace, not the cwd');
  });

  it('follows a cd on the same line and picks the one training command of a line', () => {
    const command = run(decide('cd src && python train.py --lr 0.2 | tee log.txt', ROOT));
    assert.equal(command.cwd, '/ws/src');
    assert.equal(command.scriptPath, '/ws/src/train.py');
    assert.deepEqual(command.training.params, { lr: 0.2 });
    assert.equal(run(decide('cd ~ ; python t.py')).cwd, os.homedir());
    assert.equal(decide('cd $DIR && python t.py').kind, 'ignored', 'an unknown directory');
    assert.equal(decide('python a.py && python b.py').kind, 'declined', 'two runs on one line');
    assert.equal(decide('python train.py > out.log 2>&1 &').kind, 'run');
    assert.equal(decide('python "train.py').kind, 'ignored');
  });

  it('reports unusable settings and keeps the usable entries', () => {
    const { rules, errors } = compileWatchRules(['python', '', 3, '  '], ['ok/**', '', 7]);
    assert.equal(rules.patterns.length, 1);
    assert.equal(rules.exclude.length, 1);
    assert.deepEqual(errors, [
      'exptrack.watch.commandPatterns[1] is not a command start such as "python" or "uv run"',
      'exptrack.watch.commandPatterns[2] is not a command start such as "python" or "uv run"',
      'exptrack.watch.commandPatterns[3] is not a command start such as "python" or "uv run"',
      'exptrack.watch.exclude[1] is not a glob pattern',
      'exptrack.watch.exclude[2] is not a glob pattern',
    ]);
    const fallback = compileWatchRules('python', 'x');
    assert.equal(fallback.rules.patterns.length, DEFAULT_COMMAND_PATTERNS.length);
    assert.equal(fallback.errors.length, 2);
  });

  it('takes any interpreter name when the caller knows it is Python (a debug configuration)', () => {
    const decision = decideArgv(['/opt/bin/my-interp', path.join(ROOT, 'train.py'), '--lr', '0.3'], ROOT, ROOT, compileWatchRules([], []).rules, { pythonInterpreter: true });
    const command = run(decision);
    assert.equal(command.training.interpreter, '/opt/bin/my-interp');
    assert.deepEqual(command.training.params, { lr: 0.3 });
    assert.equal(decideArgv(['python', '-c', 'x'], ROOT, ROOT, defaults, { pythonInterpreter: true }).kind, 'ignored');
  });
});
