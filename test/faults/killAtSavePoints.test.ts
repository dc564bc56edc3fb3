/**
 * Kill -9 at chosen points of a save that writes only the pages that changed: before its journal
 * is in place, once it is, after the first page written into the index, after page 1 (the
 * checksum), after the index's fsync. Each time the index must open as it was (the previous save)
 * or as the killed save would have left it, never set aside; a journal that was complete is
 * replayed, and then removed; and catching up must equal a rebuild from the sources, row by row.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Store } from '../../src/core/store/store';
import { faultBundles, SQL_WASM } from './support/bundle';
import { firstDifference, snapshotOf, type IndexSnapshot } from './support/indexSnapshot';
import { KILL_POINTS, type KillPoint } from './support/savePoints';
import { exited, startNode } from './support/processes';
import { seededRng, WorkspaceWriter } from './support/workspaceWriter';

/** What opening after the kill must find: the killed save's content is in the index once its journal was linked. */
const EXPECTED: Record<KillPoint, 'previous' | 'new'> = {
  'journal-written': 'previous', 'journal-linked': 'new', 'mid-apply': 'new', 'page-1-written': 'new', 'applied': 'new',
};

describe('faults: kill -9 at each point of a save of changed pages', function () {
  this.timeout(120_000);
  let root: string;
  beforeEach(() => (root = fs.mkdtempSync(path.join(os.tmpdir(), 'exptrack-faults-points-'))));
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  const open = async (dbPath?: null) => (await Store.open({ workspaceRoot: root, wasmPath: SQL_WASM, ...(dbPath === null ? { dbPath } : {}) }));
  const indexed = async (dbPath?: null): Promise<IndexSnapshot> => {
    const { store } = await open(dbPath);
    try {
      store.ingest();
      return snapshotOf(store);
    } finally {
      store.close();
    }
  };

  for (const [i, point] of KILL_POINTS.entries()) {
    it(`killed ${point}: the index opens with the ${EXPECTED[point]} content, and catching up equals a rebuild`, async () => {
      const { killedSave, cli } = await faultBundles();
      const writer = new WorkspaceWriter(root, seededRng(100 + i));
      // Many runs, so that one more is a few pages of many.
      for (let r = 0; r < 150; r++) writer.startRun();
      for (let n = 0; n < 600; n++) writer.appendMetrics(2);
      writer.completeLines();
      const dbFile = path.join(root, '.exptrack', 'exptrack.sqlite');
      {
        const { store } = await open();
        store.ingest();
        store.save();
        store.close();
      }
      const previous = await indexedWithoutIngest();
      // A little more to index: the child's save changes a few pages of a file of many.
      writer.startRun();
      for (let n = 0; n < 3; n++) writer.appendMetrics(1);
      writer.appendRegistryTag();
      writer.completeLines();
      const rebuilt = await indexed(null);
      assert.deepStrictEqual(rebuilt, writer.expected());
      assert.notDeepStrictEqual(rebuilt, previous);

      const child = startNode(killedSave, [root, point]);
      const code = await exited(child);
      assert.equal(code, 'SIGKILL', `the child was not killed at ${point} (exit ${code}): ${child.output()}`);
      const journalLeft = fs.existsSync(`${dbFile}.journal`);
      assert.equal(journalLeft, point !== 'journal-written', 'a journal is in place exactly once it was linked');
      // Once, the CLI is the one to open it: it completes the save and says so on stderr.
      const viaCli = point === 'mid-apply';
      if (viaCli) {
        const cliRun = startNode(cli, ['--workspace', root, 'runs', '--json'], root);
        assert.equal(await exited(cliRun), 0, cliRun.output());
        assert.match(cliRun.output(), /exptrack: opening the run index: a save cut short was completed from its journal: \S+exptrack\.sqlite\.journal/);
      }

      const { store, info } = await open();
      try {
        assert.equal(info.fresh, null, `the index was ${info.fresh} (${info.reason})`);
        const found = snapshotOf(store);
        const want = EXPECTED[point] === 'new' ? rebuilt : previous;
        assert.equal(firstDifference(found, want), null);
        assert.deepStrictEqual(found, want);
        if (journalLeft && !viaCli) assert.match(info.recovery ?? '', /completed from its journal/);
        assert.deepEqual(fs.readdirSync(path.dirname(dbFile)).filter((f) => f.endsWith('.journal') || f.endsWith('.tmp')), [], 'journal or temp files left');
        store.ingest();
        const caughtUp = snapshotOf(store);
        assert.equal(firstDifference(caughtUp, rebuilt), null);
        assert.deepStrictEqual(caughtUp, rebuilt);
      } finally {
        store.close();
      }
      // The file the replay left is a whole, checksummed index: it opens as it is, with no journal.
      const again = await open();
      try {
        assert.equal(again.info.fresh, null);
        assert.equal(again.info.recovery, undefined);
      } finally {
        again.store.close();
      }
      console.log(`faults: killed ${point}: opened${viaCli ? ' by the CLI' : ''} with the ${EXPECTED[point]} content${journalLeft ? ` (${viaCli ? 'said on stderr' : info.recovery?.replace(/: \S+$/, '')})` : ''}; `
        + `caught up equal to a rebuild: ${rebuilt.runs.length} runs, compared row by row`);
    });
  }

  async function indexedWithoutIngest(): Promise<IndexSnapshot> {
    const { store } = await open();
    try {
      return snapshotOf(store);
    } finally {
      store.close();
    }
  }
});
