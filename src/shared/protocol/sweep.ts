/**
 * The messages between the extension host and the Sweep panel: one discriminated union on `type`
 * per direction. The host sends a whole study (a snapshot, never a delta) and the curves of its
 * trials; the page sends what the user asks for. Made by a function, as the other protocols are,
 * so a page sets zod's jitless mode before any schema exists.
 */
import * as z from 'zod/mini';
import { STUDY_KINDS, TRIAL_STATES } from '../sweepTypes';

const MAX_TEXT = 2000;

/** One trial's curve, float32 as the Compare panel's series are (src/extension/compare/packSeries.ts). */
export interface TrialCurve {
  uid: string;
  steps: Float32Array;
  values: Float32Array;
}
const Uid = z.string().check(z.minLength(1), z.maxLength(500));
const Key = z.string().check(z.minLength(1), z.maxLength(1000));

export function createSweepProtocol() {
  const direction = z.enum(['minimize', 'maximize']);
  const choice = z.object({ name: Key, direction });

  // ---- webview → host -------------------------------------------------------------------------
  const webviewMessage = z.discriminatedUnion('type', [
    /** The page has loaded and listens: the host posts nothing before this. */
    z.object({ type: z.literal('ready') }),
    /** Use this metric as the study's objective (null: the one inferred), for a study that states none. */
    z.object({ type: z.literal('setObjective'), choice: z.nullable(choice) }),
    /** Show parameter importance for this objective (its index). */
    z.object({ type: z.literal('setImportanceObjective'), objective: z.int().check(z.minimum(0), z.maximum(100)) }),
    /** Tick or untick a trial for comparison: the Runs view's ticks. */
    z.object({ type: z.literal('setTicked'), uid: Uid, ticked: z.boolean() }),
    /** Open the Compare panel with the ticked runs. */
    z.object({ type: z.literal('compareTicked') }),
    /** Something went wrong in the page; the host writes it to the Output channel. */
    z.object({ type: z.literal('error'), message: z.string().check(z.maxLength(MAX_TEXT)) }),
  ]);

  // ---- host → webview -------------------------------------------------------------------------
  const f64: z.ZodMiniType<Float64Array> = z.instanceof(Float64Array);
  const f32 = z.instanceof(Float32Array);
  const counts = z.object(Object.fromEntries(TRIAL_STATES.map((s) => [s, z.number()])) as Record<(typeof TRIAL_STATES)[number], z.ZodMiniNumber>);
  const importance = z.union([
    z.object({ objective: z.number(), params: z.array(z.object({ name: z.string(), importance: z.number() })), trialsUsed: z.number() }),
    z.object({ objective: z.number(), reason: z.string() }),
  ]);
  const view = z.object({
    uid: z.string(),
    name: z.string(),
    kind: z.enum(STUDY_KINDS),
    path: z.string(),
    experiment: z.string(),
    tuner: z.nullable(z.string()),
    objectives: z.array(z.object({ name: z.string(), direction })),
    objectiveOrigin: z.enum(['stated', 'inferred', 'chosen', 'none']),
    /** The objective the user picked, if any. */
    choice: z.nullable(z.object({ name: z.string(), direction })),
    counts,
    /** The best trial, or the Pareto front (uids). */
    best: z.array(z.string()),
    trials: z.array(z.object({
      uid: z.string(), name: z.string(), number: z.number(), state: z.enum(TRIAL_STATES),
      bracket: z.nullable(z.number()), round: z.nullable(z.number()), continues: z.nullable(z.string()),
    })),
    /** Per objective, each trial's value in trial order (NaN where it has none). */
    values: z.array(f64),
    params: z.array(z.object({
      name: z.string(),
      kind: z.enum(['float', 'int', 'categorical']),
      log: z.boolean(),
      inferred: z.boolean(),
      /** Each trial's value in trial order: numbers, else text; null where the trial has none. */
      values: z.array(z.nullable(z.union([z.number(), z.string()]))),
    })),
    importance: z.nullable(importance),
    /** Metrics the trials logged: what an objective can be chosen from. */
    metricKeys: z.array(z.string()),
    /** The metric the curves are of (Optuna's intermediate values, else the objective), if any. */
    curveKey: z.nullable(z.string()),
  });
  const curve: z.ZodMiniType<TrialCurve> = z.object({ uid: z.string(), steps: f32, values: f32 });

  const hostMessage = z.discriminatedUnion('type', [
    z.object({ type: z.literal('study'), view }),
    /** Every trial's curve of `key`, down-sampled (min and max kept). */
    z.object({ type: z.literal('curves'), key: z.string(), curves: z.array(curve) }),
    /** The runs ticked for comparison. */
    z.object({ type: z.literal('ticked'), uids: z.array(z.string()) }),
    /** A short message for the page to show (e.g. the study is gone). */
    z.object({ type: z.literal('notice'), text: z.string() }),
  ]);

  return { webviewMessage, hostMessage };
}

export type SweepProtocol = ReturnType<typeof createSweepProtocol>;
export type SweepWebviewMessage = z.infer<SweepProtocol['webviewMessage']>;
export type SweepHostMessage = z.infer<SweepProtocol['hostMessage']>;
export type SweepView = Extract<SweepHostMessage, { type: 'study' }>['view'];
