import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { StoreClient } from '../../../src/core/store/storeClient';

const workerPath = path.join(__dirname, '../helpers/storeWorkerFromSource.cjs');

describe('StoreClient (worker thread)', () => {
  let root: string;
  beforeEach(() => (root = fs.mkdtempSync(path.join(os.tmpdir(), 'exptrack-client-'))));
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('ingests and queries through the worker and saves debounced', async () => {
    const dir = path.join(root, '.exptrack', 'runs', 'w1');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'events.jsonl'), [
      { t: 'run', v: 1, id: 'w1', started: 1 },
      { t: 'metrics', step: 0, values: { loss: 'NaN' } },
      { t: 'metrics', step: 1, values: { loss: '-Infinity' } },
    ].map((e) => JSON.stringify(e)).join('\n') + '\n');
    const { client, info } = await StoreClient.start({ workerPath, workspaceRoot: root, dbPath: undefined, saveDelayMs: 50 });
    assert.equal(info.fresh, 'new');
    const saved = new Promise<number>((resolve) => client.once('saved', resolve));
    const report = await client.call('ingest');
    assert.equal(report.points, 2);
    const points = await client.call('metricPoints', 'w1', 'loss');
    assert.ok(Number.isNaN(points[0]!.value));
    assert.equal(points[1]!.value, -Infinity);
    assert.ok((await saved) > 0);
    assert.ok(fs.existsSync(path.join(root, '.exptrack', 'exptrack.sqlite')));
    await client.close();
  });

  it('fails pending calls clearly when the worker dies', async () => {
    // A call that is certainly still running when the worker ends: an ingest of 200,000 points.
    const dir = path.join(root, '.exptrack', 'runs', 'big');
    fs.mkdirSync(dir, { recursive: true });
    const lines = [JSON.stringify({ t: 'run', v: 1, id: 'big', started: 1 })];
    for (let s = 0; s < 20_000; s++) lines.push(JSON.stringify({ t: 'metrics', step: s, values: Object.fromEntries(Array.from({ length: 10 }, (_, k) => [`m${k}`, s])) }));
    fs.writeFileSync(path.join(dir, 'events.jsonl'), lines.join('\n') + '\n');
    const { client } = await StoreClient.start({ workerPath, workspaceRoot: root, dbPath: null });
    const call = client.call('ingest');
    await client.terminate();
    await assert.rejects(call, /store worker/);
    await assert.rejects(client.call('listRuns'), /not running/);
  });
});
