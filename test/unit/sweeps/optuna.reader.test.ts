/**
 * The Optuna readers on journals written here line by line (every operation Optuna writes, cut
 * anywhere, cut mid-line) and on SQLite databases caught mid-transaction; the real writer is in
 * sweeps.writers.test.ts.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { optunaJournalReader } from '../../../src/core/ingest/readers/optuna/journalReader';
import { optunaSqliteReader } from '../../../src/core/ingest/readers/optuna/sqliteReader';
import { SourceBusyError, type ReadOutput } from '../../../src/core/ingest/sourceReader';
import { loadSqlJs } from '../../../src/core/store/database';
import { Store } from '../../../src/core/store/store';
import { settledIngest } from '../../../src/cli/settledIngest';
import { eventsOf, readPieces, seriesOf, tempDir } from '../ingest/importSupport';

const REL = 'studies/optuna_journal.log';
const W = 'a1b2-140000';
const FLOAT = JSON.stringify({ name: 'FloatDistribution', attributes: { step: null, low: 0.0001, high: 0.1, log: true } });
const CAT = JSON.stringify({ name: 'CategoricalDistribution', attributes: { choices: ['adam', 'sgd'] } });

/** A journal as Optuna 4/5 writes it: two studies, trials that complete, prune, fail, run. */
function journal(): string[] {
  const op = (o: Record<string, unknown>) => JSON.stringify({ worker_id: W, ...o });
  return [
    op({ op_code: 0, study_name: 'lr', directions: [1] }),
    op({ op_code: 3, study_id: 0, system_attr: { 'study:metric_names': ['val_loss'] } }),
    op({ op_code: 0, study_name: 'two', directions: [1, 2] }),
    op({ op_code: 0, study_name: 'lr', directions: [2] }), // a name in use: ignored
    op({ op_code: 4, study_id: 0, datetime_start: '2026-05-29T05:21:15.587610' }),
    op({ op_code: 5, trial_id: 0, param_name: 'lr', param_value_internal: 0.01, distribution: FLOAT }),
    op({ op_code: 5, trial_id: 0, param_name: 'opt', param_value_internal: 1, distribution: CAT }),
    op({ op_code: 7, trial_id: 0, step: 0, intermediate_value: 0.9 }),
    op({ op_code: 7, trial_id: 0, step: 1, intermediate_value: 0.5 }),
    op({ op_code: 8, trial_id: 0, user_attr: { note: 'first' } }),
    op({ op_code: 6, trial_id: 0, state: 1, values: [0.5], datetime_complete: '2026-05-29T05:22:15.000000' }),
    op({ op_code: 7, trial_id: 0, step: 2, intermediate_value: 0.1 }), // a finished trial: ignored
    op({ op_code: 4, study_id: 1, datetime_start: '2026-05-29T05:23:00.000000+00:00' }),
    op({ op_code: 6, trial_id: 1, state: 1, values: [1.5, 0.25], datetime_complete: '2026-05-29T05:24:00.000000+00:00' }),
    op({ op_code: 4, study_id: 0, datetime_start: '2026-05-29T05:25:00.000000' }),
    op({ op_code: 5, trial_id: 2, param_name: 'lr', param_value_internal: 0.001, distribution: FLOAT }),
    op({ op_code: 7, trial_id: 2, step: 0, intermediate_value: 2.5 }),
    op({ op_code: 6, trial_id: 2, state: 2, values: [2.5], datetime_complete: '2026-05-29T05:26:00.000000' }),
    op({ op_code: 4, study_id: 0, datetime_start: '2026-05-29T05:27:00.000000' }),
    op({ op_code: 6, trial_id: 3, state: 3, values: null, datetime_complete: '2026-05-29T05:27:30.000000' }),
    // enqueue_trial: a template trial, WAITING, then taken by a worker
    op({ op_code: 4, study_id: 0, datetime_start: null, state: 4, value: null, values: null, distributions: { lr: FLOAT }, params: { lr: 0.05 }, user_attrs: {}, system_attrs: {}, intermediate_values: {} }),
    op({ op_code: 6, trial_id: 4, state: 0, values: null, datetime_start: '2026-05-29T05:28:00.000000' }),
    op({ op_code: 6, trial_id: 4, state: 0, values: null, datetime_start: '2026-05-29T05:28:01.000000' }), // taken already: rejected
  ].map((l) => `${l}\n`);
}

function trialsOf(outs: ReadOutput[]) {
  const merged = new Map<string, Record<string, unknown>>();
  for (const o of outs) for (const t of o.trials ?? []) merged.set(t.runUid, { ...merged.get(t.runUid), ...Object.fromEntries(Object.entries(t).filter(([, v]) => v !== undefined)) });
  return merged;
}

describe('Optuna journal reader', () => {
  const bytes = Buffer.from(journal().join(''));

  it('replays studies and trials as Optuna does: ids by first creation, numbers per study, finished trials frozen', () => {
    const outs = readPieces(optunaJournalReader, bytes, REL);
    assert.deepEqual(outs.flatMap((o) => o.problems), []);
    const studies = outs.flatMap((o) => o.studies ?? []);
    assert.deepEqual([...new Set(studies.map((s) => `${s.uid} ${s.name}`))], [`optuna:${REL}#0 lr`, `optuna:${REL}#1 two`]);
    assert.deepEqual(studies.find((s) => s.info?.objectiveNames)?.info?.objectiveNames, ['val_loss']);
    const trials = trialsOf(outs);
    assert.deepEqual([...trials.values()].map((t) => [t.runUid, t.number, t.state, t.values]), [
      [`optuna:${REL}#0/0`, 0, 'complete', [0.5]],
      [`optuna:${REL}#1/0`, 0, 'complete', [1.5, 0.25]],
      [`optuna:${REL}#0/1`, 1, 'pruned', [2.5]],
      [`optuna:${REL}#0/2`, 2, 'failed', undefined],
      [`optuna:${REL}#0/3`, 3, 'running', undefined],
    ]);
    const events = eventsOf(outs);
    const first = events.filter((e) => e.runUid === `optuna:${REL}#0/0`);
    assert.deepEqual(first.find((e) => e.t === 'params'), { t: 'params', values: { lr: 0.01 }, runUid: `optuna:${REL}#0/0` });
    assert.ok(first.some((e) => e.t === 'params' && e.values.opt === 'sgd'), 'a categorical is its choice');
    assert.deepEqual(seriesOf(outs.map((o) => ({ ...o, batches: o.batches.filter((b) => b.runUid === `optuna:${REL}#0/0`) })), 'intermediate_value').map((p) => [p[0], p[1]]), [[0, 0.9], [1, 0.5]]);
    assert.ok(first.some((e) => e.t === 'metrics' && e.values.val_loss === 0.5), 'the value is named as set_metric_names said');
    assert.ok(first.some((e) => e.t === 'tag' && e.key === 'note' && e.value === 'first'));
    assert.deepEqual(first.filter((e) => e.t === 'end').map((e) => e.t === 'end' && e.status), ['finished']);
    const two = events.filter((e) => e.runUid === `optuna:${REL}#1/0`);
    assert.ok(two.some((e) => e.t === 'metrics' && e.values.values_0 === 1.5 && e.values.values_1 === 0.25));
    const utc = two.find((e) => e.t === 'run');
    assert.equal(utc?.t === 'run' && utc.started, Date.UTC(2026, 4, 29, 5, 23) / 1000);
    const template = events.filter((e) => e.runUid === `optuna:${REL}#0/3`);
    assert.ok(template.some((e) => e.t === 'params' && e.values.lr === 0.05));
    assert.equal(template.filter((e) => e.t === 'run').length, 2, 'created, then started by the worker that took it');
  });

  it('gives the same studies and trials however the growing file is cut between reads', () => {
    const whole = trialsOf(readPieces(optunaJournalReader, bytes, REL));
    for (let cut = 1; cut < bytes.length; cut += 37) {
      const outs = readPieces(optunaJournalReader, bytes, REL, undefined, [cut, cut + 101, cut + 500]);
      assert.deepEqual(trialsOf(outs), whole, `cut at ${cut}`);
      assert.deepEqual(outs.flatMap((o) => o.problems), []);
    }
  });

  it('a line cut mid-way is reported with its line and skipped; every other line still counts', () => {
    const lines = journal();
    const cut = lines.slice();
    cut[5] = `${cut[5]!.slice(0, 40)}\n`; // a writer died mid-line; the next writer's lines follow
    const outs = readPieces(optunaJournalReader, Buffer.from(cut.join('')), REL);
    const problems = outs.flatMap((o) => o.problems);
    assert.deepEqual(problems.map((p) => [p.path, p.line, p.severity]), [[REL, 6, 'warning']]);
    assert.match(problems[0]!.message, /not a JSON operation \(a line cut short\?\)/);
    const trials = trialsOf(outs);
    assert.equal(trials.size, 5);
    const params = eventsOf(outs).filter((e) => e.runUid === `optuna:${REL}#0/0` && e.t === 'params');
    assert.equal(params.length, 1, 'the lost line took only its own parameter');
  });

  it('a last line still being written is read once complete; Python\'s NaN and Infinity are read as numbers', () => {
    const partial = Buffer.from(journal().slice(0, 5).join('') + '{"op_code": 6, "worker_id": "x", "trial_id": 0, "state": 1, "values": [NaN');
    const first = optunaJournalReader.read({ path: '/none', relPath: REL, bytes: partial, offset: 0, line: 1, state: undefined, atEnd: true });
    assert.equal(first.consumed, partial.lastIndexOf('\n') + 1);
    const rest = Buffer.from('{"op_code": 6, "worker_id": "x", "trial_id": 0, "state": 1, "values": [Infinity], "datetime_complete": "2026-05-29T05:22:15"}\n');
    const second = optunaJournalReader.read({ path: '/none', relPath: REL, bytes: rest, offset: first.consumed, line: 6, state: JSON.parse(JSON.stringify(first.state)), atEnd: true });
    assert.deepEqual(second.trials?.map((t) => [t.state, t.values]), [['complete', ['Infinity']]]);
  });

  it('DELETE_STUDY hides its trials as runs deleted elsewhere are; a log of another kind is passed over', () => {
    const lines = [...journal(), `${JSON.stringify({ op_code: 1, worker_id: W, study_id: 1 })}\n`];
    const outs = readPieces(optunaJournalReader, Buffer.from(lines.join('')), REL);
    assert.ok(outs.some((o) => o.studies?.some((s) => s.uid.endsWith('#1') && s.info?.deleted === true)));
    assert.deepEqual(outs.flatMap((o) => o.registry ?? []).map((r) => JSON.parse(r.json).run), [`optuna:${REL}#1/0`]);
    const other = readPieces(optunaJournalReader, Buffer.from('2026-01-01 INFO training started\n{"op_code": 0}\n'), 'logs/journal.log');
    assert.deepEqual([other[0]!.batches, other[0]!.problems, other[0]!.studies], [[], [], []]);
    assert.ok(optunaJournalReader.matches('a/optuna_journal_storage.log') && optunaJournalReader.matches('journal.log') && !optunaJournalReader.matches('train.log'));
  });
});

describe('Optuna SQLite reader', () => {
  let root: string;
  beforeEach(() => (root = tempDir('exptrack-optuna-db-')));
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  /** A database with Optuna's schema (the parts read) and one study of two trials. */
  async function optunaDb(file: string): Promise<void> {
    const SQL = await loadSqlJs();
    const db = new SQL.Database();
    db.exec(`
      CREATE TABLE studies (study_id INTEGER PRIMARY KEY, study_name VARCHAR(512));
      CREATE TABLE study_directions (study_direction_id INTEGER PRIMARY KEY, direction VARCHAR(8), study_id INTEGER, objective INTEGER);
      CREATE TABLE trials (trial_id INTEGER PRIMARY KEY, number INTEGER, study_id INTEGER, state VARCHAR(8), datetime_start DATETIME, datetime_complete DATETIME);
      CREATE TABLE trial_params (param_id INTEGER PRIMARY KEY, trial_id INTEGER, param_name VARCHAR(512), param_value FLOAT, distribution_json TEXT);
      CREATE TABLE trial_values (trial_value_id INTEGER PRIMARY KEY, trial_id INTEGER, objective INTEGER, value FLOAT, value_type VARCHAR(7));
      CREATE TABLE trial_intermediate_values (trial_intermediate_value_id INTEGER PRIMARY KEY, trial_id INTEGER, step INTEGER, intermediate_value FLOAT, intermediate_value_type VARCHAR(7));
      INSERT INTO studies VALUES (1, 'db-study');
      INSERT INTO study_directions VALUES (1, 'MAXIMIZE', 1, 0);
      INSERT INTO trials VALUES (1, 0, 1, 'COMPLETE', '2026-01-05 20:41:27.136275', '2026-01-05 20:41:40.463759'), (2, 1, 1, 'PRUNED', '2026-01-05 20:42:00', '2026-01-05 20:42:10');
      INSERT INTO trial_params VALUES (1, 1, 'opt', 1.0, '${CAT}'), (2, 2, 'opt', 0.0, '${CAT}');
      INSERT INTO trial_values VALUES (1, 1, 0, NULL, 'INF_POS'), (2, 2, 0, 0.25, 'FINITE');
      INSERT INTO trial_intermediate_values VALUES (1, 2, 0, 0.5, 'FINITE'), (2, 2, 1, NULL, 'NAN');
    `);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, db.export());
    db.close();
  }

  it('reads studies, trials, decoded categoricals, ±Infinity and NaN values from a snapshot', async () => {
    const file = path.join(root, 'opt', 'study.db');
    await optunaDb(file);
    const { store } = await Store.open({ workspaceRoot: root, dbPath: null });
    try {
      assert.deepEqual(store.ingest().problems, []);
      const [s] = store.listStudies();
      assert.deepEqual([s!.name, s!.objectives, s!.trials.map((t) => [t.state, t.values[0]]), s!.trials[0]!.uid === s!.best[0]],
        ['db-study', [{ name: 'value', direction: 'maximize' }], [['complete', Infinity], ['pruned', 0.25]], true]);
      assert.deepEqual(store.getRun(s!.trials[0]!.uid)!.params, { opt: 'sgd' });
      assert.deepEqual(store.metricPoints(s!.trials[1]!.uid, 'intermediate_value').map((p) => p.value), [0.5, NaN]);
    } finally {
      store.close();
    }
  });

  it('a database in a write transaction (hot journal) is not read: the index keeps what it had and asks to read it again', async () => {
    const file = path.join(root, 'study.db');
    await optunaDb(file);
    const { store } = await Store.open({ workspaceRoot: root, dbPath: null });
    try {
      store.ingest();
      const before = store.listStudies()[0]!.trials.length;
      // A running study mid-commit: the rollback journal holds pages, its header intact.
      fs.writeFileSync(`${file}-journal`, Buffer.concat([Buffer.from([0xd9, 0xd5, 0x05, 0xf9, 0x20, 0xa1, 0x63, 0xd7]), Buffer.alloc(512)]));
      const db = fs.readFileSync(file);
      db.writeUInt32BE(db.readUInt32BE(24) + 1, 24);
      fs.writeFileSync(file, db);
      const busy = store.ingest([file]);
      assert.deepEqual(busy.retry, [file]);
      assert.deepEqual(busy.problems.map((p) => [p.path, p.severity]), [['study.db', 'info']]);
      assert.match(busy.problems[0]!.message, /being written \(locked by a running study\).*kept.*read again/);
      assert.equal(store.listStudies()[0]!.trials.length, before, 'what was read before is kept');
      fs.rmSync(`${file}-journal`);
      const after = store.ingest([file]);
      assert.deepEqual([after.retry, after.sourcesRead], [undefined, 1]);
    } finally {
      store.close();
    }
  });

  it('the command line reads a database again a moment later when a study was writing it', async () => {
    const file = path.join(root, 'study.db');
    await optunaDb(file);
    fs.writeFileSync(`${file}-journal`, Buffer.concat([Buffer.from([0xd9, 0xd5, 0x05, 0xf9, 0x20, 0xa1, 0x63, 0xd7]), Buffer.alloc(512)]));
    const { store } = await Store.open({ workspaceRoot: root, dbPath: null });
    try {
      setTimeout(() => fs.rmSync(`${file}-journal`), 700);
      const report = await settledIngest(store);
      assert.deepEqual([report.retry, report.problems, store.listStudies().length], [undefined, [], 1]);
    } finally {
      store.close();
    }
  });

  it('a snapshot the file no longer matches (changed while read) is given up; other databases and non-SQLite .db files are passed over', async () => {
    const file = path.join(root, 'study.db');
    await optunaDb(file);
    const SQL = await loadSqlJs();
    const reader = optunaSqliteReader({ sql: SQL });
    const bytes = fs.readFileSync(file);
    const stale = Buffer.from(bytes);
    stale.writeUInt32BE(stale.readUInt32BE(24) + 7, 24);
    assert.throws(() => reader.read({ path: file, relPath: 'study.db', bytes: stale, offset: 0, line: 1, state: undefined, atEnd: true }), SourceBusyError);

    const other = new SQL.Database();
    other.exec('CREATE TABLE experiments (id INTEGER); INSERT INTO experiments VALUES (1);');
    fs.writeFileSync(path.join(root, 'mlflow.db'), other.export());
    fs.writeFileSync(path.join(root, 'notes.db'), 'not a database at all\n');
    const out = (f: string) => reader.read({ path: path.join(root, f), relPath: f, bytes: fs.readFileSync(path.join(root, f)), offset: 0, line: 1, state: undefined, atEnd: true });
    for (const f of ['mlflow.db', 'notes.db']) assert.deepEqual([out(f).batches, out(f).problems, out(f).studies], [[], [], undefined]);
    assert.ok(!reader.matches('.exptrack/exptrack.sqlite') && reader.matches('optuna/study.sqlite3'));
    assert.ok(!optunaSqliteReader({ ownDatabase: 'data/index.sqlite' }).matches('data/index.sqlite'));
  });
});
