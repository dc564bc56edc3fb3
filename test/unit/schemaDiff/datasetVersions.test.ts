import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Store } from '../../../src/core/store/store';
import { firstUsed } from '../../../src/shared/datasetVersions';
import { runChoices } from '../../../src/extension/schemaDiff/runChoices';

function writeRun(root: string, id: string, lines: object[]): void {
  const dir = path.join(root, '.exptrack', 'runs', id);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'events.jsonl'), lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
}

const start = (id: string, started: number, extra: object = {}) => ({ t: 'run', v: 1, id, name: `run ${id}`, experiment: 'exp', started, ...extra });

describe('dataset versions seen in runs', () => {
  let root: string;
  beforeEach(() => (root = fs.mkdtempSync(path.join(os.tmpdir(), 'exptrack-datasets-'))));
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('lists each (path, hash) once with the runs that read it, earliest first, without deleted runs', async () => {
    writeRun(root, 'r2', [start('r2', 200, { git: { commit: 'c2' } }), { t: 'dataset', path: 'data/train.csv', role: 'train', sha256: 'bbb', rows: 4 }, { t: 'dataset', path: 'data/val.csv', role: 'eval', sha256: 'vvv' }]);
    writeRun(root, 'r1', [start('r1', 100, { git: { commit: 'c1' } }), { t: 'dataset', path: 'data/train.csv', role: 'train', sha256: 'aaa', rows: 3, bytes: 30 }]);
    writeRun(root, 'r3', [start('r3', 300), { t: 'dataset', path: 'data/train.csv', role: 'train', sha256: 'bbb', rows: 4 }]);
    writeRun(root, 'r4', [start('r4', 400), { t: 'dataset', path: 'data/nohash.csv' }]);
    const { store } = await Store.open({ workspaceRoot: root, dbPath: null });
    store.ingest();
    const versions = store.datasetVersions();
    assert.deepEqual(versions.map((v) => [v.path, v.sha256, v.uses.map((u) => u.runUid)]), [
      ['data/nohash.csv', null, ['r4']],
      ['data/train.csv', 'aaa', ['r1']],
      ['data/train.csv', 'bbb', ['r2', 'r3']],
      ['data/val.csv', 'vvv', ['r2']],
    ]);
    const aaa = versions[1]!;
    assert.deepEqual(aaa, {
      path: 'data/train.csv', sha256: 'aaa', rows: 3, bytes: 30,
      uses: [{ runUid: 'r1', runName: 'run r1', experiment: 'exp', role: 'train', started: 100, gitCommit: 'c1' }],
    });
    assert.equal(firstUsed(versions[2]!), 200);

    const runs = runChoices(versions);
    assert.deepEqual(runs.map((r) => [r.uid, r.datasets.map((d) => `${d.version.path}@${d.version.sha256}:${d.role}`)]), [
      ['r4', ['data/nohash.csv@null:null']],
      ['r3', ['data/train.csv@bbb:train']],
      ['r2', ['data/train.csv@bbb:train', 'data/val.csv@vvv:eval']],
      ['r1', ['data/train.csv@aaa:train']],
    ]);

    // A deleted run no longer counts, and a version only it read disappears.
    fs.writeFileSync(path.join(root, '.exptrack', 'registry.jsonl'), `${JSON.stringify({ id: 'e1', time: 500, actor: 't', t: 'run.delete', run: 'r1' })}\n`);
    store.ingest();
    assert.equal(store.getRun('r1')?.hidden, true);
    assert.deepEqual(store.datasetVersions().map((v) => v.sha256), [null, 'bbb', 'vvv']);
  });
});
