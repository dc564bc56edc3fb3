import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { Finding, SchemaDiff, Severity } from '../../shared/schemaDiff';
import { splitHeader } from './headerFields';

/** How much of a data file is read to find its header line. */
const HEADER_BYTES = 64 * 1024;

/**
 * The findings of the last schema diff in the Problems panel, on the newer file (side B): one
 * diagnostic per finding on its header line — on the column's name there when it can be found,
 * on the feature's own line in a schema. Replaced by the next diff, cleared with the panel.
 */
export class SchemaDiffProblems implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('exptrack-schema-diff');

  clear(): void {
    this.collection.clear();
  }

  async show(diff: SchemaDiff, file: vscode.Uri): Promise<void> {
    this.collection.clear();
    const places = diff.b.kind === 'schema' ? schemaPlaces(diff) : await headerPlaces(file.fsPath);
    const diagnostics = diff.findings.map((f) => toDiagnostic(f, places));
    this.collection.set(file, diagnostics);
  }

  dispose(): void {
    this.collection.dispose();
  }
}

/** Where each column is named in side B, and the line for findings about the whole file. */
interface Places {
  fileRange: vscode.Range;
  columns: Map<string, vscode.Range>;
}

function toDiagnostic(f: Finding, places: Places): vscode.Diagnostic {
  const range = (f.column !== undefined && places.columns.get(f.column)) || places.fileRange;
  // The kind (code) and the message say what happened; the title would repeat it.
  const d = new vscode.Diagnostic(range, `${f.column !== undefined ? `${f.column}: ` : ''}${f.message}`, severityOf(f.severity));
  d.source = 'ExpTrack schema diff';
  d.code = f.kind;
  return d;
}

function severityOf(s: Severity): vscode.DiagnosticSeverity {
  return s === 'error' ? vscode.DiagnosticSeverity.Error : s === 'warning' ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Information;
}

function schemaPlaces(diff: SchemaDiff): Places {
  const columns = new Map<string, vscode.Range>();
  for (const c of diff.columns) {
    const line = c.b?.schema?.line;
    if (line !== undefined && line > 0) columns.set(c.name, new vscode.Range(line - 1, 0, line - 1, Number.MAX_SAFE_INTEGER));
  }
  return { fileRange: new vscode.Range(0, 0, 0, Number.MAX_SAFE_INTEGER), columns };
}

/** The first non-empty line of a text file and the place of each field in it. */
async function headerPlaces(filePath: string): Promise<Places> {
  const places: Places = { fileRange: new vscode.Range(0, 0, 0, Number.MAX_SAFE_INTEGER), columns: new Map() };
  let text: string;
  try {
    const handle = await fs.promises.open(filePath, 'r');
    try {
      const buffer = Buffer.alloc(HEADER_BYTES);
      const { bytesRead } = await handle.read(buffer, 0, HEADER_BYTES, 0);
      text = buffer.subarray(0, bytesRead).toString('utf8');
    } finally {
      await handle.close();
    }
  } catch {
    return places;
  }
  if (text.includes('\u0000')) return places; // binary (Parquet): line 1 only
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  const index = lines.findIndex((l) => l.trim() !== '');
  if (index < 0) return places;
  const header = lines[index]!;
  places.fileRange = new vscode.Range(index, 0, index, header.length);
  if (header.trimStart().startsWith('{') || header.trimStart().startsWith('[')) return places; // JSON: no header row
  for (const field of splitHeader(header)) {
    if (!places.columns.has(field.name)) places.columns.set(field.name, new vscode.Range(index, field.start, index, field.end));
  }
  return places;
}
