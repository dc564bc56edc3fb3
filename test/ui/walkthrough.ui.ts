// The "Get Started with ExpTrack" walkthrough in the real workbench, on a copy of demo/: opened
// from "Welcome: Open Walkthrough...", every step's title and picture (each image loads, the
// client step's markdown shows its code and picture), a step's button running its command (the
// schema diff's first question, the script pick of Run with Tracking when no script is open), and
// steps checked off by their completion events: a command run from the walkthrough, and two runs
// ticked in the Runs view (the exptrack.comparedRuns context key). In a folder with nothing
// tracked yet, ExpTrack starts only when a step's button is used.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { FrameLocator, Page } from 'playwright-core';
import { repoRoot } from '../support/vscode-host.mjs';
import { openWalkthrough, selectStep, step, stepId, stepPictureWidths, trustedSteps as visibleSteps } from '../support/walkthrough';
import { answer, useWorkbench } from '../support/workbench';

const quickInput = '.quick-input-widget';

async function waitForDone(page: Page, id: string): Promise<void> {
  await page.locator(`[data-done-step-id="${stepId(id)}"][aria-checked="true"]`).waitFor({ timeout: 30_000 });
}

async function isDone(page: Page, id: string): Promise<boolean> {
  return (await page.locator(`[data-done-step-id="${stepId(id)}"]`).getAttribute('aria-checked')) === 'true';
}

describe('Get Started walkthrough', function () {
  this.timeout(180_000);
  const wb = useWorkbench({
    workspace: path.join(repoRoot, 'demo'),
    readyFile: 'train.py',
    // A run started here joins the demo's experiment instead of one named after the copy's folder.
    settings: { 'exptrack.experiment': 'churn-sgd' },
  });

  it('opens from Welcome: Open Walkthrough... with the title of every step', async () => {
    const { page } = wb();
    await openWalkthrough(wb());
    const titles = await page.locator('.gettingStartedSlideDetails button.getting-started-step h3.step-title').allInnerTexts();
    assert.deepStrictEqual(titles, ['Record a run', 'Compare runs', 'Diff dataset schemas', 'Promote a model version', 'Log from training code']);
    assert.deepStrictEqual(titles, visibleSteps.map((s) => s.title), 'the Restricted Mode variant of the first step is hidden in a trusted workspace');
    for (const s of visibleSteps) assert.ok(!(await isDone(page, s.id)), `${s.id} starts unchecked`);
    await wb().screenshot('walkthrough-1-steps');
  });

  it('shows a picture that loads for every step, and the client step\'s code', async () => {
    const { page } = wb();
    const widths = await stepPictureWidths(page, 'import exptrack', (id) => wb().screenshot(`walkthrough-2-${id}`));
    assert.strictEqual(widths.size, visibleSteps.length);
    for (const [picture, width] of widths) assert.ok(width > 0, `${picture} loaded`);
  });

  it('runs a step\'s command from its button and checks the step off', async () => {
    const { page } = wb();
    await selectStep(page, 'diffSchemas');
    await step(page, 'diffSchemas').locator('.button-container .monaco-button', { hasText: 'Diff Dataset Schemas' }).click();
    const firstQuestion = page.locator(quickInput).locator('.quick-input-title', { hasText: 'Diff Dataset Schemas — what to compare' });
    await firstQuestion.waitFor({ timeout: 30_000 });
    await wb().screenshot('walkthrough-3-schema-diff-question');
    await page.keyboard.press('Escape');
    await firstQuestion.waitFor({ state: 'hidden' });
    await waitForDone(page, 'diffSchemas');
    assert.ok(!(await isDone(page, 'promoteModel')), 'a step whose event did not happen stays unchecked');
  });

  it('runs a script picked from the workspace when no script is open, and checks the step off', async () => {
    const { page } = wb();
    await selectStep(page, 'recordRun');
    await step(page, 'recordRun').locator('.button-container .monaco-button', { hasText: 'Run Python File with Tracking' }).click();
    // The walkthrough is the active editor: the command asks which script to run.
    await answer(page, 'Run Python File with Tracking', 'train.py', 'train.py');
    await wb().openExperiments();
    const runs = wb().viewBody('Runs');
    await runs.locator('.monaco-list-row', { hasText: /^train\s*val_loss=/, has: page.locator('.codicon-pass') }).first().waitFor({ timeout: 60_000 });
    await waitForDone(page, 'recordRun');
  });

  it('checks the compare step off once two runs are ticked in the Runs view', async () => {
    const { page } = wb();
    await wb().openExperiments();
    assert.ok(!(await isDone(page, 'compareRuns')), 'not before any run is ticked');
    const runs = wb().viewBody('Runs');
    // A click that lands while the tree redraws its rows (a run just ended) is lost by VS Code: the
    // box may even show the tick while the extension never heard of it. The Compare view, which
    // lists what the extension has, is the judge; a lost tick is ticked again, as a user would.
    const box = (name: string, checked?: boolean) => runs.getByRole('checkbox', { name: `Compare ${name}`, exact: true, checked });
    const tick = async (name: string, listed: number): Promise<FrameLocator> => {
      for (let attempt = 1; attempt <= 3; attempt++) {
        if ((await box(name).getAttribute('aria-checked', { timeout: 30_000 })) === 'true') {
          await box(name).click();
          await box(name, false).waitFor({ timeout: 5_000 }).catch(() => undefined);
        }
        await box(name).click();
        await box(name, true).waitFor({ timeout: 5_000 }).catch(() => undefined);
        const view = await wb().findWebview(`ul.runs li.run:nth-child(${listed})`, 15_000).catch(() => undefined);
        if (view) return view;
      }
      throw new Error(`the Compare view does not list ${name} after three ticks`);
    };
    // One run in the Compare view is not a comparison yet: the step stays open.
    const compareView = await tick('client lr=0.5', 1);
    assert.strictEqual(await compareView.locator('ul.runs li.run').count(), 1);
    assert.ok(!(await isDone(page, 'compareRuns')), 'not with one run ticked');
    await tick('client lr=0.2', 2);
    await waitForDone(page, 'compareRuns');
    await wb().screenshot('walkthrough-4-steps-done');
  });
});

describe('Get Started walkthrough in Restricted Mode', function () {
  this.timeout(180_000);
  const wb = useWorkbench({ workspace: path.join(repoRoot, 'demo'), readyFile: 'train.py', workspaceTrust: true });

  it('asks for trust in the first step instead of offering to run a script', async () => {
    const { page } = wb();
    await openWalkthrough(wb());
    const steps = page.locator('.gettingStartedSlideDetails button.getting-started-step');
    assert.strictEqual(await steps.first().getAttribute('data-step-id'), stepId('recordRunRestricted'));
    assert.strictEqual(await step(page, 'recordRun').count(), 0, 'the step that runs a script is hidden');
    await selectStep(page, 'recordRunRestricted');
    const buttons = await step(page, 'recordRunRestricted').locator('.button-container .monaco-button').allInnerTexts();
    assert.deepStrictEqual(buttons, ['Manage Workspace Trust']);
    await wb().screenshot('walkthrough-5-restricted-mode');
  });
});

describe('Get Started walkthrough in a folder with nothing tracked yet', function () {
  this.timeout(180_000);
  // A script and its data, no .exptrack/ and no index: ExpTrack waits to be used.
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'exptrack-walkthrough-ui-'));
  fs.copyFileSync(path.join(repoRoot, 'demo/train.py'), path.join(workspace, 'train.py'));
  fs.mkdirSync(path.join(workspace, 'data'));
  fs.copyFileSync(path.join(repoRoot, 'demo/data/churn.csv'), path.join(workspace, 'data/churn.csv'));
  const wb = useWorkbench({ workspace, readyFile: 'train.py' });
  after(() => fs.rmSync(workspace, { recursive: true, force: true }));

  it('starts ExpTrack from the first step\'s button, records the script picked and checks the step off', async () => {
    const { page } = wb();
    await openWalkthrough(wb());
    assert.doesNotMatch(await wb().readOutputLog('ExpTrack'), /ready: /, 'nothing indexed before ExpTrack is used');
    assert.ok(!fs.existsSync(path.join(wb().workspace, '.exptrack')), 'nothing written before ExpTrack is used');
    await selectStep(page, 'recordRun');
    await step(page, 'recordRun').locator('.button-container .monaco-button', { hasText: 'Run Python File with Tracking' }).click();
    await answer(page, 'Run Python File with Tracking', 'train.py', 'train.py');
    await waitForDone(page, 'recordRun');
    await wb().openExperiments();
    await wb().viewBody('Runs').locator('.monaco-list-row', { has: page.locator('.codicon-pass') }).first().waitFor({ timeout: 60_000 });
    assert.ok(fs.existsSync(path.join(wb().workspace, '.exptrack', 'runs')), 'the run is recorded in the folder');
    assert.match(await wb().readOutputLog('ExpTrack'), /ready: /);
    await wb().screenshot('walkthrough-6-first-use');
  });
});
