// The Runs table with 10,000 runs in the real workbench: only the rows in view are drawn, it
// scrolls to the last run, sorts by a metric both ways, groups by experiment, filters in MLflow's
// syntax (and marks a wrong token), pins a run, adds a column, and rows ticked in it appear in the
// Compare view. The Runs view's own filter is set from its title bar and cleared.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { FrameLocator } from 'playwright-core';
import { answer, sampleWorkspace, useWorkbench, watchPage, type Workbench } from '../support/workbench';

const RUNS = 10_000;
const OPTIMIZERS = ['adam', 'sgd', 'rmsprop'];
/** A loss that is different for every run: 7919 is prime to 10,000, so i ↦ 7919·i mod 10,000 is a permutation. */
const lossOf = (i: number) => ((i * 7919) % RUNS) / RUNS;
/** Run 1's name: text from a run file, to be shown as text. */
const XSS_NAME = '<img src=x onerror=alert(1)>';
const id = (i: number) => `run-${String(i).padStart(5, '0')}`;

/** 10,000 small runs written directly (a second or two): a parameter line, two metric steps, an end. */
function workspaceWithManyRuns(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exptrack-table-fixture-'));
  fs.cpSync(sampleWorkspace, dir, { recursive: true });
  for (let i = 0; i < RUNS; i++) {
    const runDir = path.join(dir, '.exptrack', 'runs', id(i));
    fs.mkdirSync(runDir, { recursive: true });
    const started = 1_732_000_000 + i * 10;
    fs.writeFileSync(path.join(runDir, 'events.jsonl'), [
      { t: 'run', v: 1, id: id(i), name: i === 1 ? XSS_NAME : `sweep-${i}`, experiment: `exp${i % 5}`, started },
      { t: 'params', values: { optimizer: OPTIMIZERS[i % 3], lr: 0.001 * ((i % 10) + 1), seed: i } },
      { t: 'metrics', step: 0, time: started + 1, values: { val_loss: lossOf(i) + 1, acc: 0.1 } },
      { t: 'metrics', step: 1, time: started + 2, values: { val_loss: lossOf(i), acc: 1 - lossOf(i) } },
      { t: 'end', status: 'finished', exit: 0, ended: started + 5 },
    ].map((e) => JSON.stringify(e)).join('\n') + '\n');
  }
  return dir;
}

const table = (wb: Workbench) => wb.findWebview('#filter', 60_000);

async function summary(frame: FrameLocator): Promise<string> {
  return (await frame.locator('#summary').innerText()).trim();
}

/** The uids of the run lines drawn, top to bottom. */
async function drawnUids(frame: FrameLocator): Promise<string[]> {
  return frame.locator('.line:not([hidden])').evaluateAll((lines) => lines
    .map((l) => ({
      uid: l.getAttribute('data-uid') ?? '',
      y: Number(/translateY\((-?[\d.]+)px\)/.exec((l as unknown as { style: { transform: string } }).style.transform)?.[1] ?? 0),
    }))
    .filter((l) => l.uid)
    .sort((a, b) => a.y - b.y)
    .map((l) => l.uid));
}

async function waitForSummary(frame: FrameLocator, text: string | RegExp): Promise<void> {
  const locator = frame.locator('#summary', { hasText: text });
  await locator.waitFor({ timeout: 60_000 });
}

async function filter(frame: FrameLocator, text: string): Promise<void> {
  const input = frame.locator('#filter input');
  await input.fill(text);
  await input.press('Enter');
}

describe('Runs table with 10,000 runs', function () {
  this.timeout(300_000);
  const fixture = workspaceWithManyRuns();
  const wb = useWorkbench({ workspace: fixture });
  let seen: ReturnType<typeof watchPage>;

  before(function () {
    seen = watchPage(wb().page);
  });
  after(() => fs.rmSync(fixture, { recursive: true, force: true }));
  afterEach(() => {
    assert.deepStrictEqual(seen.dialogs, [], 'no dialog opened');
    assert.deepStrictEqual(seen.errors, [], 'no errors from the webviews');
  });

  it('opens from the Runs view title with every run, drawing only the rows in view', async () => {
    const w = wb();
    await w.openExperiments();
    await w.viewHeader('Runs').hover();
    await w.viewHeader('Runs').locator('.action-item a[aria-label="Open Runs Table"]').click({ timeout: 180_000 });
    const t = await table(w);
    await waitForSummary(t, '10,000 runs');
    assert.strictEqual(await t.locator('.grid').getAttribute('aria-rowcount'), String(RUNS + 1));
    const drawn = await t.locator('.line:not([hidden])').count();
    assert.ok(drawn > 10 && drawn < 100, `${drawn} lines drawn for 10,000 runs`);
    assert.deepStrictEqual((await drawnUids(t)).slice(0, 2), [id(RUNS - 1), id(RUNS - 2)], 'newest first');
    await w.screenshot('runs-table-10000');
  });

  it('scrolls to the last run and back', async () => {
    const t = await table(wb());
    await t.locator('.grid').evaluate((g) => (g.scrollTop = g.scrollHeight));
    await t.locator(`.line[data-uid="${id(0)}"]`).waitFor();
    assert.strictEqual((await drawnUids(t)).at(-1), id(0), 'the oldest run is last');
    await t.locator('.grid').evaluate((g) => (g.scrollTop = 0));
    await t.locator(`.line[data-uid="${id(RUNS - 1)}"]`).waitFor();
  });

  it('sorts by a metric column, ascending then descending', async () => {
    const t = await table(wb());
    const header = t.locator('.header-cell[data-field="metric:last:val_loss"]');
    await header.click();
    await t.locator('.header-cell[data-field="metric:last:val_loss"][aria-sort="ascending"]').waitFor();
    const inverse = Array.from({ length: RUNS }, (_, i) => i).find((i) => (i * 7919) % RUNS === 1)!;
    await t.locator(`.line[data-uid="${id(0)}"]`).waitFor();
    assert.deepStrictEqual((await drawnUids(t)).slice(0, 2), [id(0), id(inverse)], 'loss 0, then 0.0001');
    await header.click();
    await t.locator('.header-cell[data-field="metric:last:val_loss"][aria-sort="descending"]').waitFor();
    const worst = Array.from({ length: RUNS }, (_, i) => i).find((i) => (i * 7919) % RUNS === RUNS - 1)!;
    await t.locator(`.line[data-uid="${id(worst)}"]`).waitFor();
    assert.strictEqual((await drawnUids(t))[0], id(worst));
    await wb().screenshot('runs-table-sorted');
  });

  it('groups by experiment, with a header and count per group that collapses', async () => {
    const t = await table(wb());
    await t.locator('#group-by').click();
    await t.locator('#group-by li', { hasText: 'Experiment' }).first().click();
    const first = t.locator('.line[data-group="exp0"]');
    await first.waitFor();
    assert.match(await first.innerText(), /exp0\s+2,000 runs/);
    await first.locator('.group-toggle').click();
    await t.locator('.line[data-group="exp1"]').waitFor();
    assert.match(await t.locator('.line[data-group="exp0"] .group-toggle').getAttribute('aria-expanded') ?? '', /false/);
    await wb().screenshot('runs-table-grouped');
    await t.locator('#group-by').click();
    await t.locator('#group-by li', { hasText: 'None' }).first().click();
    await t.locator('.line[data-group]').first().waitFor({ state: 'detached' }).catch(() => undefined);
  });

  it('filters with the search syntax, and marks the token of a wrong filter', async () => {
    const t = await table(wb());
    await filter(t, "metrics.val_loss < 0.3 and params.optimizer = 'adam' and tags.none IS NULL");
    const expected = Array.from({ length: RUNS }, (_, i) => i).filter((i) => lossOf(i) < 0.3 && i % 3 === 0).length;
    await waitForSummary(t, `${expected.toLocaleString('en-US')} of 10,000 runs match`);
    await filter(t, "metrics.val_loss < 0.3 and params.optimizer = adam");
    const problem = t.locator('#filter-problem');
    await problem.locator('mark.problem-token').waitFor();
    assert.strictEqual(await problem.locator('mark.problem-token').innerText(), 'adam');
    assert.match(await problem.innerText(), /Column 47: expected a number or a quoted string/);
    assert.match(await summary(t), new RegExp(`^${expected.toLocaleString('en-US')} of 10,000`), 'the last good rows stay');
    await wb().screenshot('runs-table-filter-error');
    await filter(t, "run_name LIKE '<img%'");
    await waitForSummary(t, '1 of 10,000 runs match');
    assert.strictEqual(await t.locator(`.line[data-uid="${id(1)}"] .name-text`).innerText(), XSS_NAME, 'a run name is shown as text');
    assert.strictEqual(await t.locator('.grid img').count(), 0);
    await filter(t, "params.optimizer = 'adam' and metrics.val_loss < 0.01");
    await problem.waitFor({ state: 'hidden' });
    const few = Array.from({ length: RUNS }, (_, i) => i).filter((i) => lossOf(i) < 0.01 && i % 3 === 0).length;
    await waitForSummary(t, `${few} of 10,000 runs match`);
  });

  it('pins a run above the others, and adds a column through the column chooser', async () => {
    const w = wb();
    const t = await table(w);
    const target = (await drawnUids(t))[2]!;
    await t.locator(`.line[data-uid="${target}"] button.pin`).click();
    await t.locator(`.line.pinned[data-uid="${target}"]`).waitFor();
    assert.strictEqual((await drawnUids(t))[0], target);
    // The chooser is a multi-select quick pick: find the metric's row, tick it, accept.
    await t.locator('#choose-columns').click();
    const widget = w.page.locator('.quick-input-widget');
    await widget.locator('.quick-input-title', { hasText: 'Runs Table Columns' }).waitFor();
    await widget.locator('input[type="text"]').fill('acc');
    const row = widget.locator('.quick-input-list .monaco-list-row').filter({ has: w.page.locator('.label-name', { hasText: /^acc \(max\)$/ }) }).first();
    await row.click(); // a click on a row of a multi-select quick pick ticks it
    await widget.locator('.quick-input-count', { hasText: '9 Selected' }).waitFor();
    await w.page.keyboard.press('Enter');
    await widget.waitFor({ state: 'hidden' });
    await t.locator('.header-cell[data-field="metric:max:acc"]').waitFor();
    assert.ok(Number(await t.locator(`.line[data-uid="${target}"] .cell`).count()) > 5, 'the new column has cells');
    await t.locator(`.line.pinned[data-uid="${target}"] button.pin`).click();
    await t.locator(`.line.pinned[data-uid="${target}"]`).waitFor({ state: 'detached' });
  });

  it('ticks rows that appear in the Compare view', async () => {
    const w = wb();
    const t = await table(w);
    const [first, second] = await drawnUids(t);
    for (const uid of [first!, second!]) await t.locator(`.line[data-uid="${uid}"] input.tick`).check();
    await waitForSummary(t, '2 ticked');
    for (const name of ['Models', 'Datasets']) {
      const header = w.viewHeader(name);
      if ((await header.getAttribute('aria-expanded')) === 'true') await header.click();
    }
    const view = await w.findWebview('ul.runs', 60_000);
    await view.locator(`li.run[data-uid="${second}"]`).waitFor({ timeout: 60_000 });
    const shown = await view.locator('li.run').evaluateAll((lis) => lis.map((l) => l.getAttribute('data-uid')));
    assert.deepStrictEqual(shown, [first, second]);
    await w.screenshot('runs-table-ticked-in-compare');
    await t.locator(`.line[data-uid="${first}"] input.tick`).uncheck();
    await view.locator(`li.run[data-uid="${first}"]`).waitFor({ state: 'detached' });
  });

  it('filters the Runs view from its title bar, shows the filter, and clears it', async () => {
    const w = wb();
    const header = w.viewHeader('Runs');
    await header.hover();
    await header.locator('.action-item a[aria-label="Filter Runs…"]').click();
    const widget = w.page.locator('.quick-input-widget');
    await widget.locator('.quick-input-title', { hasText: 'Filter Runs' }).waitFor();
    await widget.locator('input[type="text"]').fill('metrics.val_loss <');
    await widget.locator('.quick-input-message', { hasText: /Column 19/ }).waitFor();
    await answer(w.page, 'Filter Runs', 'metrics.val_loss < 0.0003');
    const matching = Array.from({ length: RUNS }, (_, i) => i).filter((i) => lossOf(i) < 0.0003);
    await w.viewBody('Runs').locator('.monaco-list-row', { hasText: `sweep-${matching[0]}` }).first().waitFor({ timeout: 30_000 });
    await w.page.locator('.sidebar .pane-header[aria-label^="Runs "]', { hasText: 'filter: metrics.val_loss < 0.0003' }).waitFor();
    await w.viewBody('Runs').locator('.tree-explorer-viewlet-tree-view .message', { hasText: `Filtered: ${matching.length} of 10,000 runs match` }).waitFor();
    await w.screenshot('runs-view-filtered');
    await header.hover();
    await header.locator('.action-item a[aria-label="Clear Runs Filter"]').click();
    await w.page.locator('.sidebar .pane-header[aria-label^="Runs "]', { hasText: 'filter:' }).waitFor({ state: 'detached' });
  });
});
