import type { CompareProtocol, CompareWebviewMessage } from '../../shared/protocol/compare';
import type { Log } from '../log';
import { preview, receiveWebviewMessage } from '../webview/webviewMessages';
import type { DetailRequest, SeriesShape } from './compareSession';

/** What a Compare webview may ask of the host; the side-bar view and the panel each implement it. */
export interface CompareMessageTarget {
  ready(): void;
  setRuns(uids: string[]): void;
  pickRuns(): Promise<void>;
  openPanel(): Promise<void>;
  setAtStep(step: number | null): void;
  requestSeries(keys: string[], shape: Partial<SeriesShape>): void;
  requestDetail(request: DetailRequest): void;
  setDerived(expressions: string[]): void;
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
      case 'requestSeries': {
        const shape: Partial<SeriesShape> = {};
        if (msg.buckets !== undefined) shape.buckets = msg.buckets;
        if (msg.smoothing !== undefined) shape.smoothing = msg.smoothing;
        if (msg.withTimes !== undefined) shape.withTimes = msg.withTimes;
        return target.requestSeries(msg.keys, shape);
      }
      case 'requestDetail':
        return target.requestDetail({ key: msg.key, id: msg.id, buckets: msg.buckets, ranges: msg.ranges });
      case 'setDerived':
        return target.setDerived(msg.expressions);
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
