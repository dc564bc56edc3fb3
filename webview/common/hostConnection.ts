/**
 * A page's side of its panel's protocol (src/shared/protocol/<panel>.ts): messages to the host,
 * host messages validated before the handler sees them (anything malformed is reported and
 * dropped), the page's own failures reported, and the UI intent kept with setState.
 *
 * acquireVsCodeApi() may be called once per page: this is that call. `createProtocol` runs after
 * zod is switched to jitless mode: compiled parsers would need `new Function`, which the CSP forbids.
 */
import * as z from 'zod/mini';
import { reportPageErrors } from './pageErrors';

interface Protocol<In> {
  hostMessage: { safeParse(raw: unknown): { success: true; data: In } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } } };
}

export class PageConnection<In, Out extends { type: string }, State> {
  private readonly api = acquireVsCodeApi();
  private readonly protocol: Protocol<In>;

  constructor(createProtocol: () => Protocol<In>, private readonly errorMessage: (message: string) => Out) {
    z.config({ jitless: true });
    this.protocol = createProtocol();
  }

  post(message: Out): void {
    this.api.postMessage(message);
  }

  listen(handler: (message: In) => void): void {
    window.addEventListener('message', (event: MessageEvent) => {
      const parsed = this.protocol.hostMessage.safeParse(event.data);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        this.reportError(`ignored a malformed host message: ${issue ? `${issue.path.map(String).join('.')}: ${issue.message}` : ''}`);
        return;
      }
      try {
        handler(parsed.data);
      } catch (e) {
        this.reportError((e as Error).stack ?? String(e));
      }
    });
    reportPageErrors((message) => this.reportError(message));
  }

  reportError(message: string): void {
    this.post(this.errorMessage(message.slice(0, 2000)));
  }

  get state(): Partial<State> {
    const s = this.api.getState();
    return s && typeof s === 'object' ? (s as Partial<State>) : {};
  }

  setState(state: State): void {
    this.api.setState(state);
  }
}
