import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { saveDatabase } from '../../../src/core/store/database';
import { Store } from '../../../src/core/store/store';

/** A run log of `steps` metric lines. */
function writeRun(root: string, id: string, steps: number, from = 0): void {
  const dir = path.join(root, '.exptrack', 'runs', id);
  fs.mkdirSync(dir, { recursive: true });
  const lines = from === 0 ? [JSON.stringify({ t: 'run', v: 1, id, name: id, experiment: 'e', started: 1732240000 }), JSON.stringify({ t: 'params', values: { lr: 0.1, id } })] : [];
  for (let s = from; s < from + steps; s++) lines.push(JSON.stringify({ t: 'metrics', step: s, time: 1732240001 + s, values: { loss: 1 / (s + 1), acc: s / 1000 } }));
  fs.appendFileSync(path.join(dir, 'events.jsonl'), lines.join('\n') + '\n');
}

describe('Store.save writes what changed', () => {
  let root: string;
  beforeEach(() => (root = fs.mkdtempSync(path.join(os.tmpdir(), 'exptrack-save-'))));
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('after opening and in the same store: a few pages, and the file equals a whole write byte for byte', async () => {
    for (let r = 0; r < 200; r++) writeRun(root, `r${r}`, 20);
    const dbFile = path.join(root, '.exptrack', 'exptrack.sqlite');
    {
      const { store } = await Store.open({ workspaceRoot: root });
      store.ingest();
      assert.equal(store.save(), fs.statSync(dbFile).size, 'the first save writes the whole file');
      store.close();
    }
    const { store } = await Store.open({ workspaceRoot: root });
    try {
      for (const step of [20, 30]) {
        writeRun(root, 'r7', 10, step);
        store.ingest();
        const written = store.save();
        const size = fs.statSync(dbFile).size;
        assert.ok(written > 0 && written < size / 3, `${written} bytes written for a file of ${size}`);
        const whole = path.join(root, 'whole.sqlite');
        saveDatabase(store.database, whole);
        assert.ok(fs.readFileSync(dbFile).equals(fs.readFileSync(whole)), `after step ${step}: the file differs from a whole write`);
      }
      assert.equal(store.save(), 0, 'nothing due');
    } finally {
      store.close();
    }
    const { store: reopened, info } = await Store.open({ workspaceRoot: root });
    try {
      assert.equal(info.fresh, null);
      assert.equal(reopened.ingest().points, 0, 'the file held everything');
    } finally {
      reopened.close();
    }
  });

  it('two stores on one file (two windows): a store whose file another saved since writes it whole, never pages into it', async () => {
    for (let r = 0; r < 200; r++) writeRun(root, `r${r}`, 20);
    const dbFile = path.join(root, '.exptrack', 'exptrack.sqlite');
    {
      const { store } = await Store.open({ workspaceRoot: root });
      store.ingest();
      store.save();
      store.close();
    }
    const { store: a } = await Store.open({ workspaceRoot: root });
    const { store: b } = await Store.open({ workspaceRoot: root });
    try {
      const size = () => fs.statSync(dbFile).size;
      writeRun(root, 'r1', 10, 20);
      a.ingest();
      assert.ok(a.save() < size() / 3, 'a: the file is as it opened it, pages only');
      b.ingest();
      assert.equal(b.save(), size(), 'b: a saved since b opened, so b writes the whole file');
      writeRun(root, 'r2', 10, 20);
      a.ingest();
      assert.equal(a.save(), size(), 'a: b replaced the file since, so a writes it whole');
      writeRun(root, 'r3', 10, 20);
      a.ingest();
      assert.ok(a.save() < size() / 3, 'a: its own file again, pages only');
    } finally {
      a.close();
      b.close();
    }
    const { store: reopened, info } = await Store.open({ workspaceRoot: root });
    try {
      assert.equal(info.fresh, null);
      assert.equal(reopened.ingest().points, 0, 'the last save holds everything');
    } finally {
      reopened.close();
    }
  });
});
