// Why pip failed, told from real pip output (pip-output/README.md says how each file was made),
// and from real runs of interpreters that cannot run or have no pip.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { classifyPipFailure, ensurepipDisabled, pipInstall, pipInstallArgs } from '../../../src/core/pythonClient/pipInstall';

const output = (name: string) => fs.readFileSync(path.join(__dirname, 'pip-output', `${name}.txt`), 'utf8');

describe('pythonClient/pip install', function () {
  this.timeout(30_000);

  it('installs a local wheel with no index and no dependencies, optionally for the user', () => {
    assert.deepEqual(pipInstallArgs('/w/x.whl'), [
      '-m', 'pip', 'install', '--no-deps', '--no-index', '--force-reinstall', '--disable-pip-version-check', '--no-input', '/w/x.whl',
    ]);
    assert.deepEqual(pipInstallArgs('/w/x.whl', { user: true, breakSystemPackages: true }).slice(-3), ['--user', '--break-system-packages', '/w/x.whl']);
  });

  it('tells an externally managed environment (PEP 668), with and without --user', () => {
    assert.deepEqual(classifyPipFailure({ exitCode: 1, output: output('externally-managed') }), { kind: 'externally-managed' });
    assert.deepEqual(classifyPipFailure({ exitCode: 1, output: output('externally-managed-user') }), { kind: 'externally-managed' });
  });

  it('tells a missing pip, a site-packages that cannot be written, and --user in a venv', () => {
    assert.deepEqual(classifyPipFailure({ exitCode: 1, output: output('no-pip') }), { kind: 'no-pip' });
    assert.deepEqual(classifyPipFailure({ exitCode: 1, output: output('permission-denied') }), { kind: 'permission-denied', userInstallSuggested: false });
    const suggested = output('permission-denied').replace('Check the permissions.', 'Consider using the `--user` option or check the permissions.');
    assert.deepEqual(classifyPipFailure({ exitCode: 1, output: suggested }), { kind: 'permission-denied', userInstallSuggested: true });
    assert.deepEqual(classifyPipFailure({ exitCode: 1, output: output('user-site-hidden') }), { kind: 'user-site-hidden' });
  });

  it('is no failure when pip installed, and names the ERROR line of an unknown failure', () => {
    assert.equal(classifyPipFailure({ exitCode: 0, output: output('installed') }), undefined);
    const other = 'Looking in links: /opt/wheels\nERROR: exptrack_client-0.1.0-py3-none-any.whl is not a valid wheel filename.\n';
    assert.deepEqual(classifyPipFailure({ exitCode: 1, output: other }), { kind: 'failed', detail: 'ERROR: exptrack_client-0.1.0-py3-none-any.whl is not a valid wheel filename.' });
    assert.deepEqual(classifyPipFailure({ exitCode: 1, output: "ERROR: Package 'exptrack-client' requires a different Python: 3.7.9 not in '>=3.8'\n" }),
      { kind: 'python-too-old', detail: "requires a different Python: 3.7.9 not in '>=3.8'" });
  });

  it('tells that the system turned ensurepip off (the way out is its pip package)', () => {
    assert.equal(ensurepipDisabled(output('ensurepip-disabled')), true);
    assert.equal(ensurepipDisabled(output('no-pip')), false);
  });

  it('tells an interpreter that cannot be run, from a real attempt', async () => {
    const missing = await pipInstall('/nonexistent/bin/python3', '/w/x.whl');
    assert.equal(missing.ok, false);
    assert.deepEqual(missing.problem, { kind: 'cannot-run', detail: 'not found' });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exptrack-pip-'));
    try {
      const notExecutable = path.join(dir, 'python');
      fs.writeFileSync(notExecutable, '');
      assert.deepEqual((await pipInstall(notExecutable, '/w/x.whl')).problem, { kind: 'cannot-run', detail: 'not executable' });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('tells a venv without pip, from a real run', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exptrack-pip-'));
    try {
      execFileSync('python3', ['-m', 'venv', '--without-pip', path.join(dir, 'venv')]);
      const result = await pipInstall(path.join(dir, 'venv/bin/python'), '/w/x.whl');
      assert.deepEqual(result.problem, { kind: 'no-pip' });
      assert.match(result.output, /No module named pip/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
