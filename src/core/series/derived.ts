/**
 * The points of a derived metric: the expression evaluated at every step that each key it reads
 * was logged at (an inner join on the step; where a key has several points at one step, the last
 * of them counts). The time of a derived point is the latest of the times it was computed from.
 */
import { evaluateDerived, type DerivedExpression } from '../../shared/compare/derivedExpression';
import type { PointColumns } from '../store/seriesChunks';

/** `columns[i]` holds `expr.keys[i]`, in step order; points without a step cannot be aligned and are left out. */
export function derivePoints(expr: DerivedExpression, columns: readonly PointColumns[]): PointColumns {
  const k = columns.length;
  const at = new Array<number>(k).fill(0);
  const steps: number[] = [];
  const times: number[] = [];
  const values: number[] = [];
  const withTimes = columns.every((c) => c.times.length === c.values.length);
  const current = new Map<string, number>();
  for (;;) {
    // The highest next step of all keys is the first step they may all have.
    let target = -Infinity;
    for (let i = 0; i < k; i++) {
      const c = columns[i]!;
      if (at[i]! >= c.steps.length || Number.isNaN(c.steps[at[i]!]!)) return finish();
      target = Math.max(target, c.steps[at[i]!]!);
    }
    let all = true;
    let time = -Infinity;
    for (let i = 0; i < k; i++) {
      const c = columns[i]!;
      let j = at[i]!;
      while (j < c.steps.length && c.steps[j]! < target) j++;
      if (j >= c.steps.length || c.steps[j] !== target) {
        all = false;
        at[i] = j;
        continue;
      }
      while (j + 1 < c.steps.length && c.steps[j + 1] === target) j++;
      current.set(expr.keys[i]!, c.values[j]!);
      if (withTimes) time = Math.max(time, c.times[j]!);
      at[i] = j + 1;
    }
    if (!all) continue;
    steps.push(target);
    times.push(time === -Infinity ? NaN : time);
    values.push(evaluateDerived(expr.root, (key) => current.get(key)!));
  }

  function finish(): PointColumns {
    return { steps: Float64Array.from(steps), times: withTimes ? Float64Array.from(times) : new Float64Array(0), values: Float64Array.from(values) };
  }
}
