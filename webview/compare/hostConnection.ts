import * as z from 'zod/mini';
import type { CompareHostMessage, CompareProtocol, CompareWebviewMessage } from '../../src/shared/protocol/compare';
import { createCompareProtocol } from '../../src/shared/protocol/compare';

/**
 * The page's side of the Compare protocol. zod is switched to jitless mode *before* the schemas
 * are made (see src/shared/protocol/compare.ts): compiled parsers would need `new Function`,
 * which the CSP forbids. acquireVsCodeApi() may be called once per page: this is that call.
 */
export class HostConnection<State> {
  private readonly api = acquireVsCodeApi();
  private readonly protocol: CompareProtocol;

  /** Errors are sent without the page's name: the host adds it ("Compare view: …"). */
  constructor() {
    z.config({ jitless: true });
    this.protocol = createCompareProtocol();
  }

  post(message: CompareWebviewMessage): void {
    this.api.postMessage(message);
  }

  /** Host messages, validated; anything else (or malformed) is reported and dropped. */
  listen(handler: (message: CompareHostMessage) => void): void {
    window.addEventListener('message', (event: MessageEvent) => {
      const parsed = this.protocol.hostMessage.safeParse(event.data);
      if (!parsed.success) {
        this.reportError(`ignored a malformed host message: ${parsed.error.issues[0]?.message ?? ''}`);
        return;
      }
      try {
        handler(parsed.data);
      } catch (e) {
        this.reportError(String((e as Error).stack ?? e));
      }
    });
    window.addEventListener('error', (e) => this.reportError(e.message));
    window.addEventListener('unhandledrejection', (e) => this.reportError(String(e.reason)));
    // A CSP violation means part of the page does not work: say so in the Output channel.
    document.addEventListener('securitypolicyviolation', (e) =>
      this.reportError(`blocked by the content security policy: ${e.violatedDirective} ${e.blockedURI}`));
  }

  reportError(message: string): void {
    this.post({ type: 'error', message: message.slice(0, 2000) });
  }

  get state(): Partial<State> {
    const s = this.api.getState();
    return s && typeof s === 'object' ? (s as Partial<State>) : {};
  }

  setState(state: State): void {
    this.api.setState(state);
  }
}
