/**
 * Which smoothing a chart asks for, as the Compare panel, the protocol and the CLI write it
 * (`ema:0.6`, `twema:0.6`, `gauss:3`, `avg:10`). The smoothing itself runs in the store worker
 * over every point (src/core/series/smoothers.ts); this is only its name and its amount.
 */

export type SmoothingKind = 'none' | 'ema' | 'twema' | 'gauss' | 'avg';

export interface Smoothing {
  kind: SmoothingKind;
  /**
   * ema: TensorBoard's weight in [0, 1); twema: W&B's parameter in [0, 1); gauss: the standard
   * deviation in steps (> 0); avg: the window in steps (>= 1); none: 0.
   */
  amount: number;
}

export const NO_SMOOTHING: Smoothing = { kind: 'none', amount: 0 };

export const SMOOTHING_KINDS: readonly SmoothingKind[] = ['none', 'ema', 'twema', 'gauss', 'avg'];

export const SMOOTHING_LABELS: Record<SmoothingKind, string> = {
  none: 'None',
  ema: 'EMA (TensorBoard)',
  twema: 'Time-weighted EMA',
  gauss: 'Gaussian',
  avg: 'Running average',
};

/** The range of each kind's amount, and the amount a kind starts at. */
export const SMOOTHING_RANGES: Record<Exclude<SmoothingKind, 'none'>, { min: number; max: number; step: number; initial: number; unit: string }> = {
  ema: { min: 0, max: 0.999, step: 0.001, initial: 0.6, unit: 'weight' },
  twema: { min: 0, max: 0.999, step: 0.001, initial: 0.6, unit: 'weight' },
  gauss: { min: 0.1, max: 100_000, step: 0.1, initial: 3, unit: 'σ in steps' },
  avg: { min: 1, max: 1_000_000, step: 1, initial: 10, unit: 'window in steps' },
};

/** Why the spec is not a smoothing, or null. */
export function smoothingProblem(s: Smoothing): string | null {
  if (s.kind === 'none') return null;
  const range = SMOOTHING_RANGES[s.kind];
  if (!Number.isFinite(s.amount) || s.amount < range.min || s.amount > range.max) {
    return `${s.kind} takes a ${range.unit} from ${range.min} to ${range.max}, not ${s.amount}`;
  }
  if (s.kind === 'avg' && !Number.isInteger(s.amount)) return `avg takes a whole number of steps, not ${s.amount}`;
  return null;
}

/** A smoothing that does nothing is none: ema or twema of weight 0, a running average of one step. */
export function normalizeSmoothing(s: Smoothing): Smoothing {
  if (s.kind === 'none' || ((s.kind === 'ema' || s.kind === 'twema') && s.amount === 0) || (s.kind === 'avg' && s.amount === 1)) return NO_SMOOTHING;
  return s;
}

/** `ema:0.6` → { kind: 'ema', amount: 0.6 }; `none` and `0` → none. Throws with the reason. */
export function parseSmoothing(text: string): Smoothing {
  const t = text.trim().toLowerCase();
  if (t === 'none' || t === 'off' || t === '0' || t === '') return NO_SMOOTHING;
  const m = /^(ema|twema|gauss|avg):(.+)$/.exec(t);
  if (!m) throw new Error(`smoothing "${text}" is not one of none, ema:W, twema:W, gauss:SIGMA, avg:WINDOW`);
  const spec: Smoothing = { kind: m[1] as SmoothingKind, amount: Number(m[2]) };
  const problem = smoothingProblem(spec);
  if (problem) throw new Error(problem);
  return normalizeSmoothing(spec);
}

export function formatSmoothing(s: Smoothing): string {
  return s.kind === 'none' ? 'none' : `${s.kind}:${s.amount}`;
}
