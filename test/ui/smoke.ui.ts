// The workbench opens the sample workspace with ExpTrack loaded, the Experiments activity-bar
// icon appears, and clicking it shows the Runs view filled by the extension (runs or its
// welcome content).
import * as assert from 'assert';
import { existsSync } from 'fs';
import { experimentsIcon, useWorkbench } from '../support/workbench';

describe('workbench smoke', function () {
  this.timeout(60_000);
  const wb = useWorkbench();

  it('shows the Runs view when the Experiments icon is clicked', async () => {
    const { page } = wb();
    await page.locator(experimentsIcon).click();
    const runs = wb().viewHeader('Runs');
    await runs.waitFor();
    assert.strictEqual(await runs.getAttribute('aria-expanded'), 'true', 'the Runs view is expanded');
    await wb().waitForViewContent('Runs');
    const title = await page.locator('.sidebar .composite.title h2').innerText();
    assert.match(title, /experiments/i);
    const file = await wb().screenshot('smoke-runs-view');
    assert.ok(existsSync(file), `${file} written`);
  });
});
