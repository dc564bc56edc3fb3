import * as assert from 'node:assert';
import { PanelReload } from '../../../src/extension/webview/panelReload';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A load that waits until released, counting how often it ran. */
function slowLoads() {
  const state = { runs: 0, release: () => undefined as void, fail: false };
  const load = () => new Promise<void>((resolve, reject) => {
    state.runs++;
    state.release = () => (state.fail ? reject(new Error('worker gone')) : resolve());
  });
  return { state, load };
}

describe('PanelReload', () => {
  let reload: PanelReload | undefined;
  afterEach(() => reload?.dispose());

  it('runs one load at a time; asked again meanwhile, exactly one more after it', async () => {
    const { state, load } = slowLoads();
    reload = new PanelReload(load, () => true, assert.fail, 10);
    const first = reload.now();
    void reload.now();
    void reload.now();
    assert.strictEqual(state.runs, 1);
    state.release();
    await tick(0);
    assert.strictEqual(state.runs, 2, 'the two asks meanwhile make one more load');
    state.release();
    await first;
    assert.strictEqual(state.runs, 2);
    assert.strictEqual(reload.due, false);
  });

  it('gathers changes within the delay into one load, and loads only while the panel can show it', async () => {
    let runs = 0;
    let visible = false;
    reload = new PanelReload(async () => void runs++, () => visible, assert.fail, 10);
    await reload.now();
    reload.soon();
    reload.soon();
    await tick(30);
    assert.strictEqual(runs, 1, 'hidden: nothing loaded');
    assert.strictEqual(reload.due, true, 'the change waits for the panel to be shown');
    visible = true;
    reload.soon();
    reload.soon();
    await tick(30);
    assert.strictEqual(runs, 2);
    assert.strictEqual(reload.due, false);
  });

  it('reports a failed load and loads again when asked', async () => {
    const { state, load } = slowLoads();
    const errors: string[] = [];
    reload = new PanelReload(load, () => true, (e) => errors.push(e.message), 10);
    state.fail = true;
    const failed = reload.now();
    state.release();
    await failed;
    assert.deepStrictEqual(errors, ['worker gone']);
    state.fail = false;
    const next = reload.now();
    state.release();
    await next;
    assert.strictEqual(state.runs, 2);
  });

  it('repeat() from inside a load runs it once more', async () => {
    let runs = 0;
    reload = new PanelReload(async () => {
      if (++runs === 1) reload!.repeat();
    }, () => true, assert.fail, 10);
    await reload.now();
    assert.strictEqual(runs, 2);
  });

  it('a change pending at dispose loads nothing', async () => {
    let runs = 0;
    reload = new PanelReload(async () => void runs++, () => true, assert.fail, 10);
    reload.soon();
    reload.dispose();
    await tick(30);
    assert.strictEqual(runs, 0);
  });
});
