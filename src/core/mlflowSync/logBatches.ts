/**
 * Splits what a run has to send into runs/log-batch requests within MLflow's limits: at most
 * 1,000 metrics, 100 params, 100 tags and 1,000 entities in one request, and a request body under
 * MLflow's 1 MB (MAX_BATCH_LOG_REQUEST_SIZE; a margin is kept for the JSON around the entities).
 */
import type { WireKeyValue, WireMetric } from './mlflowTypes';

export const LOG_BATCH_LIMITS = {
  metrics: 1000,
  params: 100,
  tags: 100,
  entities: 1000,
  bytes: 900_000,
} as const;

export type BatchLimits = { [K in keyof typeof LOG_BATCH_LIMITS]: number };

/** One request's content. */
export interface LogBatch {
  metrics: WireMetric[];
  params: WireKeyValue[];
  tags: WireKeyValue[];
}

/** Approximate JSON size of one entity in a request. */
function entityBytes(e: WireMetric | WireKeyValue): number {
  return Buffer.byteLength(JSON.stringify(e), 'utf8') + 1;
}

/**
 * Params and tags first (so a run's description arrives before its curves), then metrics in the
 * order given. Every batch respects every limit; the order within each kind is kept, so the
 * caller can count how far each metric key got after each batch.
 */
export function planLogBatches(params: WireKeyValue[], tags: WireKeyValue[], metrics: WireMetric[], limits: BatchLimits = LOG_BATCH_LIMITS): LogBatch[] {
  const batches: LogBatch[] = [];
  let current: LogBatch = { metrics: [], params: [], tags: [] };
  let bytes = 0;
  const entities = () => current.metrics.length + current.params.length + current.tags.length;
  const close = () => {
    if (entities() > 0) batches.push(current);
    current = { metrics: [], params: [], tags: [] };
    bytes = 0;
  };
  const add = <K extends keyof LogBatch>(kind: K, e: LogBatch[K][number], max: number) => {
    const size = entityBytes(e);
    if (current[kind].length >= max || entities() >= limits.entities || (bytes + size > limits.bytes && entities() > 0)) close();
    (current[kind] as LogBatch[K][number][]).push(e);
    bytes += size;
  };
  for (const p of params) add('params', p, limits.params);
  for (const t of tags) add('tags', t, limits.tags);
  for (const m of metrics) add('metrics', m, limits.metrics);
  close();
  return batches;
}
