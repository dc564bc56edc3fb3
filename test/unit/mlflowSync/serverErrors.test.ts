/**
 * What a person sees when the server cannot be used (refused credentials, rate limits, nothing
 * listening), against a small stand-in HTTP server; and that nothing local changes then.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { MlflowRestClient } from '../../../src/core/mlflowSync/restClient';
import { parseTrackingUri } from '../../../src/core/mlflowSync/trackingServer';
import { freePort } from './mlflowServer';
import { appendEvents, cli, metricEvents, tempWorkspace } from './syncWorkspace';

type Handler = (req: http.IncomingMessage, body: string, res: http.ServerResponse) => void;

async function standIn(handler: Handler): Promise<{ uri: string; requests: string[]; close(): Promise<void> }> {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      requests.push(`${req.method} ${req.url} ${req.headers.authorization ?? ''}`);
      handler(req, body, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    uri: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function json(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

describe('mlflowSync errors from the server', () => {
  let root: string;
  const uid = '20261122-050000-eeeeeeee';
  beforeEach(() => {
    root = tempWorkspace('exptrack-mlflow-errors-');
    appendEvents(root, uid, [{ t: 'run', v: 1, id: uid, name: 'r', experiment: 'e', started: 1732240000 }, ...metricEvents('loss', 0, 10, 1732240000)]);
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('says the credentials were refused, sends the token as MLflow does, and leaves the workspace as it was', async () => {
    const server = await standIn((_req, _body, res) => json(res, 401, { error_code: 'UNAUTHENTICATED', message: 'Invalid token' }));
    try {
      const before = fs.readdirSync(path.join(root, '.exptrack', 'runs', uid));
      const r = await cli(root, ['mlflow', 'push', uid, '--uri', server.uri], { MLFLOW_TRACKING_TOKEN: 's3cret' });
      assert.equal(r.code, 2);
      assert.match(r.err, /refused experiments\/get-by-name on http:\/\/127\.0\.0\.1:\d+ \(HTTP 401: Invalid token\)/);
      assert.match(r.err, /MLFLOW_TRACKING_TOKEN/);
      assert.match(r.err, /nothing local was changed/);
      assert.equal(server.requests.length, 1);
      assert.match(server.requests[0]!, /Bearer s3cret$/);
      assert.deepEqual(fs.readdirSync(path.join(root, '.exptrack', 'runs', uid)), before);
      assert.ok(!fs.existsSync(path.join(root, '.exptrack', 'mlflow-sync.lock')), 'the lock is released');
    } finally {
      await server.close();
    }
  });

  it('names the server when nothing listens', async () => {
    const port = await freePort();
    const r = await cli(root, ['mlflow', 'pull', '--experiment', 'e', '--uri', `http://127.0.0.1:${port}`]);
    assert.equal(r.code, 2);
    assert.match(r.err, new RegExp(`cannot reach the MLflow server at http://127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\)`));
    assert.ok(!fs.readdirSync(path.join(root, '.exptrack', 'runs')).some((d) => d.startsWith('mlflow-')));
  });

  it('waits and retries when rate-limited, then gives up with the limit named', async () => {
    let calls = 0;
    const server = await standIn((_req, _body, res) => {
      calls++;
      if (calls === 1) json(res, 429, { error_code: 'REQUEST_LIMIT_EXCEEDED', message: 'slow down' }, { 'Retry-After': '0' });
      else json(res, 200, { experiment: { experiment_id: '7', name: 'e' } });
    });
    try {
      const client = new MlflowRestClient(parseTrackingUri(server.uri), { backoffMs: () => 1 });
      assert.equal((await client.getExperimentByName('e'))?.experiment_id, '7');
      assert.equal(calls, 2);
    } finally {
      await server.close();
    }
    const always = await standIn((_req, _body, res) => json(res, 429, { error_code: 'REQUEST_LIMIT_EXCEEDED', message: 'slow down' }));
    try {
      const client = new MlflowRestClient(parseTrackingUri(always.uri), { backoffMs: () => 1, attempts: 3 });
      await assert.rejects(client.getExperimentByName('e'), (e: Error & { kind?: string }) => e.kind === 'limit' && /limiting requests .*slow down/.test(e.message));
      assert.equal(always.requests.length, 3);
    } finally {
      await always.close();
    }
  });

  it('reports a run the server rejects and goes on with the others', async () => {
    const other = '20261122-050100-ffffffff';
    appendEvents(root, other, [{ t: 'run', v: 1, id: other, name: 'ok', experiment: 'e', started: 1732240100 }, ...metricEvents('loss', 0, 5, 1732240100)]);
    const server = await standIn((req, body, res) => {
      const url = req.url ?? '';
      if (url.includes('experiments/get-by-name')) return json(res, 200, { experiment: { experiment_id: '1', name: 'e' } });
      if (url.includes('runs/search')) return json(res, 200, {});
      if (url.includes('runs/create')) {
        const runId = body.includes(uid) ? 'gone' : 'fine';
        return json(res, 200, { run: { info: { run_id: runId, experiment_id: '1', artifact_uri: 's3://bucket/1/r' }, data: {} } });
      }
      if (url.includes('runs/log-batch') && body.includes('"gone"')) return json(res, 400, { error_code: 'INVALID_STATE', message: 'The run gone must be in the \'active\' state' });
      return json(res, 200, {});
    });
    try {
      const r = await cli(root, ['mlflow', 'push', '--all', '--uri', server.uri, '--json']);
      assert.equal(r.code, 1);
      const report = JSON.parse(r.out) as { runs: { uid: string; error?: string; points: number }[] };
      assert.match(report.runs.find((x) => x.uid === uid)!.error!, /INVALID_STATE\): The run gone must be in the 'active' state/);
      assert.equal(report.runs.find((x) => x.uid === other)!.points, 5);
    } finally {
      await server.close();
    }
  });
});
