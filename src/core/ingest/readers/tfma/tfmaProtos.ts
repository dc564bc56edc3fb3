/**
 * Decodes TFMA's protos (tensorflow_model_analysis/proto/metrics_for_slice.proto and
 * validation_result.proto) with the same wire reader as TensorBoard's events:
 *   MetricsForSlice{slice_key=1 SliceKey, metrics=2 map<string, MetricValue> (old writers),
 *     metric_keys_and_values=51 repeated {key=1 MetricKey, value=2 MetricValue}}; a record with
 *     cross_slice_key=3 compares two slices and is not a slice's own metrics.
 *   SliceKey{single_slice_keys=1 repeated {column=1, bytes_value=2 | float_value=3 | int64_value=4}}
 *   MetricKey{name=1, output_name=2, sub_key=3 {class_id=1 | k=2 | top_k=3: Int32Value}, model_name=4}
 *   MetricValue{double_value=1 DoubleValue, bounded_value=2 {lower_bound=1, upper_bound=2, value=3},
 *     value_at_cutoffs=4 {values=1 {cutoff=1, value=2}}, confusion_matrix_at_thresholds=5
 *     {matrices=1 {threshold=1, false_negatives=2, true_negatives=3, false_positives=4,
 *     true_positives=5, precision=6, recall=7}}, t_distribution_value=9 {sample_mean=1, unsampled_value=4}}
 *   ValidationResult{validation_ok=1, metric_validations_per_slice=2 {slice_key=2, failures=3
 *     {metric_key=1, message=4}}, missing_thresholds=6}
 * Proto3 leaves out zeros: an empty DoubleValue is 0.
 */
import { ProtoError, ProtoReader, WIRE_FIXED32, WIRE_FIXED64, WIRE_LEN, WIRE_VARINT } from '../tensorboard/protoReader';

export interface DecodedSliceMetrics {
  slice: Record<string, string>;
  /** A comparison of two slices (cross_slice_key): not a slice's own metrics. */
  crossSlice: boolean;
  values: Record<string, number>;
}

export interface DecodedValidation {
  ok: boolean;
  missingThresholds: boolean;
  failures: { slice: Record<string, string>; metric: string; message: string }[];
}

const tag = (field: number, wire: number) => (field << 3) | wire;

export function decodeMetricsForSlice(buf: Uint8Array, start: number, end: number): DecodedSliceMetrics {
  const r = new ProtoReader(buf, start, end);
  const out: DecodedSliceMetrics = { slice: {}, crossSlice: false, values: {} };
  while (!r.done) {
    const k = r.key();
    if (k === tag(1, WIRE_LEN)) out.slice = readSliceKey(r, r.enter());
    else if (k === tag(3, WIRE_LEN)) {
      out.crossSlice = true;
      r.skip(WIRE_LEN);
    } else if (k === tag(51, WIRE_LEN) || k === tag(2, WIRE_LEN)) {
      // The map's entries {key=1 string, value=2} have the same shape with a plain name as key.
      const entryEnd = r.enter();
      let name: string | undefined;
      let value: Record<string, number> = {};
      while (r.pos < entryEnd) {
        const ek = r.key();
        if (ek === tag(1, WIRE_LEN)) name = k === tag(2, WIRE_LEN) ? text(r) : readMetricKey(r, r.enter());
        else if (ek === tag(2, WIRE_LEN)) value = readMetricValue(r, r.enter());
        else r.skip(ek & 7);
      }
      if (name === undefined || name === '') continue;
      for (const [suffix, v] of Object.entries(value)) out.values[name + suffix] = v;
    } else r.skip(k & 7);
  }
  return out;
}

export function decodeValidationResult(buf: Uint8Array, start: number, end: number): DecodedValidation {
  const r = new ProtoReader(buf, start, end);
  const out: DecodedValidation = { ok: false, missingThresholds: false, failures: [] };
  while (!r.done) {
    const k = r.key();
    if (k === tag(1, WIRE_VARINT)) out.ok = r.varint() !== 0;
    else if (k === tag(6, WIRE_VARINT)) out.missingThresholds = r.varint() !== 0;
    else if (k === tag(2, WIRE_LEN)) {
      const sliceEnd = r.enter();
      let slice: Record<string, string> = {};
      const failures: { metric: string; message: string }[] = [];
      while (r.pos < sliceEnd) {
        const sk = r.key();
        if (sk === tag(2, WIRE_LEN)) slice = readSliceKey(r, r.enter());
        else if (sk === tag(3, WIRE_LEN)) {
          const failureEnd = r.enter();
          let metric = '';
          let message = '';
          while (r.pos < failureEnd) {
            const fk = r.key();
            if (fk === tag(1, WIRE_LEN)) metric = readMetricKey(r, r.enter());
            else if (fk === tag(4, WIRE_LEN)) message = text(r);
            else r.skip(fk & 7);
          }
          failures.push({ metric, message });
        } else r.skip(sk & 7);
      }
      for (const f of failures) out.failures.push({ slice, ...f });
    } else r.skip(k & 7);
  }
  return out;
}

function text(r: ProtoReader): string {
  const [s, e] = r.bytes();
  return Buffer.from(r.buf.buffer, r.buf.byteOffset + s, e - s).toString('utf8');
}

function readSliceKey(r: ProtoReader, end: number): Record<string, string> {
  const slice: Record<string, string> = {};
  while (r.pos < end) {
    const k = r.key();
    if (k !== tag(1, WIRE_LEN)) {
      r.skip(k & 7);
      continue;
    }
    const singleEnd = r.enter();
    let column = '';
    let value = '';
    while (r.pos < singleEnd) {
      const sk = r.key();
      if (sk === tag(1, WIRE_LEN)) column = text(r);
      else if (sk === tag(2, WIRE_LEN)) value = text(r);
      else if (sk === tag(3, WIRE_FIXED32)) value = shortestFloat32(r.float());
      else if (sk === tag(4, WIRE_VARINT)) value = String(r.int64());
      else r.skip(sk & 7);
    }
    slice[column] = value;
  }
  return slice;
}

/** `name`, with the output (`output/name`), model (`model/name`) and sub key (`name/class_id=1`) when set. */
function readMetricKey(r: ProtoReader, end: number): string {
  let name = '';
  let output = '';
  let model = '';
  let sub = '';
  while (r.pos < end) {
    const k = r.key();
    if (k === tag(1, WIRE_LEN)) name = text(r);
    else if (k === tag(2, WIRE_LEN)) output = text(r);
    else if (k === tag(4, WIRE_LEN)) model = text(r);
    else if (k === tag(3, WIRE_LEN)) {
      const subEnd = r.enter();
      while (r.pos < subEnd) {
        const sk = r.key();
        const field = sk >>> 3;
        if ((sk & 7) === WIRE_LEN && field >= 1 && field <= 3) sub = `/${['class_id', 'k', 'top_k'][field - 1]}=${readInt32Value(r, r.enter())}`;
        else r.skip(sk & 7);
      }
    } else r.skip(k & 7);
  }
  return [model, output, name].filter((p) => p !== '').join('/') + sub;
}

function readInt32Value(r: ProtoReader, end: number): number {
  let v = 0;
  while (r.pos < end) {
    const k = r.key();
    if (k === tag(1, WIRE_VARINT)) v = r.int64();
    else r.skip(k & 7);
  }
  return v;
}

/** A google.protobuf.DoubleValue: {value=1 double}, 0 when empty. */
function readDoubleValue(r: ProtoReader, end: number): number {
  let v = 0;
  while (r.pos < end) {
    const k = r.key();
    if (k === tag(1, WIRE_FIXED64)) v = r.double();
    else r.skip(k & 7);
  }
  return v;
}

/** Values of one metric, by suffix of its name ('' for the value itself). */
function readMetricValue(r: ProtoReader, end: number): Record<string, number> {
  const out: Record<string, number> = {};
  while (r.pos < end) {
    const k = r.key();
    if (k === tag(1, WIRE_LEN)) out[''] = readDoubleValue(r, r.enter());
    else if (k === tag(2, WIRE_LEN)) readBounded(r, r.enter(), '', out);
    else if (k === tag(9, WIRE_LEN)) out[''] = readTDistribution(r, r.enter());
    else if (k === tag(4, WIRE_LEN)) readCutoffs(r, r.enter(), out);
    else if (k === tag(5, WIRE_LEN)) readConfusionMatrices(r, r.enter(), out);
    else r.skip(k & 7); // bytes, arrays, debug messages: not numbers to chart
  }
  return out;
}

function readBounded(r: ProtoReader, end: number, prefix: string, out: Record<string, number>): void {
  let value = 0;
  while (r.pos < end) {
    const k = r.key();
    if (k === tag(1, WIRE_LEN)) out[`${prefix}/lower_bound`] = readDoubleValue(r, r.enter());
    else if (k === tag(2, WIRE_LEN)) out[`${prefix}/upper_bound`] = readDoubleValue(r, r.enter());
    else if (k === tag(3, WIRE_LEN)) value = readDoubleValue(r, r.enter());
    else r.skip(k & 7);
  }
  out[prefix] = value;
}

function readTDistribution(r: ProtoReader, end: number): number {
  let mean: number | undefined;
  let unsampled: number | undefined;
  while (r.pos < end) {
    const k = r.key();
    if (k === tag(1, WIRE_LEN)) mean = readDoubleValue(r, r.enter());
    else if (k === tag(4, WIRE_LEN)) unsampled = readDoubleValue(r, r.enter());
    else r.skip(k & 7);
  }
  return unsampled ?? mean ?? 0;
}

function readCutoffs(r: ProtoReader, end: number, out: Record<string, number>): void {
  while (r.pos < end) {
    const k = r.key();
    if (k !== tag(1, WIRE_LEN)) {
      r.skip(k & 7);
      continue;
    }
    const pairEnd = r.enter();
    let cutoff = 0;
    let value = 0;
    while (r.pos < pairEnd) {
      const pk = r.key();
      if (pk === tag(1, WIRE_VARINT)) cutoff = r.int64();
      else if (pk === tag(2, WIRE_FIXED64)) value = r.double();
      else r.skip(pk & 7);
    }
    out[`@${cutoff}`] = value;
  }
}

const MATRIX_FIELDS = ['threshold', 'false_negatives', 'true_negatives', 'false_positives', 'true_positives', 'precision', 'recall'] as const;

/** One series per count and rate, at each threshold: `name@0.5/precision`. */
function readConfusionMatrices(r: ProtoReader, end: number, out: Record<string, number>): void {
  while (r.pos < end) {
    const k = r.key();
    if (k !== tag(1, WIRE_LEN)) {
      r.skip(k & 7);
      continue;
    }
    const matrixEnd = r.enter();
    const m: Record<string, number> = {};
    while (r.pos < matrixEnd) {
      const mk = r.key();
      const field = mk >>> 3;
      if ((mk & 7) === WIRE_FIXED64 && field >= 1 && field <= 7) m[MATRIX_FIELDS[field - 1]!] = r.double();
      else r.skip(mk & 7);
    }
    const at = `@${m.threshold ?? 0}`;
    for (const name of MATRIX_FIELDS.slice(1)) out[`${at}/${name}`] = m[name] ?? 0;
  }
}

/** The shortest decimal that reads back as the same float32 (as protobuf's text format prints it). */
export function shortestFloat32(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  for (let p = 1; p <= 9; p++) {
    const text = String(Number(v.toPrecision(p)));
    if (Math.fround(Number(text)) === v) return text;
  }
  return String(v);
}

export { ProtoError };
