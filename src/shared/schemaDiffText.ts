/**
 * How a schema diff reads as short text: cell values of the column table, the summary line and
 * drift figures. Shared by the Markdown export and the Schema Diff panel so both say the same.
 * Works on the diff as the host has it and as the panel receives it (where NaN arrives as null).
 */
import type { ColumnStatus, ColumnType, DiffMode, Severity } from './schemaDiff';

/** The parts of a column side these helpers read. */
export interface SideLike {
  name: string;
  type: ColumnType;
  stats?: { missingFraction: number; distinct: { count: number; exact: boolean }; dateFormat?: string };
  schema?: {
    tfdvType: string;
    domain?: { kind: string; values?: string[] };
    presence?: { minFraction?: number; minCount?: number };
  };
}

interface DriftMeasure {
  value: number;
  threshold: number;
}

export interface ColumnLike {
  status: ColumnStatus;
  name: string;
  a?: SideLike;
  b?: SideLike;
  drift?: { lInfinity?: DriftMeasure; jensenShannon?: DriftMeasure; psi?: DriftMeasure };
}

export interface DiffLike {
  mode: DiffMode;
  a: { path: string; kind: 'data' | 'schema'; rowCount?: number; columnCount: number };
  b: { path: string; kind: 'data' | 'schema'; rowCount?: number; columnCount: number };
  columns: ColumnLike[];
  counts: Record<Severity, number>;
}

/** A fraction as a percentage: `0%`, `<0.1%`, `4.5%`, `37%`. */
export function percent(x: number): string {
  if (x === 0) return '0%';
  if (x < 0.001) return '<0.1%';
  return `${(x * 100).toFixed(x < 0.1 ? 1 : 0)}%`;
}

/** Figures to 3 significant digits (integers as they are). */
export function figure(x: number | null | undefined): string {
  if (x === null || x === undefined || Number.isNaN(x)) return '—';
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '-∞';
  return Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(3)));
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function sideType(s: SideLike | undefined): string {
  if (!s) return '—';
  if (s.schema) return s.schema.domain?.kind === 'bool' ? `${s.schema.tfdvType} (bool)` : s.schema.tfdvType;
  return s.stats?.dateFormat ? `${s.type} ${s.stats.dateFormat}` : s.type;
}

export function sideMissing(s: SideLike | undefined): string {
  if (!s) return '—';
  if (s.stats) return percent(s.stats.missingFraction);
  const f = s.schema?.presence?.minFraction;
  const n = s.schema?.presence?.minCount ?? 0;
  if (f === undefined) return n >= 1 ? `in ≥${n} row${n === 1 ? '' : 's'}` : 'optional';
  return f >= 1 ? 'required' : `≥${percent(f)} present`;
}

export function sideDistinct(s: SideLike | undefined): string {
  if (!s?.stats) return s?.schema?.domain?.kind === 'string' ? `${s.schema.domain.values?.length ?? 0} allowed` : '—';
  return `${s.stats.distinct.exact ? '' : '~'}${s.stats.distinct.count}`;
}

/** `a → b`, or just `a` when both sides say the same. */
export function pair(a: string, b: string): string {
  return a === b ? a : `${a} → ${b}`;
}

/** The column's name, with the old one for a rename. */
export function columnLabel(c: ColumnLike): string {
  return c.status === 'renamed' && c.a ? `${c.a.name} → ${c.name}` : c.name;
}

export interface DriftFigure {
  label: 'L∞' | 'JS' | 'PSI';
  value: number;
  threshold: number;
  over: boolean;
}

export function driftFigures(c: ColumnLike): DriftFigure[] {
  const d = c.drift;
  if (!d) return [];
  const out: DriftFigure[] = [];
  const add = (label: DriftFigure['label'], m: DriftMeasure | undefined) => {
    if (m) out.push({ label, value: m.value, threshold: m.threshold, over: m.value > m.threshold });
  };
  add('L∞', d.lInfinity);
  add('JS', d.jensenShannon);
  add('PSI', d.psi);
  return out;
}

/** `JS 0.341! · PSI 2.36!` (a `!` marks a figure over its threshold). */
export function driftText(c: ColumnLike): string {
  return driftFigures(c).map((f) => `${f.label} ${figure(f.value)}${f.over ? '!' : ''}`).join(' · ');
}

export function modeText(mode: DiffMode): string {
  switch (mode) {
    case 'data-data':
      return 'Two data files compared';
    case 'data-schema':
      return 'Data (B) validated against a TFDV schema (A)';
    case 'schema-schema':
      return 'Two TFDV schemas compared';
  }
}

/** How many columns have each status, in a fixed order, e.g. `4 changed, 1 removed`. */
export function statusCounts(columns: readonly ColumnLike[]): string {
  const counts = new Map<ColumnStatus, number>();
  for (const c of columns) counts.set(c.status, (counts.get(c.status) ?? 0) + 1);
  const order: ColumnStatus[] = ['unchanged', 'changed', 'renamed', 'added', 'removed'];
  return order.filter((s) => counts.has(s)).map((s) => `${counts.get(s)} ${s}`).join(', ');
}

/** One line: findings by severity, columns by status, rows on each side. */
export function summaryLine(d: DiffLike): string {
  const { error, warning, info } = d.counts;
  const parts = [`${plural(error, 'error')}, ${plural(warning, 'warning')}, ${info} info`];
  if (d.columns.length > 0) parts.push(`${plural(d.columns.length, 'column')}: ${statusCounts(d.columns)}`);
  const data = [d.a, d.b].filter((s) => s.kind === 'data').map((s) => figure(s.rowCount ?? 0));
  if (data.length > 0) parts.push(`rows ${data.length === 2 ? pair(data[0]!, data[1]!) : data[0]!}`);
  return parts.join(' — ');
}
