import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ModelRegistryEvent, RegistryEvent } from '../../../src/shared/registryEvents';
import {
  MAX_REGISTRY_LINE_BYTES, newRegistryEventId, openRegistryAppender, RegistryAppender, registryFilePath, RegistryWriteError,
} from '../../../src/core/registry/registryAppender';
import { foldModelRegistry } from '../../../src/core/registry/modelVersionsFold';
import { listModels } from '../../../src/core/registry/modelQueries';
import { Store } from '../../../src/core/store/store';

const WORKER = path.join(__dirname, 'support', 'appendWorker.ts');

function readLines(file: string): string[] {
  return fs.readFileSync(file, 'utf8').split('\n').filter((l) => l !== '');
}

describe('registry appender', () => {
  let root: string;
  beforeEach(() => (root = fs.mkdtempSync(path.join(os.tmpdir(), 'exptrack-append-'))));
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('makes ids that sort by time, and strictly increasing times even when the clock stands still', () => {
    assert.ok(newRegistryEventId(1_000) < newRegistryEventId(2_000));
    assert.match(newRegistryEventId(), /^[0-9a-z]{9}-[0-9a-f]{16}$/);
    const appender = new RegistryAppender(path.join(root, 'r.jsonl'), 'ann', () => 1_732_240_000_000);
    const a = appender.envelope();
    const b = appender.envelope();
    assert.ok(b.time > a.time);
    assert.equal(a.actor, 'ann');
  });

  it('writes one valid line per event and creates .exptrack/ with its .gitignore', async () => {
    const appender = await openRegistryAppender(root, 'Ann <ann@example.com>');
    const written = appender.appendDraft({ t: 'model.alias', name: 'churn', alias: 'staging', version: 1, reason: 'smoke test passed' });
    const lines = readLines(registryFilePath(root));
    assert.equal(lines.length, 1);
    assert.deepEqual(JSON.parse(lines[0]!), written);
    assert.ok(RegistryEvent.safeParse(JSON.parse(lines[0]!)).success);
    assert.ok(fs.existsSync(path.join(root, '.exptrack', '.gitignore')));
  });

  it('refuses an invalid event and a line over 4 KB, leaving the file as it was', () => {
    const file = path.join(root, 'r.jsonl');
    const appender = new RegistryAppender(file, 'ann');
    assert.throws(() => appender.appendDraft({ t: 'model.alias', name: 'churn', alias: 'staging', version: 1, reason: '   ' }), /reason is required/);
    assert.throws(() => appender.appendDraft({ t: 'model.alias', name: 'churn', alias: 'bad\nalias', version: 1, reason: 'x' }), RegistryWriteError);
    const long = 'é'.repeat(990); // 1,980 bytes of UTF-8 in each of two fields
    assert.throws(
      () => appender.appendDraft({ t: 'model.register', name: 'churn', version: 1, path: `${long}.onnx`, description: `${long}${long.slice(0, 10)}` }),
      new RegExp(`limited to ${MAX_REGISTRY_LINE_BYTES}`),
    );
    assert.equal(fs.existsSync(file), false);
  });

  it('starts on a new line when the file ends inside a broken line', () => {
    const file = path.join(root, 'r.jsonl');
    fs.writeFileSync(file, '{"t":"model.alias","id":"half');
    new RegistryAppender(file, 'ann').appendDraft({ t: 'model.unalias', name: 'm', alias: 'a', reason: 'r' });
    const lines = readLines(file);
    assert.equal(lines.length, 2);
    assert.equal(JSON.parse(lines[1]!).t, 'model.unalias');
  });

  it('loses nothing when four processes append 1,000 events each, and folds them deterministically', async function () {
    this.timeout(120_000);
    const writers = 4;
    const perWriter = 1000;
    fs.mkdirSync(path.join(root, '.exptrack'));
    const file = registryFilePath(root);
    const go = path.join(root, 'go');
    const children = Array.from({ length: writers }, (_, w) => {
      const child = spawn(process.execPath, ['--require', require.resolve('tsx/cjs'), WORKER, file, String(w + 1), String(perWriter), go], { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr!.on('data', (d) => (stderr += String(d)));
      return new Promise<void>((resolve, reject) => child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`writer ${w + 1} exited ${code}: ${stderr}`)))));
    });
    // All writers are loaded before any starts, so their appends overlap.
    await new Promise((r) => setTimeout(r, 1500));
    fs.writeFileSync(go, '');
    await Promise.all(children);

    const lines = readLines(file);
    assert.equal(lines.length, writers * perWriter);
    const events = lines.map((l) => ModelRegistryEvent.parse(JSON.parse(l)));
    assert.equal(new Set(events.map((e) => e.id)).size, events.length);
    for (let w = 1; w <= writers; w++) {
      const own = events.filter((e) => e.actor === `writer-${w}`);
      assert.equal(own.length, perWriter);
      // Each writer's events are complete and keep their order in time.
      assert.deepEqual(own.map((e) => (e.t === 'model.register' ? e.version : e.t === 'model.alias' ? e.version + 1 : 0)), Array.from({ length: perWriter }, (_, i) => i + 1));
      assert.ok(own.every((e, i) => i === 0 || e.time > own[i - 1]!.time));
    }

    const { store } = await Store.open({ workspaceRoot: root, dbPath: null });
    const report = store.ingest();
    assert.deepEqual(report.problems, []);
    const [churn] = listModels(store.database);
    const registrations = writers * perWriter * 0.9;
    assert.equal(churn!.versions.length, registrations);
    const numbers = churn!.versions.map((v) => v.version);
    assert.equal(new Set(numbers).size, registrations);
    // Each written number went to the earliest (time, id) registration; the others follow the highest.
    const claimed = Array.from({ length: perWriter - 1 }, (_, i) => i + 1).filter((n) => n % 10 !== 0);
    const renumbered = Array.from({ length: registrations - claimed.length }, (_, i) => perWriter + i);
    assert.deepEqual(numbers, [...claimed, ...renumbered]);
    const sorted = [...events].sort((a, b) => a.time - b.time || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    for (const n of claimed.slice(0, 50)) {
      const first = sorted.find((e) => e.t === 'model.register' && e.version === n)!;
      assert.equal(churn!.versions[claimed.indexOf(n)]!.registrationId, first.id);
    }
    const lastAlias = sorted.filter((e) => e.t === 'model.alias').at(-1)!;
    assert.deepEqual(churn!.aliases.map((a) => [a.alias, a.version]), [['challenger', lastAlias.t === 'model.alias' ? lastAlias.version : -1]]);

    // The same file read again from scratch, and the events in another order, fold the same.
    const again = (await Store.open({ workspaceRoot: root, dbPath: null })).store;
    again.ingest();
    assert.deepEqual(listModels(again.database), listModels(store.database));
    const inputs = { logged: [], external: [], externalAliases: [] };
    assert.deepEqual(foldModelRegistry({ ...inputs, events: [...events].reverse() }), foldModelRegistry({ ...inputs, events }));
    store.close();
    again.close();
  });
});
