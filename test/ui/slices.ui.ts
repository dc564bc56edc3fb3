// System metrics and the Slices view in the real workbench: a run started with Run with Tracking
// records system/… metrics while a broken nvidia-smi on PATH costs one line in the Output channel;
// the Runs view shows them in a System group; the Compare view leaves them out until asked; the
// Compare panel's System tab charts them and its Slices tab shows each metric per slice with gaps,
// flags, counts, TFMA verdicts and a bar chart — slice names and values holding markup stay text.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { repoRoot } from '../support/vscode-host.mjs';
import { sampleWorkspace, useWorkbench, watchPage, type Workbench } from '../support/workbench';
import { workspaceWithRuns, type FixtureRun } from './compareFixtures';

const XSS_SLICE = '<img src=x onerror=alert(7)>';
const XSS_MESSAGE = '<script>alert(8)</script> below the bound';

function sliced(region: string, values: Record<string, number>): object {
  return { t: 'metrics', step: 9, slice: { region }, values };
}

/** Two evaluated runs with slices (one named with markup) and system metrics, the second with TFMA's verdicts. */
function sliceRuns(): FixtureRun[] {
  const base = 1732300000;
  const system = (s: number) => ({ 'system/cpu_percent': 50 + s, 'system/rss_mb': 300 + s * 10 });
  return [
    {
      id: 'fair-a', name: 'fair-a', params: { lr: 0.1 }, steps: 10, started: base, status: 'finished',
      metrics: (s) => ({ accuracy: 0.5 + s * 0.03, count: 1000, ...system(s) }),
      events: [
        sliced('north', { accuracy: 0.9, count: 500 }), sliced('south', { accuracy: 0.7, count: 450 }),
        sliced(XSS_SLICE, { accuracy: 0.76, count: 50 }),
      ],
    },
    {
      id: 'fair-b', name: 'fair-b', params: { lr: 0.2 }, steps: 10, started: base + 100, status: 'finished',
      metrics: (s) => ({ accuracy: 0.5 + s * 0.035, count: 1000, ...system(s * 2) }),
      events: [
        sliced('north', { accuracy: 0.95, count: 500 }), sliced('south', { accuracy: 0.62, count: 450 }),
        sliced(XSS_SLICE, { accuracy: 0.8, count: 50 }),
        { t: 'tag', key: 'tfma.threshold.accuracy', value: JSON.stringify({ lower: 0.65 }) },
        { t: 'tag', key: 'tfma.validation', value: 'failed' },
        { t: 'tag', key: 'tfma.validation_failures', value: JSON.stringify([{ slice: 'region=south', metric: 'accuracy', message: XSS_MESSAGE }]) },
        { t: 'tag', key: 'tfma.blessed', value: 'false' },
        { t: 'model', name: 'credit', path: 'models/fair-b.onnx' },
      ],
    },
  ];
}

describe('system metrics and slices (UI)', function () {
  this.timeout(180_000);
  // A broken nvidia-smi first on the extension host's PATH (runs inherit it): it exits with code 9.
  // The server takes the extension host's environment from a login shell, whose profile resets
  // PATH; a SHELL that cannot start leaves it the server's own, which holds the fake's folder.
  const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'exptrack-ui-bin-'));
  fs.copyFileSync(path.join(repoRoot, 'test/unit/systemMetrics/nvidia-smi/fake-nvidia-smi'), path.join(bin, 'nvidia-smi'));
  fs.chmodSync(path.join(bin, 'nvidia-smi'), 0o755);
  const fixture = workspaceWithRuns(sampleWorkspace, sliceRuns());
  const wb = useWorkbench({
    workspace: fixture,
    env: { PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}`, FAKE_NVIDIA_SMI_EXIT: '9', SHELL: path.join(bin, 'no-shell') },
    settings: { 'exptrack.systemMetrics.intervalSeconds': 0.5, 'exptrack.runArgs': ['--epochs', '4', '--sleep', '0.6'] },
  });
  let seen: ReturnType<typeof watchPage>;
  before(() => (seen = watchPage(wb().page)));
  after(() => {
    fs.rmSync(fixture, { recursive: true, force: true });
    fs.rmSync(bin, { recursive: true, force: true });
  });
  afterEach(() => assert.deepStrictEqual(seen.dialogs, [], 'no dialog opened (an alert would mean injected script ran)'));

  const panel = (w: Workbench) => w.findWebview('.chart-grid');

  it('Run with Tracking records system metrics; a failing nvidia-smi is one line in the Output channel', async () => {
    const w = wb();
    await w.openExperiments();
    await w.openFile('train.py');
    await w.runCommand('ExpTrack: Run Python File with Tracking');
    const runsDir = path.join(w.workspace, '.exptrack', 'runs');
    const events = await waitUntil('the tracked run to end', () => {
      for (const id of fs.readdirSync(runsDir).filter((d) => !d.startsWith('fair-'))) {
        const lines = fs.readFileSync(path.join(runsDir, id, 'events.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { t: string; values?: Record<string, number> });
        if (lines.some((l) => l.t === 'end')) return lines;
      }
      return undefined;
    }, 90_000);
    const samples = events.filter((e) => e.t === 'metrics' && e.values && 'system/rss_mb' in e.values);
    assert.ok(samples.length >= 2, `${samples.length} system samples`);
    assert.ok(samples.some((s) => 'system/cpu_percent' in s.values!));
    assert.ok(!samples.some((s) => Object.keys(s.values!).some((k) => k.startsWith('system/gpu'))));
    assert.strictEqual(events.at(-1)!.t, 'end');
    const log = await w.readOutputLog('ExpTrack');
    const gpuLines = log.split('\n').filter((l) => l.includes('nvidia-smi'));
    assert.strictEqual(gpuLines.length, 1, log);
    assert.match(gpuLines[0]!, /nvidia-smi exited with code 9; GPU metrics are not recorded for this run/);

    // The run's System group in the Runs view.
    const runs = w.viewBody('Runs');
    const runRow = runs.locator('.monaco-list-row', { hasText: 'loss=' }).first();
    // Finished in the index too (the fixture's runs have finished long ago).
    await runRow.locator('.codicon-pass').waitFor({ timeout: 30_000 });
    await runRow.click();
    await w.page.keyboard.press('ArrowRight');
    await runs.locator('.monaco-list-row', { hasText: 'System' }).first().click();
    await w.page.keyboard.press('ArrowRight');
    await runs.locator('.monaco-list-row', { hasText: 'system/cpu_percent' }).first().waitFor();
    await w.screenshot('system-metrics-runs-view');
    await runRow.click();
    await w.page.keyboard.press('ArrowLeft');
  });

  it('the Compare view leaves system metrics out until asked', async () => {
    const w = wb();
    await w.collapseViews('Models', 'Datasets');
    await w.tickRun('fair-a');
    await w.tickRun('fair-b');
    const view = await w.findWebview('ul.runs, .empty');
    await view.locator('li.run').nth(1).waitFor();
    await view.locator('.metric-key').first().waitFor();
    assert.deepStrictEqual(await view.locator('.metric-key').allInnerTexts(), ['accuracy', 'count']);
    await view.locator('#with-system').click();
    await view.locator('.metric-key', { hasText: 'system/cpu_percent' }).waitFor();
    assert.deepStrictEqual(await view.locator('.metric-key').allInnerTexts(), ['accuracy', 'count', 'system/cpu_percent', 'system/rss_mb']);
    await view.locator('#with-system').click();
    await view.locator('#open-panel').click();
  });

  it('the Compare panel\'s System tab charts the system metrics of both runs', async () => {
    const w = wb();
    const p = await panel(w);
    await p.locator('[data-tab="system"]').click();
    await p.locator('[role="tabpanel"][aria-labelledby="tab-system"] figure.chart-card[data-key="system/cpu_percent"][data-rendered="2"]').waitFor();
    await p.locator('[role="tabpanel"][aria-labelledby="tab-system"] figure.chart-card[data-key="system/rss_mb"][data-rendered="2"]').waitFor();
    await w.screenshot('compare-system-tab');
  });

  it('the Slices tab: values, gaps, flags and counts per slice, TFMA verdicts, a bar chart; markup stays text', async () => {
    const w = wb();
    const p = await panel(w);
    await p.locator('[data-tab="slices"]').click();
    const table = p.locator('table.slices-table');
    await table.waitFor();
    const labels = () => table.locator('tbody th').allInnerTexts();
    assert.deepStrictEqual(await labels(), ['Overall', `region=${XSS_SLICE}`, 'region=north', 'region=south']);
    assert.strictEqual(await table.locator('img').count(), 0, 'a slice named like markup is text, not an element');
    const south = table.locator('tr[data-slice="region=south"] td');
    // Examples, then value and gap for each run; gaps beyond 0.05 flagged.
    assert.deepStrictEqual((await south.allInnerTexts()).map((t) => t.trim()), ['450', '0.7', '-0.07', '0.62', '-0.195']);
    assert.strictEqual(await table.locator('tr[data-slice="region=south"] td.flagged').count(), 2);
    assert.strictEqual(await table.locator(`tr[data-slice="region=${XSS_SLICE}"] td.flagged`).count(), 0);
    // The second run's TFMA verdicts: validation failed (its message as text), not blessed, the threshold failed on one slice.
    const verdicts = p.locator('.slice-verdicts');
    await verdicts.first().waitFor();
    const verdictText = (await verdicts.allInnerTexts()).join('\n');
    assert.match(verdictText, /Validation failed/);
    assert.match(verdictText, /Not blessed/);
    assert.match(verdictText, /Threshold ≥ 0\.65: 1 of 4 failed/);
    assert.ok((await p.locator('.slice-failures li').allInnerTexts()).includes(`region=south: ${XSS_MESSAGE}`));
    assert.strictEqual(await p.locator('.slices-view script').count(), 0);
    // Sorting by the first run's gap puts the worst slice first; again for the reverse.
    await table.locator('button[data-sort="0:gap"]').click();
    assert.strictEqual((await labels())[1], 'region=south');
    await table.locator('button[data-sort="0:gap"]').click();
    assert.strictEqual((await labels())[1], 'region=north');
    assert.ok(await p.locator('.slices-chart canvas[aria-label="accuracy by slice, a bar per run"]').count());
    await w.screenshot('compare-slices-tab');
  });

  it('"Show Slices" from the palette brings the Slices tab back; the Models view says the version was not blessed', async () => {
    const w = wb();
    const p = await panel(w);
    await p.locator('[data-tab="curves"]').click();
    await p.locator('table.slices-table').waitFor({ state: 'hidden' });
    await w.runCommand('ExpTrack: Show Slices');
    await p.locator('table.slices-table').waitFor();
    await w.viewHeader('Models').click();
    const models = w.viewBody('Models');
    await models.locator('.monaco-list-row', { hasText: 'credit' }).first().click();
    await w.page.keyboard.press('ArrowRight');
    const version = models.locator('.monaco-list-row', { hasText: 'v1' }).first();
    await version.waitFor();
    assert.match(await version.innerText(), /not blessed/);
  });
});

async function waitUntil<T>(what: string, probe: () => T | undefined, timeoutMs: number): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      const value = probe();
      if (value !== undefined) return value;
    } catch {
      // Files still being written.
    }
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
