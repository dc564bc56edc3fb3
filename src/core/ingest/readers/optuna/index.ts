/** The readers of Optuna's storages: JournalFileStorage logs and SQLite RDB storages. */
import type { SourceReader } from '../../sourceReader';
import { optunaJournalReader } from './journalReader';
import { optunaSqliteReader, type OptunaSqliteOptions } from './sqliteReader';

export type { OptunaSqliteOptions };

export function optunaReaders(opts: OptunaSqliteOptions): SourceReader[] {
  return [optunaJournalReader, optunaSqliteReader(opts)];
}
