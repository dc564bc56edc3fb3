/**
 * Metrics printed by notebook cells, read with the same rules as a script's output
 * (src/core/capture/stdoutMetrics.ts): Keras progress lines, `key: value`, `key=value`, and step
 * markers such as `Epoch 3/10`. One reader follows one run's cells in execution order, so a step
 * marker or a metric's count carries over from one cell to the next as it would in one long script.
 */
import { StdoutMetricParser, type StdoutMetricRecord } from '../capture/stdoutMetrics';
import type { CompiledStdoutPattern } from '../capture/stdoutPatterns';
import { metricTextOf, type CellSnapshot } from './cellSnapshot';

export class CellMetricReader {
  private readonly parser: StdoutMetricParser;

  constructor(patterns: readonly CompiledStdoutPattern[] = []) {
    this.parser = new StdoutMetricParser({ patterns });
  }

  /** The metric records of one cell's outputs, in the order they were printed. Never throws. */
  read(cell: Pick<CellSnapshot, 'outputs'>): StdoutMetricRecord[] {
    const records: StdoutMetricRecord[] = [];
    for (const output of cell.outputs) {
      const printed = metricTextOf(output);
      if (printed) records.push(...this.parser.push(printed.text, printed.stream));
    }
    // A cell's last line need not end with a newline; the next cell starts on fresh lines.
    records.push(...this.parser.end());
    return records;
  }
}
