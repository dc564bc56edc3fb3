/**
 * Child process of the kill-9 test: opens the workspace's index and ingests and saves in a loop
 * until it is killed. `direct` keeps the Store on the main thread, as the CLI does; `worker` runs
 * it in the store worker thread with saves debounced by 0 ms, as the extension host does.
 *
 * usage: node saveLoop.js WORKSPACE direct|worker
 * Prints one JSON line when the index is open: {"opened": fresh, "reason": …}.
 */
import * as path from 'node:path';
import { Store } from '../../../src/core/store/store';
import { StoreClient } from '../../../src/core/store/storeClient';

async function main(): Promise<void> {
  const [workspaceRoot, mode] = process.argv.slice(2);
  if (!workspaceRoot || (mode !== 'direct' && mode !== 'worker')) throw new Error('usage: saveLoop.js WORKSPACE direct|worker');
  if (mode === 'direct') {
    const { store, info } = await Store.open({ workspaceRoot });
    process.stdout.write(JSON.stringify({ opened: info.fresh, reason: info.reason ?? null }) + '\n');
    for (;;) {
      store.ingest();
      store.save();
    }
  }
  const { client, info } = await StoreClient.start({ workerPath: path.join(__dirname, 'storeWorker.js'), workspaceRoot, dbPath: undefined, saveDelayMs: 0 });
  process.stdout.write(JSON.stringify({ opened: info.fresh, reason: info.reason ?? null }) + '\n');
  client.on('saveFailed', (e) => process.stderr.write(`save failed: ${e}\n`));
  for (;;) await client.call('ingest');
}

main().catch((e: unknown) => {
  process.stderr.write(`saveLoop: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
