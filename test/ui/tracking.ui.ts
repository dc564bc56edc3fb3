// Run with tracking through the real workbench: the command from the palette runs train.py in a
// terminal and the run finishes in the Runs tree with its metrics. In Restricted Mode the recorded
// runs are shown but the command runs nothing and the view says why. Install Python Client from the
// palette puts the client into exptrack.pythonPath's venv, importable there outside VS Code.
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { repoRoot } from '../support/vscode-host.mjs';
import { sampleWorkspace, useWorkbench } from '../support/workbench';

describe('run with tracking (UI)', function () {
  this.timeout(120_000);
  const wb = useWorkbench();

  it('runs the open script from the palette and shows the finished run with its metrics', async () => {
    const { page } = wb();
    await wb().openExperiments();
    await wb().openFile('train.py');
    await wb().runCommand('ExpTrack: Run Python File with Tracking');
    const runs = wb().viewBody('Runs');
    // Default experiment group, then the run, with the key metric in its description.
    const runRow = runs.locator('.monaco-list-row', { hasText: 'loss=' }).first();
    await runRow.waitFor({ timeout: 60_000 });
    assert.match(await runRow.innerText(), /train/, 'the default name says which script ran');
    await runs.locator('.monaco-list-row .codicon-pass').first().waitFor({ timeout: 30_000 });
    await runRow.click();
    await page.keyboard.press('ArrowRight'); // expand the run: Metrics and Parameters
    await runs.locator('.monaco-list-row', { hasText: 'Metrics' }).first().click();
    await page.keyboard.press('ArrowRight');
    await runs.locator('.monaco-list-row', { hasText: 'acc' }).first().waitFor();
    const rows = await wb().treeRows('Runs');
    assert.ok(rows.some((r) => /loss/.test(r) && /@3/.test(r)), `a loss row at step 3 among ${JSON.stringify(rows)}`);
    await wb().screenshot('tracking-run-finished');
  });
});

describe('Install Python Client (UI)', function () {
  this.timeout(120_000);
  const venv = mkdtempSync(path.join(os.tmpdir(), 'exptrack-ui-venv-'));
  execFileSync('python3', ['-m', 'venv', venv]);
  const python = path.join(venv, 'bin/python');
  const wb = useWorkbench({ settings: { 'exptrack.pythonPath': python } });
  after(() => rmSync(venv, { recursive: true, force: true }));

  it('installs the bundled wheel into the configured interpreter, with a progress notification', async () => {
    await wb().openExperiments();
    await wb().runCommand('ExpTrack: Install Python Client');
    const message = await wb().waitForNotification(/exptrack-client .* installed into/, 60_000);
    await wb().runCommand('Notifications: Show Notifications');
    await wb().page.locator('.notifications-center .notification-list-item-message', { hasText: 'installed into' }).first().waitFor();
    await wb().screenshot('install-python-client');
    await wb().runCommand('Notifications: Hide Notifications');
    const version = (JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
    assert.match(message, new RegExp(`exptrack-client ${version.replace(/\./g, '\\.')} installed into ${python}`));
    const { PYTHONPATH: _unused, ...env } = process.env;
    const imported = execFileSync(python, ['-c', 'import exptrack; print(exptrack.__version__)'], { cwd: os.tmpdir(), env, encoding: 'utf8' });
    assert.strictEqual(imported.trim(), version);
  });
});

describe('restricted mode (UI)', function () {
  this.timeout(120_000);
  const seeded = mkdtempSync(path.join(os.tmpdir(), 'exptrack-untrusted-'));
  cpSync(sampleWorkspace, seeded, { recursive: true });
  const runDir = path.join(seeded, '.exptrack', 'runs', 'seeded-run');
  mkdirSync(runDir, { recursive: true });
  writeFileSync(path.join(runDir, 'events.jsonl'), [
    { t: 'run', v: 1, id: 'seeded-run', name: 'recorded earlier', experiment: 'seeded', started: 1732240000 },
    { t: 'metrics', step: 1, values: { loss: 0.25 } },
    { t: 'end', status: 'finished', exit: 0, ended: 1732240100 },
  ].map((e) => JSON.stringify(e)).join('\n') + '\n');
  const wb = useWorkbench({ workspace: seeded, workspaceTrust: true });
  after(() => rmSync(seeded, { recursive: true, force: true }));

  it('shows recorded runs, explains that nothing runs, and runs nothing', async () => {
    const { page } = wb();
    await wb().openExperiments();
    const runs = wb().viewBody('Runs');
    await runs.locator('.monaco-list-row', { hasText: 'recorded earlier' }).first().waitFor({ timeout: 30_000 });
    await runs.locator('.message', { hasText: 'Restricted Mode' }).first().waitFor();
    // Commands that execute code are disabled while the workspace is untrusted: the palette does not offer them.
    for (const title of ['Run Python File with Tracking', 'Install Python Client']) {
      await page.keyboard.press('F1');
      const widget = page.locator('.quick-input-widget');
      await widget.locator('input[type="text"]').fill(`>ExpTrack: ${title}`);
      await widget.locator('.quick-input-list').waitFor();
      await page.waitForTimeout(500);
      const offered = await widget.locator('.quick-input-list .monaco-list-row', { hasText: title }).count();
      await page.keyboard.press('Escape');
      assert.strictEqual(offered, 0, `${title} is not offered in Restricted Mode`);
    }
    await wb().screenshot('tracking-restricted-mode');
  });
});
