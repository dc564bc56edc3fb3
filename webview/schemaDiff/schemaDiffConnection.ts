import { createSchemaDiffProtocol, type SchemaDiffHostMessage, type SchemaDiffWebviewMessage } from '../../src/shared/protocol/schemaDiff';
import { HostConnection } from '../common/hostConnection';

/** UI intent the page keeps across reloads (never data: the host sends the diff again). */
export interface SavedState {
  changedOnly: boolean;
  /** The column whose detail is open. */
  selected: string | null;
}

export type SchemaDiffConnection = HostConnection<SchemaDiffHostMessage, SchemaDiffWebviewMessage, SavedState>;

export function connectSchemaDiff(): SchemaDiffConnection {
  return new HostConnection(createSchemaDiffProtocol().hostMessage, (saved) => {
    const s = saved as Partial<SavedState> | undefined;
    return { changedOnly: s?.changedOnly === true, selected: typeof s?.selected === 'string' ? s.selected : null };
  });
}
