/**
 * MLflow push: metric points pushed per second to a local MLflow tracking server (SQLite backend,
 * one worker, on 127.0.0.1) by `pushSession`, beside MLflow's own Python client logging the same
 * points with log_batch into another run of the same server. Both are wall-clock times of the
 * sending alone: the server's work dominates both. The server is warmed up first, and the two
 * take turns (best of two rounds each), so neither gains from going later; ratio > 1 means the
 * push is faster.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { serializeRunEvent, type WritableRunEvent } from '../src/core/capture/eventLogWriter';
import { localRunsOfStore } from '../src/core/mlflowSync/localRuns';
import { MlflowRestClient } from '../src/core/mlflowSync/restClient';
import { pushSession } from '../src/core/mlflowSync/syncSession';
import { parseTrackingUri } from '../src/core/mlflowSync/trackingServer';
import { Store } from '../src/core/store/store';
import { mlflowUnavailable, runPythonJson, startMlflowServer, type MlflowTestServer } from '../test/unit/mlflowSync/mlflowServer';
import { tempWorkspace } from '../test/unit/mlflowSync/syncWorkspace';

const KEYS = 5;
const STEPS = 6_000;
const ROUNDS = 2;
const START = 1732240000;

type Points = Record<string, [number, number, number][]>;

function runEvents(uid: string, experiment: string): { events: WritableRunEvent[]; points: Points } {
  const events: WritableRunEvent[] = [{ t: 'run', v: 1, id: uid, name: 'bench', experiment, started: START }];
  const points: Points = {};
  for (let k = 0; k < KEYS; k++) points[`metric_${k}`] = [];
  for (let step = 0; step < STEPS; step++) {
    const values: Record<string, number> = {};
    for (let k = 0; k < KEYS; k++) {
      values[`metric_${k}`] = Math.sin(step / 100 + k) + step * 1e-4;
      points[`metric_${k}`]!.push([step, (START + 1) * 1000 + step, values[`metric_${k}`]!]);
    }
    events.push({ t: 'metrics', step, time: START + 1 + step / 1000, values });
  }
  events.push({ t: 'end', status: 'finished', ended: START + 100 });
  return { events, points };
}

async function warmUp(server: MlflowTestServer): Promise<void> {
  const client = new MlflowRestClient(parseTrackingUri(server.uri));
  const run = await client.createRun({ experimentId: await client.createExperiment('warm-up'), runName: 'warm-up', startTimeMs: START * 1000, tags: [] });
  for (let b = 0; b < 20; b++) {
    await client.logBatch({ run_id: run.info.run_id, params: [], tags: [],
      metrics: Array.from({ length: 1000 }, (_, i) => ({ key: `w${i % KEYS}`, value: i, timestamp: START * 1000 + b * 1000 + i, step: b * 1000 + i })) });
  }
}

/** Points per second of one push of a fresh run (indexing is not timed). */
async function timePush(server: MlflowTestServer, round: number): Promise<{ rate: number; batches: number; seconds: number }> {
  const root = tempWorkspace('exptrack-bench-mlflow-');
  try {
    const uid = `20261122-030000-0000000${round}`;
    const { events } = runEvents(uid, `bench-${round}`);
    const dir = path.join(root, '.exptrack', 'runs', uid);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'events.jsonl'), events.map((e) => serializeRunEvent(e) + '\n').join(''));
    const { store } = await Store.open({ workspaceRoot: root, dbPath: null });
    store.ingest();
    const t0 = performance.now();
    const report = await pushSession({ workspaceRoot: root, server: parseTrackingUri(server.uri), local: localRunsOfStore(store), runUids: [uid] });
    const seconds = (performance.now() - t0) / 1000;
    store.close();
    if (report.points !== KEYS * STEPS) throw new Error(`pushed ${report.points} points, expected ${KEYS * STEPS}`);
    return { rate: report.points / seconds, batches: report.batches, seconds };
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

(async () => {
  const why = await mlflowUnavailable();
  if (why) {
    console.log(`mlflow push: skipped (${why})`);
    return;
  }
  const server = await startMlflowServer();
  try {
    await warmUp(server);
    const ours: Awaited<ReturnType<typeof timePush>>[] = [];
    const theirs: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      ours.push(await timePush(server, round));
      const { points } = runEvents('reference', 'reference');
      const ref = runPythonJson<{ seconds: number; points: number }>(path.join(__dirname, 'mlflowLogBatch.py'), { uri: server.uri, experiment: `reference-${round}`, metrics: points });
      theirs.push(ref.points / ref.seconds);
    }
    const best = ours.reduce((a, b) => (b.rate > a.rate ? b : a));
    const reference = Math.max(...theirs);
    console.log(`mlflow push: ${Math.round(best.rate).toLocaleString('en-US')} points/s (${(KEYS * STEPS).toLocaleString('en-US')} points in ${best.batches} batches, ${best.seconds.toFixed(2)} s, best of ${ROUNDS}) `
      + `(MLflow Python client log_batch ${Math.round(reference).toLocaleString('en-US')} points/s, ratio ${(best.rate / reference).toFixed(2)})`);
  } finally {
    await server.stop();
  }
})().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
