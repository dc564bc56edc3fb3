/**
 * Types the store and its API share (store.ts implements what storeApi.ts declares): kept here so
 * neither imports the other.
 */
import type { ModelHistoryEntry, ModelVersion, RegisteredModel, RegistrationCandidate } from '../../shared/modelTypes';
import type { IndexPlace } from './indexLocation';

export interface StoreOpenInfo {
  dbPath: string | null;
  /** Where the index is, when it was chosen (see indexLocation.ts). */
  place?: IndexPlace;
  /** Why it is not in `.exptrack/` although that exists; what went wrong moving it in. */
  note?: string;
  fresh: 'new' | 'set-aside' | 'outdated' | null;
  setAsidePath?: string;
  reason?: string;
  /** What opening did about the journal of a save that was cut short (completed it, ignored a damaged one). */
  recovery?: string;
}

export interface ModelRegistryOverview {
  models: RegisteredModel[];
  candidates: RegistrationCandidate[];
}

export interface RegistryEventOutcome {
  /** The event as the fold took it (renumbered, duplicate, not applied…); null when it is not in the index. */
  entry: ModelHistoryEntry | null;
  version: ModelVersion | null;
}
