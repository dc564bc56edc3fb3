/**
 * Writes what a source says about hyperparameter studies into the index (tables `studies` and
 * `study_trials`, migration 3). A growing source (an Optuna journal) says a little more each read:
 * fields it leaves out keep their value, and `info` objects are merged (JSON merge patch).
 */
import type { Database } from 'sql.js';
import type { StudyRecord, TrialRecord } from '../ingest/sourceReader';

export function writeStudies(db: Database, sourceId: number, studies: readonly StudyRecord[], trials: readonly TrialRecord[], runId: (uid: string) => number): void {
  for (const s of studies) {
    db.run(
      `INSERT INTO studies (uid, name, kind, path, info, source_id) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (uid, source_id) DO UPDATE SET name = excluded.name, kind = excluded.kind, path = excluded.path,
         info = json_patch(COALESCE(info, '{}'), COALESCE(excluded.info, '{}'))`,
      [s.uid, s.name, s.kind, s.path, s.info ? JSON.stringify(s.info) : null, sourceId],
    );
  }
  for (const t of trials) {
    db.run(
      `INSERT INTO study_trials (run_id, study_uid, number, state, vals, info, source_id) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (run_id, study_uid) DO UPDATE SET number = COALESCE(excluded.number, number), state = COALESCE(excluded.state, state),
         vals = COALESCE(excluded.vals, vals), info = json_patch(COALESCE(info, '{}'), COALESCE(excluded.info, '{}')), source_id = excluded.source_id`,
      [runId(t.runUid), t.studyUid, t.number ?? null, t.state ?? null, t.values ? JSON.stringify(t.values) : null,
        t.info ? JSON.stringify(t.info) : null, sourceId],
    );
  }
}
