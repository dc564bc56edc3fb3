/**
 * Folds the run events of the registry (renames, notes, tags, deletions) into the runs table.
 * They are re-applied from scratch in (time, id) order whenever the registry changes, so the
 * result does not depend on which writer appended first. Events about runs not indexed yet take
 * effect on the fold that follows their indexing.
 */
import type { Database } from 'sql.js';
import { RunAnnotationEvent } from '../../shared/registryEvents';

export function applyRunAnnotations(db: Database, events: readonly RunAnnotationEvent[]): void {
  db.run('UPDATE runs SET renamed = NULL, note = NULL, hidden = 0 WHERE renamed IS NOT NULL OR note IS NOT NULL OR hidden != 0');
  db.run('DELETE FROM tags WHERE source_id IS NULL');
  for (const e of events) {
    switch (e.t) {
      case 'run.rename':
        db.run('UPDATE runs SET renamed = ? WHERE uid = ?', [e.name, e.run]);
        break;
      case 'run.note':
        db.run('UPDATE runs SET note = ? WHERE uid = ?', [e.text, e.run]);
        break;
      case 'run.tag':
        db.run('INSERT OR REPLACE INTO tags (run_id, key, value, source_id) SELECT id, ?, ?, NULL FROM runs WHERE uid = ?', [e.key, e.value, e.run]);
        break;
      case 'run.untag':
        db.run('DELETE FROM tags WHERE key = ? AND run_id = (SELECT id FROM runs WHERE uid = ?)', [e.key, e.run]);
        break;
      case 'run.delete':
        db.run('UPDATE runs SET hidden = 1 WHERE uid = ?', [e.run]);
        break;
      case 'run.restore':
        db.run('UPDATE runs SET hidden = 0 WHERE uid = ?', [e.run]);
        break;
      default: {
        const never: never = e;
        throw new Error(`unhandled registry event ${JSON.stringify(never)}`);
      }
    }
  }
}

/** The stored run-annotation events in fold order. */
export function loadRunAnnotationEvents(db: Database): RunAnnotationEvent[] {
  const types = RunAnnotationEvent.options.map((o) => o.shape.t.value);
  const rows = db.exec(`SELECT json FROM registry_events WHERE type IN (${types.map(() => '?').join(', ')}) ORDER BY time, id`, types)[0]?.values ?? [];
  const events: RunAnnotationEvent[] = [];
  for (const r of rows) {
    const parsed = RunAnnotationEvent.safeParse(JSON.parse(String(r[0])));
    if (parsed.success) events.push(parsed.data);
  }
  return events;
}
