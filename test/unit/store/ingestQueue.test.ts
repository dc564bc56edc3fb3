/** The extension's ingest queue: bursts merged, one ingest at a time, a waiting full scan dropped on Cancel. */
import * as assert from 'node:assert/strict';
import { IngestQueue } from '../../../src/extension/store/ingestQueue';

describe('IngestQueue', () => {
  it('merges requests made while an ingest runs, and drops a waiting full scan when asked', async () => {
    const calls: (string[] | undefined)[] = [];
    let release!: () => void;
    const queue = new IngestQueue(async (paths) => {
      calls.push(paths);
      if (calls.length === 1) await new Promise<void>((r) => (release = r));
    }, 1);
    const first = queue.add(['/a']);
    await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(calls, [['/a']], 'the first batch runs and is held');
    const full = queue.add(undefined);
    const file = queue.add(['/b']);
    queue.dropPendingAll();
    release();
    await Promise.all([first, full, file]);
    assert.deepEqual(calls, [['/a'], ['/b']], 'the full scan waiting behind it was dropped; the file still read');
    const again = queue.add(undefined);
    await again;
    assert.deepEqual(calls.at(-1), undefined, 'a later full scan runs');
    assert.equal(calls.length, 3);
    queue.dispose();
  });
});
