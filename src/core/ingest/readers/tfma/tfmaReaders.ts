/**
 * Reads TFX Evaluator (TFMA) output as one run per evaluation folder (see tfmaPaths.ts):
 * - `metrics`: TFRecord-framed MetricsForSlice records; the overall slice's values are the run's
 *   metrics, every other slice's are sliced metrics (`slice` on the metrics event). This file
 *   makes the run: it emits the `run` event.
 * - `eval_config.json`: the slicing specs and TFMA version as parameters, each metric's value
 *   threshold as a tag `tfma.threshold.<metric>` ({"lower", "upper"}).
 * - `validations`: a ValidationResult: tags `tfma.validation` (passed / failed) and
 *   `tfma.validation_failures` (JSON list of {slice, metric, message}).
 * - `blessing/BLESSED` or `NOT_BLESSED`: the tag `tfma.blessed` (true / false).
 * All four are written once by the pipeline and read whole.
 */
import type { MetricValue, MetricsEvent, RunEvent } from '../../../../shared/runEvents';
import { sliceLabel, TFMA_TAGS } from '../../../../shared/slices';
import type { SourceProblem } from '../../../../shared/runTypes';
import { problem, type ReadInput, type ReadOutput, type SourceReader } from '../../sourceReader';
import { capProblems, unusableTextProblem } from '../common/fileProblems';
import { isPlainObject } from '../common/jsonValue';
import { toMetricValue } from '../common/numbers';
import { creationSeconds, importedRunStart, modifiedSeconds } from '../common/runIdentity';
import { forEachRecord } from '../tensorboard/tfRecord';
import { decodeMetricsForSlice, decodeValidationResult } from './tfmaProtos';
import { classifyTfmaPath, tfmaRunNames, tfmaRunUid, type TfmaFileKind } from './tfmaPaths';

function tfmaReader(kind: TfmaFileKind, read: (input: ReadInput, evalDir: string) => { events: RunEvent[]; problems: SourceProblem[] }): SourceReader {
  return {
    id: `tfma-${kind}@1`,
    wholeFile: true,
    matches: (relPath) => classifyTfmaPath(relPath)?.kind === kind,
    read(input): ReadOutput {
      const file = classifyTfmaPath(input.relPath);
      const done = { consumed: input.bytes.length, lines: 0 };
      if (file?.kind !== kind) return { ...done, batches: [], problems: [] };
      const { events, problems } = read(input, file.evalDir);
      return { ...done, batches: events.length ? [{ runUid: tfmaRunUid(file.evalDir), events }] : [], problems: capProblems(problems, input.relPath) };
    },
  };
}

/** Every record of a TFRecord file, decoded; problems name the record. */
function records<T>(input: ReadInput, what: string, decode: (buf: Uint8Array, start: number, end: number) => T, problems: SourceProblem[]): T[] {
  const out: T[] = [];
  if (input.bytes.length === 0) problems.push(problem(input.relPath, null, 'empty file'));
  const framing = forEachRecord(input.bytes, 0, true, undefined, (start, end, index) => {
    try {
      out.push(decode(input.bytes, start, end));
    } catch (e) {
      problems.push(problem(input.relPath, null, `record ${index + 1} is not a readable ${what} (${(e as Error).message}): skipped`));
    }
  }, (issue) => problems.push(problem(input.relPath, null, issue.message)));
  if (framing.consumed < input.bytes.length) problems.push(problem(input.relPath, null, `${input.bytes.length - framing.consumed} bytes at the end are not a whole record: skipped`));
  return out;
}

export const tfmaMetricsReader = tfmaReader('metrics', (input, evalDir) => {
  const problems: SourceProblem[] = [];
  const { name, experiment } = tfmaRunNames(evalDir);
  const events: RunEvent[] = [importedRunStart({ id: tfmaRunUid(evalDir), kind: 'tfma', runPath: evalDir, started: creationSeconds(input.path), name, experiment })];
  for (const record of records(input, 'MetricsForSlice', decodeMetricsForSlice, problems)) {
    if (record.crossSlice) continue;
    const values: Record<string, MetricValue> = {};
    for (const [key, v] of Object.entries(record.values)) values[key] = toMetricValue(v);
    if (Object.keys(values).length === 0) continue;
    const event: MetricsEvent = { t: 'metrics', values };
    if (Object.keys(record.slice).length > 0) event.slice = record.slice;
    events.push(event);
  }
  // The Evaluator writes its metrics once, when the evaluation is over.
  events.push({ t: 'end', status: 'finished', ended: modifiedSeconds(input.path) });
  return { events, problems };
});

export const tfmaValidationsReader = tfmaReader('validations', (input) => {
  const problems: SourceProblem[] = [];
  const results = records(input, 'ValidationResult', decodeValidationResult, problems);
  if (results.length === 0) return { events: [], problems };
  const ok = results.every((r) => r.ok);
  const failures = results.flatMap((r) => r.failures.map((f) => ({ slice: Object.keys(f.slice).length ? sliceLabel(f.slice) : '', metric: f.metric, message: f.message })));
  const events: RunEvent[] = [{ t: 'tag', key: TFMA_TAGS.validation, value: ok ? 'passed' : 'failed' }];
  if (failures.length) events.push({ t: 'tag', key: TFMA_TAGS.failures, value: JSON.stringify(failures) });
  if (results.some((r) => r.missingThresholds)) events.push({ t: 'tag', key: 'tfma.missing_thresholds', value: 'true' });
  return { events, problems };
});

export const tfmaBlessingReader = tfmaReader('blessing', (input) => ({
  events: [{ t: 'tag', key: TFMA_TAGS.blessed, value: String(input.relPath.endsWith('/BLESSED') || input.relPath === 'BLESSED') }],
  problems: [],
}));

export const tfmaConfigReader = tfmaReader('config', (input) => {
  const unusable = unusableTextProblem(input.relPath, input.bytes);
  if (unusable) return { events: [], problems: [unusable] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(input.bytes.toString('utf8'));
  } catch (e) {
    return { events: [], problems: [problem(input.relPath, null, `not JSON: ${(e as Error).message}`)] };
  }
  if (!isPlainObject(parsed)) return { events: [], problems: [problem(input.relPath, 1, 'expected a JSON object (TFMA\'s EvalConfig)')] };
  const config = isPlainObject(parsed.evalConfig) ? parsed.evalConfig : parsed;
  const params: Record<string, unknown> = {};
  if (typeof parsed.version === 'string') params['tfma.version'] = parsed.version;
  if (isPlainObject(parsed.modelLocations)) {
    for (const [model, location] of Object.entries(parsed.modelLocations)) {
      if (typeof location === 'string') params[model ? `tfma.model_location.${model}` : 'tfma.model_location'] = location;
    }
  }
  if (Array.isArray(config.slicingSpecs)) {
    params['tfma.slicing_specs'] = config.slicingSpecs.map((s) => (isPlainObject(s) && Array.isArray(s.featureKeys) ? s.featureKeys.map(String) : []));
  }
  const events: RunEvent[] = [];
  if (Object.keys(params).length) events.push({ t: 'params', values: params });
  for (const [metric, bounds] of thresholds(config)) events.push({ t: 'tag', key: `${TFMA_TAGS.thresholdPrefix}${metric}`, value: JSON.stringify(bounds) });
  return { events, problems: [] };
});

/**
 * Value thresholds from the metrics specs: the older map form (`thresholds: {accuracy: {valueThreshold}}`)
 * and the newer per-metric form (`metrics: [{className: "BinaryAccuracy", threshold: {valueThreshold}}]`,
 * named as TFMA names a metric class: `binary_accuracy`, or the config's `name`).
 */
function thresholds(config: Record<string, unknown>): Map<string, { lower?: number; upper?: number }> {
  const out = new Map<string, { lower?: number; upper?: number }>();
  const add = (metric: string, threshold: unknown) => {
    if (!isPlainObject(threshold) || !isPlainObject(threshold.valueThreshold)) return;
    const v = threshold.valueThreshold;
    const bounds: { lower?: number; upper?: number } = {};
    if (typeof v.lowerBound === 'number') bounds.lower = v.lowerBound;
    if (typeof v.upperBound === 'number') bounds.upper = v.upperBound;
    if (bounds.lower !== undefined || bounds.upper !== undefined) out.set(metric, bounds);
  };
  for (const spec of Array.isArray(config.metricsSpecs) ? config.metricsSpecs : []) {
    if (!isPlainObject(spec)) continue;
    if (isPlainObject(spec.thresholds)) for (const [metric, t] of Object.entries(spec.thresholds)) add(metric, t);
    for (const m of Array.isArray(spec.metrics) ? spec.metrics : []) {
      if (!isPlainObject(m)) continue;
      const configName = isPlainObject(m.config) && typeof m.config.name === 'string' ? m.config.name : undefined;
      const name = configName ?? (typeof m.className === 'string' ? snakeCase(m.className) : undefined);
      if (name) add(name, m.threshold);
    }
  }
  return out;
}

/** TFMA's default metric name for a class: `BinaryAccuracy` → `binary_accuracy`, `AUC` → `auc`. */
export function snakeCase(className: string): string {
  return className.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2').toLowerCase();
}

export const tfmaReaders: readonly SourceReader[] = [tfmaMetricsReader, tfmaValidationsReader, tfmaConfigReader, tfmaBlessingReader];
