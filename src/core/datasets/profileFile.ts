/**
 * Profiles one data file (CSV, TSV, JSON array, JSON Lines, Parquet) in a single streaming pass.
 * Never throws: a file that cannot be read gives a profile with no columns, `complete: false` and
 * a diagnostic that says what and where.
 */
import { promises as fsp } from 'node:fs';
import type { DatasetFormat, DatasetProfile } from '../../shared/schemaDiff';
import { profileCsv } from './csv/csvReader';
import { detectFormat } from './detectFormat';
import { DiagnosticCollector } from './diagnostics';
import { resolveProfileOptions, type ProfileOptions } from './profileOptions';
import { profileJsonArray, profileJsonLines } from './readers/jsonReader';
import { profileParquet } from './readers/parquetReader';

export type { ProfileOptions } from './profileOptions';

export async function profileFile(filePath: string, options: ProfileOptions = {}): Promise<DatasetProfile> {
  const resolved = resolveProfileOptions(filePath, options);
  let format: DatasetFormat = options.format ?? 'csv';
  try {
    const st = await fsp.stat(filePath);
    if (!st.isFile()) return unreadable(filePath, resolved.displayName, format, 'NOT_A_FILE', 'not a regular file');
    format = options.format ?? (await detectFormat(filePath));
    switch (format) {
      case 'csv':
      case 'tsv':
        return await profileCsv(filePath, { ...resolved, delimiter: resolved.delimiter ?? (format === 'tsv' && options.format ? '\t' : undefined) });
      case 'json':
        return await profileJsonArray(filePath, resolved);
      case 'jsonl':
        return await profileJsonLines(filePath, resolved);
      case 'parquet':
        return await profileParquet(filePath, resolved);
      case 'tfdv-schema':
        return unreadable(filePath, resolved.displayName, format, 'NOT_DATA', 'this is a TFDV schema, not a data file');
    }
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const message = e.code === 'ENOENT' ? 'no such file' : e.code === 'EACCES' ? 'permission denied' : e.code === 'EISDIR' ? 'is a directory' : `could not be read: ${e.message}`;
    return unreadable(filePath, resolved.displayName, format, e.code === 'ENOENT' ? 'FILE_NOT_FOUND' : 'READ_ERROR', message);
  }
}

function unreadable(filePath: string, displayName: string, format: DatasetFormat, code: string, message: string): DatasetProfile {
  const diagnostics = new DiagnosticCollector(displayName);
  diagnostics.error(code, message);
  return {
    version: 1,
    source: { path: filePath, format, bytes: 0 },
    rowCount: 0,
    columns: [],
    diagnostics: diagnostics.toArray(),
    complete: false,
  };
}
