import type {
  ColumnProfile, ColumnSide, ColumnSummary, ColumnType, DatasetProfile, DiffSide, SchemaFeatureSummary,
} from '../../../shared/schemaDiff';
import type { TfdvFeature, TfdvSchema } from '../tfdvSchema';

/** A profile column without the sketches, as the panel shows it. */
export function summaryOf(c: ColumnProfile): ColumnSummary {
  const { valueCounts: _v, sample: _s, ...summary } = c;
  return summary;
}

export function dataColumnSide(c: ColumnProfile): ColumnSide {
  return { name: c.name, type: c.type, stats: summaryOf(c) };
}

/** The column type a TFDV feature declares (a bool_domain makes INT or BYTES a bool). */
export function featureColumnType(f: TfdvFeature): ColumnType {
  if (f.domain?.kind === 'bool') return 'bool';
  switch (f.tfdvType) {
    case 'INT':
      return 'int';
    case 'FLOAT':
      return 'float';
    case 'BYTES':
      return 'string';
    case 'STRUCT':
      return 'nested';
    default:
      return 'empty';
  }
}

export function featureSummary(f: TfdvFeature): SchemaFeatureSummary {
  const { name: _n, driftComparator: _d, skewComparator: _s, minDomainMass: _m, ...summary } = f;
  return summary;
}

export function schemaColumnSide(f: TfdvFeature): ColumnSide {
  return { name: f.name, type: featureColumnType(f), schema: featureSummary(f) };
}

export function dataSide(p: DatasetProfile): DiffSide {
  return {
    path: p.source.path,
    kind: 'data',
    format: p.source.format,
    rowCount: p.rowCount,
    columnCount: p.columns.length,
    complete: p.complete,
    usable: p.columns.length > 0,
    diagnostics: p.diagnostics,
  };
}

export function schemaSide(s: TfdvSchema): DiffSide {
  return {
    path: s.path,
    kind: 'schema',
    format: 'tfdv-schema',
    columnCount: s.features.length,
    complete: s.complete,
    usable: s.features.length > 0,
    diagnostics: s.diagnostics,
  };
}
