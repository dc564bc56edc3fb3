/**
 * The runs of the index as searches, the Runs table and the Runs tree read them, kept in memory by
 * the store (in the worker) between calls.
 *
 * Each call reads the run rows afresh (names, statuses — a log that stopped growing turns finished
 * with time alone —, hidden flags: one small row per run), and joins them with each run's metric
 * summaries, parameters and tags, which are kept here: those are most of the reading, and they
 * change only when an ingest says so (invalidate). Each of the three is read the first time a call
 * needs it, then once per change: a workspace of 10,000 runs × 10 metrics is read once, a growing
 * run costs its own rows. Listing runs (the Runs tree at activation) needs only each run's key
 * metric, read on its own: one summary row per run instead of all of them.
 */
import type { Database, SqlValue } from 'sql.js';
import { PREFERRED_KEY_METRICS, type MetricSummary } from '../../shared/runTypes';
import { keyMetricOf, rows, RUN_COLUMNS, toRunSummary } from '../store/queries';
import type { RunRecord } from './runRecord';

/** Which per-run rows a call reads runs with (the key metric of each run is always there). */
export interface RecordParts {
  metrics?: boolean;
  params?: boolean;
  tags?: boolean;
}

/** One kind of per-run rows (params, tags or metric summaries), by the run's row id. */
class PartCache<V> {
  private byRun: Map<number, Map<string, V>> | undefined;
  private readonly stale = new Set<number>();

  constructor(private readonly sql: string, private readonly entry: (values: SqlValue[]) => [string, V]) {}

  get loaded(): boolean {
    return this.byRun !== undefined;
  }

  invalidate(runIds: readonly number[] | 'all'): void {
    if (runIds === 'all') {
      this.byRun = undefined;
      this.stale.clear();
    } else if (this.byRun) {
      for (const id of runIds) this.stale.add(id);
    }
  }

  /** The rows of every run, read now if never read or changed since. */
  current(db: Database): Map<number, Map<string, V>> {
    if (!this.byRun) {
      this.byRun = new Map();
      this.load(db, '');
    } else if (this.stale.size > 0) {
      const ids = [...this.stale];
      this.stale.clear();
      for (const id of ids) this.byRun.delete(id);
      for (let i = 0; i < ids.length; i += 500) this.load(db, `WHERE run_id IN (${ids.slice(i, i + 500).join(', ')})`);
    }
    return this.byRun;
  }

  private load(db: Database, where: string): void {
    const into = this.byRun!;
    // Values by position, no object per row: these reads are the big ones.
    each(db, `${this.sql} ${where}`, (v) => {
      const runId = v[0] as number;
      let map = into.get(runId);
      if (!map) into.set(runId, (map = new Map()));
      const [key, value] = this.entry(v);
      map.set(key, value);
    });
  }
}

const EMPTY = new Map<string, never>();

export class RunCatalog {
  private readonly metrics = new PartCache<MetricSummary>(`SELECT ${SUMMARY_COLUMNS} FROM metric_summary`, (v) => [String(v[1]), summaryOf(v)]);
  private readonly params = new PartCache<unknown>('SELECT run_id, key, value FROM params', (v) => [String(v[1]), JSON.parse(String(v[2]))]);
  private readonly tags = new PartCache<string>('SELECT run_id, key, value FROM tags', (v) => [String(v[1]), String(v[2])]);
  /** The key metric of each run, derived from `metrics` whenever they are read. */
  private keyMetrics = new WeakMap<Map<string, MetricSummary>, MetricSummary | null>();
  /** The key metric of each run read on its own, while `metrics` is not (see keyMetricRows). */
  private keyOnly: Map<number, MetricSummary | null> | undefined;
  private readonly keyOnlyStale = new Set<number>();
  /** Runs changed since the last call, by uid (an ingest names runs by uid). */
  private readonly staleUids = new Set<string>();
  /** The metric a run shows first when it has it (`exptrack.keyMetric`); then PREFERRED_KEY_METRICS. */
  private preferredKey: string | undefined;

  constructor(private readonly db: () => Database) {}

  /**
   * After an ingest: `uids` gained rows (appends only), or 'all' when anything may have changed
   * in any run (a file read again, a run removed, the registry's tags refolded).
   */
  invalidate(uids: readonly string[] | 'all'): void {
    if (uids === 'all') {
      this.staleUids.clear();
      for (const part of this.parts()) part.invalidate('all');
      this.keyOnly = undefined;
      this.keyOnlyStale.clear();
    } else {
      for (const uid of uids) this.staleUids.add(uid);
    }
  }

  /** Which metric stands for a run when it has it; a change forgets the key metrics picked so far. */
  preferKeyMetric(key: string | undefined): void {
    if (key === this.preferredKey) return;
    this.preferredKey = key;
    this.keyMetrics = new WeakMap();
    this.keyOnly = undefined;
    this.keyOnlyStale.clear();
  }

  /** Every run (or every one not deleted), newest start first then by id, as the Runs tree lists them. */
  records(opts: { includeHidden?: boolean } & RecordParts = {}): RunRecord[] {
    const db = this.db();
    this.forgetStale(db);
    const where = opts.includeHidden ? '' : 'WHERE r.hidden = 0';
    const runRows = rows(db, `SELECT ${RUN_COLUMNS}, r.user FROM runs r LEFT JOIN experiments e ON e.id = r.experiment_id ${where}
      ORDER BY r.started IS NULL, r.started DESC, r.uid`);
    const metrics = opts.metrics || this.metrics.loaded ? this.metrics.current(db) : undefined;
    const keyOnly = metrics ? undefined : this.currentKeyOnly(db);
    const params = opts.params ? this.params.current(db) : undefined;
    const tags = opts.tags ? this.tags.current(db) : undefined;
    return runRows.map((row) => {
      const id = Number(row.id);
      const m = metrics?.get(id) ?? EMPTY;
      return {
        summary: toRunSummary(row, metrics ? this.keyMetric(m) : keyOnly!.get(id) ?? null),
        user: row.user === null || row.user === undefined ? null : String(row.user),
        params: params?.get(id) ?? EMPTY,
        tags: tags?.get(id) ?? EMPTY,
        metrics: m,
      };
    });
  }

  private keyMetric(metrics: Map<string, MetricSummary>): MetricSummary | null {
    let k = this.keyMetrics.get(metrics);
    if (k === undefined) {
      k = keyMetricOf([...metrics.values()], this.preferredKey);
      this.keyMetrics.set(metrics, k);
    }
    return k;
  }

  private currentKeyOnly(db: Database): Map<number, MetricSummary | null> {
    if (!this.keyOnly) {
      this.keyOnly = keyMetricRows(db, null, this.preferredKey);
    } else if (this.keyOnlyStale.size > 0) {
      const ids = [...this.keyOnlyStale];
      this.keyOnlyStale.clear();
      for (let i = 0; i < ids.length; i += 500) {
        const chunk = ids.slice(i, i + 500);
        for (const id of chunk) this.keyOnly.delete(id);
        for (const [id, m] of keyMetricRows(db, chunk, this.preferredKey)) this.keyOnly.set(id, m);
      }
    }
    return this.keyOnly;
  }

  /** Hands the runs named since the last call to each part as row ids. */
  private forgetStale(db: Database): void {
    if (this.staleUids.size === 0) return;
    const uids = [...this.staleUids];
    this.staleUids.clear();
    const ids: number[] = [];
    for (let i = 0; i < uids.length; i += 500) {
      const chunk = uids.slice(i, i + 500);
      for (const r of rows(db, `SELECT id FROM runs WHERE uid IN (${chunk.map(() => '?').join(', ')})`, chunk)) ids.push(Number(r.id));
    }
    for (const part of this.parts()) part.invalidate(ids);
    if (this.keyOnly) for (const id of ids) this.keyOnlyStale.add(id);
  }

  private parts(): PartCache<unknown>[] {
    return [this.metrics, this.params, this.tags];
  }
}

const SUMMARY_COLUMNS = 'run_id, key, last, last_step, last_time, min, max, count';

/** A metric summary from a row of SUMMARY_COLUMNS. */
function summaryOf(v: SqlValue[]): MetricSummary {
  return { key: String(v[1]), last: nanIfNull(v[2]), lastStep: nullable(v[3]), lastTime: nullable(v[4]), min: nanIfNull(v[5]), max: nanIfNull(v[6]), count: Number(v[7]) };
}

/**
 * The key metric of each run (of `runIds`, or of all) as keyMetricOf picks it, reading only what
 * it needs: the summaries under the preferred keys, and for runs with none of those their keys,
 * then the one summary chosen. Runs without metrics are absent (no key metric).
 */
function keyMetricRows(db: Database, runIds: readonly number[] | null, preferredKey: string | undefined): Map<number, MetricSummary | null> {
  const only = runIds ? ` AND run_id IN (${runIds.join(', ')})` : '';
  const keys = preferredKey ? [preferredKey, ...PREFERRED_KEY_METRICS] : PREFERRED_KEY_METRICS;
  const preferred = keys.map((k) => `'${k.replace(/'/g, "''")}'`).join(', ');
  const byRun = new Map<number, MetricSummary[]>();
  const add = (runId: number, m: MetricSummary) => {
    const list = byRun.get(runId);
    if (list) list.push(m);
    else byRun.set(runId, [m]);
  };
  each(db, `SELECT ${SUMMARY_COLUMNS} FROM metric_summary WHERE key IN (${preferred})${only}`, (v) => add(v[0] as number, summaryOf(v)));
  const out = new Map<number, MetricSummary | null>();
  for (const [runId, list] of byRun) out.set(runId, keyMetricOf(list, preferredKey));
  // Runs with metrics but none preferred: keyMetricOf picks among their keys, then that one row is read.
  byRun.clear();
  each(db, `SELECT run_id, key FROM metric_summary WHERE run_id NOT IN (SELECT run_id FROM metric_summary WHERE key IN (${preferred}))${only}`,
    (v) => add(v[0] as number, { key: String(v[1]) } as MetricSummary));
  const one = db.prepare(`SELECT ${SUMMARY_COLUMNS} FROM metric_summary WHERE run_id = ? AND key = ?`);
  try {
    for (const [runId, keys] of byRun) {
      one.bind([runId, keyMetricOf(keys, preferredKey)!.key]);
      if (one.step()) out.set(runId, summaryOf(one.get()));
      one.reset();
    }
  } finally {
    one.free();
  }
  return out;
}

function each(db: Database, sql: string, fn: (values: SqlValue[]) => void): void {
  const stmt = db.prepare(sql);
  try {
    while (stmt.step()) fn(stmt.get());
  } finally {
    stmt.free();
  }
}

function nanIfNull(v: SqlValue): number {
  return v === null ? NaN : Number(v);
}

function nullable(v: SqlValue): number | null {
  return v === null ? null : Number(v);
}
