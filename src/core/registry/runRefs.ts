/** Finds a run from what a person types: its uid, a unique start of the uid, or its unique name. */
import type { Database } from 'sql.js';
import { rows } from '../store/queries';

export type RunRef = { ok: true; uid: string } | { ok: false; error: string };

const MIN_PREFIX = 4;

export function findRun(db: Database, ref: string): RunRef {
  if (rows(db, 'SELECT 1 FROM runs WHERE uid = ?', [ref]).length > 0) return { ok: true, uid: ref };
  const byPrefix = ref.length >= MIN_PREFIX
    ? rows(db, "SELECT uid FROM runs WHERE substr(uid, 1, length(?)) = ? ORDER BY uid LIMIT 6", [ref, ref]).map((r) => String(r.uid))
    : [];
  if (byPrefix.length === 1) return { ok: true, uid: byPrefix[0]! };
  const byName = rows(db, 'SELECT uid FROM runs WHERE COALESCE(renamed, name) = ? ORDER BY uid LIMIT 6', [ref]).map((r) => String(r.uid));
  if (byName.length === 1) return { ok: true, uid: byName[0]! };
  const ambiguous = byPrefix.length > 1 ? byPrefix : byName;
  if (ambiguous.length > 1) return { ok: false, error: `"${ref}" matches several runs (${ambiguous.slice(0, 5).join(', ')}${ambiguous.length > 5 ? ', …' : ''}): give the full run id` };
  return { ok: false, error: `no run "${ref}" in the index` };
}
