/**
 * Writes one captured run to disk, whoever started its process: `events.jsonl` (the start events,
 * metrics read from the output, the end), `stdout.log` (the output as it came) and, through
 * runStart.ts, `code.patch`. Used by trackedProcess.ts (processes ExpTrack spawns) and
 * externalRun.ts (processes a terminal, a debug session or a task started).
 *
 * Events that arrive before the start events are written (output of a process that is already
 * running while the git state is still being read) wait, so `run` is always the first line the
 * recorder writes and `end` the last.
 */
import * as fs from 'node:fs';
import { EventLogWriter, type WritableRunEvent } from './eventLogWriter';
import { ensureExptrackLayout, eventsPath, runDir, stdoutPath } from '../exptrackDir';
import { prepareRunStart, type RunStart, type RunStartInput } from './runStart';
import { StdoutMetricParser, type StdoutMetricRecord } from './stdoutMetrics';
import { compileStdoutPatterns } from './stdoutPatterns';

export type RunEndStatus = 'finished' | 'failed' | 'killed';

export interface RunRecorderOptions {
  /** The `.exptrack` directory (absolute). */
  exptrackDir: string;
  runId: string;
  /** The `exptrack.stdoutMetricPatterns` setting value; invalid entries are reported and skipped. */
  stdoutPatterns?: unknown;
  /** Whether the built-in output recognition runs (default true). */
  builtInStdoutPatterns?: boolean;
  /** Every event written to the run's event log, after it was written. */
  onEvent?(event: WritableRunEvent): void;
  /** Problems that do not stop the recording (unwritable files, bad patterns). */
  onError?(error: Error): void;
  /** The clock, in milliseconds since the epoch. */
  now(): number;
}

/** What the start events are made of; the recorder adds the run id and the directory. */
export type RunStartFields = Omit<RunStartInput, 'runId' | 'exptrackDir'>;

export class RunRecorder {
  readonly runId: string;
  readonly runDir: string;
  private readonly writer: EventLogWriter;
  private readonly parser: StdoutMetricParser;
  private readonly outputLog: OutputLog;
  /** Events held back until the start events are written; undefined once they are. */
  private waiting: WritableRunEvent[] | undefined = [];
  private closeAfterStart = false;
  private finished = false;

  /** Creates the run's directory (throws when it cannot). */
  constructor(private readonly options: RunRecorderOptions) {
    this.runId = options.runId;
    ensureExptrackLayout(options.exptrackDir);
    this.runDir = runDir(options.exptrackDir, options.runId);
    fs.mkdirSync(this.runDir, { recursive: true });
    this.writer = new EventLogWriter(eventsPath(options.exptrackDir, options.runId), (e) => this.report(new Error(`events.jsonl: ${e.message}`)));
    const { patterns, errors } = compileStdoutPatterns(options.stdoutPatterns);
    for (const message of errors) this.report(new Error(message));
    this.parser = new StdoutMetricParser({ patterns, builtInPatterns: options.builtInStdoutPatterns });
    this.outputLog = new OutputLog(stdoutPath(options.exptrackDir, options.runId), (e) => this.report(e));
  }

  /** Reads the git state and the command line and writes the `run` and `params` events. Never rejects. */
  async start(fields: RunStartFields): Promise<RunStart> {
    const start = await prepareRunStart({ ...fields, runId: this.runId, exptrackDir: this.options.exptrackDir }, (e) => this.report(e));
    const waiting = this.waiting ?? [];
    this.waiting = undefined;
    this.emit(start.runEvent);
    if (Object.keys(start.params).length > 0) this.emit({ t: 'params', values: start.params });
    for (const event of waiting) this.emit(event);
    if (this.closeAfterStart) this.writer.close();
    return start;
  }

  /** Appends raw output to stdout.log. */
  log(raw: Buffer): void {
    if (!this.finished) this.outputLog.write(raw);
  }

  /** Reads metrics from decoded output; `stream` keeps stdout and stderr lines apart. */
  parse(text: string, stream: string): void {
    if (this.finished || text === '') return;
    this.emitMetrics(this.parser.push(text, stream));
  }

  /** Output as text: logged and read for metrics. */
  output(text: string, stream = 'output'): void {
    this.log(Buffer.from(text, 'utf8'));
    this.parse(text, stream);
  }

  /** Writes metrics measured outside the output (system metrics), at `timeMs`. */
  metrics(values: Record<string, number>, step: number, timeMs: number): void {
    if (!this.finished) this.emit({ t: 'metrics', step, time: timeMs / 1000, values });
  }

  /** Sets a tag on the run. */
  tag(key: string, value: string): void {
    if (!this.finished) this.emit({ t: 'tag', key, value });
  }

  /** Writes the metrics of unfinished last lines and the `end` event, and closes the files. */
  finish(status: RunEndStatus, exit: number | null): void {
    if (this.finished) return;
    try {
      this.emitMetrics(this.parser.end());
    } catch (e) {
      this.report(e as Error);
    }
    this.finished = true;
    this.outputLog.close();
    this.emit({ t: 'end', status, exit, ended: this.options.now() / 1000 });
    if (this.waiting) this.closeAfterStart = true;
    else this.writer.close();
  }

  private emitMetrics(records: StdoutMetricRecord[]): void {
    for (const r of records) this.emit({ t: 'metrics', step: r.step, time: this.options.now() / 1000, values: r.values });
  }

  private emit(event: WritableRunEvent): void {
    if (this.waiting) {
      this.waiting.push(event);
      return;
    }
    if (!this.writer.write(event)) return;
    try {
      this.options.onEvent?.(event);
    } catch (e) {
      this.report(e as Error);
    }
  }

  private report(error: Error): void {
    try {
      this.options.onError?.(error);
    } catch {
      // A failing error handler must not break the recording.
    }
  }
}

/** Appends raw output to stdout.log; after a failure it reports once and stops trying. */
class OutputLog {
  private fd: number | undefined;
  private failed = false;

  constructor(private readonly file: string, private readonly report: (e: Error) => void) {}

  write(data: Buffer): void {
    if (this.failed) return;
    try {
      this.fd ??= fs.openSync(this.file, 'a');
      let offset = 0;
      while (offset < data.length) offset += fs.writeSync(this.fd, data, offset, data.length - offset);
    } catch (e) {
      this.failed = true;
      this.report(new Error(`stdout.log: ${(e as Error).message}`));
    }
  }

  close(): void {
    if (this.fd === undefined) return;
    try {
      fs.closeSync(this.fd);
    } catch {
      // Nothing is left to write.
    }
    this.fd = undefined;
  }
}
