import type { CompareProtocol, CompareWebviewMessage } from '../../shared/protocol/compare';
import type { Log } from '../log';
import { preview, receiveWebviewMessage } from '../webview/webviewMessages';

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
  requestSlices(): void;
}

/**
 * Hands a message from a Compare webview to `target`, once validated (see receiveWebviewMessage).
 */
export function dispatchCompareMessage(
  raw: unknown, protocol: CompareProtocol, target: CompareMessageTarget, log: Log, from: string,
): Promise<void> {
  return receiveWebviewMessage(raw, protocol.webviewMessage, from, log, async (msg: CompareWebviewMessage) => {
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
      case 'requestSlices':
        return target.requestSlices();
      case 'error':
        return log.error(`${from}: ${msg.message}`);
      default: {
        const unhandled: never = msg;
        log.warn(`${from}: unhandled message ${preview(unhandled)}`);
      }
    }
  });
}
