/**
 * Push through the store worker, as the extension runs it: the points go from the index to the
 * requests inside the worker, progress comes back as messages, a cancel stops after the batch in
 * flight, and the next push sends only the rest. Against a small stand-in for MLflow's REST API
 * that keeps what it is sent (the real server is exercised in realServer.test.ts).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { StoreClient } from '../../../src/core/store/storeClient';
import type { SyncProgressMessage } from '../../../src/core/mlflowSync/syncTasks';
import { appendEvents, metricEvents, tempWorkspace } from './syncWorkspace';

const workerPath = path.join(__dirname, '../helpers/storeWorkerFromSource.cjs');

interface StandIn {
  uri: string;
  /** Metrics received per key, in order, as sent. */
  points: Map<string, { step: number }[]>;
  batchSizes: number[];
  close(): Promise<void>;
}

async function standIn(): Promise<StandIn> {
  const points = new Map<string, { step: number }[]>();
  const batchSizes: number[] = [];
  let run: { info: Record<string, unknown>; data: { params: unknown[]; tags: unknown[] } } | undefined;
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      const url = new URL(req.url!, 'http://x');
      const endpoint = url.pathname.replace('/api/2.0/mlflow/', '');
      const send = (status: number, value: unknown) => {
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(value));
      };
      const input = body ? (JSON.parse(body) as Record<string, unknown>) : {};
      switch (endpoint) {
        case 'experiments/get-by-name':
          return send(404, { error_code: 'RESOURCE_DOES_NOT_EXIST', message: 'no such experiment' });
        case 'experiments/create':
          return send(200, { experiment_id: '1' });
        case 'runs/search':
          return send(200, { runs: run ? [run] : [] });
        case 'runs/create':
          run = { info: { run_id: 'remote-1', experiment_id: '1', run_name: input.run_name, artifact_uri: 'mlflow-artifacts:/1/remote-1/artifacts' }, data: { params: [], tags: [] } };
          return send(200, { run });
        case 'runs/log-batch': {
          const metrics = (input.metrics ?? []) as { key: string; step: number }[];
          batchSizes.push(metrics.length);
          for (const m of metrics) {
            const list = points.get(m.key) ?? [];
            list.push(m);
            points.set(m.key, list);
          }
          return send(200, {});
        }
        case 'metrics/get-history': {
          return send(200, { metrics: points.get(url.searchParams.get('metric_key')!) ?? [] });
        }
        case 'runs/update':
          return send(200, {});
        default:
          return send(404, { error_code: 'ENDPOINT_NOT_FOUND', message: endpoint });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    uri: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, points, batchSizes,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('mlflowSync in the store worker', function () {
  this.timeout(120_000);
  const uid = '20261122-060000-abcdabcd';
  const KEYS = ['loss', 'acc', 'lr'];
  const STEPS = 30_000;
  let root: string;
  beforeEach(() => {
    root = tempWorkspace('exptrack-mlflow-worker-');
    appendEvents(root, uid, [
      { t: 'run', v: 1, id: uid, name: 'long', experiment: 'e', started: 1732240000 },
      ...KEYS.flatMap((key) => metricEvents(key, 0, STEPS, 1732240000)),
      { t: 'end', status: 'finished', exit: 0, ended: 1732250000 },
    ]);
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('pushes every point once, in batches, with progress; a cancel stops it and the next push sends only the rest', async () => {
    const server = await standIn();
    const { client } = await StoreClient.start({ workerPath, workspaceRoot: root, dbPath: undefined, saveDelayMs: 50 });
    try {
      await client.call('ingest');
      const progress: SyncProgressMessage[] = [];
      // Cancel as soon as the first points went out.
      client.on('syncProgress', (m) => {
        progress.push(m);
        if (m.taskId === 1 && / points$/.test(m.message) && progress.length === 2) void client.call('cancelSync', 1);
      });
      const first = await client.call('mlflowSync', 1, { kind: 'push', server: { uri: server.uri }, runUids: [uid] });
      assert.ok(first.ok);
      assert.equal(first.push!.cancelled, true);
      const sentFirst = [...server.points.values()].reduce((n, p) => n + p.length, 0);
      assert.ok(sentFirst > 0 && sentFirst < KEYS.length * STEPS, `${sentFirst} points before the cancel took effect`);

      const second = await client.call('mlflowSync', 2, { kind: 'push', server: { uri: server.uri }, runUids: [uid] });
      assert.ok(second.ok && !second.push!.cancelled);
      for (const key of KEYS) {
        const got = server.points.get(key)!;
        assert.equal(got.length, STEPS, `${key}: every point once`);
        assert.deepEqual(got.map((p) => p.step), Array.from({ length: STEPS }, (_, i) => i));
      }
      assert.ok(Math.max(...server.batchSizes) <= 1000);
      assert.ok(progress.some((m) => m.taskId === 2 && /of 90,000 points$/.test(m.message)), 'progress counts the points');
      const state = JSON.parse(fs.readFileSync(path.join(root, '.exptrack', 'mlflow-sync.json'), 'utf8')) as {
        servers: Record<string, { runs: Record<string, { incomplete?: boolean; metrics: Record<string, { count: number }> }> }>;
      };
      const rec = state.servers[server.uri]!.runs[uid]!;
      assert.equal(rec.incomplete, false);
      for (const key of KEYS) assert.equal(rec.metrics[key]!.count, STEPS);

      const third = await client.call('mlflowSync', 3, { kind: 'push', server: { uri: server.uri }, runUids: [uid] });
      assert.ok(third.ok);
      assert.equal(third.push!.points, 0, 'nothing is sent twice');
    } finally {
      await client.close();
      await server.close();
    }
  });

  it('gives a server that cannot be reached back as a message, not a crash', async () => {
    const { client } = await StoreClient.start({ workerPath, workspaceRoot: root, dbPath: undefined, saveDelayMs: 50 });
    try {
      await client.call('ingest');
      const r = await client.call('mlflowSync', 1, { kind: 'pull', server: { uri: 'http://127.0.0.1:9' }, experiment: 'e' });
      assert.equal(r.ok, false);
      assert.match(!r.ok ? r.message : '', /127\.0\.0\.1:9/);
    } finally {
      await client.close();
    }
  });
});
