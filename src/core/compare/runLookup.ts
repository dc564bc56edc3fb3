/** Run ids of the index by their uids, looked up in parameterised chunks. */
import type { Database } from 'sql.js';

const CHUNK = 500;

export function runIdsByUid(db: Database, uids: readonly string[]): Map<string, number> {
  const ids = new Map<string, number>();
  const unique = [...new Set(uids)];
  for (let i = 0; i < unique.length; i += CHUNK) {
    const chunk = unique.slice(i, i + CHUNK);
    const result = db.exec(`SELECT uid, id FROM runs WHERE uid IN (${chunk.map(() => '?').join(', ')})`, chunk)[0];
    for (const [uid, id] of result?.values ?? []) ids.set(String(uid), Number(id));
  }
  return ids;
}
