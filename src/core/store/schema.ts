/**
 * Numbered migrations of the index database. The database is derived data (DESIGN.md): when
 * a migration cannot carry old content over, it may drop tables, and the sources fill them again.
 */
export interface Migration {
  version: number;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    sql: `
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE sources (
  id INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE, reader TEXT NOT NULL,
  offset INTEGER NOT NULL, size INTEGER NOT NULL, mtime REAL NOT NULL,
  prefix_len INTEGER NOT NULL, prefix_hash TEXT NOT NULL, line INTEGER NOT NULL, state TEXT
);
CREATE TABLE experiments (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE runs (
  id INTEGER PRIMARY KEY, uid TEXT NOT NULL UNIQUE, experiment_id INTEGER REFERENCES experiments(id),
  name TEXT, status TEXT NOT NULL DEFAULT 'unknown', source_kind TEXT, source_path TEXT, run_dir TEXT,
  command TEXT, cwd TEXT, git_commit TEXT, git_branch TEXT, git_dirty INTEGER, env TEXT, user TEXT,
  started REAL, ended REAL, exit_code INTEGER,
  renamed TEXT, note TEXT, hidden INTEGER NOT NULL DEFAULT 0,
  -- the source whose "run" event made this run: when that file vanishes, so does the run
  source_id INTEGER
);
CREATE TABLE params (
  run_id INTEGER NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, type TEXT NOT NULL, source_id INTEGER,
  PRIMARY KEY (run_id, key)
);
-- Metric points are stored in blocks of up to 4,096 points per (run, key, source): steps, times
-- and values as little-endian float64 arrays (NaN marks a missing step or time, and NaN values stay
-- NaN). One row per block keeps ingest and series reads fast; tables read metric_summary instead.
CREATE TABLE metric_blocks (
  run_id INTEGER NOT NULL, key TEXT NOT NULL, source_id INTEGER, count INTEGER NOT NULL,
  first_step REAL, last_step REAL, steps BLOB NOT NULL, times BLOB NOT NULL, vals BLOB NOT NULL
);
CREATE INDEX metric_blocks_by_run_key ON metric_blocks (run_id, key);
CREATE TABLE metric_summary (
  run_id INTEGER NOT NULL, key TEXT NOT NULL, last REAL, last_step INTEGER, last_time REAL,
  min REAL, max REAL, count INTEGER NOT NULL, PRIMARY KEY (run_id, key)
);
CREATE TABLE tags (run_id INTEGER NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, source_id INTEGER, PRIMARY KEY (run_id, key));
CREATE TABLE artifacts (run_id INTEGER NOT NULL, path TEXT NOT NULL, sha256 TEXT, bytes INTEGER, source_id INTEGER, PRIMARY KEY (run_id, path));
CREATE TABLE datasets (id INTEGER PRIMARY KEY, path TEXT NOT NULL, sha256 TEXT NOT NULL DEFAULT '', rows INTEGER, bytes INTEGER, profile TEXT, UNIQUE (path, sha256));
CREATE TABLE dataset_use (run_id INTEGER NOT NULL, dataset_id INTEGER NOT NULL, role TEXT, source_id INTEGER, PRIMARY KEY (run_id, dataset_id, role));
CREATE TABLE model_versions (
  id INTEGER PRIMARY KEY, name TEXT NOT NULL, version INTEGER, run_id INTEGER, path TEXT, sha256 TEXT, bytes INTEGER,
  parent_name TEXT, parent_version INTEGER, derivation TEXT, origin TEXT NOT NULL, source_id INTEGER
);
CREATE TABLE aliases (model TEXT NOT NULL, alias TEXT NOT NULL, version INTEGER NOT NULL, PRIMARY KEY (model, alias));
-- aliases as another tool's registry states them (read-only); the registry fold overlays its own events
CREATE TABLE external_aliases (model TEXT NOT NULL, alias TEXT NOT NULL, version INTEGER NOT NULL, source_id INTEGER);
CREATE TABLE registry_events (id TEXT PRIMARY KEY, time REAL NOT NULL, type TEXT NOT NULL, json TEXT NOT NULL, source_id INTEGER);
CREATE TABLE problems (source_id INTEGER, path TEXT NOT NULL, line INTEGER, severity TEXT NOT NULL, message TEXT NOT NULL);
CREATE INDEX problems_by_source ON problems (source_id);
`,
  },
  {
    // Points leave the index (seriesStore.ts): chunks of up to 4,096 points, compressed, kept in
    // append-only series files beside the database; the index keeps where each chunk is and its
    // step range and finite min/max (the first level of a min/max pyramid, for range reads).
    version: 2,
    sql: `
DROP TABLE metric_blocks;
-- length: how far the file holds chunks this index names (a crash can leave more bytes after it)
CREATE TABLE series_files (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, length INTEGER NOT NULL);
-- One row per chunk of (run, key, source), in logged order by id. A chunk lives in a series file
-- (file_id, offset, length) or, while new or still growing, in chunk_data: a table of its own, so the
-- pages it frees when it moves out are whole pages the incremental vacuum gives back.
CREATE TABLE metric_chunks (
  id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL, key TEXT NOT NULL, source_id INTEGER, count INTEGER NOT NULL,
  min_step REAL, max_step REAL, lo REAL, hi REAL,
  file_id INTEGER, offset INTEGER, length INTEGER
);
CREATE TABLE chunk_data (chunk_id INTEGER PRIMARY KEY, data BLOB NOT NULL);
CREATE TRIGGER metric_chunks_deleted AFTER DELETE ON metric_chunks BEGIN DELETE FROM chunk_data WHERE chunk_id = OLD.id; END;
CREATE INDEX metric_chunks_by_series ON metric_chunks (run_id, key, source_id);
CREATE INDEX metric_chunks_by_source ON metric_chunks (source_id);
-- The Runs view shows each run's key metric: found by name without reading every summary.
CREATE INDEX metric_summary_by_key ON metric_summary (key);
`,
  },
  {
    // Metrics measured on a slice of the data (a metrics event's `slice`, TFMA's MetricsForSlice):
    // few points, read whole per run, so they stay in the index. `slice` is the canonical JSON of
    // the slice key (keys sorted); a NULL value is NaN.
    version: 3,
    sql: `
CREATE TABLE slice_metrics (
  run_id INTEGER NOT NULL, slice TEXT NOT NULL, key TEXT NOT NULL, step INTEGER, time REAL, value REAL, source_id INTEGER
);
CREATE INDEX slice_metrics_by_run ON slice_metrics (run_id);
CREATE INDEX slice_metrics_by_source ON slice_metrics (source_id);
`,
  },
  {
    // Hyperparameter studies as their tools state them (src/core/sweeps): Optuna storages, KerasTuner
    // oracles and trial files, Hydra multiruns. Several sources may state one study (a KerasTuner
    // oracle and each of its trial files), each in a row of its own; info is JSON merged as a source grows.
    version: 4,
    sql: `
CREATE TABLE studies (uid TEXT NOT NULL, name TEXT NOT NULL, kind TEXT NOT NULL, path TEXT NOT NULL, info TEXT, source_id INTEGER);
CREATE UNIQUE INDEX studies_by_uid_source ON studies (uid, source_id);
CREATE INDEX studies_by_source ON studies (source_id);
-- The runs that are trials of a study: number, state, objective values (JSON), details (JSON).
CREATE TABLE study_trials (
  run_id INTEGER NOT NULL, study_uid TEXT NOT NULL, number INTEGER, state TEXT, vals TEXT, info TEXT, source_id INTEGER,
  PRIMARY KEY (run_id, study_uid)
);
CREATE INDEX study_trials_by_source ON study_trials (source_id);
`,
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;
