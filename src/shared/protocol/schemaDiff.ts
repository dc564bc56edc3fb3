/**
 * The messages between the extension host and the Schema Diff panel: one discriminated union on
 * `type` per direction.
 *
 * Made by a function for the same reason as the other protocols: the webview calls
 * `z.config({ jitless: true })` before `createSchemaDiffProtocol()` so zod never probes
 * `new Function` under the CSP; the host calls it without the config.
 *
 * The diff travels as JSON, which has no NaN or Infinity: statistics without a value (the mean of
 * a column with no number) arrive as null, so the wire type below says `number | null` there.
 */
import * as z from 'zod/mini';
import {
  COLUMN_TYPES, DATASET_FORMATS, EXPTRACK_FINDING_KINDS, SEVERITIES, TFDV_ANOMALY_KINDS, TFDV_FEATURE_TYPES, VALUE_KINDS,
} from '../schemaDiff';

const MAX_TEXT = 2000;

export function createSchemaDiffProtocol() {
  // ---- webview → host -------------------------------------------------------------------------
  const webviewMessage = z.discriminatedUnion('type', [
    /** The page has loaded and listens: the host posts nothing before this. */
    z.object({ type: z.literal('ready') }),
    /** Save the diff as a Markdown report or as JSON. */
    z.object({ type: z.literal('export'), format: z.enum(['markdown', 'json']) }),
    /** Open one side's file in an editor. */
    z.object({ type: z.literal('openSide'), side: z.enum(['a', 'b']) }),
    /** Read both sides again (the files may have changed, or the thresholds). */
    z.object({ type: z.literal('rerun') }),
    /** Something went wrong in the page; the host writes it to the Output channel. */
    z.object({ type: z.literal('error'), message: z.string().check(z.maxLength(MAX_TEXT)) }),
  ]);

  // ---- host → webview -------------------------------------------------------------------------
  const num = z.number();
  /** A number that JSON may have turned into null (NaN, ±Infinity). */
  const nnum = z.nullable(z.number());
  const severity = z.enum(SEVERITIES);
  const diagnostic = z.object({
    severity, code: z.string(), message: z.string(), file: z.string(),
    line: z.optional(num), row: z.optional(num), column: z.optional(z.string()), offset: z.optional(num), occurrences: z.optional(num),
  });
  const side = z.object({
    path: z.string(), kind: z.enum(['data', 'schema']), format: z.enum(DATASET_FORMATS), rowCount: z.optional(num),
    columnCount: num, complete: z.boolean(), usable: z.boolean(), diagnostics: z.array(diagnostic),
  });
  const histogram = z.object({
    buckets: z.array(z.object({ low: nnum, high: nnum, count: num })), nan: num, negInfinity: num, posInfinity: num,
  });
  const stats = z.object({
    name: z.string(), index: num, type: z.enum(COLUMN_TYPES), dateFormat: z.optional(z.string()),
    kinds: z.partialRecord(z.enum(VALUE_KINDS), num),
    present: num, missing: num, missingFraction: num, distinct: z.object({ count: num, exact: z.boolean() }),
    numeric: z.optional(z.object({
      count: num, min: nnum, max: nnum, mean: nnum, std: nnum, zeros: num, nan: num, infinite: num,
      quantiles: z.array(z.object({ q: num, value: nnum })), histogram, exact: z.boolean(),
    })),
    categorical: z.optional(z.object({ topValues: z.array(z.object({ value: z.string(), count: num })), complete: z.boolean() })),
    dates: z.optional(z.object({ min: z.string(), max: z.string(), formats: z.array(z.object({ format: z.string(), count: num })) })),
    declaredType: z.optional(z.string()),
  });
  const domain = z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('string'), name: z.optional(z.string()), values: z.array(z.string()) }),
    z.object({ kind: z.literal('int'), min: z.optional(num), max: z.optional(num), isCategorical: z.optional(z.boolean()) }),
    z.object({ kind: z.literal('float'), min: z.optional(nnum), max: z.optional(nnum), disallowNan: z.optional(z.boolean()), disallowInf: z.optional(z.boolean()) }),
    z.object({ kind: z.literal('bool'), trueValue: z.optional(z.string()), falseValue: z.optional(z.string()) }),
    z.object({ kind: z.literal('struct') }),
    z.object({ kind: z.literal('other'), name: z.string() }),
  ]);
  const schemaFeature = z.object({
    tfdvType: z.enum(TFDV_FEATURE_TYPES), domain: z.optional(domain),
    presence: z.optional(z.object({ minFraction: z.optional(num), minCount: z.optional(num) })),
    valueCount: z.optional(z.object({ min: z.optional(num), max: z.optional(num) })),
    shape: z.optional(z.array(num)), deprecated: z.optional(z.boolean()), line: z.optional(num),
  });
  const columnSide = z.object({ name: z.string(), type: z.enum(COLUMN_TYPES), stats: z.optional(stats), schema: z.optional(schemaFeature) });
  const shares = z.object({ label: z.string(), a: num, b: num });
  const drift = z.object({
    lInfinity: z.optional(z.object({ value: num, threshold: num, maxValue: z.string(), approximate: z.boolean() })),
    jensenShannon: z.optional(z.object({
      value: num, threshold: num, basis: z.enum(['histogram', 'categories']), approximate: z.boolean(),
      buckets: z.array(z.extend(shares, { low: z.optional(nnum), high: z.optional(nnum) })),
    })),
    psi: z.optional(z.object({ value: num, threshold: num, bins: z.array(shares), approximate: z.boolean() })),
  });
  const column = z.object({
    status: z.enum(['unchanged', 'changed', 'added', 'removed', 'renamed']),
    name: z.string(),
    a: z.optional(columnSide),
    b: z.optional(columnSide),
    rename: z.optional(z.object({
      score: num, nameSimilarity: num, normalisedNameMatch: z.boolean(), statisticSimilarity: num, reasons: z.array(z.string()),
    })),
    drift: z.optional(drift),
    worst: z.optional(severity),
  });
  const finding = z.object({
    kind: z.enum([...TFDV_ANOMALY_KINDS, ...EXPTRACK_FINDING_KINDS]), severity, column: z.optional(z.string()), message: z.string(),
    measured: z.optional(nnum), threshold: z.optional(nnum), from: z.optional(z.string()), to: z.optional(z.string()),
    values: z.optional(z.array(z.string())), moreValues: z.optional(num),
  });
  const diff = z.object({
    version: z.literal(1),
    mode: z.enum(['data-data', 'data-schema', 'schema-schema']),
    a: side,
    b: side,
    columns: z.array(column),
    findings: z.array(finding),
    counts: z.object({ error: num, warning: num, info: num }),
    thresholds: z.record(z.string(), num),
  });
  /** How the panel names a side: what it is, and where it comes from (a revision, a run). */
  const sideLabel = z.object({ title: z.string(), detail: z.string(), canOpen: z.boolean() });

  const hostMessage = z.discriminatedUnion('type', [
    /** The diff and how to name its sides (a snapshot, never a delta). */
    z.object({
      type: z.literal('diff'),
      diff,
      labels: z.object({ a: sideLabel, b: sideLabel }),
      /** Where the findings were put in the Problems panel, if they were. */
      problemsFile: z.nullable(z.string()),
      /** Notes about how the sides were found (e.g. a version read from git). */
      notes: z.array(z.string()),
    }),
    /** A diff is being read (empty text: no longer); the page keeps showing the last one meanwhile. */
    z.object({ type: z.literal('busy'), text: z.string() }),
  ]);

  return { webviewMessage, hostMessage };
}

export type SchemaDiffProtocol = ReturnType<typeof createSchemaDiffProtocol>;
export type SchemaDiffWebviewMessage = z.infer<SchemaDiffProtocol['webviewMessage']>;
export type SchemaDiffHostMessage = z.infer<SchemaDiffProtocol['hostMessage']>;
export type SchemaDiffDiffMessage = Extract<SchemaDiffHostMessage, { type: 'diff' }>;
/** The diff as the panel receives it. */
export type SchemaDiffWire = SchemaDiffDiffMessage['diff'];
export type SideLabel = SchemaDiffDiffMessage['labels']['a'];
