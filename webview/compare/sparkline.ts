/** A small curve per run of one metric, overlaid: the side bar's glance at the shape of training. */
import { svg } from '../common/dom';

export interface SparkSeries {
  color: string;
  steps: ArrayLike<number>;
  values: ArrayLike<number>;
}

const WIDTH = 200;
const HEIGHT = 40;

export function sparkline(series: readonly SparkSeries[], label: string): SVGSVGElement {
  const root = svg('svg', { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, preserveAspectRatio: 'none', class: 'sparkline', role: 'img' });
  root.setAttribute('aria-label', label);
  let x0 = Infinity;
  let x1 = -Infinity;
  let y0 = Infinity;
  let y1 = -Infinity;
  for (const s of series) {
    for (let i = 0; i < s.steps.length; i++) {
      const x = s.steps[i]!;
      const y = s.values[i]!;
      if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
      x0 = Math.min(x0, x);
      x1 = Math.max(x1, x);
      y0 = Math.min(y0, y);
      y1 = Math.max(y1, y);
    }
  }
  if (x0 > x1) return root;
  const sx = x1 > x0 ? WIDTH / (x1 - x0) : 0;
  const sy = y1 > y0 ? (HEIGHT - 4) / (y1 - y0) : 0;
  for (const s of series) {
    const points: string[] = [];
    for (let i = 0; i < s.steps.length; i++) {
      const x = s.steps[i]!;
      const y = s.values[i]!;
      if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
      const px = sx ? (x - x0) * sx : WIDTH / 2;
      const py = sy ? HEIGHT - 2 - (y - y0) * sy : HEIGHT / 2;
      points.push(`${px.toFixed(1)},${py.toFixed(1)}`);
    }
    if (points.length === 1) points.push(points[0]!.replace(/^[\d.]+/, (v) => String(Number(v) + 1)));
    const line = svg('polyline', { points: points.join(' '), fill: 'none', stroke: s.color, class: 'spark-line' });
    root.appendChild(line);
  }
  return root;
}
