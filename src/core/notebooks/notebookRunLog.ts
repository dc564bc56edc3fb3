/**
 * The files of one notebook run: `.exptrack/runs/<id>/events.jsonl` (through the capture's
 * EventLogWriter, so exptrack.py in the kernel can append to the same file) and one
 * `cells/<n>.json` per executed cell. Failures are reported, never thrown: a full disk must not
 * break the notebook.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RunStartEvent } from '../../shared/runEvents';
import { EventLogWriter } from '../capture/eventLogWriter';
import { ensureExptrackLayout, eventsPath, runDir } from '../exptrackDir';
import type { CompiledStdoutPattern } from '../capture/stdoutPatterns';
import { CellMetricReader } from './cellMetrics';
import { cellFileName, type CellFile, type CellSnapshot } from './cellSnapshot';

export class NotebookRunLog {
  private readonly writer: EventLogWriter;
  private readonly metrics: CellMetricReader;
  private readonly cellNames = new Set<string>();
  private cells = 0;
  readonly dir: string;

  constructor(
    exptrackDir: string,
    readonly runId: string,
    /** The notebook, workspace-relative with `/`. */
    readonly notebook: string,
    private readonly onError: (e: Error) => void,
    patterns: readonly CompiledStdoutPattern[] = [],
  ) {
    this.dir = runDir(exptrackDir, runId);
    try {
      ensureExptrackLayout(exptrackDir);
      fs.mkdirSync(path.join(this.dir, 'cells'), { recursive: true });
    } catch (e) {
      onError(e as Error);
    }
    this.writer = new EventLogWriter(eventsPath(exptrackDir, runId), onError);
    this.metrics = new CellMetricReader(patterns);
  }

  get eventsFile(): string {
    return this.writer.path;
  }

  writeStart(event: RunStartEvent): void {
    this.writer.write(event);
  }

  /** Saves the cell's snapshot and appends the metrics its outputs print; returns the snapshot's file. */
  recordCell(cell: CellSnapshot): string {
    this.cells++;
    let name = cellFileName(cell.executionOrder, this.cells);
    // A counter can meet an execution order of an earlier cell: keep both.
    for (let k = 2; this.cellNames.has(name); k++) name = `${cell.executionOrder ?? this.cells}-${k}.json`;
    this.cellNames.add(name);
    const file = path.join(this.dir, 'cells', name);
    const content: CellFile = { notebook: this.notebook, ...cell };
    try {
      fs.writeFileSync(file, JSON.stringify(content, null, 1) + '\n');
    } catch (e) {
      this.onError(e as Error);
    }
    for (const record of this.metrics.read(cell)) {
      this.writer.write({ t: 'metrics', step: record.step, ...(cell.ended !== null ? { time: cell.ended } : {}), values: record.values });
    }
    return file;
  }

  /** Ends the run as finished at `ended` (seconds) and closes the log. */
  end(ended: number): void {
    this.writer.write({ t: 'end', status: 'finished', ended });
    this.writer.close();
  }
}
