import { createCompareProtocol, type CompareHostMessage, type CompareWebviewMessage } from '../../src/shared/protocol/compare';
import { HostConnection } from '../common/hostConnection';

/** The Compare panel's and the Compare view's connection; each keeps its own UI intent. */
export type CompareConnection<State> = HostConnection<CompareHostMessage, CompareWebviewMessage, Partial<State>>;

export function connectCompare<State>(): CompareConnection<State> {
  return new HostConnection(createCompareProtocol().hostMessage, (saved) => (saved && typeof saved === 'object' ? saved : {}) as Partial<State>);
}
