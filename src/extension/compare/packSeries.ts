import type { ChartSeries, MetricSeries } from '../../shared/compare/compareTypes';

/**
 * The series as the webviews receive them: float32, every array a view into one shared buffer
 * (VS Code transfers each distinct ArrayBuffer of a webview message separately, and hundreds of
 * small ones cost far more than one), wall times only when asked for, as offsets from the first.
 */
export function packSeries(series: readonly MetricSeries[], withTimes: boolean): ChartSeries[] {
  let total = 0;
  for (const s of series) total += s.values.length * (withTimes ? 3 : 2);
  const buffer = new Float32Array(total);
  let at = 0;
  const place = (a: ArrayLike<number>): Float32Array => {
    buffer.set(a, at);
    const view = buffer.subarray(at, at + a.length);
    at += a.length;
    return view;
  };
  return series.map((s) => {
    let timeBase: number | null = null;
    let times: Float32Array | null = null;
    if (withTimes) {
      timeBase = s.times.find((t) => Number.isFinite(t)) ?? null;
      const base = timeBase ?? 0;
      times = place(s.times.map((t) => t - base));
    }
    return { uid: s.uid, key: s.key, steps: place(s.steps), values: place(s.values), timeBase, times, total: s.total, nonFinite: s.nonFinite };
  });
}
