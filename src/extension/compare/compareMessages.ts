import * as z from 'zod/mini';
import type { CompareProtocol, CompareWebviewMessage } from '../../shared/protocol/compare';
import type { Log } from '../log';

/** What a Compare webview may ask of the host; the side-bar view and the panel each implement it. */
export interface CompareMessageTarget {
  ready(): void;
  setRuns(uids: string[]): void;
  pickRuns(): Promise<void>;
  openPanel(): Promise<void>;
  setAtStep(step: number | null): void;
  requestSeries(keys: string[], maxPoints: number | undefined, withTimes: boolean): void;
  exportTable(format: 'csv' | 'markdown', allParams: boolean, metricKeys: string[] | undefined): Promise<void>;
  diffCode(uids: [string, string] | undefined): Promise<void>;
}

/**
 * Validates a message from a Compare webview and hands it to `target`. A message that does not
 * match the protocol is written to the Output channel and otherwise ignored: the page runs text
 * from run files and must not be able to make the host do anything else.
 */
export async function dispatchCompareMessage(
  raw: unknown, protocol: CompareProtocol, target: CompareMessageTarget, log: Log, from: string,
): Promise<void> {
  const parsed = protocol.webviewMessage.safeParse(raw);
  if (!parsed.success) {
    log.warn(`${from}: ignored an invalid message (${z.prettifyError(parsed.error).replace(/\s+/g, ' ')}): ${preview(raw)}`);
    return;
  }
  const msg: CompareWebviewMessage = parsed.data;
  try {
    switch (msg.type) {
      case 'ready':
        return target.ready();
      case 'setRuns':
        return target.setRuns(msg.uids);
      case 'pickRuns':
        return await target.pickRuns();
      case 'openPanel':
        return await target.openPanel();
      case 'setAtStep':
        return target.setAtStep(msg.step);
      case 'requestSeries':
        return target.requestSeries(msg.keys, msg.maxPoints, msg.withTimes ?? false);
      case 'export':
        return await target.exportTable(msg.format, msg.allParams, msg.metricKeys);
      case 'diffCode':
        return await target.diffCode(msg.uids);
      case 'error':
        return log.error(`${from}: ${msg.message}`);
      default: {
        const unhandled: never = msg;
        log.warn(`${from}: unhandled message ${preview(unhandled)}`);
      }
    }
  } catch (e) {
    log.error(`${from}: ${msg.type} failed: ${(e as Error).message}`);
  }
}

function preview(raw: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(raw) ?? String(raw);
  } catch {
    text = String(raw);
  }
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}
