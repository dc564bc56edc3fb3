// The model registry through the real workbench: register two versions from runs with the quick
// picks, promote the better one to champion with a reason, watch the gate stop a worse one,
// read the history, open the lineage panel (dataset → run → model → quantized derivative) and
// compare a version with the champion. The workspace (test/ui/models-workspace) holds four runs:
// two with a model file as an artifact, a distillation and a quantization that log models.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { FrameLocator, Page } from 'playwright-core';
import { answer, reloadWindow, startCommand, useWorkbench } from '../support/workbench';

const quickInput = '.quick-input-widget';

/** Waits until the quick input shows no step titled `title` any more. */
async function stepDone(page: Page, title: string): Promise<void> {
  await page.locator(quickInput).locator('.quick-input-title', { hasText: title }).waitFor({ state: 'hidden', timeout: 20_000 });
}

describe('model registry in the workbench', function () {
  this.timeout(180_000);
  const wb = useWorkbench({ workspace: path.join(__dirname, 'models-workspace'), readyFile: 'README.md' });

  async function modelsRows(): Promise<string[]> {
    return (await wb().treeRows('Models')).map((r) => r.replace(/\s+/g, ' ').trim());
  }

  async function waitForModelsRow(match: RegExp): Promise<string> {
    const deadline = Date.now() + 30_000;
    let rows: string[] = [];
    while (Date.now() < deadline) {
      rows = await modelsRows();
      const found = rows.find((r) => match.test(r));
      if (found) return found;
      await wb().page.waitForTimeout(250);
    }
    throw new Error(`no Models row matching ${match}; rows: ${JSON.stringify(rows)}`);
  }

  it('shows run-logged versions and the model files runs produced', async () => {
    const { page } = wb();
    await wb().openExperiments();
    await wb().collapseViews('Runs', 'Compare'); // room for the Models view
    const models = wb().viewHeader('Models');
    await models.waitFor();
    if ((await models.getAttribute('aria-expanded')) !== 'true') await models.click();
    await waitForModelsRow(/^churn-student-int8/);
    await waitForModelsRow(/Model files to register/);
    // A model's versions are read when its row is drawn expanded: they show a moment after it.
    await waitForModelsRow(/^v1\s*onnx · distill-student/);
    await wb().screenshot('models-1-view');
    void page;
  });

  it('registers two versions from runs through the quick picks', async () => {
    const { page } = wb();
    const title = 'Register Model Version';

    await startCommand(page, 'ExpTrack: Register Model Version');
    await answer(page, `${title} — run`, 'baseline', 'baseline');
    await answer(page, `${title} — model file`, 'model.onnx', 'model.onnx');
    await answer(page, `${title} — model name`, 'New model', 'New model');
    await answer(page, `${title} — new model name`, 'churn');
    await answer(page, `${title} — derived from`, 'Not derived', 'Not derived');
    await stepDone(page, title);
    await wb().waitForNotification('registered churn v1');

    await startCommand(page, 'ExpTrack: Register Model Version');
    await answer(page, `${title} — run`, 'wide-net', 'wide-net');
    await page.locator(quickInput).locator('.quick-input-title', { hasText: `${title} — model file` }).waitFor();
    await wb().screenshot('models-2-register-file-pick');
    await answer(page, `${title} — model file`, 'models/wide', 'model.onnx');
    await answer(page, `${title} — model name`, 'churn', 'churn');
    await answer(page, `${title} — derived from`, 'Not derived', 'Not derived');
    await stepDone(page, title);
    await wb().waitForNotification('registered churn v2');
    await waitForModelsRow(/^v2\s*onnx · wide-net/);
    await wb().screenshot('models-3-registered');
  });

  it('promotes the better version to champion with a reason', async () => {
    const { page } = wb();
    const title = 'Promote Model Version';
    await startCommand(page, 'ExpTrack: Promote Model Version');
    await answer(page, `${title} — model`, 'churn', 'churn');
    await answer(page, `${title} — version of churn`, 'v2', 'v2');
    const aliasStep = page.locator(quickInput).locator('.quick-input-title', { hasText: `${title} — alias` });
    await aliasStep.waitFor();
    const detail = await page.locator(`${quickInput} .quick-input-list .monaco-list-row`, { hasText: 'champion' }).first().innerText();
    assert.match(detail, /gate on val_acc .*passes/, 'the alias pick says what the gate would decide');
    await answer(page, `${title} — alias`, 'champion', 'champion');
    await answer(page, `${title} — reason`, 'best validation accuracy (0.88) on the holdout set');
    await stepDone(page, title);
    const message = await wb().waitForNotification('@champion (none) → v2');
    assert.match(message, /Gate passed/);
    await waitForModelsRow(/^v2\s*@champion · onnx · wide-net/);
    await wb().screenshot('models-4-champion');
  });

  it('stops a worse version at the gate and shows the comparison', async () => {
    const { page } = wb();
    const title = 'Promote Model Version';
    await startCommand(page, 'ExpTrack: Promote Model Version');
    await answer(page, `${title} — model`, 'churn', 'churn');
    await answer(page, `${title} — version of churn`, 'v1', 'v1');
    await answer(page, `${title} — alias`, 'champion', 'champion');
    await answer(page, `${title} — reason`, 'the older baseline is simpler');
    // The gate's verdict is the next question, with both versions side by side in the Model Version panel.
    const widget = page.locator(quickInput);
    await widget.locator('.quick-input-title', { hasText: 'the gate stopped churn v1 from becoming champion' }).waitFor({ timeout: 20_000 });
    const question = (await widget.innerText()).replace(/\s+/g, ' ');
    const summary = await widget.locator('input[type="text"]').getAttribute('placeholder');
    assert.equal(summary, 'val_acc: v1 0.81 vs champion v2 0.88: improvement -0.07, needs ≥ 0 (higher is better)');
    assert.match(question, /FAILED on val_acc/);
    assert.match(question, /v1 val_acc=0\.81 vs champion v2 val_acc=0\.88: improvement -0\.07 < min delta 0/);
    assert.match(question, /Keep @champion on v2/);
    assert.match(question, /Override the gate…/);
    const panel = await wb().findWebview('.model-version .verdict.failed', 30_000);
    assert.match(await panel.locator('h1').innerText(), /churn v1[\s\S]*vs champion v2/);
    await wb().screenshot('models-5-gate-refused');
    await answer(page, 'the gate stopped churn v1', 'Keep', 'Keep @champion on v2');
    await stepDone(page, 'the gate stopped');
    // Nothing moved: v2 is still the champion.
    await waitForModelsRow(/^v2\s*@champion/);
    await waitForModelsRow(/^v1\s*onnx · baseline/);
  });

  it('lists the audit events in the history', async () => {
    const { page } = wb();
    await wb().runCommand('ExpTrack: Show Model History');
    const editor = page.locator('.editor-instance .view-lines');
    await editor.filter({ hasText: '@champion' }).first().waitFor({ timeout: 20_000 });
    const text = (await editor.first().innerText()).replace(/\u00a0/g, ' ');
    assert.match(text, /churn {2}@champion {2}\(none\) → v2/);
    assert.match(text, /why: {2}best validation accuracy \(0\.88\) on the holdout set/);
    assert.match(text, /gate: passed on val_acc \(max\)/);
    assert.match(text, /churn {2}registered v1/);
    await wb().screenshot('models-6-history');
  });

  it('shows the lineage: dataset, run, model version and its quantized derivative', async () => {
    const { page } = wb();
    await wb().runCommand('ExpTrack: Show Model Lineage');
    const frame: FrameLocator = await wb().findWebview('svg.graph g.node', 30_000);
    const titles = async (kind: string) => frame.locator(`svg.graph g.node[data-kind="${kind}"] > title`).allTextContents();
    const datasets = await titles('dataset');
    const runs = await titles('run');
    const models = await titles('model');
    assert.ok(datasets.some((t) => t.includes('data/train-v2.csv')), `dataset nodes: ${JSON.stringify(datasets)}`);
    assert.ok(runs.some((t) => t.includes('run wide-net')), `run nodes: ${JSON.stringify(runs)}`);
    assert.ok(models.some((t) => t.startsWith('model churn v2, aliases champion')), `model nodes: ${JSON.stringify(models)}`);
    assert.ok(models.some((t) => t.startsWith('model churn-student-int8 v1') && t.includes('quantized')), `a quantized derivative: ${JSON.stringify(models)}`);
    const derived = await frame.locator('svg.graph .edge-label.kind-derived text').allTextContents();
    assert.deepEqual(derived.sort(), ['distilled', 'quantized']);
    const badge = await frame.locator('svg.graph g.node[data-kind="model"] .badge text').allTextContents();
    assert.deepEqual(badge, ['@champion']);
    assert.match(await frame.locator('.status').innerText(), /2 dataset versions · 4 runs · 4 model versions/);
    await wb().screenshot('models-7-lineage');

    // Clicking a model node selects that version in the Models view.
    await frame.locator('svg.graph g.node[data-id="model:churn@1"]').click();
    await page.locator('.sidebar .pane-body .monaco-list-row.selected', { hasText: 'v1' }).first().waitFor({ timeout: 15_000 });
    // Clicking a run node shows the run's details.
    await frame.locator('svg.graph g.node[data-id="run:ui-wide"]').click();
    await page.locator('.tabs-container .tab', { hasText: 'Run - wide-net' }).waitFor({ timeout: 15_000 });
    await wb().screenshot('models-8-lineage-run-details');
    // Clicking a dataset node opens the file.
    await frame.locator('svg.graph g.node[data-kind="dataset"]', { hasText: 'train-v1.csv' }).click();
    await page.locator('.tabs-container .tab', { hasText: 'train-v1.csv' }).waitFor({ timeout: 15_000 });
    await wb().screenshot('models-8b-lineage-dataset-beside');
  });

  it('compares a version with the champion from the Models view', async () => {
    const { page } = wb();
    const row = wb().viewBody('Models').locator('.monaco-list-row', { hasText: /^v1/ }).first();
    await row.click({ button: 'right' });
    // VS Code's menus act on the focused entry: hover it, then Enter.
    await page.locator('.context-view .monaco-menu .action-label', { hasText: 'Compare with Champion' }).hover();
    await page.keyboard.press('Enter');
    const frame = await wb().findWebview('.model-version h1', 30_000);
    await frame.locator('.section', { hasText: 'columns compared' }).waitFor({ timeout: 30_000 });
    const heading = await frame.locator('h1').innerText();
    assert.match(heading, /churn v1/);
    assert.match(heading, /vs champion v2/);
    assert.match(await frame.locator('.verdict').innerText(), /Fails/);
    const metrics = await frame.locator('tr.gate-metric').innerText();
    assert.match(metrics, /val_acc[\s\S]*0\.81[\s\S]*0\.88[\s\S]*-0\.07/);
    const params = await frame.locator('table.grid').nth(1).innerText();
    assert.match(params, /layers/);
    const drift = await frame.locator('.section', { hasText: 'Training data drift' }).innerText();
    assert.match(drift, /data\/train-v1\.csv/);
    assert.match(drift, /data\/train-v2\.csv/);
    assert.match(drift, /columns compared/);
    await wb().screenshot('models-9-compare-with-champion');
  });

  it('keeps a 200-node lineage readable: opens at a readable scale, fits, zooms, pans and finds', async () => {
    const { page } = wb();
    // 80 more runs: each trains on one of 10 datasets and logs a model; every third also logs a quantized derivative.
    for (let i = 0; i < 80; i++) {
      const uid = `bulk-${String(i).padStart(2, '0')}`;
      const name = `bulk-model-${i % 8}`;
      const events: object[] = [
        { t: 'run', v: 1, id: uid, name: `bulk run ${i}`, experiment: 'bulk', started: 1718000000 + i * 100 },
        { t: 'dataset', path: `data/bulk-${i % 10}.csv`, role: 'train', sha256: String(i % 10).repeat(64) },
        { t: 'metrics', step: 0, values: { val_acc: 0.5 + (i % 40) / 100 } },
        { t: 'model', name, path: `models/bulk/${uid}.onnx`, sha256: (i.toString(16).padStart(2, '0')).repeat(32) },
      ];
      if (i % 3 === 0) {
        events.push({ t: 'model', name: `${name}-int8`, path: `models/bulk/${uid}-int8.onnx`, parent: { name, version: Math.floor(i / 8) + 1 }, derivation: 'quantized' });
      }
      events.push({ t: 'end', status: 'finished', exit: 0, ended: 1718000000 + i * 100 + 50 });
      const dir = path.join(wb().workspace, '.exptrack', 'runs', uid);
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, 'events.jsonl'), events.map((e) => JSON.stringify(e)).join('\n') + '\n');
    }
    await wb().runCommand('ExpTrack: Rescan Workspace');
    await wb().runCommand('ExpTrack: Show Model Lineage');
    const frame = await wb().findWebview('svg.graph g.node', 30_000);
    const nodes = frame.locator('svg.graph g.node');
    const deadline = Date.now() + 30_000;
    while ((await nodes.count()) < 200 && Date.now() < deadline) await page.waitForTimeout(250);
    const count = await nodes.count();
    assert.ok(count >= 200, `${count} nodes`);
    const status = /(\d+) dataset versions · (\d+) runs · (\d+) model versions/.exec(await frame.locator('.status').innerText());
    assert.ok(status && Number(status[1]) >= 10 && Number(status[2]) >= 80 && Number(status[3]) >= 107, `the bulk runs are all there: ${status?.[0]}`);

    const viewport = frame.locator('svg.graph g.viewport');
    const view = async () => {
      const m = /translate\(([-\d.e]+) ([-\d.e]+)\) scale\(([-\d.e]+)\)/.exec((await viewport.getAttribute('transform')) ?? '');
      assert.ok(m, 'the viewport has a transform');
      return { x: Number(m[1]), y: Number(m[2]), scale: Number(m[3]) };
    };
    const opened = await view();
    assert.ok(opened.scale >= 0.7, `opens readable, not fitted into a smudge (scale ${opened.scale})`);
    await wb().screenshot('models-10-lineage-200-nodes');

    await frame.locator('vscode-button[title^="Fit"]').click();
    const fitted = await view();
    assert.ok(fitted.scale < opened.scale, `fit shows everything (scale ${fitted.scale})`);
    const box = (await frame.locator('svg.graph').boundingBox())!;
    const content = (await viewport.boundingBox())!;
    assert.ok(content.x >= box.x - 1 && content.y >= box.y - 1 && content.x + content.width <= box.x + box.width + 1 && content.y + content.height <= box.y + box.height + 1,
      'after Fit the whole graph is inside the canvas');
    await wb().screenshot('models-11-lineage-200-fit');

    await frame.locator('vscode-button[title^="Zoom in"]').click();
    assert.ok(Math.abs((await view()).scale - fitted.scale * 1.25) < 1e-6, 'zoom in by a quarter');
    await frame.locator('svg.graph').focus();
    const before = await view();
    await page.keyboard.press('ArrowRight');
    const panned = await view();
    assert.deepStrictEqual([panned.x, panned.y, panned.scale], [before.x - 60, before.y, before.scale], 'arrow keys pan the canvas');

    await frame.locator('vscode-textfield.find input').fill('bulk-model-5-int8 v2');
    await frame.locator('.find-count', { hasText: '1 match' }).waitFor();
    const found = frame.locator('svg.graph g.node.selected');
    assert.match((await found.locator('title').textContent()) ?? '', /^model bulk-model-5-int8 v2/);
    const at = (await found.boundingBox())!;
    assert.ok(at.x >= box.x && at.x + at.width <= box.x + box.width && at.y >= box.y && at.y + at.height <= box.y + box.height, 'the match is scrolled into view');
    assert.ok((await view()).scale >= 0.7, 'and shown at a readable size');
    await wb().screenshot('models-12-lineage-find');
  });

  it('restores the Lineage and Model Version panels after the window reloads', async () => {
    const { page } = wb();
    const viewport = 'svg.graph g.viewport';
    const before = await (await wb().findWebview('svg.graph g.node', 30_000)).locator(viewport).getAttribute('transform');
    await reloadWindow(wb());
    const lineage = await wb().findWebview('svg.graph g.node[data-id="model:churn@2"]', 60_000);
    assert.ok(await lineage.locator('svg.graph g.node').count() >= 200, 'the whole graph again');
    assert.strictEqual(await lineage.locator(viewport).getAttribute('transform'), before, 'with the same pan and zoom');
    await page.locator('.tabs-container .tab', { hasText: 'Model Version: churn v1' }).click();
    const version = await wb().findWebview('.model-version h1', 60_000);
    assert.match(await version.locator('h1').innerText(), /churn v1[\s\S]*vs champion v2/);
    await wb().screenshot('models-13-restored-after-reload');
  });
});
