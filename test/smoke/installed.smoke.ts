// The packaged extension as a user gets it: the .vsix from `npm run package` installed with the
// server's --install-extension into a fresh extensions folder, the workbench opened without any
// development extension, on the VS Code named by EXPTRACK_VSCODE_HOST (scripts/test-smoke.mjs runs
// this file on the oldest supported and the newest VS Code). The main flows, once each: a script
// that imports the Python client, Compare on two ticked runs, a schema diff of two CSV files from
// the palette, a model version promoted to an alias, and the Get Started walkthrough's pictures.
import * as assert from 'assert';
import { existsSync, lstatSync, readdirSync, readFileSync } from 'fs';
import * as path from 'path';
import { repoRoot, selectedHost } from '../support/vscode-host.mjs';
import { openWalkthrough, stepPictureWidths } from '../support/walkthrough';
import { answer, startCommand, useWorkbench, type Workbench } from '../support/workbench';

const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { name: string; publisher: string; version: string };
const vsix = path.resolve(process.env.EXPTRACK_VSIX || path.join(repoRoot, `${manifest.name}-${manifest.version}.vsix`));
const host = selectedHost();
const quickInput = '.quick-input-widget';

/** The output of the newest run recorded in the workspace, to say why a tracked run failed. */
function newestRunOutput(wb: Workbench): string {
  const runs = path.join(wb.workspace, '.exptrack', 'runs');
  const newest = readdirSync(runs).filter((d) => !d.startsWith('smoke-')).sort().at(-1);
  const log = newest && path.join(runs, newest, 'stdout.log');
  return log && existsSync(log) ? readFileSync(log, 'utf8') : '(no output recorded)';
}

describe(`installed .vsix on VS Code ${host.vscode}`, function () {
  this.timeout(180_000);
  before(() => assert.ok(existsSync(vsix), `${vsix} is missing; build it first: npm run package`));
  const wb = useWorkbench({ workspace: path.join(__dirname, 'workspace'), readyFile: 'README.md', vsix });

  it('loads the extension from the installed package, not from a development path', async () => {
    const folder = `${manifest.publisher}.${manifest.name}-${manifest.version}`;
    const installed = path.join(wb().extensionsDir, folder);
    assert.ok(existsSync(path.join(installed, 'package.json')), `${folder} installed in the extensions folder`);
    assert.ok(!lstatSync(installed).isSymbolicLink(), 'a real copy, unpacked from the .vsix');
    assert.ok(!existsSync(path.join(installed, 'src')), 'no sources in the installed extension');
    assert.doesNotMatch(wb().page.url(), /extensionDevelopmentPath/);
    await wb().openExperiments();
    await wb().viewBody('Runs').locator('.monaco-list-row', { hasText: 'baseline' }).first().waitFor({ timeout: 30_000 });
  });

  it('runs a script that imports the Python client and records what it logged', async () => {
    const { page } = wb();
    await wb().openFile('track_me.py');
    await wb().runCommand('ExpTrack: Run Python File with Tracking');
    const runs = wb().viewBody('Runs');
    // The script prints nothing: a `loss` metric can only come through `import exptrack`.
    const row = runs.locator('.monaco-list-row', { hasText: 'track_me' }).first();
    await row.waitFor({ timeout: 60_000 });
    const ended = row.locator('.codicon-pass, .codicon-error');
    await ended.first().waitFor({ timeout: 60_000 });
    if ((await row.locator('.codicon-error').count()) > 0) {
      await wb().screenshot(`smoke-${host.name}-client-import-failed`);
      assert.fail(`the tracked script failed; its output:\n${newestRunOutput(wb())}`);
    }
    await runs.locator('.monaco-list-row', { hasText: 'loss=' }).filter({ hasText: 'track_me' }).first().waitFor({ timeout: 30_000 });
    await wb().screenshot(`smoke-${host.name}-1-client-run`);
    void page;
  });

  it('ticks two runs and opens them in the Compare panel', async () => {
    const w = wb();
    await w.collapseViews('Models', 'Datasets'); // room for the Compare view
    await w.tickRun('baseline');
    await w.tickRun('higher-lr');
    const sidebar = await w.findWebview('ul.runs');
    await sidebar.locator('li.run').nth(1).waitFor();
    assert.deepStrictEqual(await sidebar.locator('li.run .run-name').allInnerTexts(), ['baseline', 'higher-lr']);
    assert.deepStrictEqual(await sidebar.locator('table.params tbody th').allInnerTexts(), ['lr'], 'only the parameter that differs');
    await sidebar.locator('#open-panel').click();
    const panel = await w.findWebview('.chart-grid');
    await panel.locator('figure.chart-card[data-key="accuracy"][data-rendered="2"]').waitFor({ timeout: 30_000 });
    assert.deepStrictEqual(await panel.locator('.legend-row .legend-name').allInnerTexts(), ['baseline', 'higher-lr']);
    await w.screenshot(`smoke-${host.name}-2-compare`);
  });

  it('diffs two CSV files picked from the palette', async () => {
    const { page } = wb();
    const title = 'Diff Dataset Schemas';
    await startCommand(page, `ExpTrack: ${title}`);
    await answer(page, `${title} — what to compare`, 'Two files', 'Two files');
    await answer(page, `${title} — first file (baseline)`, 'customers-v1', 'customers-v1.csv');
    await answer(page, `${title} — second file (newer)`, 'customers-v2', 'customers-v2.csv');
    const frame = await wb().findWebview('.schema-diff table.columns', 60_000);
    const segment = frame.locator('tr.column-row[data-column="segment"]');
    await segment.waitFor();
    assert.match((await segment.innerText()).replace(/\s+/g, ' '), /removed/);
    assert.match((await frame.locator('.summary').innerText()).replace(/\s+/g, ' '), /rows 5 → 6/);
    await wb().screenshot(`smoke-${host.name}-3-schema-diff`);
  });

  it('promotes a model version to an alias with a reason', async () => {
    const { page } = wb();
    const title = 'Promote Model Version';
    await startCommand(page, `ExpTrack: ${title}`);
    await answer(page, `${title} — model`, 'churn', 'churn');
    await answer(page, `${title} — version of churn`, 'v1', 'v1');
    await answer(page, `${title} — alias`, 'staging', 'staging');
    await answer(page, `${title} — reason`, 'smoke test of the installed package');
    await page.locator(quickInput).locator('.quick-input-title', { hasText: title }).waitFor({ state: 'hidden', timeout: 20_000 });
    await wb().waitForNotification('@staging (none) → v1');
    const registry = readFileSync(path.join(wb().workspace, '.exptrack', 'registry.jsonl'), 'utf8');
    assert.match(registry, /"alias":\s*"staging"/);
    assert.match(registry, /smoke test of the installed package/);
    await wb().screenshot(`smoke-${host.name}-4-promoted`);
  });

  it('opens the Get Started walkthrough with every picture loaded from the package', async () => {
    // A walkthrough hides its pictures in a narrow editor, which the newest VS Code's Chat makes it.
    const { page } = wb();
    const viewport = page.viewportSize();
    await page.setViewportSize({ width: 1920, height: viewport?.height ?? 900 });
    await openWalkthrough(wb());
    const widths = await stepPictureWidths(page, 'import exptrack');
    const missing = [...widths].filter(([, width]) => width === 0).map(([picture]) => picture);
    assert.deepStrictEqual(missing, [], 'pictures that did not load');
    await wb().screenshot(`smoke-${host.name}-5-walkthrough`);
    if (viewport) await page.setViewportSize(viewport);
  });
});
