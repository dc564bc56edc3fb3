/**
 * Discovery: the workspace's ignore rules (files.exclude, search.exclude, .gitignore) and the log
 * folders they never prune, a bounded walk, cancellation that leaves the index consistent, and
 * progress — in the store, through the worker, and in the CLI.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createCliContext, type CliIo } from '../../../src/cli/cliContext';
import { ingestCommand } from '../../../src/cli/commands/ingest';
import { changedPathKind, discoverSources } from '../../../src/core/ingest/discovery';
import { PathRules } from '../../../src/core/ingest/pathRules';
import { defaultReaders } from '../../../src/core/ingest/readers';
import { ScanCancellation } from '../../../src/core/ingest/scanCancellation';
import { progressMessage, scanSummaryMessage } from '../../../src/core/ingest/scanMessages';
import { SourceFilter, type SourceSettings } from '../../../src/core/ingest/sourceFilter';
import { Store } from '../../../src/core/store/store';
import { StoreClient } from '../../../src/core/store/storeClient';
import type { ScanProgress } from '../../../src/shared/runTypes';
import { writeBigWorkspace } from '../../support/bigWorkspace';
import { tempDir } from './importSupport';

const workerPath = path.join(__dirname, '../helpers/storeWorkerFromSource.cjs');
const KERAS_LOG = 'epoch,loss\n0,0.5\n1,0.4\n';

function writeTree(root: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
}

function found(root: string, settings: Partial<SourceSettings> = {}): { paths: string[]; skipped: Record<string, number> } {
  const { filter, errors } = SourceFilter.compile(settings);
  assert.deepEqual(errors, []);
  const d = discoverSources(root, defaultReaders(), { filter });
  return { paths: d.sources.map((s) => s.relPath), skipped: d.summary.skipped as Record<string, number> };
}

/** The walk and the single-path check agree on every file some reader claims. */
function assertSinglePathsAgree(root: string, settings: Partial<SourceSettings>): void {
  const { filter } = SourceFilter.compile(settings);
  const walked = new Set(discoverSources(root, defaultReaders(), { filter }).sources.map((s) => s.relPath));
  const rules = new PathRules(filter, root);
  for (const rel of fs.readdirSync(root, { recursive: true, encoding: 'utf8' })) {
    const relPath = rel.split(path.sep).join('/');
    if (!fs.statSync(path.join(root, rel)).isFile() || !defaultReaders().some((r) => r.matches(relPath))) continue;
    if (relPath.startsWith('.git/')) continue; // never walked, never a source
    assert.equal(rules.acceptsFile(relPath), walked.has(relPath), relPath);
  }
}

const uids = (store: Store) => store.listRuns().map((r) => r.uid).sort();

describe('Discovery: the workspace\'s ignore rules and log folders', () => {
  let root: string;
  beforeEach(() => (root = tempDir('exptrack-discovery-')));
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('honours files.exclude and search.exclude: true entries, not false ones, and `when` clauses by their sibling', () => {
    writeTree(root, {
      'a/training_log.csv': KERAS_LOG, 'b/training_log.csv': KERAS_LOG, 'c/training_log.csv': KERAS_LOG,
      'c/training_log.parquet': '', 'd/training_log.csv': KERAS_LOG, 'e/history.csv': KERAS_LOG, 'e/history.json': '',
    });
    const settings: Partial<SourceSettings> = {
      filesExclude: { a: true, b: false, '**/*.csv': { when: '$(basename).parquet' } },
      searchExclude: { 'd/training_log.csv': true },
    };
    const { paths, skipped } = found(root, settings);
    assert.deepEqual(paths, ['b/training_log.csv', 'e/history.csv'], 'a (folder), c (a sibling .parquet) and d left out; e has no .parquet');
    assert.deepEqual(skipped, { 'files.exclude': 2, 'search.exclude': 1 });
    assertSinglePathsAgree(root, settings);
    const bad = SourceFilter.compile({ filesExclude: { x: 'yes', '': true } as Record<string, unknown>, searchExclude: [] as unknown as Record<string, unknown> });
    assert.deepEqual(bad.errors, [
      'files.exclude: the value of "x" is neither true, false nor { "when": … }',
      'files.exclude: "" is not a glob pattern',
      'search.exclude must be an object of glob patterns',
    ]);
  });

  it('honours .gitignore (root, nested, negations, .git/info/exclude) but never prunes a log folder', () => {
    writeTree(root, {
      '.gitignore': 'data/\n*.csv\n!keep/*.csv\nmlruns/\nlightning_logs/\nexperiments/\n',
      '.git/info/exclude': 'private/\n',
      'data/training_log.csv': KERAS_LOG,
      'data/mlruns/0/r1/meta.yaml': 'run_id: r1\n',
      'keep/training_log.csv': KERAS_LOG,
      'other/training_log.csv': KERAS_LOG,
      'nested/.gitignore': 'skip/\n!training_log.csv\n',
      'nested/training_log.csv': KERAS_LOG,
      'nested/skip/history.csv': KERAS_LOG,
      'private/training_log.csv': KERAS_LOG,
      'mlruns/0/r2/meta.yaml': 'run_id: r2\n',
      'mlruns/0/r2/metrics/loss': '1 0.5 0\n',
      'lightning_logs/version_0/metrics.csv': 'epoch,step,loss\n0,0,0.5\n',
      'experiments/training_log.csv': KERAS_LOG,
      'outputs/2024-01-01/lightning_logs/version_1/metrics.csv': 'epoch,step,loss\n0,0,0.5\n',
    });
    const { paths, skipped } = found(root);
    assert.deepEqual(paths, [
      'keep/training_log.csv',
      'lightning_logs/version_0/metrics.csv', // ignored by name and by *.csv: a log folder is read whole
      'mlruns/0/r2/meta.yaml', 'mlruns/0/r2/metrics/loss',
      'nested/training_log.csv', // the nested .gitignore re-includes what the root one ignores
      'outputs/2024-01-01/lightning_logs/version_1/metrics.csv',
    ]);
    // data/, experiments/, private/ (info/exclude), nested/skip/ and other/training_log.csv; data/mlruns is never reached.
    assert.deepEqual(skipped, { 'built-in': 1, '.gitignore': 5 }, 'built-in: .git');
    assertSinglePathsAgree(root, {});

    assert.deepEqual(found(root, { include: ['**', 'experiments/**'] }).paths.filter((p) => p.startsWith('experiments/')), ['experiments/training_log.csv'],
      'a folder an include pattern names is read though ignored');
    const everything = found(root, { useGitignore: false }).paths;
    assert.equal(everything.length, 12, everything.join(', '));
    assertSinglePathsAgree(root, { useGitignore: false });
    // exptrack.sources.exclude reaches into log folders too.
    assert.deepEqual(found(root, { exclude: ['mlruns'] }).paths.filter((p) => p.startsWith('mlruns/')), []);
  });

  it('the index follows .gitignore: watched files obey it, a changed .gitignore moves runs in and out, own runs always stay', async () => {
    writeTree(root, {
      '.gitignore': 'scratch/\n',
      'scratch/training_log.csv': KERAS_LOG,
      'kept/training_log.csv': KERAS_LOG,
      '.exptrack/runs/r1/events.jsonl': '{"t":"run","v":1,"id":"r1","started":1}\n',
    });
    const { store } = await Store.open({ workspaceRoot: root, dbPath: null });
    try {
      store.ingest();
      assert.deepEqual(uids(store), ['keras:kept/training_log.csv', 'r1']);
      assert.equal(store.ingest([path.join(root, 'scratch/training_log.csv')]).sourcesSeen, 0, 'a watched file in an ignored folder is not read');

      fs.writeFileSync(path.join(root, '.gitignore'), 'kept/\n.exptrack/\n');
      const report = store.ingest();
      assert.deepEqual(uids(store), ['keras:scratch/training_log.csv', 'r1']);
      assert.deepEqual(report.scan?.skipped, { '.gitignore': 1 });

      // A watched file of a folder just ignored leaves; --no-gitignore-style settings bring it back.
      fs.appendFileSync(path.join(root, 'kept/training_log.csv'), '2,0.3\n');
      store.ingest([path.join(root, 'kept/training_log.csv')]);
      assert.deepEqual(uids(store), ['keras:scratch/training_log.csv', 'r1']);
      store.configureSources({ useGitignore: false });
      store.ingest();
      assert.deepEqual(uids(store), ['keras:kept/training_log.csv', 'keras:scratch/training_log.csv', 'r1']);
    } finally {
      store.close();
    }
  });

  it('a file event for a FIFO or a folder named like a log is passed over (opening a FIFO would hang the worker)', async () => {
    writeTree(root, { 'a/training_log.csv': KERAS_LOG });
    const { store } = await Store.open({ workspaceRoot: root, dbPath: null });
    try {
      store.ingest();
      assert.deepEqual(uids(store), ['keras:a/training_log.csv']);
      fs.rmSync(path.join(root, 'a/training_log.csv'));
      execFileSync('mkfifo', [path.join(root, 'a/training_log.csv')]);
      fs.mkdirSync(path.join(root, 'b/history.csv'), { recursive: true });
      const report = store.ingest([path.join(root, 'a/training_log.csv'), path.join(root, 'b/history.csv')]);
      assert.deepEqual(report.problems, []);
      assert.deepEqual(uids(store), [], 'the source that became a FIFO is forgotten');
      assert.equal(store.ingest().scan?.sourcesFound, 0, 'a scan passes both over');
    } finally {
      store.close();
    }
  });

  it('tells the host which file events matter: sources, and ignore rules that call for a full scan', () => {
    const readers = defaultReaders();
    assert.equal(changedPathKind(readers, 'logs/training_log.csv'), 'source');
    assert.equal(changedPathKind(readers, '.gitignore'), 'ignoreRules');
    assert.equal(changedPathKind(readers, 'a/b/.gitignore'), 'ignoreRules');
    assert.equal(changedPathKind(readers, '.git/info/exclude'), 'ignoreRules');
    assert.equal(changedPathKind(readers, 'src/model.py'), undefined);
  });
});

describe('Discovery: bounded, cancellable, with progress', function () {
  this.timeout(120_000);
  let root: string;
  beforeEach(() => (root = tempDir('exptrack-discovery-')));
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  function writeLogs(count: number): string[] {
    const rels = Array.from({ length: count }, (_, i) => `logs${String(i).padStart(2, '0')}/training_log.csv`);
    writeTree(root, Object.fromEntries(rels.map((r) => [r, KERAS_LOG])));
    return rels.map((r) => `keras:${r}`);
  }

  it('stops at the limit of files looked at, says so, and keeps the sources it already knows', async () => {
    const all = writeLogs(6);
    writeTree(root, Object.fromEntries(Array.from({ length: 600 }, (_, i) => [`zz/${i}.txt`, ''])));
    const { store } = await Store.open({ workspaceRoot: root, dbPath: null });
    try {
      store.ingest();
      assert.deepEqual(uids(store), all);
      store.configureSources({ maxFiles: 8 });
      // Sorted walk: logs00, its file, logs01, its file, … the 8th entry is logs03's file.
      const report = store.ingest();
      assert.equal(report.scan?.limitReached, 8);
      assert.equal(report.scan?.filesLookedAt, 8);
      assert.equal(report.scan?.sourcesFound, 4);
      assert.deepEqual(uids(store), all, 'known sources beyond the limit are kept');
      assert.deepEqual(SourceFilter.compile({ maxFiles: 0 }).errors, ['exptrack.sources.maxFiles must be a whole number above 0 (using 500000)']);
    } finally {
      store.close();
    }
  });

  /** One generated tree for the tests that only read it. */
  let big: { root: string; files: number; sources: number };
  before(() => {
    const bigRoot = tempDir('exptrack-discovery-big-');
    big = { root: bigRoot, ...writeBigWorkspace(bigRoot, 20_000) };
  });
  after(() => fs.rmSync(big.root, { recursive: true, force: true }));

  it('a walk cancelled midway stops at the next check and the index is left as it was', async () => {
    const { files } = big;
    const { store } = await Store.open({ workspaceRoot: big.root, dbPath: null });
    try {
      const cancellation = new ScanCancellation();
      const seen: ScanProgress[] = [];
      const report = store.ingest(undefined, {
        cancelFlag: cancellation.buffer,
        onProgress: (p) => {
          seen.push(p);
          cancellation.cancel();
        },
      });
      assert.equal(report.cancelled, true);
      assert.equal(report.scan?.cancelled, true);
      assert.deepEqual(seen.map((p) => [p.phase, p.filesLookedAt]), [['walking', 256]], 'the first report comes at the first check');
      assert.equal(report.scan?.filesLookedAt, 512, 'stopped at the next check');
      assert.ok(files > 5 * 512);
      assert.equal(report.sourcesRead, 0);
      assert.deepEqual(uids(store), []);
    } finally {
      store.close();
    }
  });

  it('reading cancelled midway keeps whole sources only; the next scan reads the rest and equals a rebuild', async () => {
    const all = writeLogs(5);
    const { store } = await Store.open({ workspaceRoot: root, dbPath: null });
    try {
      const cancellation = new ScanCancellation();
      const phases: string[] = [];
      const report = store.ingest(undefined, {
        cancelFlag: cancellation.buffer,
        onProgress: (p) => {
          phases.push(progressMessage(p));
          if (p.phase === 'reading') cancellation.cancel();
        },
      });
      assert.equal(report.cancelled, true);
      assert.deepEqual(phases, ['10 files looked at, 5 sources found', 'reading sources: 0 of 5'], 'progress of the walk, then of the reading');
      assert.equal(report.sourcesRead, 1, 'the source being read when Cancel came is finished, no other is started');
      assert.deepEqual(uids(store), all.slice(0, 1));
      assert.equal(store.listRuns()[0]!.keyMetric?.count, 2, 'a whole source');
      store.ingest();
      const { store: rebuilt } = await Store.open({ workspaceRoot: root, dbPath: null });
      rebuilt.ingest();
      assert.deepEqual(store.listRuns(), rebuilt.listRuns());
      rebuilt.close();
    } finally {
      store.close();
    }
  });

  it('through the worker: progress arrives on this thread and Cancel, written to shared memory, stops a walk midway', async () => {
    const { files, sources } = big;
    const { client } = await StoreClient.start({ workerPath, workspaceRoot: big.root, dbPath: null });
    try {
      // Cancelled as soon as the walk's first report arrives, at its 256th entry; it has 20,000 to go.
      const cancellation = new ScanCancellation();
      const progress: ScanProgress[] = [];
      const cancelled = await client.ingest(undefined, {
        cancellation,
        onProgress: (p) => {
          progress.push(p);
          cancellation.cancel();
        },
      });
      assert.equal(cancelled.cancelled, true);
      assert.ok(progress.length >= 1 && progress[0]!.phase === 'walking');
      assert.ok(cancelled.scan!.filesLookedAt < files / 2, `stopped soon: ${cancelled.scan!.filesLookedAt} of ${files} looked at`);
      assert.deepEqual(await client.call('listRuns'), []);

      // A scan let run finds every source, with reports of the walk and of the reading.
      const phases = new Set<string>();
      const report = await client.ingest(undefined, { onProgress: (p) => phases.add(p.phase) });
      assert.equal(report.cancelled, undefined);
      assert.equal(report.scan?.sourcesFound, sources);
      assert.deepEqual([...phases].sort(), ['reading', 'walking']);
      assert.match(scanSummaryMessage(report.scan!), /^looked at [\d,]+ files and folders in \d+ ms: 100 sources found; left out 1 by the built-in list \(node_modules, \.git, \.venv…\), 1 by \.gitignore$/);
      assert.equal((await client.call('listRuns')).length, 20 + 10);
    } finally {
      await client.close();
    }
  });

  it('the CLI honours .gitignore, and reads ignored folders with --no-gitignore', async () => {
    writeTree(root, { '.gitignore': 'old/\n', 'old/training_log.csv': KERAS_LOG, 'new/training_log.csv': KERAS_LOG });
    const ctx = createCliContext(root, null);
    const run = async (args: string[]) => {
      let out = '';
      const io: CliIo = { stdout: (s) => void (out += s), stderr: () => undefined, cwd: root };
      assert.equal(await ingestCommand([...args, '--json'], io, ctx), 0);
      return JSON.parse(out) as { sourcesSeen: number; runsTouched: string[] };
    };
    assert.deepEqual((await run([])).runsTouched, ['keras:new/training_log.csv']);
    assert.deepEqual((await run(['--no-gitignore'])).runsTouched, ['keras:new/training_log.csv', 'keras:old/training_log.csv']);
  });
});
