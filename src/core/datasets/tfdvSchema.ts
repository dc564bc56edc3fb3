/**
 * Reads a TFDV `schema.pbtxt` (text-format `tensorflow.metadata.v0.Schema`) into the features a
 * diff needs: name, type, domain (inline or a top-level `string_domain` by name), presence,
 * value_count/shape, lifecycle and comparator thresholds. Struct features are flattened into
 * dotted paths (`##SEQUENCE##.s`), as TFDV's serialized paths are. An `anomalies.pbtxt` is read
 * through its `baseline` schema. Never throws.
 */
import { promises as fsp } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import type { Diagnostic, DomainSummary, SchemaFeatureSummary, TfdvFeatureType } from '../../shared/schemaDiff';
import { DiagnosticCollector } from './diagnostics';
import { boolNamed, messageNamed, messagesNamed, numberNamed, parsePbtxt, textNamed, textsNamed, type PbMessage } from './pbtxt/pbtxtParser';

export interface TfdvFeature extends SchemaFeatureSummary {
  /** Dotted path for features inside a struct_domain, else the name. */
  name: string;
  /** The thresholds a feature's drift_comparator / skew_comparator sets. */
  driftComparator?: { lInfinity?: number; jensenShannon?: number };
  skewComparator?: { lInfinity?: number; jensenShannon?: number };
  /** distribution_constraints.min_domain_mass (default 1: every value must be in the domain). */
  minDomainMass?: number;
}

export interface TfdvSchema {
  path: string;
  features: TfdvFeature[];
  diagnostics: Diagnostic[];
  /** False when the file had syntax errors (the features around them are still here). */
  complete: boolean;
}

const MAX_SCHEMA_BYTES = 64 * 1024 * 1024;
const TYPES: readonly TfdvFeatureType[] = ['INT', 'FLOAT', 'BYTES', 'STRUCT', 'TYPE_UNKNOWN'];
const DEPRECATED_STAGES = new Set(['PLANNED', 'ALPHA', 'DEPRECATED', 'DEBUG_ONLY']);

function comparator(msg: PbMessage | undefined): { lInfinity?: number; jensenShannon?: number } | undefined {
  if (!msg) return undefined;
  const lInfinity = numberNamed(messageNamed(msg, 'infinity_norm') ?? { kind: 'message', fields: [], line: 0, column: 0 }, 'threshold');
  const js = messageNamed(msg, 'jensen_shannon_divergence');
  const jensenShannon = js ? numberNamed(js, 'threshold') : undefined;
  return { ...(lInfinity !== undefined && { lInfinity }), ...(jensenShannon !== undefined && { jensenShannon }) };
}

function domainOf(f: PbMessage, stringDomains: Map<string, string[]>, name: string, diagnostics: DiagnosticCollector, line: number): DomainSummary | undefined {
  const sd = messageNamed(f, 'string_domain');
  if (sd) return { kind: 'string', ...(textNamed(sd, 'name') !== undefined && { name: textNamed(sd, 'name') }), values: textsNamed(sd, 'value') };
  const ref = textNamed(f, 'domain');
  if (ref !== undefined) {
    const values = stringDomains.get(ref);
    if (values) return { kind: 'string', name: ref, values };
    diagnostics.warning('UNKNOWN_DOMAIN', `line ${line}: feature "${name}" refers to domain "${ref}", which the schema does not define`, { line, column: name });
    return { kind: 'other', name: ref };
  }
  const id = messageNamed(f, 'int_domain');
  if (id) {
    const min = numberNamed(id, 'min');
    const max = numberNamed(id, 'max');
    const cat = boolNamed(id, 'is_categorical');
    return { kind: 'int', ...(min !== undefined && { min }), ...(max !== undefined && { max }), ...(cat !== undefined && { isCategorical: cat }) };
  }
  const fd = messageNamed(f, 'float_domain');
  if (fd) {
    const min = numberNamed(fd, 'min');
    const max = numberNamed(fd, 'max');
    const disallowNan = boolNamed(fd, 'disallow_nan');
    const disallowInf = boolNamed(fd, 'disallow_inf');
    return {
      kind: 'float',
      ...(min !== undefined && { min }),
      ...(max !== undefined && { max }),
      ...(disallowNan !== undefined && { disallowNan }),
      ...(disallowInf !== undefined && { disallowInf }),
    };
  }
  const bd = messageNamed(f, 'bool_domain');
  if (bd) {
    const t = textNamed(bd, 'true_value');
    const fv = textNamed(bd, 'false_value');
    return { kind: 'bool', ...(t !== undefined && { trueValue: t }), ...(fv !== undefined && { falseValue: fv }) };
  }
  if (messageNamed(f, 'struct_domain')) return { kind: 'struct' };
  for (const other of ['image_domain', 'mid_domain', 'url_domain', 'time_domain', 'time_of_day_domain', 'natural_language_domain']) {
    if (messageNamed(f, other)) return { kind: 'other', name: other };
  }
  return undefined;
}

function readFeatures(parent: PbMessage, prefix: string, stringDomains: Map<string, string[]>, diagnostics: DiagnosticCollector, out: TfdvFeature[]): void {
  for (const f of messagesNamed(parent, 'feature')) {
    const rawName = textNamed(f, 'name');
    if (rawName === undefined) {
      diagnostics.warning('FEATURE_MISSING_NAME', `line ${f.line}: a feature without a name; ignored`, { line: f.line });
      continue;
    }
    const name = prefix ? `${prefix}.${rawName}` : rawName;
    const typeText = textNamed(f, 'type');
    let tfdvType: TfdvFeatureType = 'TYPE_UNKNOWN';
    if (typeText !== undefined && (TYPES as readonly string[]).includes(typeText)) tfdvType = typeText as TfdvFeatureType;
    else if (typeText !== undefined) diagnostics.warning('UNKNOWN_TYPE', `line ${f.line}: feature "${name}" has unknown type ${typeText}`, { line: f.line, column: name });
    const feature: TfdvFeature = { name, tfdvType, line: f.line };
    const domain = domainOf(f, stringDomains, name, diagnostics, f.line);
    if (domain) feature.domain = domain;
    const presence = messageNamed(f, 'presence');
    if (presence) {
      const minFraction = numberNamed(presence, 'min_fraction');
      const minCount = numberNamed(presence, 'min_count');
      feature.presence = { ...(minFraction !== undefined && { minFraction }), ...(minCount !== undefined && { minCount }) };
    }
    const vc = messageNamed(f, 'value_count');
    if (vc) {
      const min = numberNamed(vc, 'min');
      const max = numberNamed(vc, 'max');
      feature.valueCount = { ...(min !== undefined && { min }), ...(max !== undefined && { max }) };
    }
    const shape = messageNamed(f, 'shape');
    if (shape) feature.shape = messagesNamed(shape, 'dim').map((d) => numberNamed(d, 'size') ?? -1);
    const stage = textNamed(f, 'lifecycle_stage');
    if (boolNamed(f, 'deprecated') === true || (stage !== undefined && DEPRECATED_STAGES.has(stage))) feature.deprecated = true;
    const drift = comparator(messageNamed(f, 'drift_comparator'));
    if (drift) feature.driftComparator = drift;
    const skew = comparator(messageNamed(f, 'skew_comparator'));
    if (skew) feature.skewComparator = skew;
    const dc = messageNamed(f, 'distribution_constraints');
    if (dc) feature.minDomainMass = numberNamed(dc, 'min_domain_mass') ?? 1;
    out.push(feature);
    const struct = messageNamed(f, 'struct_domain');
    if (struct) readFeatures(struct, name, stringDomains, diagnostics, out);
  }
}

/** The schema in a parsed text-format message (a Schema, or Anomalies with a baseline). */
export function schemaFromMessage(root: PbMessage, filePath: string, diagnostics: DiagnosticCollector): TfdvFeature[] {
  let schema = root;
  const baseline = messageNamed(root, 'baseline');
  if (baseline && messagesNamed(root, 'feature').length === 0) {
    diagnostics.info('ANOMALIES_BASELINE', `${filePath} is an anomalies file; its baseline schema is used`);
    schema = baseline;
  }
  const stringDomains = new Map<string, string[]>();
  for (const sd of messagesNamed(schema, 'string_domain')) {
    const name = textNamed(sd, 'name');
    if (name !== undefined) stringDomains.set(name, textsNamed(sd, 'value'));
  }
  const features: TfdvFeature[] = [];
  readFeatures(schema, '', stringDomains, diagnostics, features);
  return features;
}

export function parseTfdvSchema(text: string, filePath: string, displayName = filePath): TfdvSchema {
  const diagnostics = new DiagnosticCollector(displayName, 50);
  const { message, errors } = parsePbtxt(text);
  for (const e of errors) {
    diagnostics.error('PBTXT_SYNTAX', `line ${e.line}, column ${e.column}: ${e.message}`, { line: e.line });
  }
  const features = schemaFromMessage(message, displayName, diagnostics);
  if (features.length === 0 && errors.length === 0) {
    diagnostics.error('NO_FEATURES', 'no `feature { … }` in the file: not a TFDV schema?');
  }
  return { path: filePath, features, diagnostics: diagnostics.toArray(), complete: errors.length === 0 && features.length > 0 };
}

export async function readTfdvSchema(filePath: string, displayName = filePath): Promise<TfdvSchema> {
  const fail = (code: string, message: string): TfdvSchema => {
    const d = new DiagnosticCollector(displayName);
    d.error(code, message);
    return { path: filePath, features: [], diagnostics: d.toArray(), complete: false };
  };
  let bytes: Buffer;
  try {
    const st = await fsp.stat(filePath);
    if (st.size === 0) return fail('EMPTY_FILE', 'the file is empty');
    if (st.size > MAX_SCHEMA_BYTES) return fail('SCHEMA_TOO_LARGE', `${st.size} bytes is far more than any schema; not a schema file?`);
    bytes = await fsp.readFile(filePath);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return fail(e.code === 'ENOENT' ? 'FILE_NOT_FOUND' : 'READ_ERROR', e.code === 'ENOENT' ? 'no such file' : `could not be read: ${e.message}`);
  }
  if (bytes.indexOf(0) >= 0) return fail('BINARY_FILE', `the file looks binary (a NUL byte at offset ${bytes.indexOf(0)}), not a text-format schema`);
  const schema = parseTfdvSchema(bytes.toString('utf8').replace(/^\uFEFF/, ''), filePath, displayName);
  if (!isUtf8(bytes)) {
    schema.diagnostics.unshift({ severity: 'warning', code: 'INVALID_UTF8', message: 'the file is not valid UTF-8; bad bytes were replaced with U+FFFD', file: displayName });
  }
  return schema;
}
