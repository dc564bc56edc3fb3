import type { CompareHostMessage, CompareWebviewMessage } from '../../src/shared/protocol/compare';
import { createCompareProtocol } from '../../src/shared/protocol/compare';
import { PageConnection } from '../common/hostConnection';

/**
 * The page's side of the Compare protocol (the side-bar view and the panel). Errors are sent
 * without the page's name: the host adds it ("Compare view: …").
 */
export class HostConnection<State> extends PageConnection<CompareHostMessage, CompareWebviewMessage, State> {
  constructor() {
    super(createCompareProtocol, (message) => ({ type: 'error', message }));
  }
}
