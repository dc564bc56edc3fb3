/**
 * The model fold's way in and out of the index: its inputs come from the stored registry events
 * and the model rows sources contributed; its result is written back as the numbers of the
 * run-logged rows, the `registered` rows, the aliases table and the fold's problems.
 */
import type { Database } from 'sql.js';
import { MODEL_REGISTRY_EVENT_TYPES, ModelRegistryEvent } from '../../shared/registryEvents';
import { rows } from '../store/queries';
import { REGISTRY_REL_PATH } from './registryAppender';
import type { ExternalAlias, ExternalVersion, LoggedModel, ModelFoldInputs, ModelFoldResult } from './modelVersionsFold';

export function loadModelFoldInputs(db: Database): ModelFoldInputs {
  const events: ModelRegistryEvent[] = [];
  const placeholders = MODEL_REGISTRY_EVENT_TYPES.map(() => '?').join(', ');
  for (const r of rows(db, `SELECT json FROM registry_events WHERE type IN (${placeholders}) ORDER BY time, id`, [...MODEL_REGISTRY_EVENT_TYPES])) {
    // The reader stored only events that validated; a newer reader's stricter view is not ours to enforce here.
    const parsed = ModelRegistryEvent.safeParse(JSON.parse(String(r.json)));
    if (parsed.success) events.push(parsed.data);
  }
  const logged: LoggedModel[] = rows(db, `SELECT m.id, m.name, r.uid, r.started, r.user, m.path, m.sha256, m.bytes,
      m.parent_name, m.parent_version, m.derivation
    FROM model_versions m JOIN runs r ON r.id = m.run_id WHERE m.origin = 'run'`).map((r) => ({
    rowId: Number(r.id), name: String(r.name), runUid: String(r.uid), runStarted: num(r.started), runUser: str(r.user),
    path: str(r.path), sha256: str(r.sha256), bytes: num(r.bytes),
    parent: r.parent_name !== null && r.parent_version !== null ? { name: String(r.parent_name), version: Number(r.parent_version) } : null,
    derivation: str(r.derivation),
  }));
  const external: ExternalVersion[] = rows(db, `SELECT m.name, m.version, r.uid, m.path FROM model_versions m
    LEFT JOIN runs r ON r.id = m.run_id WHERE m.origin = 'external' AND m.version IS NOT NULL`)
    .map((r) => ({ name: String(r.name), version: Number(r.version), runUid: str(r.uid), path: str(r.path) }));
  const externalAliases: ExternalAlias[] = rows(db, 'SELECT model, alias, version FROM external_aliases')
    .map((r) => ({ model: String(r.model), alias: String(r.alias), version: Number(r.version) }));
  return { events, logged, external, externalAliases };
}

export function writeModelTables(db: Database, result: ModelFoldResult): void {
  db.run(`DELETE FROM model_versions WHERE origin = 'registered'`);
  const number = db.prepare('UPDATE model_versions SET version = ? WHERE id = ?');
  const insert = db.prepare(`INSERT INTO model_versions
      (name, version, run_id, path, sha256, bytes, parent_name, parent_version, derivation, origin, source_id)
    VALUES (?, ?, (SELECT id FROM runs WHERE uid = ?), ?, ?, ?, ?, ?, ?, 'registered', NULL)`);
  const alias = db.prepare('INSERT INTO aliases (model, alias, version) VALUES (?, ?, ?)');
  try {
    for (const v of result.versions) {
      if (v.origin === 'external') continue;
      if (v.loggedRowIds.length > 0) {
        for (const id of v.loggedRowIds) number.run([v.version, id]);
        continue;
      }
      insert.run([v.name, v.version, v.runUid, v.path, v.sha256, v.bytes, v.parent?.name ?? null, v.parent?.version ?? null, v.derivation]);
    }
    db.run('DELETE FROM aliases');
    for (const a of result.aliases) alias.run([a.model, a.alias, a.version]);
  } finally {
    number.free();
    insert.free();
    alias.free();
  }
  // The fold's own findings (renumbered registrations, aliases naming unknown versions) belong to no
  // single source: they are kept without a source id and replaced on every fold.
  db.run('DELETE FROM problems WHERE source_id IS NULL AND path = ?', [REGISTRY_REL_PATH]);
  for (const p of result.problems) {
    db.run('INSERT INTO problems (source_id, path, line, severity, message) VALUES (NULL, ?, NULL, ?, ?)', [REGISTRY_REL_PATH, p.severity, p.message]);
  }
}

function str(v: unknown): string | null {
  return v === null || v === undefined ? null : String(v);
}

function num(v: unknown): number | null {
  return v === null || v === undefined ? null : Number(v);
}
