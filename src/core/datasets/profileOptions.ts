import type { DatasetFormat } from '../../shared/schemaDiff';
import { DEFAULT_PROFILER_SETTINGS, type ProfilerSettings } from './columnProfiler';

export interface ProfileOptions extends Partial<ProfilerSettings> {
  /** Overrides detection from the extension and the first bytes. */
  format?: DatasetFormat;
  /** CSV/TSV field delimiter; guessed from the first rows when absent. */
  delimiter?: string;
  /** Bytes read at a time (default 1 MiB). */
  chunkBytes?: number;
  /** A CSV row or JSON record longer than this stops reading (default 16 MiB). */
  maxRecordBytes?: number;
  signal?: AbortSignal;
  onProgress?: (bytesRead: number, totalBytes: number) => void;
  /** How the file is named in diagnostics (default: the path as given). */
  displayName?: string;
}

export interface ResolvedProfileOptions extends ProfileOptions {
  settings: ProfilerSettings;
  chunkBytes: number;
  maxRecordBytes: number;
  displayName: string;
}

export function resolveProfileOptions(path: string, options: ProfileOptions = {}): ResolvedProfileOptions {
  const settings: ProfilerSettings = {
    sampleSize: options.sampleSize ?? DEFAULT_PROFILER_SETTINGS.sampleSize,
    exactDistinctLimit: options.exactDistinctLimit ?? DEFAULT_PROFILER_SETTINGS.exactDistinctLimit,
    valueCountsLimit: options.valueCountsLimit ?? DEFAULT_PROFILER_SETTINGS.valueCountsLimit,
    histogramBuckets: options.histogramBuckets ?? DEFAULT_PROFILER_SETTINGS.histogramBuckets,
    topValues: options.topValues ?? DEFAULT_PROFILER_SETTINGS.topValues,
  };
  return {
    ...options,
    settings,
    chunkBytes: options.chunkBytes ?? 1024 * 1024,
    maxRecordBytes: options.maxRecordBytes ?? 16 * 1024 * 1024,
    displayName: options.displayName ?? path,
  };
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024 * 1024) return `${(n / (1024 * 1024 * 1024)).toFixed(1)} GiB`;
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} bytes`;
}
