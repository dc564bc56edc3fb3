/** The comparison table (src/shared/compare/compareTable.ts) as CSV and as Markdown. */
import type { CompareTable, TableCell } from '../../shared/compare/compareTable';
import { formatMetricValue } from '../../shared/format';

/**
 * RFC 4180 CSV with full-precision numbers. Text that a spreadsheet would run as a formula
 * (=, +, -, @ and a leading tab or carriage return) gets a leading apostrophe (OWASP's advice).
 */
export function tableToCsv(table: CompareTable): string {
  const line = (cells: readonly TableCell[]) => cells.map(csvCell).join(',');
  return [line(table.header), ...table.rows.map(line)].join('\r\n') + '\r\n';
}

function csvCell(cell: TableCell): string {
  if (cell === null) return '';
  if (typeof cell === 'number') return Number.isNaN(cell) ? 'NaN' : cell === Infinity ? 'Infinity' : cell === -Infinity ? '-Infinity' : String(cell);
  const text = /^[=+\-@\t\r]/.test(cell) && !isNumeric(cell) ? `'${cell}` : cell;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function isNumeric(text: string): boolean {
  return text.trim() !== '' && Number.isFinite(Number(text));
}

/** A GitHub-flavoured Markdown table; text from runs is escaped so it reads as the same text anywhere. */
export function tableToMarkdown(table: CompareTable): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  const body = table.rows.map((r) => line(r.map(markdownCell)));
  return [line(table.header.map(escapeMarkdown)), line(table.header.map(() => '---')), ...body].join('\n') + '\n';
}

function markdownCell(cell: TableCell): string {
  if (cell === null) return '';
  if (typeof cell === 'number') return formatMetricValue(cell);
  return escapeMarkdown(cell);
}

/** Backslash-escapes Markdown's punctuation (and so any HTML tag); line breaks become spaces. */
export function escapeMarkdown(text: string): string {
  return text.replace(/\r?\n|\r/g, ' ').replace(/[\\`*_{}[\]()<>#+!|~&-]/g, (c) => `\\${c}`);
}
