import * as assert from 'node:assert/strict';
import { isStopRequest, pythonLaunchCommand, readAdapterMessage } from '../../../src/core/capture/debugLaunch';

describe('capture/debugLaunch', () => {
  it('reads the command of a launch configuration: interpreter, script or module, arguments', () => {
    assert.deepEqual(pythonLaunchCommand({
      type: 'debugpy', request: 'launch', program: 'src/train.py', args: ['--lr', '0.1'], cwd: '/ws',
      env: { WANDB_API_KEY: 'secret', EXPTRACK_RUN_ID: 'x', EXPTRACK_DIR: '/ws/.exptrack' }, python: '/venv/bin/python',
    }, '/default'), { argv: ['/venv/bin/python', '/ws/src/train.py', '--lr', '0.1'], cwd: '/ws', envNames: ['WANDB_API_KEY'] });
    assert.deepEqual(pythonLaunchCommand({ type: 'python', request: 'launch', module: 'pkg.train', pythonArgs: ['-X', 'dev'] }, '/ws'), {
      argv: ['python', '-X', 'dev', '-m', 'pkg.train'], cwd: '/ws', envNames: [],
    });
    assert.deepEqual(pythonLaunchCommand({ type: 'debugpy', request: 'launch', program: '/ws/t.py', args: '--name "a b" --n 2' }, '/ws')?.argv,
      ['python', '/ws/t.py', '--name', 'a b', '--n', '2'], 'args given as one string are split like a shell');
  });

  it('is undefined for attach requests, code snippets and other debuggers', () => {
    assert.equal(pythonLaunchCommand({ type: 'debugpy', request: 'attach', connect: { port: 5678 } }, '/ws'), undefined);
    assert.equal(pythonLaunchCommand({ type: 'debugpy', request: 'launch', code: 'print(1)' }, '/ws'), undefined);
    assert.equal(pythonLaunchCommand({ type: 'node', request: 'launch', program: 'x.py' }, '/ws'), undefined);
  });

  it('reads program output, the exit code and a request to run in a terminal from adapter messages', () => {
    assert.deepEqual(readAdapterMessage({ type: 'event', event: 'output', body: { category: 'stdout', output: 'loss=1\n' } }),
      { kind: 'output', stream: 'stdout', text: 'loss=1\n' });
    assert.deepEqual(readAdapterMessage({ type: 'event', event: 'output', body: { category: 'stderr', output: 'x' } })?.kind, 'output');
    assert.equal(readAdapterMessage({ type: 'event', event: 'output', body: { category: 'console', output: 'debugger says' } }), undefined);
    assert.equal(readAdapterMessage({ type: 'event', event: 'output', body: { output: 'no category is console' } }), undefined);
    assert.deepEqual(readAdapterMessage({ type: 'event', event: 'exited', body: { exitCode: 3 } }), { kind: 'exited', exitCode: 3 });
    assert.deepEqual(readAdapterMessage({ type: 'request', command: 'runInTerminal', arguments: { kind: 'integrated', cwd: '/ws', args: ['python', '/ws/t.py'] } }),
      { kind: 'runInTerminal', args: ['python', '/ws/t.py'], cwd: '/ws' });
    for (const junk of [null, 3, 'x', {}, { type: 'event', event: 'exited', body: { exitCode: 'x' } }, { type: 'response', command: 'launch' }]) {
      assert.equal(readAdapterMessage(junk), undefined, JSON.stringify(junk));
    }
  });

  it('recognises the editor stopping the program', () => {
    assert.equal(isStopRequest({ type: 'request', command: 'disconnect', arguments: { terminateDebuggee: true } }), true);
    assert.equal(isStopRequest({ type: 'request', command: 'terminate' }), true);
    assert.equal(isStopRequest({ type: 'request', command: 'continue' }), false);
    assert.equal(isStopRequest(undefined), false);
  });
});
