import * as fs from 'node:fs';
import { numberToMetricValue, type MetricValue, type RunEvent } from '../../shared/runEvents';

/**
 * An event as capture hands it to the writer: like {@link RunEvent}, except that metric values may
 * be any JS number, NaN and ±Infinity included; the writer spells those the way the format wants.
 */
export type WritableRunEvent =
  | Exclude<RunEvent, { t: 'metrics' }>
  | (Omit<Extract<RunEvent, { t: 'metrics' }>, 'values'> & { values: Record<string, number | MetricValue> });

/** Called when a write fails; `event` is the event that could not be written (if any). */
export type EventLogErrorHandler = (error: Error, event?: WritableRunEvent) => void;

/**
 * Appends run events to an `events.jsonl` file, one JSON line per event.
 *
 * The file is opened with O_APPEND and every line goes out in a single `write(2)`, so other writers
 * of the same file (the Python client inside the same run) never interleave within a line.
 * Failures are reported to `onError` and never thrown: losing one event must not break the
 * training output that is being captured.
 */
export class EventLogWriter {
  private fd: number | undefined;
  private closed = false;
  private lastErrorMessage: string | undefined;

  constructor(
    readonly path: string,
    private readonly onError: EventLogErrorHandler = () => undefined,
  ) {}

  /** Appends one event. Returns false (after reporting through `onError`) when it was not written. */
  write(event: WritableRunEvent): boolean {
    if (this.closed) {
      this.report(new Error(`event log ${this.path} is closed`), event);
      return false;
    }
    let line: string;
    try {
      line = serializeRunEvent(event) + '\n';
    } catch (e) {
      this.report(asError(e), event);
      return false;
    }
    try {
      // Opened on first use and re-tried after a failure, so a missing directory that appears
      // later (or a transient error) does not lose every following event.
      this.fd ??= fs.openSync(this.path, 'a');
      writeFully(this.fd, Buffer.from(line, 'utf8'));
      this.lastErrorMessage = undefined;
      return true;
    } catch (e) {
      this.report(asError(e), event);
      return false;
    }
  }

  /** Closes the file; later writes fail (reported, not thrown). Safe to call twice. */
  close(): void {
    this.closed = true;
    if (this.fd === undefined) return;
    try {
      fs.closeSync(this.fd);
    } catch (e) {
      this.report(asError(e));
    }
    this.fd = undefined;
  }

  private report(error: Error, event?: WritableRunEvent): void {
    // A full disk fails every write in the same way; one report of a repeated error is enough.
    if (error.message === this.lastErrorMessage) return;
    this.lastErrorMessage = error.message;
    try {
      this.onError(error, event);
    } catch {
      // The error handler's own failure must not reach the caller's hot path either.
    }
  }
}

/** The JSON line (without the newline) for one event, with non-finite metric values as strings. */
export function serializeRunEvent(event: WritableRunEvent): string {
  if (event.t !== 'metrics') return JSON.stringify(event);
  // fromEntries defines own properties, so a metric called "__proto__" stays a metric.
  const values: Record<string, MetricValue> = Object.fromEntries(
    Object.entries(event.values).map(([key, value]) => [key, typeof value === 'number' ? numberToMetricValue(value) : value]),
  );
  return JSON.stringify({ ...event, values });
}

function writeFully(fd: number, data: Buffer): void {
  let offset = 0;
  while (offset < data.length) {
    offset += fs.writeSync(fd, data, offset, data.length - offset);
  }
}

function asError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}
