/**
 * Child process of the save-points kill test: opens the workspace's index, ingests what is new and
 * saves once, SIGKILLing itself at a chosen point of that save (which writes only changed pages).
 * Exits 3 when the save finished without reaching the point (then the test has nothing to check).
 *
 * usage: node killedSave.js WORKSPACE POINT
 * POINT: journal-written | journal-linked | mid-apply | page-1-written | applied
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Store } from '../../../src/core/store/store';
import { KILL_POINTS, type KillPoint } from '../support/savePoints';


const die = (): never => {
  process.kill(process.pid, 'SIGKILL');
  throw new Error('not killed');
};

/** Wraps the file-system calls a save makes (through the module object every bundle reads them from). */
function armAt(point: KillPoint, dbFile: string): void {
  const mutable = require('node:fs') as Record<string, unknown>;
  const real = { ...(mutable as unknown as typeof fs) };
  let indexFd: number | undefined;
  let pagesWritten = 0;
  mutable.openSync = (file: fs.PathLike, flags?: fs.OpenMode, mode?: fs.Mode) => {
    const fd = real.openSync(file, flags ?? 'r', mode);
    if (path.resolve(String(file)) === dbFile && flags === 'r+') indexFd = fd;
    return fd;
  };
  mutable.linkSync = (from: fs.PathLike, to: fs.PathLike) => {
    if (point === 'journal-written') die();
    real.linkSync(from, to);
    if (point === 'journal-linked') die();
  };
  mutable.writeSync = (fd: number, ...rest: unknown[]) => {
    const n = (real.writeSync as (...a: unknown[]) => number)(fd, ...rest);
    if (fd === indexFd) {
      pagesWritten++;
      if (point === 'mid-apply' && pagesWritten === 1) die();
      if (point === 'page-1-written' && rest[3] === 0) die();
    }
    return n;
  };
  mutable.fsyncSync = (fd: number) => {
    real.fsyncSync(fd);
    if (fd === indexFd && point === 'applied') die();
  };
}

async function main(): Promise<void> {
  const [workspaceRoot, point] = process.argv.slice(2) as [string, KillPoint];
  if (!workspaceRoot || !KILL_POINTS.includes(point)) throw new Error(`usage: killedSave.js WORKSPACE ${KILL_POINTS.join('|')}`);
  const { store, info } = await Store.open({ workspaceRoot });
  if (info.fresh !== null) throw new Error(`the index did not open as it was: ${info.fresh} (${info.reason})`);
  store.ingest();
  armAt(point, path.resolve(info.dbPath!));
  store.save();
  process.exit(3);
}

main().catch((e: unknown) => {
  process.stderr.write(`killedSave: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
