// A multi-root workspace in the real workbench (test/integration/multiRoot/workspace, opened through
// its .code-workspace file): the Runs view shows a node per folder with its runs or its notice,
// and runs ticked in two folders are compared side by side, in the Compare view and the panel,
// each named with its folder (both folders hold a run named "twin").
import * as assert from 'assert';
import * as path from 'path';
import { repoRoot } from '../support/vscode-host.mjs';
import { useWorkbench, type Workbench } from '../support/workbench';

const runsRow = (wb: Workbench, text: string) => wb.viewBody('Runs').locator('.monaco-list-row', { hasText: text }).first();

describe('Multi-root workspace', function () {
  this.timeout(120_000);
  const wb = useWorkbench({
    workspace: path.join(repoRoot, 'test/integration/multiRoot/workspace'),
    workspaceFile: 'multi-root.code-workspace',
    readyFile: 'alpha',
  });

  it('groups the Runs view by folder, each with its runs or its notice', async () => {
    const w = wb();
    await w.openExperiments();
    await w.collapseViews('Compare', 'Models', 'Datasets'); // room for every row
    await runsRow(w, 'No runs yet').waitFor({ timeout: 60_000 });
    // A row's label and description, spaces left out (the workbench lays them out side by side).
    const rows = (await w.treeRows('Runs')).map((r) => r.replace(/\s+/g, ''));
    const at = (text: string) => rows.findIndex((r) => r.startsWith(text.replace(/\s+/g, '')));
    // folder → experiment → run, folders in workspace order
    for (const text of ['alpha 2 runs', 'beta 2 runs', 'empty 0 runs', 'No runs yet']) assert.ok(at(text) >= 0, `${text} in ${rows.join(' | ')}`);
    assert.ok(at('alpha 2 runs') < at('alpha solo') && at('alpha solo') < at('beta 2 runs'), rows.join(' | '));
    assert.ok(at('beta 2 runs') < at('beta solo') && at('beta solo') < at('empty 0 runs'), rows.join(' | '));
    assert.ok(at('empty 0 runs') < at('No runs yet'), 'the empty folder\'s own notice');
    assert.strictEqual(rows.filter((r) => r.startsWith('twin')).length, 2, 'the run of each folder named "twin"');
    assert.strictEqual(await w.viewBody('Runs').locator('.monaco-list-row[aria-level="1"]').count(), 3, 'three folder nodes at the top');
    await w.screenshot('multi-root-runs-view');
  });

  it('compares runs ticked in two folders, each named with its folder', async () => {
    const w = wb();
    await w.viewHeader('Compare').click(); // expanded again
    await w.tickRun('alpha solo');
    // beta's "twin": the second "Compare twin" checkbox, below the beta folder node
    const twins = w.viewBody('Runs').getByRole('checkbox', { name: 'Compare twin', exact: true });
    await twins.nth(1).click();
    const view = await w.findWebview('ul.runs, .empty');
    await view.locator('li.run').nth(1).waitFor();
    assert.deepStrictEqual(await view.locator('li.run .run-name').allInnerTexts(), ['alpha solo (alpha)', 'twin (beta)']);
    assert.deepStrictEqual(await view.locator('table.params tbody th').allInnerTexts(), ['lr']);
    assert.deepStrictEqual(await view.locator('table.params tbody td').allInnerTexts(), ['0.3', '0.2']);

    await w.runCommand('ExpTrack: Compare Selected Runs');
    const panel = await w.findWebview('.chart-grid');
    await panel.locator('.legend-row').nth(1).waitFor();
    assert.deepStrictEqual(await panel.locator('.legend-row .legend-name').allInnerTexts(), ['alpha solo (alpha)', 'twin (beta)']);
    await w.screenshot('multi-root-compare');
  });
});
