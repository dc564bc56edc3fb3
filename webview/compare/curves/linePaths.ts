/**
 * Each line's Path2D, built once from its points and kept while they stay the same: a redraw with
 * the same axes (a legend toggle that leaves the extremes) strokes the kept paths, and one with
 * other axes (another y range, a resize) maps them onto the pixels natively, instead of placing
 * every point of every run again from script. With 500 runs that is a thousand calls per chart
 * instead of a million.
 *
 * Paths are kept in data units relative to their first point (Path2D holds 32-bit floats: epoch
 * seconds would lose their seconds), with log10 of the values on a log axis.
 */
import type { PlotScale } from './plotScale';

/** What of a Path2D this uses (the page passes the canvas's own; tests one that records). */
export interface PathSink<P> {
  moveTo(x: number, y: number): void;
  lineTo(x: number, y: number): void;
  /** Appends `path` mapped by the matrix (a, b, c, d, e, f) as in a canvas transform. */
  addPath(path: P, transform: { a: number; b: number; c: number; d: number; e: number; f: number }): void;
}

interface LinePath<P> {
  xs: Float64Array;
  log: boolean;
  from: number;
  to: number;
  path: P;
  /** The data point the path is relative to. */
  x0: number;
  y0: number;
  /** Points placed (those with an x and a value the axis can show). */
  placed: number;
  /** The path in pixels for the last scales it was drawn with (ax, bx, ay, by). */
  pixels?: { scales: number[]; path: P };
}

export class LinePaths<P extends PathSink<P>> {
  /** By the line's values: each line keeps the path of its last span and axis. */
  private readonly paths = new WeakMap<Float32Array, LinePath<P>>();

  constructor(private readonly newPath: () => P) {}

  /**
   * The line through points `[from, to)` in pixels of these scales, broken where a point cannot be
   * placed, and how many points it places.
   */
  pixelPath(xs: Float64Array, ys: Float32Array, from: number, to: number, x: PlotScale, y: PlotScale): { path: P; placed: number } {
    const line = this.line(xs, ys, from, to, y.log);
    const scales = [...x.affine(), ...y.affine()];
    if (!line.pixels || line.pixels.scales.some((v, i) => v !== scales[i])) {
      const [ax, bx, ay, by] = scales as [number, number, number, number];
      const path = this.newPath();
      path.addPath(line.path, { a: bx, b: 0, c: 0, d: by, e: ax + line.x0 * bx, f: ay + line.y0 * by });
      line.pixels = { scales, path };
    }
    return { path: line.pixels.path, placed: line.placed };
  }

  private line(xs: Float64Array, ys: Float32Array, from: number, to: number, log: boolean): LinePath<P> {
    const kept = this.paths.get(ys);
    if (kept && kept.xs === xs && kept.log === log && kept.from === from && kept.to === to) return kept;
    const path = this.newPath();
    let x0 = NaN;
    let y0 = NaN;
    let placed = 0;
    let down = false;
    for (let i = from; i < to; i++) {
      const x = xs[i]!;
      const v = ys[i]!;
      if (Number.isNaN(x) || !Number.isFinite(v) || (log && v <= 0)) {
        down = false;
        continue;
      }
      const t = log ? Math.log10(v) : v;
      if (placed === 0) {
        x0 = x;
        y0 = t;
      }
      if (down) path.lineTo(x - x0, t - y0);
      else path.moveTo(x - x0, t - y0);
      down = true;
      placed++;
    }
    const line: LinePath<P> = { xs, log, from, to, path, x0: placed ? x0 : 0, y0: placed ? y0 : 0, placed };
    this.paths.set(ys, line);
    return line;
  }
}
