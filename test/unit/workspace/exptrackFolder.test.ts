/**
 * Every path that can create `.exptrack/` writes its `.gitignore` before any other file in it, and a
 * new folder gets the registry's `.gitattributes`; files the user has are left alone; a folder that
 * cannot be made says why. The order is read from the file-system calls the writers make.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeClaim } from '../../../src/core/capture/runClaims';
import { RunRecorder } from '../../../src/core/capture/runRecorder';
import {
  ensureExptrackDir, ensureExptrackFolder, EXPTRACK_GITIGNORE_LINES, ExptrackDirError, hasExptrackDir,
} from '../../../src/core/exptrackDir';
import { appendPulledEvents } from '../../../src/core/mlflowSync/pulledRunLog';
import { acquireSyncLock, SyncStateStore } from '../../../src/core/mlflowSync/syncState';
import { NotebookRunLog } from '../../../src/core/notebooks/notebookRunLog';
import { updateNotebookRuns } from '../../../src/core/notebooks/notebookRunsMap';
import { appendRegistryLine as appendRegistryEvent } from '../../../src/core/registry/runEditWriter';
import { openRegistryAppender, registryFilePath } from '../../../src/core/registry/registryAppender';


/** Runs `write` and returns, in order, the paths it created (folders and files) below `root`. */
async function creations(root: string, write: () => unknown): Promise<string[]> {
  const seen: string[] = [];
  const restore: Array<() => void> = [];
  let depth = 0;
  // The module object itself (an `import * as` namespace only has getters): the writers' calls go through it.
  const target = require('node:fs') as Record<string, (...args: unknown[]) => unknown>;
  const wrap = (name: string, created: (args: unknown[]) => string | undefined) => {
    const original = target[name]!;
    target[name] = (...args: unknown[]) => {
      // writeFileSync opens the file through openSync: only the outer call counts.
      if (depth > 0) return original.apply(target, args);
      const p = created(args);
      const isNew = p !== undefined && !fs.existsSync(p);
      depth++;
      try {
        return original.apply(target, args);
      } finally {
        depth--;
        if (isNew && p.startsWith(root + path.sep) && fs.existsSync(p)) seen.push(path.relative(root, p).split(path.sep).join('/'));
      }
    };
    restore.push(() => (target[name] = original));
  };
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  wrap('mkdirSync', ([p, opts]) => {
    if (!(opts as { recursive?: boolean } | undefined)?.recursive) return str(p);
    // A recursive mkdir creates the first missing ancestor first.
    let first: string | undefined;
    for (let dir = str(p); dir && !fs.existsSync(dir); dir = path.dirname(dir)) first = dir;
    return first;
  });
  wrap('writeFileSync', ([p]) => str(p));
  wrap('appendFileSync', ([p]) => str(p));
  wrap('openSync', ([p, flags]) => (typeof flags === 'string' && /[wax]/.test(flags) ? str(p) : undefined));
  wrap('renameSync', ([, to]) => str(to));
  wrap('copyFileSync', ([, to]) => str(to));
  try {
    await write();
  } finally {
    for (const r of restore) r();
  }
  return seen;
}

describe('.exptrack/ is created with its .gitignore first, by every writer', () => {
  let root: string;
  let exptrackDir: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'exptrack-folder-'));
    exptrackDir = path.join(root, '.exptrack');
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  const writers: Array<[string, (root: string, dir: string) => unknown]> = [
    ['ensureExptrackDir (CLI run, MLflow sync)', (r) => ensureExptrackDir(r)],
    ['a tracked or watched run (RunRecorder)', (_r, d) => new RunRecorder({ exptrackDir: d, runId: 'r1', now: Date.now }).finish('finished', 0)],
    ['a terminal claim', (_r, d) => writeClaim(d, { runId: 'r1', cwd: '/ws', started: 1 })],
    ['the notebook run map', (_r, d) => updateNotebookRuns(d, {})],
    ['a notebook run log', (_r, d) => new NotebookRunLog(d, 'r1', 'a.ipynb', (e) => assert.fail(e))],
    ['a run annotation (rename, note, tag)', (_r, d) => appendRegistryEvent(d, { id: 'e1', time: 1, t: 'run.note' })],
    ['a model registry event', async (r) => (await openRegistryAppender(r, 'ann')).appendDraft({ t: 'model.alias', name: 'm', alias: 'a', version: 1, reason: 'why' })],
    ['the MLflow sync lock and state', (_r, d) => {
      acquireSyncLock(d)();
      SyncStateStore.load(d).save();
    }],
    ['a run pulled from MLflow', (_r, d) => appendPulledEvents(d, 'mlflow-1', [{ t: 'run', v: 1, id: 'mlflow-1', started: 1 }])],
  ];
  for (const [name, write] of writers) {
    it(name, async () => {
      const made = await creations(root, () => write(root, exptrackDir));
      assert.equal(made[0], '.exptrack', `the folder is made first: ${made.join(', ')}`);
      assert.equal(made[1], '.exptrack/.gitignore', `then its .gitignore: ${made.join(', ')}`);
      assert.equal(made[2], '.exptrack/.gitattributes', `then the registry's .gitattributes: ${made.join(', ')}`);
      assert.equal(fs.readFileSync(path.join(exptrackDir, '.gitignore'), 'utf8'), EXPTRACK_GITIGNORE_LINES.join('\n') + '\n');
      assert.equal(fs.readFileSync(path.join(exptrackDir, '.gitattributes'), 'utf8'), 'registry.jsonl merge=union\n');
    });
  }

  it('leaves files the user edited alone, and gives an existing folder a .gitattributes only with its registry', () => {
    fs.mkdirSync(exptrackDir);
    fs.writeFileSync(path.join(exptrackDir, '.gitignore'), 'mine\n');
    ensureExptrackDir(root);
    assert.equal(fs.readFileSync(path.join(exptrackDir, '.gitignore'), 'utf8'), 'mine\n');
    assert.equal(fs.existsSync(path.join(exptrackDir, '.gitattributes')), false, 'the folder was not made now');
    appendRegistryEvent(exptrackDir, { id: 'e1', time: 1, t: 'run.note' });
    assert.equal(fs.readFileSync(path.join(exptrackDir, '.gitattributes'), 'utf8'), 'registry.jsonl merge=union\n', 'written with registry.jsonl');
    fs.writeFileSync(path.join(exptrackDir, '.gitattributes'), '* text=auto\n');
    fs.rmSync(registryFilePath(root));
    appendRegistryEvent(exptrackDir, { id: 'e2', time: 2, t: 'run.note' });
    assert.equal(fs.readFileSync(path.join(exptrackDir, '.gitattributes'), 'utf8'), '* text=auto\n');
  });

  it('says why the folder cannot be made, and never recreates a workspace folder that is gone', () => {
    fs.writeFileSync(exptrackDir, 'a file, not a folder');
    assert.equal(hasExptrackDir(root), false);
    assert.throws(() => ensureExptrackDir(root), (e: Error) => e instanceof ExptrackDirError && /\.exptrack exists and is not a folder/.test(e.message));
    const gone = path.join(root, 'renamed-away');
    assert.throws(() => ensureExptrackFolder(path.join(gone, '.exptrack')), /renamed-away does not exist \(deleted or renamed\?\)/);
    assert.equal(fs.existsSync(gone), false);
    assert.throws(() => new RunRecorder({ exptrackDir: path.join(gone, '.exptrack'), runId: 'r1', now: Date.now }), ExptrackDirError);
    assert.equal(fs.existsSync(gone), false);
  });
});
