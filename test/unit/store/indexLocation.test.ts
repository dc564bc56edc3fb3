/**
 * Where the run index lives: in `.exptrack/` only when the workspace already has that folder and
 * it can be written, else outside the workspace (the extension's storage, the CLI's cache); the
 * copy kept outside moves in once `.exptrack/` exists; every CLI command agrees on the place.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../../src/cli/main';
import { chooseIndexLocation, cliIndexDir, workspaceKey } from '../../../src/core/store/indexLocation';
import { Store } from '../../../src/core/store/store';
import { treeListing } from '../../faults/support/fileHashes';

const CSV_LOG = 'epoch,accuracy,loss\n0,0.5,0.9\n1,0.7,0.6\n2,0.8,0.4\n';

describe('store/indexLocation', () => {
  let tmp: string;
  let root: string;
  let outside: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'exptrack-location-'));
    root = path.join(tmp, 'ws');
    outside = path.join(tmp, 'storage', 'ws-index');
    fs.mkdirSync(root);
    fs.writeFileSync(path.join(root, 'training_log.csv'), CSV_LOG);
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('puts the index outside a workspace without .exptrack/, inside one with it, and at a configured path always', () => {
    assert.deepEqual(chooseIndexLocation({ workspaceRoot: root, outsideDir: outside }), { dbPath: path.join(outside, 'exptrack.sqlite'), place: 'outside' });
    assert.deepEqual(chooseIndexLocation({ workspaceRoot: root, outsideDir: outside, configured: 'idx/my.sqlite' }), { dbPath: path.join(root, 'idx/my.sqlite'), place: 'configured' });
    fs.mkdirSync(path.join(root, '.exptrack'));
    assert.deepEqual(chooseIndexLocation({ workspaceRoot: root, outsideDir: outside }), { dbPath: path.join(root, '.exptrack', 'exptrack.sqlite'), place: 'workspace' });
  });

  it('keeps the index outside when .exptrack is not a usable folder, and says why', () => {
    fs.writeFileSync(path.join(root, '.exptrack'), 'not a folder');
    const location = chooseIndexLocation({ workspaceRoot: root, outsideDir: outside });
    assert.equal(location.place, 'outside');
    assert.equal(location.note, `${path.join(root, '.exptrack')} is not a folder`);
  });

  it('indexes a workspace without .exptrack/ and writes nothing into it', async () => {
    const before = treeListing(root);
    const { store, info } = await Store.open({ workspaceRoot: root, outsideDir: outside });
    assert.equal(info.place, 'outside');
    assert.equal(store.ingest().sourcesRead, 1);
    assert.ok(store.save() > 0);
    store.close();
    assert.deepEqual(treeListing(root), before);
    assert.ok(fs.existsSync(path.join(outside, 'exptrack.sqlite')));
    // The next start reads the saved index instead of the logs again.
    const again = await Store.open({ workspaceRoot: root, outsideDir: outside });
    assert.equal(again.info.fresh, null);
    assert.equal(again.store.listRuns().length, 1);
    assert.equal(again.store.ingest().sourcesRead, 0);
    again.store.close();
  });

  it('moves the index in once .exptrack/ exists (a first recorded run), with the .gitignore before it', async () => {
    // Long enough that whole chunks go to the series files beside the index.
    const rows = Array.from({ length: 10_000 }, (_, i) => `${i},${(i / 10_000).toFixed(4)},${(1 - i / 10_000).toFixed(4)}`);
    fs.writeFileSync(path.join(root, 'training_log.csv'), `epoch,accuracy,loss\n${rows.join('\n')}\n`);
    const first = await Store.open({ workspaceRoot: root, outsideDir: outside });
    first.store.ingest();
    first.store.save();
    first.store.close();
    const outsideSeries = fs.readdirSync(path.join(outside, 'exptrack.sqlite.series'));
    assert.ok(outsideSeries.length > 0, 'the points were saved in series files beside the index');
    fs.mkdirSync(path.join(root, '.exptrack'));
    const { store, info } = await Store.open({ workspaceRoot: root, outsideDir: outside });
    assert.equal(info.place, 'workspace');
    assert.equal(info.dbPath, path.join(root, '.exptrack', 'exptrack.sqlite'));
    assert.equal(info.fresh, null, 'the saved index is used, not rebuilt');
    assert.equal(store.listRuns().length, 1);
    assert.equal(store.ingest().sourcesRead, 0, 'no source is read again');
    store.close();
    assert.equal(fs.existsSync(path.join(outside, 'exptrack.sqlite')), false, 'no stale copy is left outside');
    assert.equal(fs.existsSync(path.join(outside, 'exptrack.sqlite.series')), false, 'nor its series files');
    assert.deepEqual(fs.readdirSync(path.join(root, '.exptrack', 'exptrack.sqlite.series')), outsideSeries);
    assert.match(fs.readFileSync(path.join(root, '.exptrack', '.gitignore'), 'utf8'), /^exptrack\.sqlite\*$/m);
  });

  it('drops an outside copy when .exptrack/ already has its own index', async () => {
    fs.mkdirSync(path.join(root, '.exptrack'));
    const inside = await Store.open({ workspaceRoot: root, outsideDir: outside });
    inside.store.ingest();
    inside.store.save();
    inside.store.close();
    fs.mkdirSync(outside, { recursive: true });
    fs.writeFileSync(path.join(outside, 'exptrack.sqlite'), 'an older copy');
    const { store, info } = await Store.open({ workspaceRoot: root, outsideDir: outside });
    assert.equal(info.fresh, null);
    store.close();
    assert.equal(fs.existsSync(path.join(outside, 'exptrack.sqlite')), false);
  });

  it('never creates .exptrack/ for the index, nor brings back one that was deleted', async () => {
    fs.mkdirSync(path.join(root, '.exptrack'));
    const { store } = await Store.open({ workspaceRoot: root, outsideDir: outside });
    store.ingest();
    fs.rmSync(path.join(root, '.exptrack'), { recursive: true });
    assert.equal(store.save(), 0);
    assert.equal(store.needsSave, true, 'still unsaved: kept in memory');
    store.close();
    assert.equal(fs.existsSync(path.join(root, '.exptrack')), false);
  });

  it('names the CLI cache folder after the workspace, under $XDG_CACHE_HOME or ~/.cache', () => {
    assert.match(workspaceKey(root), /^ws-[0-9a-f]{16}$/);
    assert.notEqual(workspaceKey(root), workspaceKey(path.join(tmp, 'other', 'ws')));
    assert.equal(cliIndexDir(root, { XDG_CACHE_HOME: '/c' }), path.join('/c', 'exptrack', workspaceKey(root)));
    assert.equal(cliIndexDir(root, { XDG_CACHE_HOME: 'relative/is/ignored' }), path.join(os.homedir(), '.cache', 'exptrack', workspaceKey(root)));
  });

  describe('the CLI', () => {
    let savedCache: string | undefined;
    beforeEach(() => {
      savedCache = process.env.XDG_CACHE_HOME;
      process.env.XDG_CACHE_HOME = path.join(tmp, 'cache');
    });
    afterEach(() => {
      if (savedCache === undefined) delete process.env.XDG_CACHE_HOME;
      else process.env.XDG_CACHE_HOME = savedCache;
    });

    async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
      let out = '';
      let err = '';
      const code = await main(args, { stdout: (s) => (out += s), stderr: (s) => (err += s), cwd: root });
      return { code, out, err };
    }

    it('ingest, runs and show agree on an index kept in the cache folder, and the workspace is left as found', async () => {
      const before = treeListing(root);
      assert.equal((await cli('ingest')).code, 0);
      const cached = path.join(tmp, 'cache', 'exptrack', workspaceKey(root), 'exptrack.sqlite');
      assert.ok(fs.existsSync(cached), 'the index is in the cache folder');
      const runs = JSON.parse((await cli('runs', '--json')).out) as Array<{ uid: string }>;
      assert.equal(runs.length, 1);
      const shown = await cli('show', runs[0]!.uid, '--json');
      assert.equal(shown.code, 0, shown.err);
      assert.deepEqual(treeListing(root), before);
    });

    it('takes --db instead', async () => {
      const db = path.join(tmp, 'elsewhere', 'index.sqlite');
      assert.equal((await cli('--db', db, 'ingest')).code, 0);
      assert.ok(fs.existsSync(db));
      assert.equal(fs.existsSync(path.join(tmp, 'cache')), false);
    });
  });
});
