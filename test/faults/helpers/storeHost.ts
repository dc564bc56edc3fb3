/**
 * Child process of the many-writers test standing in for an extension host: a store worker
 * (bundled, as dist/storeWorker.js) over the shared workspace, ingesting every few tens of
 * milliseconds as file watching would, saving debounced, and appending run-annotation events to
 * the registry as the Runs view's commands do.
 *
 * Started with fork(storeHost.js, [WORKSPACE, NAME]); talks over the IPC channel:
 *   → {kind:'opened', fresh}             once the index is open
 *   ← 'stop-writing'  → {kind:'written', ids}     registry event ids it appended
 *   ← 'final'         → {kind:'final', …}         after one last ingest: what its index holds
 * then closes the store (a last save) and exits.
 */
import * as path from 'node:path';
import { newRegistryEventId } from '../../../src/core/registry/registryAppender';
import { appendRegistryLine } from '../../../src/core/registry/runEditWriter';
import { StoreClient } from '../../../src/core/store/storeClient';

type Counts = Record<string, Record<string, number>>;

export type HostMessage =
  | { kind: 'opened'; fresh: string | null }
  | { kind: 'written'; ids: string[] }
  | { kind: 'final'; ingests: number; saves: number; saveFailures: string[]; points: Counts; tags: string[]; problems: string[] };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const send = (m: HostMessage) => process.send!(m);

async function main(): Promise<void> {
  const [workspaceRoot, name] = process.argv.slice(2) as [string, string];
  const { client, info } = await StoreClient.start({ workerPath: path.join(__dirname, 'storeWorker.js'), workspaceRoot, dbPath: undefined, saveDelayMs: 100 });
  let saves = 0;
  const saveFailures: string[] = [];
  client.on('saved', () => saves++);
  client.on('saveFailed', (e) => saveFailures.push(e));
  send({ kind: 'opened', fresh: info.fresh });

  let runUids: string[] = [];
  let ingesting = true;
  let ingests = 0;
  const ingestLoop = (async () => {
    while (ingesting) {
      await client.call('ingest');
      ingests++;
      runUids = (await client.call('listRuns', { includeHidden: true })).map((r) => r.uid);
      await sleep(20 + Math.random() * 100);
    }
  })();

  const written: string[] = [];
  const exptrackDir = path.join(workspaceRoot, '.exptrack');
  const appendTag = () => {
    if (runUids.length === 0) return;
    const id = newRegistryEventId();
    const run = runUids[Math.floor(Math.random() * runUids.length)]!;
    const event = { id, time: Date.now() / 1000, actor: name, t: 'run.tag', run, key: `${name}.${written.length}`, value: id };
    appendRegistryLine(exptrackDir, event);
    written.push(id);
  };
  const tagTimer = setInterval(appendTag, 40 + Math.random() * 40);

  process.on('message', (m: string) => {
    if (m === 'stop-writing') {
      clearInterval(tagTimer);
      send({ kind: 'written', ids: written });
    } else if (m === 'final') {
      void (async () => {
        ingesting = false;
        await ingestLoop;
        await client.call('ingest');
        ingests++;
        const points: Counts = {};
        const tags: string[] = [];
        for (const r of await client.call('listRuns', { includeHidden: true })) {
          const run = (await client.call('getRun', r.uid))!;
          points[r.uid] = Object.fromEntries(run.metrics.map((s) => [s.key, s.count]));
          for (const [key, value] of Object.entries(run.tags)) if (/^host-\w+\.\d+$/.test(key)) tags.push(value);
        }
        const problems = (await client.call('problems')).map((p) => `${p.path}:${p.line}: ${p.message}`);
        send({ kind: 'final', ingests, saves, saveFailures, points, tags, problems });
        await client.close();
        process.disconnect();
      })();
    }
  });
}

main().catch((e: unknown) => {
  process.stderr.write(`storeHost: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
