// Studies in the real workbench: an Optuna journal growing in the workspace shows its studies in
// the Runs view (counts per state, the best trial starred) and they follow the file as it grows;
// the Sweep panel opened from a study's inline action draws the objective over trials, parameter
// importance, parallel coordinates, slices and intermediate values, with the best trial named;
// the Runs table groups trials by study;
// a three-objective SQLite study shows its Pareto front.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { FrameLocator } from 'playwright-core';
import { FIXTURES, describeWithFixtures } from '../support/fixtures';
import { sampleWorkspace, useWorkbench, watchPage, type Workbench } from '../support/workbench';

const JOURNAL = path.join(FIXTURES, 'sweeps/optuna/journal_4studies_ga_cnn/optuna_journal_weights_ga.log');
const DATABASE = path.join(FIXTURES, 'sweeps/optuna/sqlite_nsga2_3objectives/optuna_study.db');
/** The journal's first lines: cnn_optimization_ga has 7 complete trials and 1 failed so far, cnn_optimization_random none. */
const FIRST_LINES = 2200;

function workspaceWithStudies(): { dir: string; rest: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exptrack-sweeps-ui-'));
  fs.cpSync(sampleWorkspace, dir, { recursive: true });
  const lines = fs.readFileSync(JOURNAL, 'utf8').split('\n');
  fs.mkdirSync(path.join(dir, 'tuning'));
  fs.writeFileSync(path.join(dir, 'tuning', 'optuna_journal.log'), lines.slice(0, FIRST_LINES).join('\n') + '\n');
  fs.copyFileSync(DATABASE, path.join(dir, 'tuning', 'optuna_study.db'));
  return { dir, rest: lines.slice(FIRST_LINES).join('\n') };
}

function studyRow(w: Workbench, name: string) {
  return w.viewBody('Runs').locator('.monaco-list-row', { hasText: name }).first();
}

async function openSweep(w: Workbench, name: string): Promise<FrameLocator> {
  const row = studyRow(w, name);
  await row.hover();
  await row.locator('.action-item a[aria-label="Open Sweep"]').click();
  const frame = await w.findWebview('.study-name', 60_000);
  await frame.locator('.study-name', { hasText: name }).waitFor({ timeout: 60_000 });
  return frame;
}

async function points(frame: FrameLocator, chart: string): Promise<number> {
  const el = frame.locator(`[data-chart="${chart}"]`).first();
  await el.waitFor({ timeout: 30_000 });
  return Number(await el.getAttribute('data-points'));
}

describeWithFixtures('Sweeps in the workbench', function () {
  this.timeout(300_000);
  let fixture: ReturnType<typeof workspaceWithStudies>;
  const wb = useWorkbench({ workspace: (fixture = workspaceWithStudies()).dir });
  let seen: ReturnType<typeof watchPage>;

  before(function () {
    seen = watchPage(wb().page);
  });
  after(() => fs.rmSync(fixture.dir, { recursive: true, force: true }));
  afterEach(() => {
    assert.deepStrictEqual(seen.dialogs, [], 'no dialog opened');
    assert.deepStrictEqual(seen.errors, [], 'no errors from the webviews');
  });

  it('shows the studies of a journal in the Runs view, and follows the journal as it grows', async () => {
    const w = wb();
    await w.openExperiments();
    await w.collapseViews('Compare', 'Models', 'Datasets');
    const ga = studyRow(w, 'cnn_optimization_ga');
    await ga.waitFor({ timeout: 180_000 });
    await w.viewBody('Runs').locator('.monaco-list-row', { hasText: /cnn_optimization_ga\s*7 complete · 1 failed · best #7/ }).waitFor({ timeout: 60_000 });
    assert.strictEqual(await studyRow(w, 'cnn_optimization_random').count(), 0, 'a study not yet in the journal');
    await w.screenshot('sweeps-runs-view-partial');

    fs.appendFileSync(path.join(w.workspace, 'tuning', 'optuna_journal.log'), fixture.rest);
    await w.viewBody('Runs').locator('.monaco-list-row', { hasText: /cnn_optimization_ga\s*10 complete · 2 failed · best #10/ }).waitFor({ timeout: 60_000 });
    await studyRow(w, 'cnn_optimization_random').waitFor({ timeout: 60_000 });
  });

  it('expands a study into its trials, the best one starred', async () => {
    const w = wb();
    await w.collapseViews('Compare', 'Models', 'Datasets');
    await studyRow(w, 'cnn_optimization_ga').click();
    const best = w.viewBody('Runs').locator('.monaco-list-row', { hasText: /#10\b.*★ best/ }).first();
    await best.waitFor({ timeout: 30_000 });
    assert.match(await best.innerText(), /value=0\.505/);
    await w.viewBody('Runs').locator('.monaco-list-row', { hasText: /#\d+.*failed/ }).first().waitFor();
    await w.screenshot('sweeps-trials');
    await studyRow(w, 'cnn_optimization_ga').click();
  });

  it('groups the Runs table by study, each group with its counts and best trial, the trial starred', async () => {
    const w = wb();
    await w.viewHeader('Runs').hover();
    await w.viewHeader('Runs').locator('.action-item a[aria-label="Open Runs Table"]').click();
    const t = await w.findWebview('#filter', 60_000);
    await t.locator('#group-by').click();
    await t.locator('#group-by li', { hasText: 'Study (sweep)' }).first().click();
    const header = t.locator('.line[data-group^="cnn_optimization_ga "]');
    await header.waitFor({ timeout: 60_000 });
    assert.match(await header.innerText(), /cnn_optimization_ga · 10 complete · 2 failed · best #10 value=0\.505\s+12 runs/);
    // Its best trial's row carries the star (rows follow their header, so #10 is drawn with it).
    const star = t.locator('.line[data-uid] .best-trial:visible');
    await star.first().waitFor();
    assert.strictEqual(await star.first().getAttribute('title'), "The study's best trial");
    await w.screenshot('runs-table-by-study');
    await t.locator('#group-by').click();
    await t.locator('#group-by li', { hasText: 'None' }).first().click();
    await t.locator('.line[data-group]').first().waitFor({ state: 'detached' });
    await w.runCommand('View: Close Editor');
  });

  it('opens the Sweep panel of a study with its charts drawn and its best trial named', async () => {
    const w = wb();
    const frame = await openSweep(w, 'ga_configuration_optimization');
    await frame.locator('.counts', { hasText: '157 trials: 58 complete · 98 pruned · 1 failed' }).waitFor();
    assert.match(await frame.locator('.best-line').innerText(), /^Best: #112 .*value 0\.3309/);
    assert.strictEqual(await frame.locator('body').getAttribute('data-best'), '112');
    assert.strictEqual(await points(frame, 'history'), 156, 'every trial with a value: 58 complete and 98 pruned (their last report)');
    assert.strictEqual(await points(frame, 'importance'), 10, 'one bar per parameter');
    assert.strictEqual(await points(frame, 'slices'), 10, 'one slice per parameter');
    assert.strictEqual(await frame.locator('[data-lines]').first().getAttribute('data-lines'), '58', 'one line per complete trial');
    await frame.locator('[data-chart="curves"][data-points]:not([data-points="0"])').waitFor({ timeout: 30_000 });
    assert.ok(await frame.locator('section[aria-labelledby="pareto-title"]').isHidden(), 'no Pareto front for one objective');
    await w.screenshot('sweep-panel');
  });

  it('shows the Pareto front of a study with three objectives', async () => {
    const w = wb();
    const frame = await openSweep(w, 'stock_lstm_optuna');
    await frame.locator('.counts', { hasText: '125 trials: 122 complete · 3 failed' }).waitFor();
    assert.strictEqual(await frame.locator('.best-line').innerText(), 'Pareto front: #105');
    const pareto = frame.locator('[data-chart="pareto"]');
    await pareto.waitFor();
    assert.strictEqual(await pareto.getAttribute('data-front'), '1');
    assert.strictEqual(await points(frame, 'pareto'), 122);
    await w.screenshot('sweep-panel-pareto');
  });
});
