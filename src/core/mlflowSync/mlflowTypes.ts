/**
 * MLflow REST API 2.0 entities as they travel as JSON (protobuf's JSON mapping): int64 fields may
 * come as strings, doubles may come as "NaN" / "Infinity" / "-Infinity".
 */

export type WireNumber = number | string;

export interface WireMetric {
  key: string;
  value: WireNumber;
  timestamp: WireNumber;
  step?: WireNumber;
}

export interface WireKeyValue {
  key: string;
  value: string;
}

export type WireRunStatus = 'RUNNING' | 'SCHEDULED' | 'FINISHED' | 'FAILED' | 'KILLED';

export interface WireRunInfo {
  run_id: string;
  experiment_id: string;
  run_name?: string;
  user_id?: string;
  status?: WireRunStatus;
  start_time?: WireNumber;
  end_time?: WireNumber;
  artifact_uri?: string;
  lifecycle_stage?: string;
}

export interface WireRun {
  info: WireRunInfo;
  data?: { metrics?: WireMetric[]; params?: WireKeyValue[]; tags?: WireKeyValue[] };
}

export interface WireExperiment {
  experiment_id: string;
  name: string;
  lifecycle_stage?: string;
  artifact_location?: string;
}

export interface WireModelVersion {
  name: string;
  version: string;
  source?: string;
  run_id?: string;
  status?: string;
  description?: string;
  creation_timestamp?: WireNumber;
  tags?: WireKeyValue[];
  aliases?: string[];
}

export interface WireRegisteredModel {
  name: string;
  description?: string;
  aliases?: { alias: string; version: string }[];
  tags?: WireKeyValue[];
}

export interface WireFileInfo {
  path: string;
  is_dir?: boolean;
  file_size?: WireNumber;
}

/** A page of a paged search and the token of the next one (absent on the last page). */
export interface Page<T> {
  items: T[];
  nextPageToken?: string;
}

export function wireInt(v: WireNumber | undefined): number | undefined {
  if (v === undefined || v === '') return undefined;
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isFinite(n) ? n : undefined;
}
