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
import { z } from 'zod';
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
    z.object({ type: z.literal('error'), message: z.string().max(MAX_TEXT) }),
  ]);

  // ---- host → webview -------------------------------------------------------------------------
  const num = z.number();
  /** A number that JSON may have turned into null (NaN, ±Infinity). */
  const nnum = z.number().nullable();
  const severity = z.enum(SEVERITIES);
  const diagnostic = z.object({
    severity, code: z.string(), message: z.string(), file: z.string(),
    line: num.optional(), row: num.optional(), column: z.string().optional(), offset: num.optional(), occurrences: num.optional(),
  });
  const side = z.object({
    path: z.string(), kind: z.enum(['data', 'schema']), format: z.enum(DATASET_FORMATS), rowCount: num.optional(),
    columnCount: num, complete: z.boolean(), usable: z.boolean(), diagnostics: z.array(diagnostic),
  });
  const histogram = z.object({
    buckets: z.array(z.object({ low: nnum, high: nnum, count: num })), nan: num, negInfinity: num, posInfinity: num,
  });
  const stats = z.object({
    name: z.string(), index: num, type: z.enum(COLUMN_TYPES), dateFormat: z.string().optional(),
    kinds: z.partialRecord(z.enum(VALUE_KINDS), num),
    present: num, missing: num, missingFraction: num, distinct: z.object({ count: num, exact: z.boolean() }),
    numeric: z.object({
      count: num, min: nnum, max: nnum, mean: nnum, std: nnum, zeros: num, nan: num, infinite: num,
      quantiles: z.array(z.object({ q: num, value: nnum })), histogram, exact: z.boolean(),
    }).optional(),
    categorical: z.object({ topValues: z.array(z.object({ value: z.string(), count: num })), complete: z.boolean() }).optional(),
    dates: z.object({ min: z.string(), max: z.string(), formats: z.array(z.object({ format: z.string(), count: num })) }).optional(),
    declaredType: z.string().optional(),
  });
  const domain = z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('string'), name: z.string().optional(), values: z.array(z.string()) }),
    z.object({ kind: z.literal('int'), min: num.optional(), max: num.optional(), isCategorical: z.boolean().optional() }),
    z.object({ kind: z.literal('float'), min: nnum.optional(), max: nnum.optional(), disallowNan: z.boolean().optional(), disallowInf: z.boolean().optional() }),
    z.object({ kind: z.literal('bool'), trueValue: z.string().optional(), falseValue: z.string().optional() }),
    z.object({ kind: z.literal('struct') }),
    z.object({ kind: z.literal('other'), name: z.string() }),
  ]);
  const schemaFeature = z.object({
    tfdvType: z.enum(TFDV_FEATURE_TYPES), domain: domain.optional(),
    presence: z.object({ minFraction: num.optional(), minCount: num.optional() }).optional(),
    valueCount: z.object({ min: num.optional(), max: num.optional() }).optional(),
    shape: z.array(num).optional(), deprecated: z.boolean().optional(), line: num.optional(),
  });
  const columnSide = z.object({ name: z.string(), type: z.enum(COLUMN_TYPES), stats: stats.optional(), schema: schemaFeature.optional() });
  const shares = z.object({ label: z.string(), a: num, b: num });
  const drift = z.object({
    lInfinity: z.object({ value: num, threshold: num, maxValue: z.string(), approximate: z.boolean() }).optional(),
    jensenShannon: z.object({
      value: num, threshold: num, basis: z.enum(['histogram', 'categories']), approximate: z.boolean(),
      buckets: z.array(shares.extend({ low: nnum.optional(), high: nnum.optional() })),
    }).optional(),
    psi: z.object({ value: num, threshold: num, bins: z.array(shares), approximate: z.boolean() }).optional(),
  });
  const column = z.object({
    status: z.enum(['unchanged', 'changed', 'added', 'removed', 'renamed']),
    name: z.string(),
    a: columnSide.optional(),
    b: columnSide.optional(),
    rename: z.object({
      score: num, nameSimilarity: num, normalisedNameMatch: z.boolean(), statisticSimilarity: num, reasons: z.array(z.string()),
    }).optional(),
    drift: drift.optional(),
    worst: severity.optional(),
  });
  const finding = z.object({
    kind: z.enum([...TFDV_ANOMALY_KINDS, ...EXPTRACK_FINDING_KINDS]), severity, column: z.string().optional(), message: z.string(),
    measured: nnum.optional(), threshold: nnum.optional(), from: z.string().optional(), to: z.string().optional(),
    values: z.array(z.string()).optional(), moreValues: num.optional(),
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
      problemsFile: z.string().nullable(),
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
