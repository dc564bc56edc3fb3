// The schema diff in the real workbench: "ExpTrack: Diff Dataset Schemas" from the palette on the
// penguin data (labelled vs unlabelled: species removed), the Schema Diff panel's summary, table,
// changed-only filter and column detail with the two histograms, the finding in the Problems panel,
// and from the Explorer's context menu on two selected files whose header holds an XSS payload,
// which must show as text. Any alert() or dialog fails the suite.
import * as assert from 'assert';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { repoRoot } from '../support/vscode-host.mjs';
import { answer, startCommand, useWorkbench, type Workbench } from '../support/workbench';
import { describeWithFixtures, FIXTURES, fixturesPresent } from '../support/fixtures';

const PENGUIN = path.join(FIXTURES, 'tfx/tfx/examples/penguin/data');
const XSS = '<img src=x onerror=alert(1)>';
const quickInput = '.quick-input-widget';

/** A workspace with the two penguin files and two small files whose header holds an XSS payload. */
function schemaDiffWorkspace(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exptrack-ui-schema-diff-'));
  fs.mkdirSync(path.join(dir, 'data'));
  fs.writeFileSync(path.join(dir, 'README.md'), '# Schema diff fixture\n');
  fs.copyFileSync(path.join(PENGUIN, 'labelled/penguins_processed.csv'), path.join(dir, 'data/penguins_processed.csv'));
  fs.copyFileSync(path.join(PENGUIN, 'unlabelled/penguins_unlabelled.csv'), path.join(dir, 'data/penguins_unlabelled.csv'));
  fs.writeFileSync(path.join(dir, 'data/xss_before.csv'), 'id,name\n1,a\n2,b\n3,c\n');
  // Numbers under the new name, so the pair is not taken for a rename.
  fs.writeFileSync(path.join(dir, 'data/xss_after.csv'), `id,${XSS}\n1,10\n2,20\n3,30\n`);
  const old = new Date(Date.now() - 3_600_000);
  fs.utimesSync(path.join(dir, 'data/xss_before.csv'), old, old);
  // Two runs that recorded the dataset they read, for the Datasets view.
  const run = (id: string, started: number, file: string, role: string) => {
    fs.mkdirSync(path.join(dir, '.exptrack/runs', id), { recursive: true });
    const bytes = fs.readFileSync(path.join(dir, file));
    const lines = [
      { t: 'run', v: 1, id, name: id, experiment: 'penguins', started },
      { t: 'dataset', path: file, role, sha256: sha256(bytes), rows: bytes.toString('utf8').trim().split('\n').length - 1, bytes: bytes.length },
      { t: 'end', status: 'finished', exit: 0, ended: started + 60 },
    ];
    fs.writeFileSync(path.join(dir, '.exptrack/runs', id, 'events.jsonl'), `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
  };
  run('train-labelled', 1_732_240_000, 'data/penguins_processed.csv', 'train');
  run('score-unlabelled', 1_732_250_000, 'data/penguins_unlabelled.csv', 'eval');
  return dir;
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Picks a context-menu entry. A click that lands while the menu is still opening can be ignored by
 * the workbench (it guards against the right-click's own mouse-up); the keyboard then picks it.
 */
async function chooseMenuItem(page: Page, item: Locator): Promise<void> {
  await item.click();
  const closed = await item.waitFor({ state: 'hidden', timeout: 2000 }).then(() => true, () => false);
  if (closed) return;
  await item.hover();
  await page.keyboard.press('Enter');
  await item.waitFor({ state: 'hidden', timeout: 5000 });
}

const panel = (wb: Workbench) => wb.findWebview('.schema-diff table.columns', 60_000);

async function rowTexts(frame: FrameLocator): Promise<string[]> {
  return (await frame.locator('table.columns tbody tr').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
}

describeWithFixtures('Schema diff in the workbench', function () {
  this.timeout(180_000);
  const fixture = fixturesPresent ? schemaDiffWorkspace() : ''; // without fixtures the tests are only listed
  // A diff of big.csv is held until the test cancels it, so Cancel always meets finished work.
  const wb = useWorkbench({ workspace: fixture, readyFile: 'README.md', env: { EXPTRACK_TEST_HOLD_DIFF: 'big.csv' } });
  const dialogs: string[] = [];
  const webviewErrors: string[] = [];

  before(() => {
    const page = wb().page;
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    page.on('console', (m) => {
      const url = m.location().url;
      if (m.type() === 'error' && (url.includes('extensionId=exptrack.exptrack') || /Content Security Policy/i.test(m.text()))) webviewErrors.push(`${m.text()} @ ${url}`);
    });
  });
  after(() => fs.rmSync(fixture, { recursive: true, force: true }));
  afterEach(() => {
    assert.deepStrictEqual(dialogs, [], 'no dialog opened (an alert would be script from a file)');
  });

  it('diffs two files picked through the command palette', async () => {
    const { page } = wb();
    const title = 'Diff Dataset Schemas';
    await startCommand(page, `ExpTrack: ${title}`);
    await answer(page, `${title} — what to compare`, 'Two files', 'Two files');
    await answer(page, `${title} — first file (baseline)`, 'penguins_processed', 'penguins_processed.csv');
    await page.locator(quickInput).locator('.quick-input-title', { hasText: `${title} — second file (newer)` }).waitFor();
    await wb().screenshot('schema-diff-1-pick-second-file');
    await answer(page, `${title} — second file (newer)`, 'penguins_unlabelled', 'penguins_unlabelled.csv');

    const frame = await panel(wb());
    await frame.locator('tr.column-row[data-column="species"]').waitFor();
    const summary = (await frame.locator('.summary').innerText()).replace(/\s+/g, ' ');
    assert.match(summary, /1 error, 9 warnings, 4 info — 5 columns: 4 changed, 1 removed — rows 334 → 10/);
    const species = (await frame.locator('tr.column-row[data-column="species"]').innerText()).replace(/\s+/g, ' ');
    assert.match(species, /removed/);
    assert.match(species, /int → —/);
    assert.match(species, /SCHEMA_MISSING_COLUMN/);
    assert.deepStrictEqual((await frame.locator('.side-title, .side button.link').allInnerTexts()), ['data/penguins_processed.csv', 'data/penguins_unlabelled.csv']);
    // The worst column is chosen first: its detail names the finding.
    await frame.locator('.detail .column-name', { hasText: 'species' }).waitFor();
    assert.match(await frame.locator('.detail .findings').innerText(), /Column missing[\s\S]*column missing from B \(was int in A\)/);
    await wb().screenshot('schema-diff-2-panel');
  });

  it('shows a column with both histograms overlaid', async () => {
    const frame = await panel(wb());
    await frame.locator('tr.column-row[data-column="culmen_length_mm"]').click();
    await frame.locator('.detail .column-name', { hasText: 'culmen_length_mm' }).waitFor();
    assert.match(await frame.locator('.detail .drift-figures').innerText(), /JS 0\.351 > 0\.1/);
    const canvas = frame.locator('.detail .chart-box canvas');
    await canvas.waitFor();
    // chart.js has drawn when the canvas has a size and pixels that are not all transparent.
    const drawn = await canvas.evaluate((c) => {
      const el = c as unknown as { width: number; height: number; getContext(k: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } };
      const data = el.getContext('2d').getImageData(0, 0, el.width, el.height).data;
      let painted = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) painted++;
      return { width: el.width, height: el.height, painted };
    });
    assert.ok(drawn.width > 100 && drawn.height > 100 && drawn.painted > 1000, `the chart is drawn: ${JSON.stringify(drawn)}`);
    const stats = (await frame.locator('.detail table.stats').innerText()).replace(/\s+/g, ' ');
    assert.match(stats, /A data\/penguins_processed\.csv B data\/penguins_unlabelled\.csv/);
    assert.match(stats, /distinct 163 10/);
    // Arrow keys move the selection through the table.
    await wb().page.keyboard.press('ArrowDown');
    await frame.locator('.detail .column-name', { hasText: 'flipper_length_mm' }).waitFor();
    await frame.locator('tr.column-row[data-column="culmen_length_mm"]').click();
    await frame.locator('.detail .chart-box canvas').scrollIntoViewIfNeeded();
    await wb().screenshot('schema-diff-3-column-detail');
  });

  it('puts the findings in the Problems panel on the newer file', async () => {
    const { page } = wb();
    await page.keyboard.press('Control+Shift+M');
    const markers = page.locator('.markers-panel .monaco-list-row');
    const missing = markers.filter({ hasText: 'species: column missing from B (was int in A)' });
    await missing.first().waitFor({ timeout: 20_000 });
    const all = (await markers.allInnerTexts()).join('\n');
    assert.match(all, /penguins_unlabelled\.csv/);
    assert.match(all, /SCHEMA_MISSING_COLUMN/);
    assert.ok(!/penguins_processed\.csv/.test(all), 'nothing on the older file');
    await wb().screenshot('schema-diff-4-problems');
  });

  it('diffs two files selected in the Explorer; a column name with HTML stays text', async () => {
    const { page } = wb();
    await page.keyboard.press('Control+Shift+E');
    const dataFolder = wb().explorerRow('data');
    await dataFolder.waitFor();
    if ((await dataFolder.getAttribute('aria-expanded')) !== 'true') await dataFolder.click();
    await wb().explorerRow('xss_after.csv').click();
    await wb().explorerRow('xss_before.csv').click({ modifiers: ['Control'] });
    await wb().explorerRow('xss_before.csv').click({ button: 'right' });
    const item = page.locator('.context-view .monaco-menu .action-item', { hasText: 'Diff Dataset Schemas' });
    await item.waitFor({ timeout: 10_000 });
    await wb().screenshot('schema-diff-5-explorer-menu');
    await chooseMenuItem(page, item);

    const frame = await wb().findWebview('.schema-diff tr.column-row[data-column="id"]', 60_000);
    const xssRow = frame.locator('tr.column-row', { hasText: 'added' });
    await xssRow.waitFor();
    assert.strictEqual(await xssRow.locator('td.column-name').textContent(), XSS, 'the name is shown as written');
    assert.strictEqual(await frame.locator('img').count(), 0, 'no element was made from the name');
    assert.deepStrictEqual((await frame.locator('.side button.link').allInnerTexts()), ['data/xss_before.csv', 'data/xss_after.csv'], 'the older file is the baseline');
    assert.strictEqual((await rowTexts(frame)).length, 3);

    // Changed columns only: `id` is the same on both sides.
    await frame.locator('#changed-only').click();
    await page.waitForTimeout(200);
    const changed = await rowTexts(frame);
    assert.deepStrictEqual(changed.map((r) => r.split(' ')[0]), ['added', 'removed'], JSON.stringify(changed));
    assert.match(await frame.locator('.shown-count').innerText(), /2 of 3 columns/);
    await wb().screenshot('schema-diff-6-xss-as-text');

    // Hidden and shown again, the page is rebuilt from the host's snapshot and keeps the filter.
    await wb().openFile('README.md');
    await page.locator('.tabs-container .tab', { hasText: 'Schema Diff' }).click();
    const again = await wb().findWebview('.schema-diff tr.column-row', 30_000);
    assert.deepStrictEqual((await rowTexts(again)).map((r) => r.split(' ')[0]), ['added', 'removed']);
    assert.strictEqual(await again.locator('td.column-name', { hasText: 'onerror' }).textContent(), XSS);
    await again.locator('#changed-only').click();
    assert.deepStrictEqual(webviewErrors, [], 'no CSP violation or script error in the panel');
  });

  it('exports the diff as Markdown from the panel', async () => {
    const { page } = wb();
    const frame = await panel(wb());
    await frame.locator('vscode-button', { hasText: 'Export Markdown' }).click();
    // The workbench's own save dialog (a quick input holding the proposed path).
    const input = page.locator(`${quickInput} input[type="text"]`);
    await input.waitFor({ timeout: 20_000 });
    // The dialog fills in the proposed path a moment after it opens.
    const deadline = Date.now() + 10_000;
    while (!/schema-diff-xss_before-vs-xss_after\.md$/.test(await input.inputValue()) && Date.now() < deadline) await page.waitForTimeout(100);
    assert.match(await input.inputValue(), /schema-diff-xss_before-vs-xss_after\.md$/);
    await page.keyboard.press('Enter');
    await wb().waitForNotification('schema diff saved to schema-diff-xss_before-vs-xss_after.md');
    const saved = fs.readFileSync(path.join(wb().workspace, 'schema-diff-xss_before-vs-xss_after.md'), 'utf8');
    assert.match(saved, /^# Schema diff\n/);
    assert.ok(saved.includes('\\<img src=x onerror=alert\\(1\\)\\>'), 'the name is escaped in the Markdown');
  });

  it('diffs dataset versions from the Datasets view', async () => {
    const { page } = wb();
    await wb().openExperiments();
    for (const name of ['Runs', 'Compare', 'Models']) {
      const header = wb().viewHeader(name);
      if ((await header.getAttribute('aria-expanded')) === 'true') await header.click();
    }
    const datasets = wb().viewHeader('Datasets');
    if ((await datasets.getAttribute('aria-expanded')) !== 'true') await datasets.click();
    const body = wb().viewBody('Datasets');
    await body.locator('.monaco-list-row', { hasText: 'data/penguins_processed.csv' }).waitFor({ timeout: 30_000 });
    const processed = sha256(fs.readFileSync(path.join(wb().workspace, 'data/penguins_processed.csv'))).slice(0, 12);
    const version = body.locator('.monaco-list-row', { hasText: processed });
    await version.waitFor();
    assert.match((await version.innerText()).replace(/\s+/g, ' '), /334 rows · 1 run/);
    await wb().screenshot('schema-diff-8-datasets-view');
    await version.click({ button: 'right' });
    const item = page.locator('.context-view .monaco-menu .action-item', { hasText: 'Diff with…' });
    await item.waitFor({ timeout: 10_000 });
    await chooseMenuItem(page, item);
    await answer(page, 'Diff Dataset Schemas — diff with', 'penguins_unlabelled', 'data/penguins_unlabelled.csv');
    const frame = await wb().findWebview('.schema-diff tr.column-row[data-column="species"]', 60_000);
    const sides = await frame.locator('.side').allInnerTexts();
    assert.match(sides[0]!, /data\/penguins_processed\.csv[\s\S]*read by run "train-labelled"/);
    assert.match(sides[1]!, /data\/penguins_unlabelled\.csv[\s\S]*read by run "score-unlabelled"/);
    await wb().screenshot('schema-diff-9-diff-with');
  });

  it('profiles a big file with a progress notification that cancels', async () => {
    const { page } = wb();
    const big = path.join(wb().workspace, 'data/big.csv');
    const out = fs.openSync(big, 'w');
    let chunk: string[] = ['id,x,y,label'];
    for (let i = 0; i < 500_000; i++) {
      chunk.push(`${i},${(i * 7919) % 10007},${((i * 31) % 997) / 7},c${i % 17}`);
      if (chunk.length === 100_000) {
        fs.writeSync(out, `${chunk.join('\n')}\n`);
        chunk = [];
      }
    }
    fs.writeSync(out, chunk.length ? `${chunk.join('\n')}\n` : '');
    fs.closeSync(out);
    const title = 'Diff Dataset Schemas';
    await startCommand(page, `ExpTrack: ${title}`);
    await answer(page, `${title} — what to compare`, 'Two files', 'Two files');
    await answer(page, `${title} — first file (baseline)`, 'big.csv', 'big.csv');
    await answer(page, `${title} — second file (newer)`, 'penguins_processed', 'penguins_processed.csv');
    const toast = page.locator('.notification-toast', { hasText: 'diffing the schemas of data/big.csv' });
    await toast.waitFor({ timeout: 20_000 });
    // Progress in bytes read of both files.
    await page.locator('.notification-toast', { hasText: /MiB of \d+(\.\d)? MiB/ }).waitFor({ timeout: 20_000 });
    await wb().screenshot('schema-diff-7-progress');
    // The profile has finished by now (held for the test): the Cancel still wins.
    await toast.locator('.monaco-button', { hasText: 'Cancel' }).click();
    await toast.waitFor({ state: 'hidden', timeout: 10_000 });
    // The panel keeps the diff it showed.
    const frame = await panel(wb());
    assert.deepStrictEqual(await frame.locator('.side button.link').allInnerTexts(), ['data/penguins_processed.csv', 'data/penguins_unlabelled.csv']);
    assert.match(await page.locator('.tabs-container .tab.active').innerText(), /Schema Diff: data\/penguins_processed\.csv/);
  });
});
