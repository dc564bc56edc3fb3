import { createSchemaDiffProtocol, type SchemaDiffHostMessage, type SchemaDiffWebviewMessage } from '../../src/shared/protocol/schemaDiff';
import { PageConnection } from '../common/hostConnection';

/** UI intent the page keeps across reloads (never data: the host sends the diff again). */
export interface SavedState {
  changedOnly: boolean;
  /** The column whose detail is open. */
  selected: string | null;
}

/** The page's side of the Schema Diff protocol. */
export class HostConnection extends PageConnection<SchemaDiffHostMessage, SchemaDiffWebviewMessage, SavedState> {
  constructor() {
    super(createSchemaDiffProtocol, (message) => ({ type: 'error', message }));
  }

  override get state(): SavedState {
    const s = super.state;
    return { changedOnly: s.changedOnly === true, selected: typeof s.selected === 'string' ? s.selected : null };
  }
}
