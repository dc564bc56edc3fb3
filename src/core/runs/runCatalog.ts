/**
 * The runs of the index as searches, the Runs table and the Runs tree read them, kept in memory by
 * the store (in the worker) between calls.
 *
 * Each call reads the run rows afresh (names, statuses — a log that stopped growing turns finished
 * with time alone —, hidden flags: one small row per run), and joins them with each run's
 * parameters, tags and metric summaries, which are kept here: those are most of the reading, and
 * they change only when an ingest says so (invalidate). A workspace of 10,000 runs × 10 metrics is
 * read once; a growing run costs its own rows.
 */
import type { Database, SqlValue, Statement } from 'sql.js';
import type { MetricSummary } from '../../shared/runTypes';
import { keyMetricOf, rows, RUN_COLUMNS, toRunSummary } from '../store/queries';
import type { RunRecord } from './runRecord';

interface RunExtras {
  params: Map<string, unknown>;
  tags: Map<string, string>;
  metrics: Map<string, MetricSummary>;
  keyMetric: MetricSummary | null;
}

export class RunCatalog {
  /** By the run's row id; complete once loaded, until invalidated as a whole. */
  private extras: Map<number, RunExtras> | undefined;
  /** Runs whose extras are out of date (by uid: an ingest names runs by uid). */
  private readonly stale = new Set<string>();

  constructor(private readonly db: () => Database) {}

  /**
   * After an ingest: `uids` gained rows (appends only), or 'all' when anything may have changed
   * in any run (a file read again, a run removed, the registry's tags refolded).
   */
  invalidate(uids: readonly string[] | 'all'): void {
    if (uids === 'all') {
      this.extras = undefined;
      this.stale.clear();
    } else if (this.extras) {
      for (const uid of uids) this.stale.add(uid);
    }
  }

  /** Every run (or every one not deleted), newest start first then by id, as the Runs tree lists them. */
  records(opts: { includeHidden?: boolean } = {}): RunRecord[] {
    const db = this.db();
    const where = opts.includeHidden ? '' : 'WHERE r.hidden = 0';
    const runRows = rows(db, `SELECT ${RUN_COLUMNS}, r.user FROM runs r LEFT JOIN experiments e ON e.id = r.experiment_id ${where}
      ORDER BY r.started IS NULL, r.started DESC, r.uid`);
    const extras = this.currentExtras(db);
    return runRows.map((row) => {
      const x = extras.get(Number(row.id)) ?? emptyExtras();
      return {
        summary: toRunSummary(row, x.keyMetric),
        user: row.user === null || row.user === undefined ? null : String(row.user),
        params: x.params,
        tags: x.tags,
        metrics: x.metrics,
      };
    });
  }

  private currentExtras(db: Database): Map<number, RunExtras> {
    if (!this.extras) {
      this.extras = new Map();
      loadExtras(db, this.extras, '');
    } else if (this.stale.size > 0) {
      const uids = [...this.stale];
      this.stale.clear();
      const ids: number[] = [];
      for (let i = 0; i < uids.length; i += 500) {
        const chunk = uids.slice(i, i + 500);
        for (const r of rows(db, `SELECT id FROM runs WHERE uid IN (${chunk.map(() => '?').join(', ')})`, chunk)) ids.push(Number(r.id));
      }
      for (const id of ids) this.extras.delete(id);
      for (let i = 0; i < ids.length; i += 500) loadExtras(db, this.extras, `WHERE run_id IN (${ids.slice(i, i + 500).join(', ')})`);
    }
    return this.extras;
  }
}

function emptyExtras(): RunExtras {
  return { params: new Map(), tags: new Map(), metrics: new Map(), keyMetric: null };
}

/** Reads the params, tags and metric summaries of the runs `where` selects into `into`. */
function loadExtras(db: Database, into: Map<number, RunExtras>, where: string): void {
  const of = (runId: number) => {
    let x = into.get(runId);
    if (!x) into.set(runId, (x = emptyExtras()));
    return x;
  };
  each(db, `SELECT run_id, key, value FROM params ${where}`, (v) => {
    of(v[0] as number).params.set(String(v[1]), JSON.parse(String(v[2])));
  });
  each(db, `SELECT run_id, key, value FROM tags ${where}`, (v) => {
    of(v[0] as number).tags.set(String(v[1]), String(v[2]));
  });
  const touched = new Set<RunExtras>();
  each(db, `SELECT run_id, key, last, last_step, last_time, min, max, count FROM metric_summary ${where}`, (v) => {
    const x = of(v[0] as number);
    const key = String(v[1]);
    x.metrics.set(key, {
      key, last: nanIfNull(v[2]), lastStep: nullable(v[3]), lastTime: nullable(v[4]), min: nanIfNull(v[5]), max: nanIfNull(v[6]), count: Number(v[7]),
    });
    touched.add(x);
  });
  for (const x of touched) x.keyMetric = keyMetricOf([...x.metrics.values()]);
}

/** Steps a statement, handing each row's values by position (no object per row: these reads are the big ones). */
function each(db: Database, sql: string, fn: (values: SqlValue[]) => void): void {
  const stmt: Statement = db.prepare(sql);
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
