/**
 * A run as searches read it, and how each field of the search syntax is read from it. Values are
 * typed as fieldValueType says: numbers for metrics and times, text for the other attributes, and
 * for parameters and tags the value as logged (a JSON value; tags are strings).
 */
import { formatParamValue } from '../../shared/format';
import type { RunField } from '../../shared/runFields';
import type { MetricSummary, RunSummary } from '../../shared/runTypes';

export interface RunRecord {
  summary: RunSummary;
  user: string | null;
  params: ReadonlyMap<string, unknown>;
  tags: ReadonlyMap<string, string>;
  metrics: ReadonlyMap<string, MetricSummary>;
}

/** The value of a field for a run; undefined when the run has none (no such key, no end time yet). */
export type FieldReader = (r: RunRecord) => unknown;

export function fieldReader(field: RunField): FieldReader {
  switch (field.kind) {
    case 'metric': {
      const { key, agg } = field;
      return (r) => r.metrics.get(key)?.[agg];
    }
    case 'param': {
      const key = field.key;
      return (r) => (r.params.has(key) ? r.params.get(key) : undefined);
    }
    case 'tag': {
      const key = field.key;
      return (r) => r.tags.get(key);
    }
    case 'attribute':
      switch (field.key) {
        case 'run_id':
          return (r) => r.summary.uid;
        case 'run_name':
          return (r) => r.summary.name;
        // MLflow's statuses are upper case (FINISHED); comparisons upper-case the other side too.
        case 'status':
          return (r) => r.summary.status.toUpperCase();
        case 'start_time':
          return (r) => epochMillis(r.summary.started);
        case 'end_time':
          return (r) => epochMillis(r.summary.ended);
        case 'experiment':
          return (r) => r.summary.experiment;
        case 'user_id':
          return (r) => r.user ?? undefined;
        case 'source_kind':
          return (r) => r.summary.sourceKind ?? undefined;
      }
  }
}

/** Times are seconds in the index and milliseconds in MLflow's syntax (start_time > 1670628787527). */
function epochMillis(seconds: number | null): number | undefined {
  return seconds === null ? undefined : Math.round(seconds * 1000);
}

const NUMBER_TEXT = /^\s*[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?\s*$/;

/** A parameter or tag as a number: a logged number, or text that is one ("0.01", as MLflow stores params). */
export function asNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && NUMBER_TEXT.test(value)) return Number(value);
  return undefined;
}

/** A parameter or tag as text, as the CLI and the trees show it (lists and objects as JSON). */
export function asText(value: unknown): string {
  return formatParamValue(value);
}
