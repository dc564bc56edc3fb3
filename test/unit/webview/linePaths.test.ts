// The kept Path2D of each chart line: the pixels it maps to, its breaks, and when it is rebuilt.
// Node has no canvas: a path that records its segments stands in for Path2D (the real one is drawn
// by the charts UI test, whose point counts and spike checks go through this code).
import * as assert from 'assert';
import { LinePaths, type PathSink } from '../../../webview/compare/curves/linePaths';
import { plotScale } from '../../../webview/compare/curves/plotScale';

type Segment = ['M' | 'L', number, number];

class RecordingPath implements PathSink<RecordingPath> {
  static built = 0;
  readonly segments: Segment[] = [];
  constructor() {
    RecordingPath.built++;
  }
  moveTo(x: number, y: number): void {
    this.segments.push(['M', x, y]);
  }
  lineTo(x: number, y: number): void {
    this.segments.push(['L', x, y]);
  }
  addPath(path: RecordingPath, m: { a: number; d: number; e: number; f: number }): void {
    for (const [c, x, y] of path.segments) this.segments.push([c, m.a * x + m.e, m.d * y + m.f]);
  }
}

describe('LinePaths', () => {
  const close = (actual: Segment[], expected: Segment[]) => {
    assert.strictEqual(actual.length, expected.length, JSON.stringify(actual));
    actual.forEach(([c, x, y], i) => {
      const [ec, ex, ey] = expected[i]!;
      assert.strictEqual(c, ec, `segment ${i}`);
      assert.ok(Math.abs(x - ex) < 1e-6 && Math.abs(y - ey) < 1e-6, `segment ${i}: ${x},${y} for ${ex},${ey}`);
    });
  };

  it('places the points where the scales put them, breaking the line where a point has no x or value', () => {
    const x = plotScale(0, 4, 10, 110, false);
    const y = plotScale(0, 2, 100, 0, false);
    const xs = Float64Array.from([0, 1, 2, NaN, 3, 4]);
    const ys = Float32Array.from([0, 1, NaN, 1, 2, 0]);
    const { path, placed } = new LinePaths(() => new RecordingPath()).pixelPath(xs, ys, 0, xs.length, x, y);
    assert.strictEqual(placed, 4);
    const pixel = (i: number): [number, number] => [x.pixel(xs[i]!), y.pixel(ys[i]!)];
    close(path.segments, [['M', ...pixel(0)], ['L', ...pixel(1)], ['M', ...pixel(4)], ['L', ...pixel(5)]]);
  });

  it('leaves out values a log axis cannot show, and keeps epoch-second x exact', () => {
    const t0 = 1_733_000_000;
    const x = plotScale(t0, t0 + 30, 0, 300, false);
    const y = plotScale(0.01, 100, 200, 0, true);
    const xs = Float64Array.from([t0, t0 + 10, t0 + 20, t0 + 30]);
    const ys = Float32Array.from([1, 0, 10, 100]);
    const { path, placed } = new LinePaths(() => new RecordingPath()).pixelPath(xs, ys, 0, 4, x, y);
    assert.strictEqual(placed, 3);
    close(path.segments, [['M', 0, y.pixel(1)], ['M', 200, y.pixel(10)], ['L', 300, y.pixel(100)]]);
  });

  it('strokes the kept path again for the same scales, maps it anew for others, and rebuilds it for another span', () => {
    const paths = new LinePaths(() => new RecordingPath());
    const xs = Float64Array.from({ length: 100 }, (_, i) => i);
    const ys = Float32Array.from({ length: 100 }, (_, i) => Math.sin(i / 10));
    const x = plotScale(0, 99, 0, 500, false);
    const first = paths.pixelPath(xs, ys, 0, 100, x, plotScale(-1, 1, 200, 0, false)).path;
    RecordingPath.built = 0;
    assert.strictEqual(paths.pixelPath(xs, ys, 0, 100, x, plotScale(-1, 1, 200, 0, false)).path, first, 'same scales: the same path');
    assert.strictEqual(RecordingPath.built, 0);
    const taller = paths.pixelPath(xs, ys, 0, 100, x, plotScale(-2, 2, 200, 0, false));
    assert.strictEqual(RecordingPath.built, 1, 'other scales: only the mapping is new');
    assert.strictEqual(taller.path.segments[50]![2], plotScale(-2, 2, 200, 0, false).pixel(ys[50]!));
    const part = paths.pixelPath(xs, ys, 10, 20, x, plotScale(-2, 2, 200, 0, false));
    assert.strictEqual(part.placed, 10);
    assert.strictEqual(RecordingPath.built, 3, 'another span: the line is built again');
  });
});
