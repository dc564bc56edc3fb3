/**
 * A write error on save. On a real full disk (a 2 MB tmpfs, when this machine lets us mount one)
 * and through a failing file-system stub (injected write, fsync, rename and open errors, also
 * short writes): the save fails with a message that says what and where, the database file from
 * the last save is left as it was, no temp file stays behind, no source file changes, and the next
 * save after the fault is gone writes everything.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Store } from '../../src/core/store/store';
import { StoreClient } from '../../src/core/store/storeClient';
import { faultBundles, SQL_WASM } from './support/bundle';
import { hashFile, hashTree, isSourceFile } from './support/fileHashes';
import { pointCount, snapshotOf } from './support/indexSnapshot';
import { mountTmpfs } from './support/mounts';
import { exited, startNode } from './support/processes';
import { seededRng, WorkspaceWriter } from './support/workspaceWriter';

const TEMP_FILE = /^exptrack\.sqlite\..*\.tmp$/;
const SAVE_FAILED = /^could not save the run index to \S*exptrack\.sqlite: /;

describe('faults: write errors on save', function () {
  this.timeout(120_000);
  let root: string;
  let unmount: (() => void) | undefined;
  beforeEach(() => (root = fs.mkdtempSync(path.join(os.tmpdir(), 'exptrack-faults-disk-'))));
  afterEach(() => {
    unmount?.();
    unmount = undefined;
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('disk full (a 2 MB tmpfs): clear message, nothing damaged, the next save succeeds when space returns', async function () {
    const mounted = mountTmpfs(root, 2 * 1024 * 1024);
    if (!mounted.ok) {
      console.log(`faults: disk full on tmpfs SKIPPED: cannot mount here (${mounted.reason}); the failing-fs stub test covers the same path`);
      this.skip();
    }
    unmount = mounted.unmount;
    const { cli, storeWorker } = await faultBundles();
    const writer = new WorkspaceWriter(root, seededRng(7));
    for (let i = 0; i < 3; i++) writer.startRun();
    for (let i = 0; i < 600; i++) writer.appendMetrics(2);
    writer.completeLines();
    const dbFile = path.join(root, '.exptrack', 'exptrack.sqlite');
    const { store } = await Store.open({ workspaceRoot: root, wasmPath: SQL_WASM });
    try {
      store.ingest();
      assert.ok(store.save() > 0);
      // More to index than the last save holds, then no space left.
      writer.startRun();
      for (let i = 0; i < 300; i++) writer.appendMetrics(2);
      writer.completeLines();
      const dbBefore = hashFile(dbFile);
      const sourcesBefore = hashTree(root, isSourceFile);
      const filled = fillDisk(path.join(root, 'filler'));
      store.ingest();

      // The store itself.
      const error = catchError(() => store.save());
      assert.match(error, SAVE_FAILED);
      assert.match(error, /ENOSPC/);
      // The CLI: exit 2, one clear line, no stack trace.
      const cliRun = startNode(cli, ['--workspace', root, 'ingest'], root);
      assert.equal(await exited(cliRun), 2);
      assert.match(cliRun.output(), /exptrack ingest: could not save the run index to \S+: ENOSPC/);
      assert.doesNotMatch(cliRun.output(), /^\s+at /m);
      // The store worker (the extension's): saveFailed with the message, then saved once space returns.
      const { client } = await StoreClient.start({ workerPath: storeWorker, workspaceRoot: root, dbPath: undefined, wasmPath: SQL_WASM, saveDelayMs: 10 });
      const workerFailure = new Promise<string>((resolve) => client.once('saveFailed', resolve));
      await client.call('ingest');
      assert.match(await workerFailure, SAVE_FAILED);

      assert.equal(hashFile(dbFile), dbBefore, 'the database file changed');
      assert.deepEqual(tempFiles(root), [], 'temp files left behind');
      assert.deepEqual(hashTree(root, isSourceFile), sourcesBefore, 'a source file changed');

      fs.rmSync(path.join(root, 'filler'));
      const workerSaved = new Promise<number>((resolve) => client.once('saved', resolve));
      await client.call('listRuns'); // any request schedules the save that is still due
      assert.ok((await workerSaved) > 0);
      await client.close();
      const bytes = store.save();
      assert.ok(bytes > 0);
      const { store: reopened, info } = await Store.open({ workspaceRoot: root, wasmPath: SQL_WASM });
      try {
        assert.equal(info.fresh, null);
        const snapshot = snapshotOf(reopened); // no ingest: the saved file itself holds everything
        assert.deepStrictEqual(snapshot, writer.expected());
        console.log(`faults: disk full (tmpfs 2 MB, ${(filled / 1e6).toFixed(2)} MB filler): store, CLI (exit 2) and worker all report `
          + `"${error.slice(0, 110)}…"; database file unchanged, 0 temp files, ${sourcesBefore.size} source files unchanged; `
          + `space returned: worker saved, store saved ${bytes} bytes, reopened with points written ${writer.pointsWritten}, points found ${pointCount(snapshot)}`);
      } finally {
        reopened.close();
      }
    } finally {
      store.close();
    }
  });

  describe('failing file-system stub', () => {
    type Stubbed = 'writeSync' | 'fsyncSync' | 'renameSync' | 'openSync' | 'closeSync';
    const errno = (code: string, syscall: string) => Object.assign(new Error(`${code}: injected failure, ${syscall}`), { code, syscall });
    const faults: {
      name: string; fn: Stubbed; code: string; make: (real: (...a: unknown[]) => unknown) => (...a: unknown[]) => unknown;
      /** Run before the failing save; the save after the last one writes only its changed pages. */
      prepare?: (dbFile: string) => void;
    }[] = [
      { name: 'disk full on the first write', fn: 'writeSync', code: 'ENOSPC', make: () => () => { throw errno('ENOSPC', 'write'); } },
      {
        // What a nearly full disk really does: a short write, then ENOSPC. A single write call would
        // rename a truncated index into place.
        name: 'a short write, then disk full', fn: 'writeSync', code: 'ENOSPC',
        make: (real) => {
          let calls = 0;
          return (fd, buf, offset, length, ...rest) => {
            if (calls++ > 0) throw errno('ENOSPC', 'write');
            return real(fd, buf, offset, Math.min(Number(length ?? (buf as Uint8Array).byteLength), 1000), ...rest);
          };
        },
      },
      { name: 'an I/O error on fsync', fn: 'fsyncSync', code: 'EIO', make: () => () => { throw errno('EIO', 'fsync'); } },
      { name: 'quota exceeded on close', fn: 'closeSync', code: 'EDQUOT', make: (real) => (fd) => { real(fd); throw errno('EDQUOT', 'close'); } },
      {
        // Only a whole-file write renames: a journal left by a killed save (whose writer is gone) makes this save one.
        name: 'rename refused', fn: 'renameSync', code: 'EACCES', make: () => () => { throw errno('EACCES', 'rename'); },
        prepare: (dbFile) => fs.writeFileSync(`${dbFile}.journal`, ''),
      },
      {
        // The journal is written; then, once a changed page is in place, a write into the index fails:
        // the pages written are put back.
        name: 'disk full while the changed pages are written into the index', fn: 'writeSync', code: 'ENOSPC',
        make: (real) => {
          let calls = 0;
          return (...a) => {
            if (++calls === 3) throw errno('ENOSPC', 'write');
            return real(...a);
          };
        },
      },
      { name: 'too many open files', fn: 'openSync', code: 'EMFILE', make: () => () => { throw errno('EMFILE', 'open'); } },
    ];

    for (const fault of faults) {
      it(`${fault.name} (${fault.code} from ${fault.fn})`, async () => {
        const writer = new WorkspaceWriter(root, seededRng(11));
        for (let i = 0; i < 2; i++) writer.startRun();
        for (let i = 0; i < 200; i++) writer.appendMetrics(2);
        writer.completeLines();
        const dbFile = path.join(root, '.exptrack', 'exptrack.sqlite');
        const { store } = await Store.open({ workspaceRoot: root, wasmPath: SQL_WASM });
        try {
          store.ingest();
          store.save();
          writer.startRun();
          for (let i = 0; i < 50; i++) writer.appendMetrics(2);
          writer.completeLines();
          store.ingest();
          fault.prepare?.(dbFile);
          const dbBefore = hashFile(dbFile);
          const sourcesBefore = hashTree(root, isSourceFile);

          const fsModule = require('node:fs') as Record<Stubbed, (...a: unknown[]) => unknown>;
          const real = fsModule[fault.fn];
          fsModule[fault.fn] = fault.make(real.bind(fs));
          let error: string;
          try {
            error = catchError(() => store.save());
          } finally {
            fsModule[fault.fn] = real;
          }
          assert.match(error, SAVE_FAILED);
          assert.ok(error.includes(fault.code), error);
          assert.equal(hashFile(dbFile), dbBefore, 'the database file changed');
          assert.deepEqual(tempFiles(root), [], 'temp files left behind');
          assert.deepEqual(hashTree(root, isSourceFile), sourcesBefore, 'a source file changed');

          assert.ok(store.save() > 0, 'the next save wrote nothing');
          assert.equal(fs.existsSync(`${dbFile}.journal`), false, 'a journal was left behind');
          const { store: reopened, info } = await Store.open({ workspaceRoot: root, wasmPath: SQL_WASM });
          try {
            assert.equal(info.fresh, null);
            assert.deepStrictEqual(snapshotOf(reopened), writer.expected());
          } finally {
            reopened.close();
          }
          console.log(`faults: save with ${fault.name}: "${error}"; database file unchanged, no temp file, sources unchanged, next save complete`);
        } finally {
          store.close();
        }
      });
    }
  });
});

function catchError(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  return assert.fail('expected the save to fail');
}

function tempFiles(root: string): string[] {
  const dir = path.join(root, '.exptrack');
  return fs.readdirSync(dir).filter((f) => TEMP_FILE.test(f));
}

/** Writes `file` until the disk is full; returns its size. */
function fillDisk(file: string): number {
  const fd = fs.openSync(file, 'w');
  const chunk = Buffer.alloc(64 * 1024, 0x5a);
  try {
    for (;;) fs.writeSync(fd, chunk);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
  } finally {
    fs.closeSync(fd);
  }
  // The last chunk may have been cut short: fill the rest of its page too.
  try {
    for (;;) fs.appendFileSync(file, 'x');
  } catch {
    /* full */
  }
  return fs.statSync(file).size;
}
