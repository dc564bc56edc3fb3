import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cellLacksClient, KERNEL_PYTHON_QUERY, kernelPythonFrom } from '../../../src/core/pythonClient/kernelQuery';

describe('pythonClient/notebook kernels', () => {
  it('reads the interpreter from a real Python\'s answer to the query', () => {
    const answer = execFileSync('python3', ['-c', `${KERNEL_PYTHON_QUERY}\nprint(sorted(n for n in dir() if "exptrack" in n))`], { encoding: 'utf8' });
    const expected = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();
    assert.equal(kernelPythonFrom(answer), expected);
    assert.match(answer, /^\[\]$/m, 'the query leaves no name in the kernel');
    assert.equal(kernelPythonFrom('something else\n'), undefined);
  });

  it('tells a cell that could not import the client: a Jupyter error output or a traceback on stderr', () => {
    assert.equal(cellLacksClient([{ type: 'error', name: 'ModuleNotFoundError', message: "No module named 'exptrack'" }]), true);
    const traceback = 'Traceback (most recent call last):\n  File "<string>", line 2, in <module>\nModuleNotFoundError: No module named \'exptrack\'\n';
    assert.equal(cellLacksClient([{ type: 'stream', name: 'stdout', text: 'hi\n' }, { type: 'stream', name: 'stderr', text: traceback }]), true);
  });

  it('does not take other import errors for a missing client', () => {
    assert.equal(cellLacksClient([{ type: 'error', name: 'ModuleNotFoundError', message: "No module named 'exptrack_utils'" }]), false);
    assert.equal(cellLacksClient([{ type: 'error', name: 'ModuleNotFoundError', message: "No module named 'torch'" }]), false);
    assert.equal(cellLacksClient([{ type: 'error', name: 'ImportError', message: "cannot import name 'x' from 'exptrack'" }]), false);
    assert.equal(cellLacksClient([{ type: 'stream', name: 'stdout', text: "ModuleNotFoundError: No module named 'exptrack'" }]), false);
    assert.equal(cellLacksClient([{ type: 'stream', name: 'stderr', text: "ModuleNotFoundError: No module named 'exptrack.sub'" }]), false);
  });
});
