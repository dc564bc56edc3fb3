import type { ColumnType, DatasetProfile, DatasetSource } from '../../shared/schemaDiff';
import { ColumnAccumulator, type ProfilerSettings } from './columnProfiler';
import type { DiagnosticCollector } from './diagnostics';
import * as inference from './typeInference';
import { FieldScratch } from './typeInference';

const K_MISSING = inference.K_MISSING;
const classifyValue = inference.classifyValue;

/**
 * The columns of one dataset being profiled, the row count and the problems met. Readers of
 * records (JSON, Parquet) add columns as they first appear; earlier rows count as missing there.
 */
export class DatasetBuilder {
  readonly columns: ColumnAccumulator[] = [];
  private readonly byName = new Map<string, ColumnAccumulator>();
  rowCount = 0;
  readonly scratch = new FieldScratch();

  constructor(
    readonly settings: ProfilerSettings,
    readonly diagnostics: DiagnosticCollector,
  ) {}

  addColumn(name: string, declaredType?: string, forcedType?: ColumnType): ColumnAccumulator {
    const acc = new ColumnAccumulator(name, this.columns.length, this.settings, declaredType, forcedType);
    this.columns.push(acc);
    this.byName.set(name, acc);
    return acc;
  }

  column(name: string): ColumnAccumulator {
    return this.byName.get(name) ?? this.addColumn(name);
  }

  /** Adds one JS value (JSON, Parquet) to a column. */
  addValue(acc: ColumnAccumulator, value: unknown, hint?: 'float'): void {
    const s = this.scratch;
    classifyValue(value, s, hint);
    if (s.kind === K_MISSING) return;
    acc.record(s);
    if (!acc.countKnown(s.hashHi, s.hashLo)) acc.addNewFrom(s);
  }

  finish(source: DatasetSource, complete: boolean): DatasetProfile {
    return {
      version: 1,
      source,
      rowCount: this.rowCount,
      columns: this.columns.map((c) => c.finish(this.rowCount)),
      diagnostics: this.diagnostics.toArray(),
      complete,
    };
  }
}
