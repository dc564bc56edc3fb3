/**
 * The messages between the extension host and the two Compare webviews (the "Compare" side-bar
 * view and the Compare panel): one discriminated union on `type` per direction.
 *
 * Written with zod/mini as a namespace import, so the bundler keeps only what is used: the
 * webview bundle carries about 20 KB of zod instead of over 400 KB. Mini's object schemas never
 * compile parsers with `new Function` (which the webview CSP forbids); classic zod decides that
 * when an object schema is *defined*, and probing it trips the CSP. So the schemas are still made
 * by a function, not at module load: a webview calls `z.config({ jitless: true })` and then
 * `createCompareProtocol()`, an order that holds however imports are arranged and whatever API a
 * schema here is later written with. Each side calls it once and keeps the result.
 */
import * as z from 'zod/mini';
import type { ChartSeries, CompareRun, CompareSnapshot, MetricColumn, ParamRow } from '../compare/compareTypes';
import type { RunSlices } from '../slices';

/** Limits that keep a broken or hostile message from costing much. */
const MAX_RUNS = 5000;
const MAX_KEYS = 2000;
const MAX_TEXT = 2000;
const MAX_UID = 500;

export function createCompareProtocol() {
  const Text = z.string().check(z.maxLength(MAX_TEXT));
  const Uid = z.string().check(z.minLength(1), z.maxLength(MAX_UID));
  const list = <T extends z.ZodMiniType>(item: T, max: number) => z.array(item).check(z.maxLength(max));

  // ---- webview → host -------------------------------------------------------------------------
  const smoothing = z.object({ kind: z.enum(['none', 'ema', 'twema', 'gauss', 'avg']), amount: z.number() });
  const buckets = z.int().check(z.minimum(1), z.maximum(20_000));
  const webviewMessage = z.discriminatedUnion('type', [
    /** The page has loaded and listens: the host posts nothing before this. */
    z.object({ type: z.literal('ready') }),
    /** Compare exactly these runs (a run removed in the view, or the panel restored). */
    z.object({ type: z.literal('setRuns'), uids: list(Uid, MAX_RUNS) }),
    /** Let the user pick runs (a quick pick on the host). */
    z.object({ type: z.literal('pickRuns') }),
    /** Open the full Compare panel for the current runs. */
    z.object({ type: z.literal('openPanel') }),
    /** Show each metric's value at this step (null: none). */
    z.object({ type: z.literal('setAtStep'), step: z.nullable(z.number()) }),
    /**
     * The charts the page shows: send the series of these keys (those not sent yet, or all of them
     * again when the smoothing, the pixel columns or the need for wall times changed).
     */
    z.object({
      type: z.literal('requestSeries'),
      keys: list(Text, MAX_KEYS),
      buckets: z.optional(buckets),
      smoothing: z.optional(smoothing),
      withTimes: z.optional(z.boolean()),
    }),
    /** A zoomed chart: every point of these runs in these steps, up to `buckets` pixel columns. */
    z.object({
      type: z.literal('requestDetail'),
      key: Text,
      id: z.int(),
      buckets,
      ranges: list(z.object({ uid: Uid, from: z.number(), to: z.number() }), MAX_RUNS),
    }),
    /** The derived metrics (expressions over metric keys) every Compare panel shows. */
    z.object({ type: z.literal('setDerived'), expressions: list(Text, 100) }),
    /** Save the comparison table as CSV, or copy it as Markdown. */
    z.object({
      type: z.literal('export'),
      format: z.enum(['csv', 'markdown']),
      allParams: z.boolean(),
      metricKeys: z.optional(list(Text, MAX_KEYS)),
    }),
    /** Send the compared runs' metrics per slice (the Slices tab is shown), and again as they change. */
    z.object({ type: z.literal('requestSlices') }),
    /** Open VS Code's diff editor between the code of two runs (the host asks which when absent). */
    z.object({ type: z.literal('diffCode'), uids: z.optional(z.tuple([Uid, Uid])) }),
    /** Something went wrong in the page; the host writes it to the Output channel. */
    z.object({ type: z.literal('error'), message: Text }),
  ]);

  // ---- host → webview -------------------------------------------------------------------------
  const f64 = z.instanceof(Float64Array);
  const f32 = z.instanceof(Float32Array);
  const nullableText = z.nullable(z.string());
  const nullableNumber = z.nullable(z.number());
  const run: z.ZodMiniType<CompareRun> = z.object({
    uid: z.string(),
    name: z.string(),
    experiment: z.string(),
    status: z.enum(['running', 'finished', 'failed', 'killed', 'scheduled', 'unknown']),
    sourceKind: z.nullable(z.enum([
      'script', 'notebook', 'terminal', 'debug', 'task', 'client', 'cli',
      'mlflow', 'tensorboard', 'dvclive', 'lightning', 'keras', 'mlflow-server', 'tfma', 'optuna', 'keras-tuner', 'hydra',
    ])),
    sourcePath: nullableText,
    started: nullableNumber,
    ended: nullableNumber,
    gitCommit: nullableText,
    gitDirty: z.nullable(z.boolean()),
  });
  const paramRow: z.ZodMiniType<ParamRow> = z.object({
    key: z.string(),
    values: z.array(nullableText),
    numbers: z.array(nullableNumber),
    differs: z.boolean(),
  });
  const metricColumn: z.ZodMiniType<MetricColumn> = z.object({
    key: z.string(), derived: z.optional(z.boolean()), count: f64, last: f64, lastStep: f64, min: f64, max: f64, atStep: f64, atStepStep: f64,
  });
  const snapshot: z.ZodMiniType<CompareSnapshot> = z.object({
    runs: z.array(run),
    params: z.array(paramRow),
    metrics: z.array(metricColumn),
    atStep: nullableNumber,
    missing: z.array(z.string()),
  });
  const series: z.ZodMiniType<ChartSeries> = z.object({
    uid: z.string(), key: z.string(), steps: f32, values: f32, smoothed: z.nullable(f32), bucketStarts: z.instanceof(Uint32Array),
    timeBase: nullableNumber, times: z.nullable(f32), total: z.number(), nonFinite: z.number(),
  });

  const numbers = z.record(z.string(), z.number());
  const sliceKey = z.record(z.string(), z.string());
  const runSlices: z.ZodMiniType<RunSlices> = z.object({
    uid: z.string(),
    name: z.string(),
    overall: numbers,
    overallCount: nullableNumber,
    metrics: z.array(z.string()),
    slices: z.array(z.object({
      slice: sliceKey, label: z.string(), count: nullableNumber, values: numbers, gaps: numbers, flagged: z.array(z.string()),
    })),
    gapThreshold: z.number(),
    thresholds: z.array(z.object({
      metric: z.string(), slice: z.string(), lower: nullableNumber, upper: nullableNumber, value: nullableNumber, passed: z.nullable(z.boolean()),
    })),
    validation: z.nullable(z.object({
      passed: z.boolean(),
      failures: z.array(z.object({ slice: z.string(), metric: z.string(), message: z.string() })),
    })),
    blessed: z.nullable(z.boolean()),
  });

  const hostMessage = z.discriminatedUnion('type', [
    /** Everything about the compared runs except their points; `colors[i]` is run i's colour slot. */
    z.object({ type: z.literal('snapshot'), snapshot, colors: z.array(z.int().check(z.minimum(0))) }),
    /**
     * Metric points of `keys`, smoothed and reduced as described (`smoothing`, `buckets`, `withTimes`).
     * `replace`: the series sent before are out of date (another smoothing, or the page came back) and
     * are sent again, chart by chart, this message first; otherwise they add to or update the (run,
     * key) pairs they name: another chart scrolled into view, a run ticked or grown.
     */
    z.object({
      type: z.literal('series'), keys: z.array(z.string()), withTimes: z.boolean(), smoothing, buckets: z.int(), replace: z.boolean(), series: z.array(series),
    }),
    /** The points of a zoomed chart (`id` of its request), for the runs and steps it asked for. */
    z.object({ type: z.literal('detail'), key: z.string(), id: z.int(), series: z.array(series) }),
    /** A short message for the page to show (e.g. why nothing can be compared). */
    z.object({ type: z.literal('notice'), text: z.string() }),
    /** The compared runs' metrics per slice, in the order of the snapshot's runs (runs without slices included, empty). */
    z.object({ type: z.literal('slices'), runs: z.array(runSlices) }),
    /** Bring a tab of the panel to the front (e.g. "Show Slices" on a run). */
    z.object({ type: z.literal('showTab'), tab: z.enum(['curves', 'system', 'slices', 'parallel', 'scatter', 'table']) }),
  ]);

  return { webviewMessage, hostMessage };
}

export type CompareProtocol = ReturnType<typeof createCompareProtocol>;
export type CompareWebviewMessage = z.infer<CompareProtocol['webviewMessage']>;
export type CompareHostMessage = z.infer<CompareProtocol['hostMessage']>;
