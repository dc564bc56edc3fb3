/**
 * Many writers at once on one workspace: two store hosts (child processes, each with a store
 * worker saving the same database file, as two VS Code windows would), the CLI ingesting and
 * registering model versions in a loop, and four Python training processes logging through
 * python/exptrack.py. When all have stopped, every metric point the trainers logged and every
 * registry event the hosts and the CLI appended must be in each host's index, in the database
 * file the last saver left (caught up) and in a rebuild from nothing.
 *
 * FAULTS_WRITERS_SECONDS sets how long the writers run (default 60; `npm test` uses less).
 */
import * as assert from 'node:assert/strict';
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Store } from '../../src/core/store/store';
import type { HostMessage } from './helpers/storeHost';
import { faultBundles, REPO_ROOT, SQL_WASM } from './support/bundle';
import { pointCount, registryEventIds, snapshotOf, type IndexSnapshot } from './support/indexSnapshot';
import { cleanEnv, exited, startNode } from './support/processes';

const SECONDS = Number(process.env.FAULTS_WRITERS_SECONDS ?? 60);
const TRAINERS = 4;
const PYTHON = process.env.PYTHON ?? 'python3';

type Counts = Record<string, Record<string, number>>;

describe('faults: many writers at once', function () {
  this.timeout(SECONDS * 1000 + 240_000);
  let root: string;
  const children: ChildProcess[] = [];
  beforeEach(() => (root = fs.mkdtempSync(path.join(os.tmpdir(), 'exptrack-faults-writers-'))));
  afterEach(() => {
    for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    fs.rmSync(root, { recursive: true, force: true });
  });

  it(`loses no metric point and no registry event in ${SECONDS} s of two hosts, the CLI and ${TRAINERS} trainers`, async () => {
    const bundles = await faultBundles();
    const exptrackDir = path.join(root, '.exptrack');
    fs.mkdirSync(exptrackDir);
    const started = Date.now();

    const hosts = ['host-a', 'host-b'].map((name) => startHost(bundles.storeHost, root, name));
    children.push(...hosts.map((h) => h.child));
    for (const h of hosts) assert.equal((await h.next('opened')).kind, 'opened');

    const trainers = Array.from({ length: TRAINERS }, (_, i) => {
      const child = spawn(PYTHON, [path.join(__dirname, 'helpers/trainer.py'), exptrackDir, String(SECONDS), String(1000 + i)],
        { env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
      children.push(child);
      let out = '';
      child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
      return exited(child).then((code) => ({ code, out }));
    });

    // The CLI: `exptrack ingest`, and every third time `exptrack register` of a new model file.
    const cli = { ingests: 0, registered: 0, failures: [] as string[] };
    const deadline = started + SECONDS * 1000;
    for (let i = 0; Date.now() < deadline; i++) {
      const args = ['--workspace', root, 'ingest'];
      const runUid = i % 3 === 2 ? someRunUid(exptrackDir) : undefined;
      if (runUid) {
        const model = path.join(root, 'models', `m${i}.pt`);
        fs.mkdirSync(path.dirname(model), { recursive: true });
        fs.writeFileSync(model, randomBytes(256));
        args.splice(2, 1, 'register', '--run', runUid, '--path', model, '--name', 'faults-model');
      }
      const child = startNode(bundles.cli, args, root);
      children.push(child);
      const code = await exited(child);
      if (code !== 0) cli.failures.push(`exptrack ${args.slice(2).join(' ')} → ${code}: ${child.output()}`);
      else if (runUid) {
        assert.match(child.output(), /^Registered faults-model v\d+/m);
        cli.registered++;
      } else cli.ingests++;
    }

    const trained = await Promise.all(trainers);
    const written: Counts = {};
    let pointsWritten = 0;
    for (const t of trained) {
      assert.equal(t.code, 0, `a trainer failed: ${t.out}`);
      const result = JSON.parse(t.out.trim().split('\n').at(-1)!) as { runs: Counts; points: number };
      Object.assign(written, result.runs);
      pointsWritten += result.points;
    }

    const hostIds: string[] = [];
    for (const h of hosts) {
      h.child.send('stop-writing');
      const m = await h.next('written');
      if (m.kind === 'written') hostIds.push(...m.ids);
    }
    const eventsWritten = hostIds.length + cli.registered;
    const finals = [];
    for (const h of hosts) {
      h.child.send('final');
      const m = await h.next('final');
      if (m.kind === 'final') finals.push(m);
      assert.equal(await exited(h.child), 0);
    }

    // Each host's own index, after its last ingest.
    for (const [i, f] of finals.entries()) {
      assert.deepEqual(f.problems, [], `host ${i} reports problems`);
      assert.deepEqual(f.saveFailures, [], `host ${i} could not save`);
      assert.deepEqual(f.points, written, `host ${i}: metric points per run and key differ from what the trainers logged`);
      assert.deepEqual([...f.tags].sort(), [...hostIds].sort(), `host ${i}: registry events of the hosts`);
    }
    // The database file the last saver left, caught up; and a rebuild from the sources alone.
    const { store: fromFile, info } = await Store.open({ workspaceRoot: root, wasmPath: SQL_WASM });
    const { store: rebuilt } = await Store.open({ workspaceRoot: root, dbPath: null, wasmPath: SQL_WASM });
    try {
      assert.equal(info.fresh, null, `the database file did not open: ${info.reason}`);
      fromFile.ingest();
      rebuilt.ingest();
      const fileSnapshot = snapshotOf(fromFile);
      const rebuiltSnapshot = snapshotOf(rebuilt);
      assert.deepStrictEqual(fileSnapshot, rebuiltSnapshot);
      assert.deepEqual(countsOf(rebuiltSnapshot), written);
      assert.deepEqual(fromFile.problems(), []);
      const ids = registryEventIds(rebuilt);
      const missing = hostIds.filter((id) => !ids.has(id));
      assert.deepEqual(missing, [], 'registry events of the hosts missing from the index');
      const registrations = rebuilt.database.exec("SELECT count(*) FROM registry_events WHERE type = 'model.register'")[0]!.values[0]![0];
      assert.equal(registrations, cli.registered);
      const registryLines = fs.readFileSync(path.join(exptrackDir, 'registry.jsonl'), 'utf8').split('\n').filter((l) => l.trim() !== '');
      assert.equal(registryLines.length, eventsWritten, 'lines in registry.jsonl');
      assert.deepEqual(cli.failures, []);

      const pointsFound = pointCount(rebuiltSnapshot);
      assert.equal(pointsFound, pointsWritten);
      const eventsFound = ids.size;
      assert.equal(eventsFound, eventsWritten);
      console.log(`faults: many writers ${SECONDS} s: 2 store hosts (${finals.map((f) => `${f.ingests} ingests, ${f.saves} saves`).join('; ')}), `
        + `CLI ${cli.ingests} ingests + ${cli.registered} registrations, ${TRAINERS} trainers with ${Object.keys(written).length} runs; `
        + `points written ${pointsWritten}, points found ${pointsFound} (in each host ${finals.map((f) => pointsIn(f.points)).join(' and ')}, `
        + `in the database file ${pointCount(fileSnapshot)}); events written ${eventsWritten}, events found ${eventsFound}; `
        + `${((Date.now() - started) / 1000).toFixed(1)} s`);
    } finally {
      fromFile.close();
      rebuilt.close();
    }
  });
});

interface Host {
  child: ChildProcess;
  next(kind: HostMessage['kind']): Promise<HostMessage>;
}

function startHost(script: string, root: string, name: string): Host {
  const child = fork(script, [root, name], { env: cleanEnv(), stdio: ['ignore', 'inherit', 'inherit', 'ipc'], cwd: REPO_ROOT });
  const queue: HostMessage[] = [];
  const waiting: { kind: string; resolve: (m: HostMessage) => void }[] = [];
  child.on('message', (m: HostMessage) => {
    const w = waiting.findIndex((x) => x.kind === m.kind);
    if (w >= 0) waiting.splice(w, 1)[0]!.resolve(m);
    else queue.push(m);
  });
  return {
    child,
    next: (kind) => {
      const i = queue.findIndex((m) => m.kind === kind);
      if (i >= 0) return Promise.resolve(queue.splice(i, 1)[0]!);
      return new Promise((resolve, reject) => {
        waiting.push({ kind, resolve });
        child.once('exit', (code) => reject(new Error(`${name} exited (${code}) before sending "${kind}"`)));
      });
    },
  };
}

/** A run the trainers have started (its events.jsonl has a line), for the CLI to register a model from. */
function someRunUid(exptrackDir: string): string | undefined {
  const runsDir = path.join(exptrackDir, 'runs');
  const uids = fs.existsSync(runsDir) ? fs.readdirSync(runsDir).sort() : [];
  return uids.find((uid) => {
    try {
      return fs.statSync(path.join(runsDir, uid, 'events.jsonl')).size > 0;
    } catch {
      return false;
    }
  });
}

function countsOf(s: IndexSnapshot): Counts {
  return Object.fromEntries(s.runs.map((r) => [r.uid, Object.fromEntries(Object.entries(r.metrics).map(([k, p]) => [k, p.length]))]));
}

function pointsIn(c: Counts): number {
  return Object.values(c).reduce((n, keys) => n + Object.values(keys).reduce((a, b) => a + b, 0), 0);
}
