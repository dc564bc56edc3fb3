#!/usr/bin/env node
// `npm run walkthrough:images`: takes the pictures of the "Get Started with ExpTrack" walkthrough
// (media/walkthrough/*.png) again from the real workbench, so they follow the UI when it changes.
// It opens a copy of demo/ (never demo/ itself) in the VS Code test host with the extension built
// from this tree, does what each step describes — runs train.py with tracking, ticks runs and
// opens the Compare panel, diffs two exports of the churn data, promotes a model version, shows the
// lineage of a client-logged run — and saves the part of the window each step shows, at 1x scale.
//
// Usage: node --import tsx scripts/walkthrough-images.mjs [--only NAME[,NAME…]] [--out DIR] [--no-build]
//   NAME: record-run, compare-runs, schema-diff, promote-model, log-from-code (default: all)
//   --out DIR   where the PNGs go (default: media/walkthrough)
// Look at every picture afterwards: a notification or a hover that slipped in means a retake.
import { spawnSync } from 'node:child_process';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { repoRoot, testResultsDir } from '../test/support/vscode-host.mjs';
import { answer, runCommand, startCommand, Workbench } from '../test/support/workbench.ts';

/** The size of a picture: the walkthrough shows images 400–800 px wide. */
const SIZE = { width: 900, height: 560 };
/** Above this a picture is worth a look: the .vsix must stay small. */
const MAX_BYTES = 150 * 1024;

/** Each picture, and its width where the window must be wider for what it shows to fit. */
const IMAGES = {
  'record-run': { take: recordRun },
  'compare-runs': { take: compareRuns },
  // The Schema Diff table is about 1,030 px wide: narrower, its Findings column would be cut.
  'schema-diff': { take: schemaDiff, width: 1120 },
  'promote-model': { take: promoteModel },
  'log-from-code': { take: logFromCode },
};

const { values: opts } = parseArgs({
  options: {
    only: { type: 'string' },
    out: { type: 'string', default: path.join(repoRoot, 'media/walkthrough') },
    'no-build': { type: 'boolean', default: false },
  },
});
const names = opts.only ? opts.only.split(',').map((n) => n.trim()).filter(Boolean) : Object.keys(IMAGES);
const unknown = names.filter((n) => !(n in IMAGES));
if (unknown.length) {
  console.error(`walkthrough-images: unknown image(s) ${unknown.join(', ')}; known: ${Object.keys(IMAGES).join(', ')}`);
  process.exit(2);
}

if (!opts['no-build']) {
  const built = spawnSync(process.execPath, ['esbuild.config.mjs'], { cwd: repoRoot, stdio: 'inherit' });
  if (built.status !== 0) process.exit(1);
}
await mkdir(opts.out, { recursive: true });

/** Heights of the web workbench's title bar and status bar, which the pictures leave out. */
const chrome = { titleBar: 35, statusBar: 22 };
const wb = await Workbench.open({
  workspace: path.join(repoRoot, 'demo'),
  readyFile: 'train.py',
  // The picture is the window without its title bar and status bar.
  viewport: { width: SIZE.width, height: SIZE.height + chrome.titleBar + chrome.statusBar },
  settings: {
    'workbench.colorTheme': 'Default Dark Modern',
    'editor.minimap.enabled': false,
    'editor.hover.enabled': false,
    'workbench.editor.enablePreview': false,
    'breadcrumbs.enabled': false,
    // A new run joins the demo's runs instead of an experiment named after the copy's folder.
    'exptrack.experiment': 'churn-sgd',
    'exptrack.gate.metric': 'val_accuracy',
    'git.enabled': false,
  },
  logFile: path.join(testResultsDir, 'walkthrough-images-server.log'),
});
const { page } = wb;
let failed = false;
try {
  await wb.openExperiments();
  await wb.viewBody('Runs').locator('.monaco-list-row').first().waitFor({ timeout: 90_000 });
  for (const name of names) {
    console.log(`walkthrough-images: ${name}`);
    const { take, width = SIZE.width } = IMAGES[name];
    await page.setViewportSize({ width, height: SIZE.height + chrome.titleBar + chrome.statusBar });
    await resetLayout();
    await take();
    await save(name, width);
  }
  console.log(`walkthrough-images: done; look at each picture in ${path.relative(repoRoot, opts.out) || '.'} before committing it`);
} catch (err) {
  failed = true;
  console.error(`walkthrough-images: ${err instanceof Error ? err.message : err}`);
  const shot = await wb.screenshot('walkthrough-images-failed').catch(() => undefined);
  if (shot) console.error(`walkthrough-images: the window at that moment: ${path.relative(repoRoot, shot)}`);
} finally {
  await wb.close();
}
process.exit(failed ? 1 : 0);

// ---- the pictures --------------------------------------------------------------------------

/** train.py run from its CodeLens: the script's output, and the run at the top of the Runs view. */
async function recordRun() {
  await showOnly(['Runs']);
  await wb.openFile('train.py');
  const lens = page.locator('.codelens-decoration a', { hasText: 'Run with Tracking' }).first();
  await lens.waitFor({ timeout: 60_000 });
  await lens.click();
  // The new run heads its experiment with its key metric, and its icon says it finished.
  const runs = wb.viewBody('Runs');
  const newRun = runs.locator('.monaco-list-row', { hasText: /^train\s*val_loss=/, has: page.locator('.codicon-pass') }).first();
  await newRun.waitFor({ timeout: 60_000 });
  await collapseExperiment('churn-client');
  await newRun.click();
  await page.keyboard.press('ArrowRight');
  await runs.locator('.monaco-list-row', { hasText: 'Metrics' }).first().click();
  await page.keyboard.press('ArrowRight');
  await runs.locator('.monaco-list-row', { hasText: 'val_accuracy' }).first().waitFor();
  await focusEditor();
}

/** Three runs ticked, the Compare view beneath them and the Compare panel with their curves. */
async function compareRuns() {
  await collapseAllRuns();
  await showOnly(['Runs', 'Compare']);
  await setViewHeight('Runs', 250);
  await expandExperiment('churn-sgd');
  for (const name of ['train lr=0.05 epochs=15', 'train lr=0.3 epochs=15', 'l2 regularised']) {
    const box = wb.viewBody('Runs').getByRole('checkbox', { name: `Compare ${name}`, exact: true });
    await box.waitFor({ timeout: 30_000 });
    if ((await box.getAttribute('aria-checked')) !== 'true') await box.click();
  }
  const sidebar = await wb.findWebview('ul.runs li.run:nth-child(3)', 30_000);
  await sidebar.locator('#open-panel').click();
  const panel = await wb.findWebview('.chart-grid', 30_000);
  await panel.locator('figure.chart-card[data-rendered="3"]').nth(1).waitFor({ timeout: 30_000 });
  // The curves, not the controls above them, are what the step is about.
  await panel.locator('figure.chart-card').first().evaluate((card) => card.scrollIntoView({ block: 'start' }));
}

/** Two exports of the churn data, the newer one changed, in the Schema Diff panel. */
async function schemaDiff() {
  await writeNewerExport();
  const title = 'Diff Dataset Schemas';
  await startCommand(page, `ExpTrack: ${title}`);
  await answer(page, `${title} — what to compare`, 'Two files', 'Two files');
  await answer(page, `${title} — first file (baseline)`, 'churn.csv', 'churn.csv');
  await answer(page, `${title} — second file (newer)`, 'churn-2026-12', 'churn-2026-12.csv');
  const panel = await wb.findWebview('.schema-diff table.columns', 60_000);
  await panel.locator('tr.column-row').nth(4).waitFor({ timeout: 30_000 });
  await closePanel();
  await hideSidebar();
  await page.waitForTimeout(500); // the panel lays out at its new width
  const shown = await wb.findWebview('.schema-diff table.columns'); // the side bar's webviews are gone: look again
  const table = await shown.locator('table.columns').evaluate((t) => ({ needs: t.scrollWidth, has: t.closest('.table-box')?.clientWidth ?? 0 }));
  if (table.needs > table.has) throw new Error(`the Schema Diff table needs ${table.needs} px and has ${table.has}: widen the picture`);
}

/** churn v1 promoted to champion and v2 to challenger: v2 against the champion in the Model Version panel, with the gate's verdict. */
async function promoteModel() {
  await showOnly(['Models']);
  const models = wb.viewBody('Models');
  await models.locator('.monaco-list-row', { hasText: /^v1/ }).first().waitFor({ timeout: 30_000 });
  await promote('v1', 'champion', 'baseline client model, lr=0.2');
  await models.locator('.monaco-list-row', { hasText: /^v1\s*@champion/ }).first().waitFor({ timeout: 30_000 });
  await promote('v2', 'challenger', 'higher learning rate, better val_accuracy');
  await models.locator('.monaco-list-row', { hasText: /^v2\s*@challenger/ }).first().waitFor({ timeout: 30_000 });
  await clearNotifications(); // the promotions' messages, before a quick input opens again

  await startCommand(page, 'ExpTrack: Compare with Champion');
  await answer(page, 'Compare with Champion — model', 'churn', 'churn');
  await answer(page, 'Compare with Champion — version', 'v2', 'v2');
  const panel = await wb.findWebview('.model-version h1', 30_000);
  await panel.locator('.verdict').waitFor({ timeout: 30_000 });
  // With the whole width the two versions' cards sit side by side and the metrics fit below them.
  await hideSidebar();
}

/** What train_with_client.py logged: the run's metrics, and dataset → run → model version in the Lineage panel. */
async function logFromCode() {
  await showOnly(['Runs']);
  await collapseAllRuns();
  await expandExperiment('churn-client');
  const runs = wb.viewBody('Runs');
  await runs.locator('.monaco-list-row', { hasText: /^client lr=0\.2/ }).first().click();
  await page.keyboard.press('ArrowRight');
  await runs.locator('.monaco-list-row', { hasText: 'Metrics' }).first().click();
  await page.keyboard.press('ArrowRight');
  await runs.locator('.monaco-list-row', { hasText: 'val_accuracy' }).first().waitFor();
  await runs.locator('.monaco-list-row', { hasText: 'Parameters' }).first().click();
  await page.keyboard.press('ArrowRight');
  await wb.openFile('train_with_client.py');
  await runCommand(page, 'ExpTrack: Show Model Lineage');
  // A narrower side bar gives the graph room: fitted to the wider panel, its labels can be read.
  await setSidebarWidth(270);
  const lineage = await wb.findWebview('svg.graph g.node[data-kind="dataset"]', 30_000);
  const fit = lineage.locator('[aria-label^="Fit the whole graph"]');
  await fit.click();
  await fit.evaluate((button) => button.blur()); // no focus ring in the picture
  await page.waitForTimeout(500); // the view animates to its new scale
  const cut = await lineage.locator('svg.graph g.node').evaluateAll((nodes) => nodes
    .filter((n) => { const r = n.getBoundingClientRect(); return r.left < 0 || r.right > window.innerWidth; })
    .map((n) => n.textContent));
  if (cut.length) throw new Error(`lineage nodes cut at the panel's edge: ${cut.join(', ')}`);
}

// ---- helpers ---------------------------------------------------------------------------------

/**
 * A newer export of data/churn.csv in the copy: contract_monthly dropped, a region column added,
 * monthly charges up 25 % and some tenures missing.
 */
async function writeNewerExport() {
  const source = path.join(wb.workspace, 'data/churn.csv');
  const [header, ...rows] = (await readFile(source, 'utf8')).trim().split(/\r?\n/).map((l) => l.split(','));
  const col = (name) => header.indexOf(name);
  const kept = header.map((_, i) => i).filter((i) => header[i] !== 'contract_monthly');
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const regions = ['north', 'south', 'east', 'west'];
  const out = [[...kept.map((i) => header[i]), 'region']];
  for (const row of rows) {
    const next = [...row];
    next[col('monthly_charges')] = (Number(row[col('monthly_charges')]) * 1.25).toFixed(3);
    if (random() < 0.08) next[col('tenure_years')] = '';
    out.push([...kept.map((i) => next[i]), regions[Math.floor(random() * regions.length)]]);
  }
  await writeFile(path.join(wb.workspace, 'data/churn-2026-12.csv'), out.map((r) => r.join(',')).join('\n') + '\n');
}

/** "Promote Model Version" on churn, answered through its quick picks. */
async function promote(version, alias, reason) {
  const title = 'Promote Model Version';
  await startCommand(page, `ExpTrack: ${title}`);
  await answer(page, `${title} — model`, 'churn', 'churn');
  await answer(page, `${title} — version of churn`, version, version);
  await answer(page, `${title} — alias`, alias, alias);
  await answer(page, `${title} — reason`, reason);
  await page.locator('.quick-input-widget .quick-input-title', { hasText: title }).waitFor({ state: 'hidden', timeout: 20_000 });
}

/** Each picture starts from the same window: no editor, no panel, the side bar 330 px wide. */
async function resetLayout() {
  if (await page.locator('.quick-input-widget').isVisible()) await page.keyboard.press('Escape');
  await closeEditors();
  await closePanel();
  await showSidebar();
  await setSidebarWidth(330);
}

/** Expands the named side-bar views of Experiments and collapses the others. */
async function showOnly(views) {
  for (const name of ['Runs', 'Compare', 'Models', 'Datasets']) {
    const header = wb.viewHeader(name);
    const expanded = (await header.getAttribute('aria-expanded')) === 'true';
    if (expanded !== views.includes(name)) await header.click();
  }
}

/** The Runs view's own Collapse All action (its header shows actions while hovered). */
async function collapseAllRuns() {
  await wb.viewHeader('Runs').hover();
  await wb.viewHeader('Runs').locator('.action-label[aria-label="Collapse All"]').click();
}

/** The Runs view's row of an experiment, e.g. "churn-sgd 8 runs". */
function experimentRow(name) {
  return wb.viewBody('Runs').locator('.monaco-list-row', { hasText: new RegExp(`^${name}\\s*\\d+ runs?$`) }).first();
}

async function expandExperiment(name) {
  const row = experimentRow(name);
  if ((await row.getAttribute('aria-expanded')) !== 'true') await row.locator('.monaco-tl-twistie').click();
}

async function collapseExperiment(name) {
  const row = experimentRow(name);
  if ((await row.getAttribute('aria-expanded')) === 'true') await row.locator('.monaco-tl-twistie').click();
}

/**
 * Drags the sash below a side-bar view until the view's body is `height` pixels high. A drag that
 * lands while the views are still laying out moves less: then it is dragged again.
 */
async function setViewHeight(name, height) {
  for (let attempt = 1; ; attempt++) {
    const body = await wb.viewBody(name).boundingBox();
    if (!body) throw new Error(`the ${name} view is not showing`);
    if (Math.abs(body.height - height) <= 4) return;
    if (attempt > 3) throw new Error(`the ${name} view stays ${body.height} px high, not ${height}`);
    const x = body.x + body.width / 2;
    await page.mouse.move(x, body.y + body.height);
    await page.mouse.down();
    await page.mouse.move(x, body.y + height, { steps: 5 });
    await page.mouse.up();
    await page.waitForTimeout(200);
  }
}

async function setSidebarWidth(width) {
  const box = await page.locator('.part.sidebar').boundingBox();
  if (!box) throw new Error('no side bar');
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width - 1, y);
  await page.mouse.down();
  await page.mouse.move(box.x + width, y, { steps: 5 });
  await page.mouse.up();
}

async function hideSidebar() {
  if (await page.locator('.part.sidebar').isVisible()) await runCommand(page, 'View: Toggle Primary Side Bar Visibility');
}

async function showSidebar() {
  if (!(await page.locator('.part.sidebar').isVisible())) await runCommand(page, 'View: Toggle Primary Side Bar Visibility');
}

async function closePanel() {
  if (await page.locator('.part.panel').isVisible()) await runCommand(page, 'View: Hide Panel');
}

async function closeEditors() {
  await runCommand(page, 'View: Close All Editors');
}

async function focusEditor() {
  await runCommand(page, 'View: Focus Active Editor Group');
}

/**
 * Notifications showing while a quick input is open (the palette would close it) fail the picture.
 */
async function clearNotifications() {
  const toasts = page.locator('.notifications-toasts .notification-toast');
  if ((await toasts.count()) === 0) return;
  if (await page.locator('.quick-input-widget').isVisible()) {
    throw new Error(`a notification would be in the picture: ${(await toasts.allInnerTexts()).join(' | ')}`);
  }
  await runCommand(page, 'Notifications: Clear All Notifications');
}

/** Moves the mouse off anything with a hover, then saves the window without title and status bar. */
async function save(name, width) {
  await clearNotifications();
  // The empty middle of the status bar, which the picture leaves out, has no hover.
  await page.mouse.move(width / 2, page.viewportSize().height - 5);
  await page.waitForTimeout(600); // hovers fade, webviews repaint
  const title = await page.locator('.part.titlebar').boundingBox();
  const file = path.join(opts.out, `${name}.png`);
  await page.screenshot({ path: file, clip: { x: 0, y: title?.height ?? chrome.titleBar, width, height: SIZE.height } });
  const { size } = await stat(file);
  const note = size > MAX_BYTES ? ` — over ${MAX_BYTES / 1024} KB, worth a look` : '';
  console.log(`walkthrough-images: ${path.relative(repoRoot, file)} ${width}×${SIZE.height}, ${(size / 1024).toFixed(0)} KB${note}`);
}
