import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { DatasetFormat } from '../../shared/schemaDiff';

const BY_EXTENSION: Record<string, DatasetFormat> = {
  '.csv': 'csv',
  '.tsv': 'tsv',
  '.tab': 'tsv',
  '.json': 'json',
  '.jsonl': 'jsonl',
  '.ndjson': 'jsonl',
  '.parquet': 'parquet',
  '.pq': 'parquet',
  '.parq': 'parquet',
  '.pbtxt': 'tfdv-schema',
  '.textproto': 'tfdv-schema',
  '.prototxt': 'tfdv-schema',
};

/** Looks like text-format protobuf: comments, then `name {` or `name:` at the start. */
const PBTXT_START = /^(?:\s*#[^\n]*\n)*\s*[A-Za-z_][A-Za-z0-9_]*\s*(?:\{|:)/;

/**
 * The format of a dataset or schema file, from its extension, else from its first bytes:
 * `PAR1` is Parquet, `[` a JSON array, `{` JSON Lines, `feature {` a TFDV schema, anything else CSV.
 */
export async function detectFormat(filePath: string): Promise<DatasetFormat> {
  const byExt = BY_EXTENSION[path.extname(filePath).toLowerCase()];
  if (byExt === 'json') {
    const first = await firstNonSpaceByte(filePath);
    return first === '{' ? 'jsonl' : 'json';
  }
  if (byExt) return byExt;
  const head = await readHead(filePath, 4096);
  if (head.length >= 4 && head.readUInt32LE(0) === 0x31524150) return 'parquet';
  const text = head.toString('utf8');
  const trimmed = text.replace(/^\uFEFF/, '').trimStart();
  if (trimmed.startsWith('[')) return 'json';
  if (trimmed.startsWith('{')) return 'jsonl';
  if (PBTXT_START.test(text) && /^(?:\s*#[^\n]*\n)*\s*(feature|string_domain|baseline|tensor_representation_group|default_environment)\b/.test(text)) {
    return 'tfdv-schema';
  }
  if (path.basename(filePath).toLowerCase() === 'schema.pbtxt') return 'tfdv-schema';
  return 'csv';
}

async function readHead(filePath: string, bytes: number): Promise<Buffer> {
  const handle = await fsp.open(filePath, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buf, 0, bytes, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

async function firstNonSpaceByte(filePath: string): Promise<string | undefined> {
  const head = (await readHead(filePath, 4096)).toString('utf8').replace(/^\uFEFF/, '').trimStart();
  return head[0];
}
