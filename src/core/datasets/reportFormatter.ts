/**
 * The human-readable schema diff report the CLI prints: the two sides, findings by severity,
 * a column table, and the problems met while reading the inputs (file:line). Plain text,
 * deterministic, no colour.
 */
import type { ColumnComparison, Diagnostic, DiffSide, SchemaDiff } from '../../shared/schemaDiff';
import { columnLabel, pair, plural, sideDistinct, sideMissing, sideType } from '../../shared/schemaDiffText';

/** Drift figures to 3 significant digits. */
function num(x: number): string {
  return Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(3)));
}

const MAX_NAME_WIDTH = 36;

function describeSide(label: string, s: DiffSide): string {
  const parts: string[] = [s.format];
  if (s.kind === 'data') parts.push(`${s.rowCount ?? 0} rows`);
  parts.push(`${s.columnCount} ${s.kind === 'schema' ? 'features' : 'columns'}`);
  if (!s.usable) parts.push('UNREADABLE');
  else if (!s.complete) parts.push('partly read');
  return `  ${label}: ${s.path} (${parts.join(', ')})`;
}

function modeLine(d: SchemaDiff): string {
  switch (d.mode) {
    case 'data-data':
      return 'Comparing two data files.';
    case 'data-schema':
      return 'Validating the data (B) against the TFDV schema (A).';
    case 'schema-schema':
      return 'Comparing two TFDV schemas.';
  }
}

function clip(s: string, width: number): string {
  return s.length <= width ? s : `${s.slice(0, width - 1)}…`;
}

function table(rows: string[][], indent = '  '): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => (indent + r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ')).trimEnd());
}

function driftCell(c: ColumnComparison): string {
  const d = c.drift;
  if (!d) return '';
  const parts: string[] = [];
  const mark = (v: number, t: number) => (v > t ? '!' : '');
  if (d.lInfinity) parts.push(`L∞ ${num(d.lInfinity.value)}${mark(d.lInfinity.value, d.lInfinity.threshold)}`);
  if (d.jensenShannon) parts.push(`JS ${num(d.jensenShannon.value)}${mark(d.jensenShannon.value, d.jensenShannon.threshold)}`);
  if (d.psi) parts.push(`PSI ${num(d.psi.value)}${mark(d.psi.value, d.psi.threshold)}`);
  return parts.join(' · ');
}

function columnName(c: ColumnComparison): string {
  return clip(columnLabel(c), MAX_NAME_WIDTH);
}

function diagnosticLine(d: Diagnostic): string {
  const where = d.line !== undefined ? `${d.file}:${d.line}` : d.file;
  return `  ${where}: ${d.severity} ${d.code}: ${d.message}`;
}

export function formatSchemaDiffReport(d: SchemaDiff): string {
  const out: string[] = ['Schema diff', describeSide('A', d.a), describeSide('B', d.b), modeLine(d), ''];
  const { error, warning, info } = d.counts;
  out.push(`Findings: ${plural(error, 'error')}, ${plural(warning, 'warning')}, ${info} info`);
  if (d.findings.length > 0) {
    out.push(...table(d.findings.map((f) => [f.severity, clip(f.column ?? '(dataset)', MAX_NAME_WIDTH), f.kind, f.message])));
  }
  out.push('');
  if (d.columns.length > 0) {
    const counts = new Map<string, number>();
    for (const c of d.columns) counts.set(c.status, (counts.get(c.status) ?? 0) + 1);
    const summary = ['unchanged', 'changed', 'renamed', 'added', 'removed'].filter((s) => counts.has(s)).map((s) => `${counts.get(s)} ${s}`);
    out.push(`Columns (${d.columns.length}): ${summary.join(', ')}`);
    const header = ['status', 'column', 'type', 'missing', 'distinct', 'drift'];
    const rows = d.columns.map((c) => [
      c.status,
      columnName(c),
      pair(sideType(c.a), sideType(c.b)),
      pair(sideMissing(c.a), sideMissing(c.b)),
      pair(sideDistinct(c.a), sideDistinct(c.b)),
      driftCell(c),
    ]);
    out.push(...table([header, ...rows]));
    out.push('');
  }
  const problems = [...d.a.diagnostics, ...d.b.diagnostics];
  if (problems.length > 0) {
    out.push(`Input problems (${problems.length}):`);
    out.push(...problems.map(diagnosticLine));
    out.push('');
  }
  return out.join('\n');
}
