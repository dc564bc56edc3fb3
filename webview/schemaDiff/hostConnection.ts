import { createSchemaDiffProtocol, type SchemaDiffHostMessage, type SchemaDiffWebviewMessage } from '../../src/shared/protocol/schemaDiff';

/** UI intent the page keeps across reloads (never data: the host sends the diff again). */
export interface SavedState {
  changedOnly: boolean;
  /** The column whose detail is open. */
  selected: string | null;
}

/**
 * The page's side of the Schema Diff protocol. acquireVsCodeApi() may be called once per page:
 * this is that call. Host messages are validated; anything malformed is reported and dropped.
 */
export class HostConnection {
  private readonly api = acquireVsCodeApi();
  private readonly protocol = createSchemaDiffProtocol();

  post(message: SchemaDiffWebviewMessage): void {
    this.api.postMessage(message);
  }

  listen(handler: (message: SchemaDiffHostMessage) => void): void {
    window.addEventListener('message', (event: MessageEvent) => {
      const parsed = this.protocol.hostMessage.safeParse(event.data);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        this.reportError(`ignored a malformed host message: ${issue ? `${issue.path.join('.')}: ${issue.message}` : ''}`);
        return;
      }
      try {
        handler(parsed.data);
      } catch (e) {
        this.reportError((e as Error).stack ?? String(e));
      }
    });
    window.addEventListener('error', (e) => this.reportError(e.message));
    window.addEventListener('unhandledrejection', (e) => this.reportError(String(e.reason)));
    document.addEventListener('securitypolicyviolation', (e) =>
      this.reportError(`blocked by the content security policy: ${e.violatedDirective} ${e.blockedURI}`));
  }

  reportError(message: string): void {
    this.post({ type: 'error', message: message.slice(0, 2000) });
  }

  get state(): SavedState {
    const s = this.api.getState() as Partial<SavedState> | undefined;
    return { changedOnly: s?.changedOnly === true, selected: typeof s?.selected === 'string' ? s.selected : null };
  }

  setState(state: SavedState): void {
    this.api.setState(state);
  }
}
