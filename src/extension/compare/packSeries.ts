import type { ChartSeries, CompareSnapshot, MetricColumn, MetricSeries } from '../../shared/compare/compareTypes';

/**
 * The series as the webviews receive them: float32, every array a view into one of two shared
 * buffers (VS Code transfers each distinct ArrayBuffer of a webview message separately, and
 * hundreds of small ones cost far more than one), wall times only when asked for, as offsets from the first.
 */
export function packSeries(series: readonly MetricSeries[], withTimes: boolean): ChartSeries[] {
  let floats = 0;
  let starts = 0;
  for (const s of series) {
    floats += s.values.length * (2 + (withTimes ? 1 : 0) + (s.smoothed ? 1 : 0));
    starts += s.bucketStarts.length;
  }
  const f32 = new Float32Array(floats);
  const u32 = new Uint32Array(starts);
  let at = 0;
  let startsAt = 0;
  const place = (a: ArrayLike<number>): Float32Array => {
    f32.set(a, at);
    const view = f32.subarray(at, at + a.length);
    at += a.length;
    return view;
  };
  return series.map((s) => {
    let timeBase: number | null = null;
    let times: Float32Array | null = null;
    if (withTimes) {
      timeBase = s.times.find((t) => Number.isFinite(t)) ?? null;
      const base = timeBase ?? 0;
      times = place(s.times.length === s.values.length ? s.times.map((t) => t - base) : new Float64Array(s.values.length).fill(NaN));
    }
    u32.set(s.bucketStarts, startsAt);
    const bucketStarts = u32.subarray(startsAt, startsAt + s.bucketStarts.length);
    startsAt += s.bucketStarts.length;
    return {
      uid: s.uid, key: s.key, steps: place(s.steps), values: place(s.values), smoothed: s.smoothed ? place(s.smoothed) : null, bucketStarts,
      timeBase, times, total: s.total, nonFinite: s.nonFinite,
    };
  });
}

/** The snapshot with every metric column a view into one shared buffer, for the same reason. */
export function packSnapshot(snapshot: CompareSnapshot): CompareSnapshot {
  const fields = ['count', 'last', 'lastStep', 'min', 'max', 'atStep', 'atStepStep'] as const;
  const n = snapshot.runs.length;
  const all = new Float64Array(snapshot.metrics.length * fields.length * n);
  let at = 0;
  const metrics = snapshot.metrics.map((m): MetricColumn => {
    const packed: MetricColumn = { ...m };
    for (const f of fields) {
      all.set(m[f].subarray(0, n), at);
      packed[f] = all.subarray(at, at + n);
      at += n;
    }
    return packed;
  });
  return { ...snapshot, metrics };
}
