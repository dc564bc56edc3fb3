// `exptrack run` puts the bundled client first on the command's PYTHONPATH: found from the CLI's
// own folder, in a development copy and in the npm package layout (dist/cli.js beside python/).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createCliContext } from '../../../src/cli/cliContext';
import { runCommand } from '../../../src/cli/commands/run';
import { findBundledClientDir } from '../../../src/core/pythonClient/clientLocation';

const CLIENT_DIR = path.resolve(__dirname, '../../../python');

describe('pythonClient/exptrack run', function () {
  this.timeout(30_000);
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exptrack-cli-run-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('finds python/exptrack.py above the CLI, as in the npm package', () => {
    fs.mkdirSync(path.join(dir, 'pkg/dist'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'pkg/python'));
    fs.writeFileSync(path.join(dir, 'pkg/python/exptrack.py'), '');
    assert.equal(findBundledClientDir(path.join(dir, 'pkg/dist')), path.join(dir, 'pkg/python'));
    assert.equal(findBundledClientDir(path.join(dir, 'elsewhere')), undefined);
  });

  it('lets the command import the bundled client, the inherited PYTHONPATH kept after it', async () => {
    const before = process.env.PYTHONPATH;
    process.env.PYTHONPATH = '/opt/site-extra';
    let out = '';
    const io = { cwd: dir, stdout: (s: string) => (out += s), stderr: (s: string) => (out += s) };
    try {
      const code = await runCommand(['--', 'python3', '-c', 'import os, exptrack; print(exptrack.__file__); print(os.environ["PYTHONPATH"])'], io, createCliContext(dir));
      assert.equal(code, 0, out);
    } finally {
      if (before === undefined) delete process.env.PYTHONPATH;
      else process.env.PYTHONPATH = before;
    }
    assert.match(out, new RegExp(`^${path.join(CLIENT_DIR, 'exptrack.py')}$`, 'm'));
    assert.match(out, new RegExp(`^${CLIENT_DIR}${path.delimiter}/opt/site-extra$`, 'm'));
  });
});
