import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runSchemaDiffInWorker } from '../../../src/core/datasets/profileWorkerClient';
import { runSchemaDiffJob, SchemaDiffCancelled, type SchemaDiffJob } from '../../../src/core/datasets/schemaDiffJob';
import { createSchemaDiffProtocol } from '../../../src/shared/protocol/schemaDiff';
import { FIXTURES, itWithFixtures } from '../../support/fixtures';

const PENGUIN = path.join(FIXTURES, 'tfx/tfx/examples/penguin');
const LABELLED = path.join(PENGUIN, 'data/labelled/penguins_processed.csv');
const UNLABELLED = path.join(PENGUIN, 'data/unlabelled/penguins_unlabelled.csv');
const SCHEMA = path.join(PENGUIN, 'schema/user_provided/schema.pbtxt');
const workerPath = path.join(__dirname, 'profileWorkerFromSource.cjs');

const penguins: SchemaDiffJob = {
  a: { path: LABELLED, displayName: 'labelled.csv' },
  b: { path: UNLABELLED, displayName: 'unlabelled.csv' },
  thresholds: {},
};

describe('schema diff jobs', () => {
  itWithFixtures('profiles both files, diffs them and names the sides by their display names', async () => {
    const progress: number[] = [];
    const diff = await runSchemaDiffJob(penguins, { onProgress: (p) => progress.push(p.bytesRead / p.totalBytes) });
    assert.equal(diff.a.path, 'labelled.csv');
    assert.equal(diff.b.path, 'unlabelled.csv');
    assert.deepEqual(diff.counts, { error: 1, warning: 9, info: 4 });
    assert.deepEqual(diff.findings[0], { kind: 'SCHEMA_MISSING_COLUMN', severity: 'error', column: 'species', message: 'column missing from B (was int in A)', from: 'int' });
    assert.ok(progress.length > 0 && progress[progress.length - 1] === 1, `progress ends at 100 %: ${progress}`);
  });

  it('passes the thresholds to the core', async () => {
    const diff = await runSchemaDiffJob({ ...penguins, thresholds: { jensenShannon: 0.9, psi: 100, lInfinity: 0.5 } });
    assert.equal(diff.thresholds.jensenShannon, 0.9);
    assert.equal(diff.findings.filter((f) => f.kind === 'PSI_HIGH' || f.kind === 'COMPARATOR_JENSEN_SHANNON_DIVERGENCE_HIGH').length, 0);
  });

  itWithFixtures('makes a TFDV schema side A whatever the order, and keeps each side its name', async () => {
    const diff = await runSchemaDiffJob({ a: { path: LABELLED, displayName: 'data.csv' }, b: { path: SCHEMA, displayName: 'schema.pbtxt' }, thresholds: {} });
    assert.equal(diff.mode, 'data-schema');
    assert.equal(diff.a.path, 'schema.pbtxt');
    assert.equal(diff.b.path, 'data.csv');
  });

  itWithFixtures('names both sides apart when they read the same file', async () => {
    const diff = await runSchemaDiffJob({ a: { path: UNLABELLED, displayName: 'x@HEAD' }, b: { path: UNLABELLED, displayName: 'x' }, thresholds: {} });
    assert.deepEqual([diff.a.path, diff.b.path], ['x@HEAD', 'x']);
    assert.deepEqual(diff.counts, { error: 0, warning: 0, info: 0 });
  });

  it('stops with SchemaDiffCancelled when aborted', async () => {
    const abort = new AbortController();
    abort.abort();
    await assert.rejects(runSchemaDiffJob(penguins, { signal: abort.signal }), SchemaDiffCancelled);
  });

  describe('in a worker thread', () => {
    let dir: string;
    before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exptrack-worker-'))));
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('returns the same diff as in-process', async () => {
      const inWorker = await runSchemaDiffInWorker(workerPath, penguins);
      const inProcess = await runSchemaDiffJob(penguins);
      assert.deepEqual(inWorker, inProcess);
    });

    it('is cancelled mid-file: the worker ends and the promise rejects', async () => {
      // ~9 MB: long enough to be cancelled while it reads.
      const big = path.join(dir, 'big.csv');
      const rows = ['x,y,label'];
      for (let i = 0; i < 400_000; i++) rows.push(`${i},${(i * 7919) % 1000 / 7},c${i % 13}`);
      fs.writeFileSync(big, `${rows.join('\n')}\n`);
      const abort = new AbortController();
      let sawProgress = false;
      const job = runSchemaDiffInWorker(workerPath, { a: { path: big, displayName: 'a' }, b: { path: big, displayName: 'b' }, thresholds: {} }, {
        signal: abort.signal,
        onProgress: (p) => {
          if (!sawProgress && p.bytesRead > 0 && p.bytesRead < p.totalBytes) {
            sawProgress = true;
            abort.abort();
          }
        },
      });
      await assert.rejects(job, SchemaDiffCancelled);
      assert.ok(sawProgress, 'progress arrived before the end');
    });

    it('rejects with the worker error when the job cannot run', async () => {
      await assert.rejects(runSchemaDiffInWorker(path.join(dir, 'no-worker.js'), penguins), /Cannot find module|no-worker/);
    });
  });

  describe('the diff the Schema Diff panel receives (NaN and Infinity become null on the way)', () => {
    const EXAMPLES = path.resolve(PENGUIN, '..');
    const cases: [string, string, string][] = [
      ['two data files', LABELLED, UNLABELLED],
      ['categorical and date columns', path.join(EXAMPLES, 'chicago_taxi_pipeline/data/simple/data.head1000.csv'), path.join(EXAMPLES, 'chicago_taxi_pipeline/data/big_tipper_label/data.head1000.csv')],
      ['data against a schema', LABELLED, SCHEMA],
      ['two schemas', path.join(PENGUIN, 'schema/raw/schema.pbtxt'), SCHEMA],
    ];
    const protocol = createSchemaDiffProtocol();
    for (const [name, a, b] of cases) {
      itWithFixtures(`is accepted: ${name}`, async () => {
        const diff = await runSchemaDiffJob({ a: { path: a, displayName: 'a' }, b: { path: b, displayName: 'b' }, thresholds: {} });
        assert.ok(diff.columns.length > 0);
        const message = { type: 'diff', diff: JSON.parse(JSON.stringify(diff)), labels: { a: { title: 'a', detail: '', canOpen: true }, b: { title: 'b', detail: '', canOpen: false } }, problemsFile: null, notes: [] };
        const parsed = protocol.hostMessage.safeParse(message);
        assert.ok(parsed.success, parsed.success ? '' : JSON.stringify(parsed.error.issues.slice(0, 3)));
      });
    }

    it('is accepted with columns that hold no number (NaN statistics) and NaN values', async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exptrack-nan-'));
      try {
        fs.writeFileSync(path.join(dir, 'a.csv'), 'x,empty,f\n1,,1.5\n2,,nan\n');
        fs.writeFileSync(path.join(dir, 'b.csv'), 'x,empty,f\n1,,inf\n,,-inf\n');
        const diff = await runSchemaDiffJob({ a: { path: path.join(dir, 'a.csv'), displayName: 'a' }, b: { path: path.join(dir, 'b.csv'), displayName: 'b' }, thresholds: {} });
        const wire = JSON.parse(JSON.stringify(diff));
        const parsed = protocol.hostMessage.safeParse({ type: 'diff', diff: wire, labels: { a: { title: 'a', detail: '', canOpen: true }, b: { title: 'b', detail: '', canOpen: true } }, problemsFile: 'b.csv', notes: ['n'] });
        assert.ok(parsed.success, parsed.success ? '' : JSON.stringify(parsed.error.issues.slice(0, 3)));
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it('refuses messages that are not the protocol', () => {
      assert.equal(protocol.hostMessage.safeParse({ type: 'diff', diff: {} }).success, false);
      assert.equal(protocol.webviewMessage.safeParse({ type: 'export', format: 'html' }).success, false);
      assert.equal(protocol.webviewMessage.safeParse({ type: 'openSide', side: 'c' }).success, false);
      assert.equal(protocol.webviewMessage.safeParse({ type: 'error', message: 'x'.repeat(5000) }).success, false);
      assert.equal(protocol.webviewMessage.safeParse({ type: 'export', format: 'json' }).success, true);
    });
  });
});
