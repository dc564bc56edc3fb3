/**
 * The run-event format, version 1: one JSON object per line in `.exptrack/runs/<id>/events.jsonl`.
 * Written by capture (the extension and the CLI) and by python/exptrack.py; every importer
 * (MLflow, TensorBoard, dvclive, …) translates what it reads into these same events.
 */
import { z } from 'zod';

export const RUN_EVENT_FORMAT_VERSION = 1;

/** JSON cannot hold NaN or ±Infinity, so writers spell them as strings. */
export const NonFiniteToken = z.enum(['NaN', 'Infinity', '-Infinity']);
export const MetricValue = z.union([z.number(), NonFiniteToken]);
export type MetricValue = z.infer<typeof MetricValue>;

export function metricValueToNumber(v: MetricValue): number {
  if (typeof v === 'number') return v;
  return v === 'NaN' ? NaN : v === 'Infinity' ? Infinity : -Infinity;
}

export function numberToMetricValue(n: number): MetricValue {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return 'Infinity';
  if (n === -Infinity) return '-Infinity';
  return n;
}

/** Seconds since the epoch, as a float. */
const EpochSeconds = z.number().finite();

export const SourceKind = z.enum([
  'script', 'notebook', 'terminal', 'debug', 'task', 'client', 'cli',
  'mlflow', 'tensorboard', 'dvclive', 'lightning', 'keras', 'mlflow-server', 'tfma', 'optuna', 'keras-tuner', 'hydra',
]);
export type SourceKind = z.infer<typeof SourceKind>;

const JsonValue: z.ZodType<unknown> = z.lazy(() =>
  z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(JsonValue), z.record(z.string(), JsonValue)]),
);

export const RunStartEvent = z.object({
  t: z.literal('run'),
  v: z.number().int().positive(),
  id: z.string().min(1).max(200),
  name: z.string().max(1000).optional(),
  experiment: z.string().max(1000).optional(),
  started: EpochSeconds,
  source: z.object({ kind: SourceKind, path: z.string().optional() }).optional(),
  command: z.array(z.string()).optional(),
  cwd: z.string().optional(),
  git: z.object({
    commit: z.string().optional(),
    branch: z.string().optional(),
    dirty: z.boolean().optional(),
    remote: z.string().optional(),
  }).optional(),
  env: z.record(z.string(), z.string()).optional(),
  user: z.string().optional(),
});

export const ParamsEvent = z.object({
  t: z.literal('params'),
  values: z.record(z.string(), JsonValue),
});

/**
 * The slice of the data a metric was measured on, column → value (`{"sex":"F","age":"30-40"}`).
 * Optional, and new in version 1: readers that do not know it skip the field (zod drops unknown
 * keys), so a metric without it is the overall value, as it always was.
 */
export const SliceKey = z.record(z.string().min(1).max(200), z.string().max(1000));
export type SliceKey = z.infer<typeof SliceKey>;

export const MetricsEvent = z.object({
  t: z.literal('metrics'),
  step: z.number().int().optional(),
  time: EpochSeconds.optional(),
  slice: SliceKey.optional(),
  values: z.record(z.string(), MetricValue),
});

export const DatasetEvent = z.object({
  t: z.literal('dataset'),
  path: z.string().min(1),
  role: z.string().optional(),
  sha256: z.string().optional(),
  rows: z.number().int().nonnegative().optional(),
  bytes: z.number().int().nonnegative().optional(),
});

export const ArtifactEvent = z.object({
  t: z.literal('artifact'),
  path: z.string().min(1),
  sha256: z.string().optional(),
  bytes: z.number().int().nonnegative().optional(),
});

export const ModelEvent = z.object({
  t: z.literal('model'),
  name: z.string().min(1),
  path: z.string().optional(),
  sha256: z.string().optional(),
  bytes: z.number().int().nonnegative().optional(),
  version: z.number().int().positive().optional(),
  parent: z.object({ name: z.string(), version: z.number().int().positive() }).optional(),
  derivation: z.string().optional(),
});

export const TagEvent = z.object({
  t: z.literal('tag'),
  key: z.string().min(1),
  value: z.string(),
});

export const RunStatus = z.enum(['running', 'finished', 'failed', 'killed', 'scheduled']);
export type RunStatus = z.infer<typeof RunStatus>;

export const EndEvent = z.object({
  t: z.literal('end'),
  status: RunStatus.exclude(['running', 'scheduled']),
  exit: z.number().int().nullable().optional(),
  ended: EpochSeconds,
});

export const RunEvent = z.discriminatedUnion('t', [
  RunStartEvent, ParamsEvent, MetricsEvent, DatasetEvent, ArtifactEvent, ModelEvent, TagEvent, EndEvent,
]);

export type RunStartEvent = z.infer<typeof RunStartEvent>;
export type ParamsEvent = z.infer<typeof ParamsEvent>;
export type MetricsEvent = z.infer<typeof MetricsEvent>;
export type DatasetEvent = z.infer<typeof DatasetEvent>;
export type ArtifactEvent = z.infer<typeof ArtifactEvent>;
export type ModelEvent = z.infer<typeof ModelEvent>;
export type TagEvent = z.infer<typeof TagEvent>;
export type EndEvent = z.infer<typeof EndEvent>;
export type RunEvent = z.infer<typeof RunEvent>;

export const KNOWN_EVENT_TYPES: ReadonlySet<string> = new Set(RunEvent.options.map((o) => o.shape.t.value));

export type ParsedLine =
  | { kind: 'event'; event: RunEvent }
  | { kind: 'unknown'; type: string }
  | { kind: 'invalid'; message: string };

/**
 * Parses one line of an events file. Never throws: a bad line is described so the caller can
 * report it with file and line number and carry on with the next one.
 */
export function parseRunEventLine(line: string): ParsedLine {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch (e) {
    return { kind: 'invalid', message: `not JSON: ${(e as Error).message}` };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { kind: 'invalid', message: 'not a JSON object' };
  }
  const t = (raw as { t?: unknown }).t;
  if (typeof t !== 'string') return { kind: 'invalid', message: 'missing "t" (the event type)' };
  if (!KNOWN_EVENT_TYPES.has(t)) return { kind: 'unknown', type: t };
  const parsed = RunEvent.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? ` at ${issue.path.join('.')}` : '';
    return { kind: 'invalid', message: `bad "${t}" event${where}: ${issue?.message ?? 'invalid'}` };
  }
  return { kind: 'event', event: parsed.data };
}
