/** Dataset versions seen in runs (tables `datasets` and `dataset_use`), for the Datasets view. */
import type { Database } from 'sql.js';
import type { DatasetVersion } from '../../shared/datasetVersions';
import { rows } from './queries';
import { DEFAULT_EXPERIMENT } from './runIndexWriter';

/**
 * Every (path, sha256) that at least one visible run read, with those runs (earliest first).
 * Sorted by path, then by when the version was first read.
 */
export function listDatasetVersions(db: Database): DatasetVersion[] {
  const byId = new Map<number, DatasetVersion>();
  const found = rows(db, `SELECT d.id, d.path, d.sha256, d.rows, d.bytes, u.role, r.uid, COALESCE(r.renamed, r.name) AS name,
      e.name AS experiment, r.started, r.git_commit
    FROM dataset_use u
    JOIN datasets d ON d.id = u.dataset_id
    JOIN runs r ON r.id = u.run_id AND r.hidden = 0
    LEFT JOIN experiments e ON e.id = r.experiment_id
    ORDER BY d.path, r.started IS NULL, r.started, r.uid, u.role`);
  for (const f of found) {
    const id = Number(f.id);
    let version = byId.get(id);
    if (!version) {
      version = {
        path: String(f.path),
        sha256: f.sha256 ? String(f.sha256) : null,
        rows: f.rows === null ? null : Number(f.rows),
        bytes: f.bytes === null ? null : Number(f.bytes),
        uses: [],
      };
      byId.set(id, version);
    }
    version.uses.push({
      runUid: String(f.uid),
      runName: f.name === null ? String(f.uid) : String(f.name),
      experiment: f.experiment === null ? DEFAULT_EXPERIMENT : String(f.experiment),
      role: f.role === null ? null : String(f.role),
      started: f.started === null ? null : Number(f.started),
      gitCommit: f.git_commit === null ? null : String(f.git_commit),
    });
  }
  const start = (v: DatasetVersion) => v.uses[0]?.started ?? Number.POSITIVE_INFINITY;
  return [...byId.values()].sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : start(x) - start(y) || cmp(x.sha256, y.sha256)));
}

function cmp(a: string | null, b: string | null): number {
  return (a ?? '') < (b ?? '') ? -1 : (a ?? '') > (b ?? '') ? 1 : 0;
}
