/**
 * The schema diff as a Markdown report (the panel's "Export Markdown"): the two sides, the summary,
 * findings by severity, the column table and the problems met while reading. Text from the files
 * (column names, values) is escaped so it cannot break the tables or turn into links or HTML.
 */
import { FINDING_TITLES, type Diagnostic, type DiffSide, type SchemaDiff } from '../../shared/schemaDiff';
import {
  columnLabel, driftText, modeText, pair, plural, sideDistinct, sideMissing, sideType, summaryLine,
} from '../../shared/schemaDiffText';

export interface MarkdownSideLabel {
  title: string;
  detail: string;
}

export function formatSchemaDiffMarkdown(d: SchemaDiff, labels?: { a: MarkdownSideLabel; b: MarkdownSideLabel }): string {
  const out: string[] = ['# Schema diff', ''];
  out.push(sideLine('A', d.a, labels?.a), sideLine('B', d.b, labels?.b), '');
  out.push(`${escapeText(modeText(d.mode))}. ${escapeText(summaryLine(d))}.`, '');

  out.push('## Findings', '');
  if (d.findings.length === 0) {
    out.push('No findings.', '');
  } else {
    out.push('| severity | column | finding | details |', '| --- | --- | --- | --- |');
    for (const f of d.findings) {
      out.push(row([f.severity, f.column ?? '(dataset)', `${FINDING_TITLES[f.kind]} (${f.kind})`, f.message]));
    }
    out.push('');
  }

  if (d.columns.length > 0) {
    out.push('## Columns', '');
    out.push('| status | column | type | missing | distinct | drift |', '| --- | --- | --- | --- | --- | --- |');
    for (const c of d.columns) {
      out.push(row([
        c.status, columnLabel(c), pair(sideType(c.a), sideType(c.b)), pair(sideMissing(c.a), sideMissing(c.b)),
        pair(sideDistinct(c.a), sideDistinct(c.b)), driftText(c),
      ]));
    }
    out.push('');
  }

  const problems = [...d.a.diagnostics, ...d.b.diagnostics];
  if (problems.length > 0) {
    out.push('## Input problems', '');
    for (const p of problems) out.push(`- ${escapeText(diagnosticText(p))}`);
    out.push('');
  }
  out.push(`Thresholds: L∞ ${d.thresholds.lInfinity}, Jensen–Shannon ${d.thresholds.jensenShannon}, PSI ${d.thresholds.psi}.`, '');
  return out.join('\n');
}

function sideLine(name: 'A' | 'B', s: DiffSide, label: MarkdownSideLabel | undefined): string {
  const facts: string[] = [s.format];
  if (s.kind === 'data') facts.push(plural(s.rowCount ?? 0, 'row'));
  facts.push(plural(s.columnCount, s.kind === 'schema' ? 'feature' : 'column'));
  if (!s.usable) facts.push('unreadable');
  else if (!s.complete) facts.push('partly read');
  const title = label ? `${label.title}${label.detail ? ` (${label.detail})` : ''}` : s.path;
  return `- **${name}**: ${code(title)} — ${facts.join(', ')}`;
}

function diagnosticText(p: Diagnostic): string {
  const where = p.line !== undefined ? `${p.file}:${p.line}` : p.file;
  return `${where}: ${p.severity} ${p.code}: ${p.message}${p.occurrences ? ` (${p.occurrences} times)` : ''}`;
}

function row(cells: string[]): string {
  return `| ${cells.map(escapeCell).join(' | ')} |`;
}

/** Inline code that survives any backticks in the text. */
function code(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((m) => m.length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text.replace(/\r?\n/g, ' ')}${pad}${fence}`;
}

/** Markdown and HTML punctuation escaped, so file text reads as itself. */
function escapeText(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/[\\`*_{}[\]()<>#+!|~&]/g, (c) => `\\${c}`);
}

function escapeCell(text: string): string {
  return escapeText(text) || ' ';
}
