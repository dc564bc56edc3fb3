// Runs other tools wrote, and notebooks executed in the workbench, show up in the Runs view:
// a workspace with an MLflow `mlruns/` folder and TensorBoard event files lists those runs, and a
// notebook run with a python3 test controller (test/ui/notebook-controller, installed beside
// ExpTrack) becomes a notebook run with its cells and metrics.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { sampleWorkspace, useWorkbench, type Workbench } from '../support/workbench';
import { describeWithFixtures, FIXTURES, fixturesPresent } from '../support/fixtures';

const CONTROLLER_EXTENSION = path.join(__dirname, 'notebook-controller');

/** The sample workspace plus an MLflow store, TensorBoard logs and a notebook not run yet. */
function importWorkspace(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exptrack-import-ui-'));
  fs.cpSync(sampleWorkspace, dir, { recursive: true });
  fs.cpSync(path.join(FIXTURES, 'mlflow/mlflow1x_keras_autolog/mlruns'), path.join(dir, 'mlruns'), { recursive: true });
  fs.cpSync(path.join(FIXTURES, 'tensorboard/keras_tf2_tensor_scalars'), path.join(dir, 'logs'), { recursive: true });
  const cells = [
    'for e in range(1, 4):\n    print(f"Epoch {e}/3")\n    print(f"20/20 - loss: {0.9 / e:.4f} - accuracy: {0.5 + e / 10:.2f}")',
    'print("val_loss: 0.125")',
  ];
  fs.mkdirSync(path.join(dir, 'notebooks'));
  fs.writeFileSync(path.join(dir, 'notebooks', 'analysis.ipynb'), JSON.stringify({
    nbformat: 4, nbformat_minor: 5, metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
    cells: cells.map((source, i) => ({ cell_type: 'code', id: `c${i}`, execution_count: null, metadata: {}, outputs: [], source })),
  }, null, 1));
  return dir;
}

/** The labels (without descriptions) of the rows the Runs view shows. */
function runLabels(wb: Workbench): Promise<string[]> {
  return wb.viewBody('Runs').locator('.monaco-list-row .label-name').allInnerTexts();
}

/** Waits until the Runs view shows a row containing `text`; returns every row's text. */
async function waitForRow(wb: Workbench, text: string, timeoutMs = 30_000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = await wb.treeRows('Runs');
    if (rows.some((r) => r.includes(text))) return rows;
    if (Date.now() > deadline) throw new Error(`no row with "${text}" in the Runs view: ${JSON.stringify(rows)}`);
    await wb.page.waitForTimeout(250);
  }
}

describeWithFixtures('importing runs and recording notebooks', function () {
  this.timeout(180_000);
  const workspace = fixturesPresent ? importWorkspace() : ''; // without fixtures the tests are only listed
  // The controller extension is installed beside ExpTrack: the web workbench loads one development extension only.
  const wb = useWorkbench({ workspace, installExtensions: [CONTROLLER_EXTENSION], settings: { 'exptrack.codeLens': false } });
  after(() => fs.rmSync(workspace, { recursive: true, force: true }));

  it('lists the MLflow and TensorBoard runs of the workspace', async () => {
    await wb().openExperiments();
    await wb().waitForViewContent('Runs');
    const rows = await waitForRow(wb(), 'tb_logs_at_2022-09-27-09-01-18');
    const labels = await runLabels(wb());
    // Experiments (with their run counts), then their runs: MLflow's `exp001` (failed, val_loss),
    // and the TensorBoard train/validation pair as one run under its folder.
    for (const label of ['exp001', 'logs', 'tb_logs_at_2022-09-27-09-01-18']) assert.ok(labels.includes(label), `${label} in ${JSON.stringify(rows)}`);
    assert.ok(rows.some((r) => r.startsWith('exp001') && r.includes('val_loss=0.1184')), `the MLflow run with its key metric: ${JSON.stringify(rows)}`);
    assert.ok(rows.some((r) => r.startsWith('tb_logs_at') && r.includes('accuracy')), `the TensorBoard run with its key metric: ${JSON.stringify(rows)}`);
    await wb().screenshot('import-mlflow-tensorboard-runs');
  });

  it('records a notebook executed in the workbench as a run with its cells and metrics', async () => {
    const { page } = wb();
    await wb().openFile('notebooks/analysis.ipynb');
    await page.locator('.notebook-editor >> visible=true').first().waitFor({ timeout: 30_000 });
    // The test controller is picked without a prompt (the toolbar names it); run every cell as a person would.
    await page.locator('.notebook-toolbar-container', { hasText: 'Python 3 (ExpTrack test)' }).first().waitFor({ timeout: 30_000 });
    await page.locator('.notebook-toolbar-container >> visible=true').getByText('Run All', { exact: true }).first().click();
    // The run appears as the cells finish (outputs render in a webview, so the tree is what is watched).
    await wb().openExperiments();
    const rows = await waitForRow(wb(), 'val_loss=0.125', 60_000);
    await wb().screenshot('import-notebook-executed');
    assert.ok(rows.some((r) => r.startsWith('notebooks')), `the notebook's folder as its experiment: ${JSON.stringify(rows)}`);
    assert.ok(rows.some((r) => r.startsWith('analysis.ipynb') && r.includes('val_loss=0.125')), `the run with its key metric: ${JSON.stringify(rows)}`);

    // Its metrics, in the tree: select the run, expand it, then its Metrics group, from the keyboard.
    const runsView = wb().viewBody('Runs');
    await runsView.locator('.monaco-list-row .label-name', { hasText: 'analysis.ipynb' }).first().click();
    await page.keyboard.press('ArrowRight');
    await runsView.locator('.monaco-list-row .label-name', { hasText: 'Metrics' }).first().waitFor();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowRight');
    await runsView.locator('.monaco-list-row .label-name', { hasText: 'accuracy' }).first().waitFor();
    // Down to the last metric, so the small view scrolls it into sight.
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown');
    const deadline = Date.now() + 10_000;
    let labels = await runLabels(wb());
    while (!labels.includes('val_loss') && Date.now() < deadline) {
      await page.waitForTimeout(200);
      labels = await runLabels(wb());
    }
    for (const metric of ['accuracy', 'loss', 'val_loss']) assert.ok(labels.includes(metric), `${metric} in ${JSON.stringify(labels)}`);
    const metricRows = await wb().treeRows('Runs');
    assert.ok(metricRows.some((r) => r.startsWith('loss') && r.includes('0.3 @3')), `loss 0.3 at epoch 3: ${JSON.stringify(metricRows)}`);
    await wb().screenshot('import-notebook-run-metrics');

    // The cells were snapshotted into the run's folder, and the notebook is listed as recorded.
    const map = JSON.parse(fs.readFileSync(path.join(wb().workspace, '.exptrack', 'notebook-runs.json'), 'utf8')) as Record<string, string>;
    const runId = map[path.join(wb().workspace, 'notebooks', 'analysis.ipynb')];
    assert.ok(runId, `the notebook's run in ${JSON.stringify(map)}`);
    const cells = fs.readdirSync(path.join(wb().workspace, '.exptrack', 'runs', runId, 'cells')).sort();
    assert.deepEqual(cells, ['1.json', '2.json']);
    const second = JSON.parse(fs.readFileSync(path.join(wb().workspace, '.exptrack', 'runs', runId, 'cells', '2.json'), 'utf8'));
    assert.deepEqual([second.source, second.outputs], ['print("val_loss: 0.125")', [{ type: 'stream', name: 'stdout', text: 'val_loss: 0.125\n' }]]);
  });
});
