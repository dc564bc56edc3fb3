/**
 * Profiles a Parquet file with hyparquet (and its decompressors for GZIP, BROTLI, ZSTD, LZ4), one
 * row group at a time, so memory is bounded by the largest row group. Column types come from the
 * file's schema; nested columns (lists, maps, structs) are profiled as `nested` values.
 */
import { promises as fsp } from 'node:fs';
import { parquetMetadataAsync, parquetRead, parquetSchema, type AsyncBuffer, type FileMetaData, type SchemaTree } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import type { ColumnType, DatasetProfile } from '../../../shared/schemaDiff';
import type { ColumnAccumulator } from '../columnProfiler';
import { DatasetBuilder } from '../datasetBuilder';
import { DiagnosticCollector } from '../diagnostics';
import { formatBytes, type ResolvedProfileOptions } from '../profileOptions';

const MAGIC = 0x31524150; // "PAR1" little-endian

export interface DeclaredColumn {
  label: string;
  type: ColumnType;
  hint?: 'float';
}

/** The column type a Parquet schema element declares, and a label showing the physical type. */
export function declaredColumnType(node: SchemaTree): DeclaredColumn {
  const el = node.element;
  const logical = el.logical_type?.type;
  const converted = el.converted_type;
  if (node.children.length > 0) {
    const kind = logical === 'LIST' || converted === 'LIST' ? 'LIST' : logical === 'MAP' || converted === 'MAP' || converted === 'MAP_KEY_VALUE' ? 'MAP' : 'STRUCT';
    return { label: kind, type: 'nested' };
  }
  const annotation = logical ?? converted;
  const label = annotation ? `${el.type} (${annotation})` : String(el.type);
  if (el.repetition_type === 'REPEATED') return { label: `repeated ${label}`, type: 'nested' };
  if (annotation === 'DECIMAL' || logical === 'FLOAT16') return { label, type: 'float', hint: 'float' };
  if (annotation === 'DATE') return { label, type: 'date' };
  if (logical === 'TIMESTAMP' || converted === 'TIMESTAMP_MILLIS' || converted === 'TIMESTAMP_MICROS' || el.type === 'INT96') {
    return { label, type: 'datetime' };
  }
  switch (el.type) {
    case 'BOOLEAN':
      return { label, type: 'bool' };
    case 'INT32':
    case 'INT64':
      return { label, type: 'int' };
    case 'FLOAT':
    case 'DOUBLE':
      return { label, type: 'float', hint: 'float' };
    default:
      return { label, type: 'string' };
  }
}

async function fileBuffer(handle: fsp.FileHandle, size: number): Promise<AsyncBuffer> {
  return {
    byteLength: size,
    slice: async (start: number, end?: number) => {
      const stop = Math.min(end ?? size, size);
      const buf = Buffer.alloc(Math.max(0, stop - start));
      if (buf.length > 0) await handle.read(buf, 0, buf.length, start);
      return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
    },
  };
}

export interface ParquetColumn {
  name: string;
  declared: DeclaredColumn;
}

export interface ParquetRowHandlers {
  /** Called once with the top-level columns, before any rows. */
  columns(columns: ParquetColumn[]): void;
  /** The rows of one row group, values in column order (undefined or null when missing). */
  rows(rows: unknown[][], firstRow: number): void;
}

/**
 * Reads a Parquet file row group by row group. Never throws: problems go to `diagnostics`; a
 * row group that fails to decode is reported and skipped. Returns whether every row was read.
 */
export async function readParquet(
  filePath: string,
  diagnostics: DiagnosticCollector,
  handlers: ParquetRowHandlers,
  options: Pick<ResolvedProfileOptions, 'signal' | 'onProgress'> = {},
): Promise<{ complete: boolean; bytes: number }> {
  let size = 0;
  let handle: fsp.FileHandle;
  try {
    handle = await fsp.open(filePath, 'r');
  } catch (err) {
    diagnostics.error('READ_ERROR', `the file could not be opened: ${(err as Error).message}`);
    return { complete: false, bytes: 0 };
  }
  try {
    size = (await handle.stat()).size;
    if (size === 0) {
      diagnostics.error('EMPTY_FILE', 'the file is empty');
      return { complete: false, bytes: 0 };
    }
    const head = Buffer.alloc(4);
    const tail = Buffer.alloc(4);
    await handle.read(head, 0, 4, 0);
    if (size >= 4) await handle.read(tail, 0, 4, size - 4);
    if (size < 12 || head.readUInt32LE(0) !== MAGIC) {
      diagnostics.error('NOT_PARQUET', `not a Parquet file: it does not start with the magic bytes PAR1 (${formatBytes(size)})`, { offset: 0 });
      return { complete: false, bytes: size };
    }
    if (tail.readUInt32LE(0) !== MAGIC) {
      diagnostics.error('TRUNCATED_PARQUET', `the file does not end with the Parquet footer magic PAR1: it is truncated or still being written (${formatBytes(size)}); the footer holds the schema, so nothing can be read`, { offset: size - 4 });
      return { complete: false, bytes: size };
    }
    const file = await fileBuffer(handle, size);
    let metadata: FileMetaData;
    try {
      metadata = await parquetMetadataAsync(file);
    } catch (err) {
      diagnostics.error('PARQUET_METADATA', `the Parquet footer could not be read: ${(err as Error).message}`, { offset: size - 8 });
      return { complete: false, bytes: size };
    }
    const roots = parquetSchema(metadata).children;
    handlers.columns(roots.map((node) => ({ name: node.element.name, declared: declaredColumnType(node) })));
    let complete = true;
    let rowStart = 0;
    const groups = metadata.row_groups.length;
    for (let g = 0; g < groups; g++) {
      if (options.signal?.aborted) {
        diagnostics.warning('ABORTED', `stopped after ${g} of ${groups} row groups; the profile covers the rows read so far`);
        return { complete: false, bytes: size };
      }
      const rowEnd = rowStart + Number(metadata.row_groups[g].num_rows);
      try {
        await parquetRead({ file, metadata, rowStart, rowEnd, compressors, onComplete: (rows: unknown[][]) => handlers.rows(rows, rowStart) });
      } catch (err) {
        complete = false;
        diagnostics.error('PARQUET_ROW_GROUP', `row group ${g + 1} of ${groups} (rows ${rowStart + 1}–${rowEnd}) could not be read: ${(err as Error).message}; its rows are left out`, { row: rowStart + 1 });
      }
      rowStart = rowEnd;
      options.onProgress?.(Math.round((size * (g + 1)) / groups), size);
    }
    return { complete, bytes: size };
  } catch (err) {
    diagnostics.error('READ_ERROR', `the file could not be read: ${(err as Error).message}`);
    return { complete: false, bytes: size };
  } finally {
    await handle.close();
  }
}

export async function profileParquet(filePath: string, options: ResolvedProfileOptions): Promise<DatasetProfile> {
  const diagnostics = new DiagnosticCollector(options.displayName);
  const builder = new DatasetBuilder(options.settings, diagnostics);
  let columns: { acc: ColumnAccumulator; hint?: 'float' }[] = [];
  const { complete, bytes } = await readParquet(filePath, diagnostics, {
    columns: (cols) => {
      columns = cols.map((c) => ({ acc: builder.addColumn(c.name, c.declared.label, c.declared.type), hint: c.declared.hint }));
    },
    rows: (rows) => {
      for (const row of rows) {
        builder.rowCount++;
        for (let c = 0; c < columns.length; c++) builder.addValue(columns[c].acc, row[c], columns[c].hint);
      }
    },
  }, options);
  return builder.finish({ path: filePath, format: 'parquet', bytes }, complete);
}
