/**
 * The page's side of its protocol with the extension host, for every webview: acquireVsCodeApi()
 * may be called once per page and this is that call. Host messages are validated with the
 * protocol's schema; anything malformed, and the page's own failures (uncaught errors, unhandled
 * rejections, CSP violations), are sent to the host as `{ type: 'error' }`, which it logs.
 */
import { reportPageErrors } from './pageErrors';

/** What the connection needs of a protocol's host-message schema (zod's safeParse). */
export interface HostMessageSchema<T> {
  safeParse(data: unknown): { success: true; data: T } | { success: false; error: { issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }> } };
}

export class HostConnection<Host, Page extends { type: string }, State> {
  private readonly api = acquireVsCodeApi();

  /**
   * `readState` turns what setState kept (anything: an older page may have written it) into the
   * page's UI intent.
   */
  constructor(private readonly hostMessage: HostMessageSchema<Host>, private readonly readState: (saved: unknown) => State) {
    reportPageErrors((message) => this.reportError(message));
  }

  post(message: Page): void {
    this.api.postMessage(message);
  }

  /** Host messages, validated; anything else (or malformed) is reported and dropped. */
  listen(handler: (message: Host) => void): void {
    window.addEventListener('message', (event: MessageEvent) => {
      const parsed = this.hostMessage.safeParse(event.data);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        this.reportError(`ignored a malformed host message: ${issue ? `${issue.path.map(String).join('.')}: ${issue.message}` : ''}`);
        return;
      }
      try {
        handler(parsed.data);
      } catch (e) {
        this.reportError(String((e as Error).stack ?? e));
      }
    });
  }

  /** Sent without the page's name: the host adds it. */
  reportError(message: string): void {
    this.api.postMessage({ type: 'error', message: message.slice(0, 2000) });
  }

  get state(): State {
    return this.readState(this.api.getState());
  }

  setState(state: State): void {
    this.api.setState(state);
  }
}
