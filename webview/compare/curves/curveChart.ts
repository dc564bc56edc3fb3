/**
 * One metric's curves for every compared run, overlaid, drawn on a canvas in one pass: grid and
 * ticks, then per run the min/max band, the faint raw line and the smoothed line (all computed by
 * the store worker; this only places points). A second canvas on top holds what changes with the
 * pointer — the highlighted run, the zoom box — so hovering never redraws the curves.
 *
 * Drag to zoom (a box), Shift+drag to pan, Ctrl+wheel to zoom x, double-click or 0 to reset;
 * + and − zoom, arrow keys pan. A zoomed chart asks for the points of its range (onDetail), which
 * the worker sends at full resolution up to one pixel column's worth of points per column.
 */
import type { ChartSeries, XAxisMode } from '../../../src/shared/compare/compareTypes';
import { h } from '../../common/dom';
import { chartTheme, cssVar, withAlpha, type ChartTheme } from '../../common/theme';
import { formatX, formatY, X_AXIS_LABELS } from '../axisFormat';
import { LinePointsCache, lowerBound, yExtent, type CurveRun, type LinePoints } from './curveData';
import { LinePaths } from './linePaths';
import { padded, plotScale, type PlotScale } from './plotScale';

export interface CurveView {
  xMode: XAxisMode;
  logY: boolean;
  /** The faint raw line behind a smoothed one. */
  showRaw: boolean;
  /** The band between each pixel column's lowest and highest raw value. */
  band: boolean;
  hidden: ReadonlySet<string>;
}

export interface DetailRange {
  uid: string;
  from: number;
  to: number;
}

export interface CurveCallbacks {
  onHover(uid: string | null): void;
  /** The chart was zoomed (or reset): the points of these step ranges are wanted, null when not zoomed. */
  onDetail(chart: CurveChart, ranges: DetailRange[] | null, buckets: number): void;
  /** The chart wants drawing (the owner draws visible charts a few per frame). */
  onDirty(chart: CurveChart): void;
}

/** How close (in pixels) the pointer must be to a line to pick its run. */
const HOVER_RADIUS = 24;
/** How long a zoom must rest before its points are asked for. */
const DETAIL_DELAY_MS = 150;
const MARGIN = { top: 8, right: 12, bottom: 34 };

interface Layout {
  left: number;
  top: number;
  right: number;
  bottom: number;
  x: PlotScale;
  y: PlotScale;
}

interface Drawn {
  run: CurveRun;
  points: LinePoints;
  /** The line hover follows: smoothed when there is one. */
  line: Float32Array;
}

export class CurveChart {
  readonly element: HTMLElement;
  private readonly body: HTMLElement;
  private readonly tooltip: HTMLElement;
  private readonly status: HTMLElement;
  private base: HTMLCanvasElement | undefined;
  private overlay: HTMLCanvasElement | undefined;
  private runs: CurveRun[] = [];
  private view: CurveView;
  private readonly pointsCache = new LinePointsCache();
  private readonly linePaths = new LinePaths(() => new Path2D());
  private zoomX: [number, number] | null = null;
  private zoomY: [number, number] | null = null;
  /** Detail of the zoomed range: by run, with the x range it covers. */
  private detail = new Map<string, ChartSeries>();
  private detailRange: [number, number] | null = null;
  private detailId = 0;
  private detailTimer = 0;
  /** The x range of the detail asked for last. */
  private pendingRange: [number, number] | null = null;
  private highlighted: string | null = null;
  private layout: Layout | undefined;
  private drawn: Drawn[] = [];
  /** The lowest and highest value drawn in view (what the y axis spans, before its margin). */
  private valueRange: [number, number] = [Infinity, -Infinity];
  private dirty = true;
  private pointer: { x: number; y: number } | undefined;
  private drag: { x: number; y: number; pan: boolean; zoomX: [number, number]; zoomY: [number, number] | null } | undefined;
  private box: { x0: number; y0: number; x1: number; y1: number } | undefined;
  private hoverFrame = 0;
  private width = 0;
  private height = 0;
  /** In view (or near it): only visible charts draw. */
  visible = false;

  constructor(readonly key: string, view: CurveView, private readonly callbacks: CurveCallbacks, private readonly nextDetailId: () => number) {
    this.view = view;
    this.tooltip = h('div', { class: 'chart-tooltip', attrs: { role: 'status' } });
    this.tooltip.hidden = true;
    this.status = h('span', { class: 'chart-status muted' });
    const reset = h('button', {
      class: 'icon-button', title: 'Reset zoom', attrs: { 'aria-label': `Reset zoom of ${key}` },
      on: { click: () => this.resetZoom() },
    }, h('span', { class: 'codicon codicon-screen-normal', attrs: { 'aria-hidden': 'true' } }));
    this.body = h('div', { class: 'chart-body' }, this.tooltip);
    this.element = h('figure', { class: 'chart-card', attrs: { 'data-key': key } },
      h('figcaption', { class: 'chart-head' }, h('span', { class: 'chart-title ellipsis', text: key, title: key }), this.status, reset),
      this.body);
  }

  /** New lines (a snapshot, series that arrived, a run that grew); drawn when next visible. */
  setRuns(runs: CurveRun[]): void {
    this.runs = runs;
    const uids = new Set(runs.map((r) => r.uid));
    for (const uid of [...this.detail.keys()]) if (!uids.has(uid)) this.detail.delete(uid);
    this.invalidate();
    if (this.zoomX) this.scheduleDetail();
  }

  setView(view: CurveView): void {
    const axisChanged = view.xMode !== this.view.xMode || view.logY !== this.view.logY;
    this.view = view;
    if (axisChanged) this.clearZoom();
    this.invalidate();
  }

  /** Emphasises one run (null: none); only the top canvas is redrawn. */
  setHighlight(uid: string | null): void {
    if (uid === this.highlighted) return;
    this.highlighted = uid;
    this.drawOverlay();
  }

  /** The points of a zoomed range arrived (ignored when the chart has moved on since). */
  setDetail(id: number, series: readonly ChartSeries[]): void {
    if (id !== this.detailId || !this.zoomX) return;
    this.detail = new Map(series.map((s) => [s.uid, s]));
    this.detailRange = this.pendingRange;
    delete this.element.dataset.detail;
    this.invalidate();
  }

  resetZoom(): void {
    if (!this.zoomX && !this.zoomY) return;
    this.clearZoom();
    this.callbacks.onDetail(this, null, 0);
    this.invalidate();
  }

  get isZoomed(): boolean {
    return this.zoomX !== null;
  }

  /** Re-reads the theme's colours. */
  applyTheme(): void {
    this.invalidate();
  }

  destroy(): void {
    cancelAnimationFrame(this.hoverFrame);
    clearTimeout(this.detailTimer);
  }

  invalidate(): void {
    this.dirty = true;
    if (this.visible) this.callbacks.onDirty(this);
  }

  get needsDrawing(): boolean {
    return this.dirty && this.visible;
  }

  /** Plot width in pixels (0 before the first layout): how many columns the worker should reduce to. */
  get plotWidth(): number {
    return this.layout ? Math.round(this.layout.right - this.layout.left) : 0;
  }

  // ---- drawing --------------------------------------------------------------------------------

  /** One pass: axes, then every visible run's band, raw and smoothed line. */
  draw(): void {
    this.dirty = false;
    this.ensureCanvases();
    const canvas = this.base!;
    const width = this.body.clientWidth;
    const height = this.body.clientHeight;
    if (width === 0 || height === 0) return;
    const ratio = window.devicePixelRatio || 1;
    if (width !== this.width || height !== this.height) {
      this.width = width;
      this.height = height;
      for (const c of [canvas, this.overlay!]) {
        c.width = Math.round(width * ratio);
        c.height = Math.round(height * ratio);
        c.style.width = `${width}px`;
        c.style.height = `${height}px`;
      }
    }
    const ctx = canvas.getContext('2d')!;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, width, height);
    const theme = chartTheme();
    const drawn = this.linesToDraw();
    this.drawn = drawn;
    const layout = this.computeLayout(ctx, theme, drawn, width, height);
    this.layout = layout;
    this.drawAxes(ctx, theme, layout);

    ctx.save();
    ctx.beginPath();
    ctx.rect(layout.left, layout.top, layout.right - layout.left, layout.bottom - layout.top);
    ctx.clip();
    let points = 0;
    const many = drawn.length > 50;
    // Round joins cost the most to stroke; hundreds of thin overlaid lines look the same with bevels.
    ctx.lineJoin = many ? 'bevel' : 'round';
    for (const d of drawn) {
      const { run, points: p } = d;
      if (this.view.band) this.fillBand(ctx, layout, p, withAlpha(run.color, 0.15));
      if (p.smoothed && this.view.showRaw) this.strokeLine(ctx, layout, p.xs, p.values, withAlpha(run.color, many ? 0.12 : 0.25), 1);
      points += this.strokeLine(ctx, layout, p.xs, d.line, withAlpha(run.color, 1), many ? 1 : 1.5);
    }
    ctx.restore();

    const visible = drawn.length;
    this.status.textContent = `${visible} run${visible === 1 ? '' : 's'}${this.zoomX ? ' · zoomed' : ''}`;
    this.canvasLabel(visible, points);
    this.element.dataset.rendered = String(visible);
    this.element.dataset.view = `${layout.x.min}..${layout.x.max}`;
    // 'true': the points of the current zoom are drawn; 'pending': they are asked for.
    if (this.element.dataset.detail !== 'pending' || !this.zoomX) this.element.dataset.detail = this.zoomX && this.detailRange ? 'true' : 'false';
    this.drawOverlay();
  }

  private canvasLabel(runs: number, points: number): void {
    const [lo, hi] = this.valueRange;
    const values = lo <= hi ? `, values from ${formatY(lo)} to ${formatY(hi)}` : '';
    this.overlay?.setAttribute('aria-label',
      `${this.key} over ${X_AXIS_LABELS[this.view.xMode].toLowerCase()}: ${runs} runs, ${points} points${values}. ` +
      'Plus and minus zoom, arrow keys pan, 0 resets the zoom.');
  }

  private ensureCanvases(): void {
    if (this.base) return;
    this.base = h('canvas', { class: 'chart-base', attrs: { 'aria-hidden': 'true' } });
    this.overlay = h('canvas', { class: 'chart-overlay', attrs: { tabindex: '0', role: 'img' } });
    this.body.prepend(this.base, this.overlay);
    const o = this.overlay;
    o.addEventListener('pointermove', (e) => this.onPointerMove(e));
    o.addEventListener('pointerleave', () => this.onPointerMove(undefined));
    o.addEventListener('pointerdown', (e) => this.onPointerDown(e));
    o.addEventListener('pointerup', (e) => this.onPointerUp(e));
    o.addEventListener('dblclick', () => this.resetZoom());
    o.addEventListener('wheel', (e) => this.onWheel(e), { passive: false });
    o.addEventListener('keydown', (e) => this.onKey(e));
  }

  /** The visible runs and the points each draws: the zoomed range's when they cover the view. */
  private linesToDraw(): Drawn[] {
    const out: Drawn[] = [];
    const useDetail = this.zoomX !== null && this.detailRange !== null
      && this.detailRange[0] <= this.zoomX[0] && this.detailRange[1] >= this.zoomX[1];
    for (const run of this.runs) {
      if (this.view.hidden.has(run.uid)) continue;
      const series = (useDetail ? this.detail.get(run.uid) : undefined) ?? run.series;
      const points = this.pointsCache.of(series, this.view.xMode, run.started);
      out.push({ run, points, line: points.smoothed ?? points.values });
    }
    return out;
  }

  private computeLayout(ctx: CanvasRenderingContext2D, theme: ChartTheme, drawn: Drawn[], width: number, height: number): Layout {
    const log = this.view.logY;
    let xRange = this.zoomX;
    if (!xRange) {
      let min = Infinity;
      let max = -Infinity;
      for (const d of drawn) {
        const xs = d.points.xs;
        for (let i = 0; i < xs.length; i++) if (Number.isFinite(xs[i]!)) { min = Math.min(min, xs[i]!); break; }
        for (let i = xs.length - 1; i >= 0; i--) if (Number.isFinite(xs[i]!)) { max = Math.max(max, xs[i]!); break; }
      }
      xRange = min <= max ? (max > min ? [min, max] : [min - 1, max + 1]) : [0, 1];
    }
    const extent: [number, number] = [Infinity, -Infinity];
    for (const d of drawn) yExtent(d.points, this.zoomX, this.view.showRaw || this.view.band, true, log, extent);
    this.valueRange = extent;
    const yRange = this.zoomY ?? padded(extent[0], extent[1], log);
    ctx.font = `${Math.max(10, theme.fontSize - 2)}px ${theme.fontFamily}`;
    const yProbe = plotScale(yRange[0], yRange[1], height - MARGIN.bottom, MARGIN.top, log);
    const labelWidth = Math.max(...yProbe.ticks(6).map((t) => ctx.measureText(formatY(t)).width), 20);
    const left = Math.ceil(labelWidth + 10);
    const right = width - MARGIN.right;
    const bottom = height - MARGIN.bottom;
    return {
      left, top: MARGIN.top, right, bottom,
      x: plotScale(xRange[0], xRange[1], left, right, false),
      y: plotScale(yRange[0], yRange[1], bottom, MARGIN.top, log),
    };
  }

  private drawAxes(ctx: CanvasRenderingContext2D, theme: ChartTheme, l: Layout): void {
    ctx.strokeStyle = theme.grid;
    ctx.fillStyle = theme.muted;
    ctx.lineWidth = 1;
    ctx.textBaseline = 'middle';
    ctx.textAlign = 'right';
    ctx.beginPath();
    for (const t of l.y.ticks(6)) {
      const y = Math.round(l.y.pixel(t)) + 0.5;
      ctx.moveTo(l.left, y);
      ctx.lineTo(l.right, y);
      ctx.fillText(formatY(t), l.left - 6, y);
    }
    const span = l.x.max - l.x.min;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    const xTicks = l.x.ticks(Math.max(2, Math.floor((l.right - l.left) / 90)));
    for (const t of xTicks) {
      const x = Math.round(l.x.pixel(t)) + 0.5;
      ctx.moveTo(x, l.top);
      ctx.lineTo(x, l.bottom);
      ctx.fillText(formatX(this.view.xMode, t, span), x, l.bottom + 4);
    }
    ctx.stroke();
    ctx.fillText(X_AXIS_LABELS[this.view.xMode], (l.left + l.right) / 2, l.bottom + 18);
  }

  /** A polyline through the points, broken where a point cannot be placed; returns the points placed. */
  private strokeLine(ctx: CanvasRenderingContext2D, l: Layout, xs: Float64Array, ys: Float32Array, color: string, width: number): number {
    const [from, to] = this.visibleSpan(xs, l);
    const { path, placed } = this.linePaths.pixelPath(xs, ys, from, to, l.x, l.y);
    ctx.strokeStyle = color;
    ctx.lineWidth = width;
    ctx.stroke(path);
    return placed;
  }

  /** The band between each column's lowest and highest raw value, as one polygon. */
  private fillBand(ctx: CanvasRenderingContext2D, l: Layout, p: LinePoints, color: string): void {
    const starts = p.bucketStarts;
    const top: [number, number][] = [];
    const low: [number, number][] = [];
    for (let b = 0; b + 1 < starts.length; b++) {
      let lo = Infinity;
      let hi = -Infinity;
      for (let i = starts[b]!; i < starts[b + 1]!; i++) {
        const v = p.values[i]!;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      const x0 = p.xs[starts[b]!]!;
      const x1 = p.xs[starts[b + 1]! - 1]!;
      if (!Number.isFinite(x0) || !Number.isFinite(x1) || !(hi >= lo) || (this.view.logY && lo <= 0)) continue;
      const px0 = l.x.pixel(x0);
      const px1 = l.x.pixel(x1);
      top.push([px0, l.y.pixel(hi)], [px1, l.y.pixel(hi)]);
      low.push([px0, l.y.pixel(lo)], [px1, l.y.pixel(lo)]);
    }
    if (top.length === 0) return;
    ctx.beginPath();
    ctx.moveTo(top[0]![0], top[0]![1]);
    for (const [x, y] of top) ctx.lineTo(x, y);
    for (let i = low.length - 1; i >= 0; i--) ctx.lineTo(low[i]![0], low[i]![1]);
    ctx.closePath();
    ctx.fillStyle = color;
    ctx.fill();
  }

  /** The indexes worth drawing: those in view and one on each side. */
  private visibleSpan(xs: Float64Array, l: Layout): [number, number] {
    if (!this.zoomX) return [0, xs.length];
    return [Math.max(0, lowerBound(xs, l.x.min) - 1), Math.min(xs.length, lowerBound(xs, l.x.max) + 1)];
  }

  // ---- the top canvas: highlight, zoom box ----------------------------------------------------

  private drawOverlay(): void {
    const o = this.overlay;
    const l = this.layout;
    if (!o || !l) return;
    const ctx = o.getContext('2d')!;
    const ratio = window.devicePixelRatio || 1;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, this.width, this.height);
    const line = this.highlighted ? this.drawn.find((d) => d.run.uid === this.highlighted) : undefined;
    if (line) {
      ctx.save();
      ctx.beginPath();
      ctx.rect(l.left, l.top, l.right - l.left, l.bottom - l.top);
      ctx.clip();
      ctx.fillStyle = withAlpha(cssVar('--vscode-editor-background', '#808080'), 0.7);
      ctx.fillRect(l.left, l.top, l.right - l.left, l.bottom - l.top);
      ctx.lineJoin = 'round';
      this.strokeLine(ctx, l, line.points.xs, line.line, withAlpha(line.run.color, 1), 2.5);
      ctx.restore();
    }
    if (this.box) {
      const { x0, y0, x1, y1 } = this.box;
      ctx.fillStyle = chartTheme().selection;
      ctx.fillRect(Math.min(x0, x1), Math.min(y0, y1), Math.abs(x1 - x0), Math.abs(y1 - y0));
    }
  }

  // ---- pointer and keys -----------------------------------------------------------------------

  private onPointerMove(e: PointerEvent | undefined): void {
    this.pointer = e ? { x: e.offsetX, y: e.offsetY } : undefined;
    if (e && this.drag) {
      this.onDrag(e);
      return;
    }
    if (!this.hoverFrame) {
      this.hoverFrame = requestAnimationFrame(() => {
        this.hoverFrame = 0;
        this.hover();
      });
    }
  }

  private hover(): void {
    const l = this.layout;
    const p = this.pointer;
    if (!l || !p || p.x < l.left || p.x > l.right || p.y < l.top || p.y > l.bottom) {
      this.tooltip.hidden = true;
      this.callbacks.onHover(null);
      return;
    }
    const at = l.x.value(p.x);
    let best: { dist: number; d: Drawn; index: number } | undefined;
    for (const d of this.drawn) {
      const xs = d.points.xs;
      const i = lowerBound(xs, at);
      for (let j = i - 2; j <= i + 1; j++) {
        if (j < 0 || j >= xs.length) continue;
        const v = d.line[j]!;
        if (!Number.isFinite(v) || Number.isNaN(xs[j]!) || (this.view.logY && v <= 0)) continue;
        const dist = Math.hypot(l.x.pixel(xs[j]!) - p.x, l.y.pixel(v) - p.y);
        if (!best || dist < best.dist) best = { dist, d, index: j };
      }
    }
    if (!best || best.dist > HOVER_RADIUS) {
      this.tooltip.hidden = true;
      this.callbacks.onHover(null);
      return;
    }
    const { d, index } = best;
    const value = d.line[index]!;
    const raw = d.points.values[index]!;
    const step = d.points.steps[index]!;
    const where = this.view.xMode === 'step' ? `step ${formatX('step', step)}` : `${formatX(this.view.xMode, d.points.xs[index]!, 0)} · step ${formatX('step', step)}`;
    this.tooltip.replaceChildren(
      h('div', { class: 'tt-name', text: d.run.name }),
      h('div', { class: 'tt-value', text: `${formatY(value)}${d.points.smoothed ? ` (raw ${formatY(raw)})` : ''} · ${where}` }));
    this.tooltip.hidden = false;
    const left = Math.min(p.x + 12, this.width - this.tooltip.offsetWidth - 4);
    this.tooltip.style.left = `${Math.max(0, left)}px`;
    this.tooltip.style.top = `${Math.max(0, p.y - this.tooltip.offsetHeight - 8)}px`;
    this.callbacks.onHover(d.run.uid);
  }

  private onPointerDown(e: PointerEvent): void {
    const l = this.layout;
    if (!l || e.button !== 0 || e.offsetX < l.left || e.offsetX > l.right || e.offsetY < l.top || e.offsetY > l.bottom) return;
    this.overlay!.setPointerCapture(e.pointerId);
    this.drag = { x: e.offsetX, y: e.offsetY, pan: e.shiftKey, zoomX: [l.x.min, l.x.max], zoomY: this.zoomY ?? (e.shiftKey ? [l.y.min, l.y.max] : null) };
    this.tooltip.hidden = true;
  }

  private onDrag(e: PointerEvent): void {
    const drag = this.drag!;
    const l = this.layout!;
    if (drag.pan) {
      const dx = l.x.value(drag.x) - l.x.value(e.offsetX);
      this.zoomX = [drag.zoomX[0] + dx, drag.zoomX[1] + dx];
      if (drag.zoomY && !l.y.log) {
        const dy = l.y.value(drag.y) - l.y.value(e.offsetY);
        this.zoomY = [drag.zoomY[0] + dy, drag.zoomY[1] + dy];
      }
      this.invalidate();
      return;
    }
    this.box = { x0: drag.x, y0: drag.y, x1: clamp(e.offsetX, l.left, l.right), y1: clamp(e.offsetY, l.top, l.bottom) };
    this.drawOverlay();
  }

  private onPointerUp(e: PointerEvent): void {
    const drag = this.drag;
    this.drag = undefined;
    const box = this.box;
    this.box = undefined;
    if (!drag) return;
    if (drag.pan) {
      this.zoomed();
      return;
    }
    const l = this.layout!;
    if (box && Math.abs(box.x1 - box.x0) >= 5) {
      const xs = [l.x.value(box.x0), l.x.value(box.x1)].sort((a, b) => a - b) as [number, number];
      this.zoomX = xs;
      if (Math.abs(box.y1 - box.y0) >= 5) this.zoomY = [l.y.value(Math.max(box.y0, box.y1)), l.y.value(Math.min(box.y0, box.y1))];
      this.zoomed();
    } else {
      this.drawOverlay();
    }
    this.onPointerMove(e);
  }

  private onWheel(e: WheelEvent): void {
    const l = this.layout;
    if (!e.ctrlKey || !l) return;
    e.preventDefault();
    this.zoomAround(l.x.value(e.offsetX), e.deltaY < 0 ? 1.25 : 0.8);
  }

  /** Zooms x by `factor` (> 1: in) around x value `at`; y follows the data. */
  private zoomAround(at: number, factor: number): void {
    const l = this.layout;
    if (!l) return;
    // From the zoom itself, not the last drawing: quick presses compound before a frame is drawn.
    const [min, max] = this.zoomX ?? [l.x.min, l.x.max];
    this.zoomX = [at - (at - min) / factor, at + (max - at) / factor];
    this.zoomY = null;
    this.zoomed();
  }

  private pan(fraction: number, axis: 'x' | 'y'): void {
    const l = this.layout;
    if (!l) return;
    if (axis === 'x') {
      const d = (l.x.max - l.x.min) * fraction;
      this.zoomX = [l.x.min + d, l.x.max + d];
    } else if (!l.y.log) {
      const d = (l.y.max - l.y.min) * fraction;
      this.zoomY = [l.y.min + d, l.y.max + d];
      this.zoomX ??= [l.x.min, l.x.max];
    }
    this.zoomed();
  }

  private onKey(e: KeyboardEvent): void {
    const l = this.layout;
    if (!l) return;
    const [min, max] = this.zoomX ?? [l.x.min, l.x.max];
    const middle = (min + max) / 2;
    const actions: Record<string, () => void> = {
      '+': () => this.zoomAround(middle, 1.25),
      '=': () => this.zoomAround(middle, 1.25),
      '-': () => this.zoomAround(middle, 0.8),
      '0': () => this.resetZoom(),
      Escape: () => this.resetZoom(),
      ArrowLeft: () => this.pan(-0.1, 'x'),
      ArrowRight: () => this.pan(0.1, 'x'),
      ArrowUp: () => this.pan(0.1, 'y'),
      ArrowDown: () => this.pan(-0.1, 'y'),
    };
    const action = actions[e.key];
    if (action) {
      e.preventDefault();
      action();
    }
  }

  // ---- zoom and its detail --------------------------------------------------------------------

  private zoomed(): void {
    this.element.dataset.detail = 'pending';
    this.invalidate();
    this.scheduleDetail();
  }

  private clearZoom(): void {
    this.zoomX = null;
    this.zoomY = null;
    this.detail.clear();
    this.detailRange = null;
    this.detailId = 0;
    clearTimeout(this.detailTimer);
  }

  private scheduleDetail(): void {
    clearTimeout(this.detailTimer);
    this.detailTimer = window.setTimeout(() => this.askDetail(), DETAIL_DELAY_MS);
  }

  /** Asks for every point in view: one step range per run (the same for all when x is the step). */
  private askDetail(): void {
    const zoom = this.zoomX;
    if (!zoom) return;
    const ranges: DetailRange[] = [];
    for (const run of this.runs) {
      if (this.view.hidden.has(run.uid)) continue;
      const p = this.pointsCache.of(run.series, this.view.xMode, run.started);
      const steps = stepsCovering(p, zoom, this.view.xMode === 'step');
      if (steps) ranges.push({ uid: run.uid, from: steps[0], to: steps[1] });
    }
    if (ranges.length === 0) return;
    this.detailId = this.nextDetailId();
    this.pendingRange = [zoom[0], zoom[1]];
    this.callbacks.onDetail(this, ranges, Math.max(50, this.plotWidth));
  }

  get currentDetailId(): number {
    return this.detailId;
  }
}

/** The steps that cover an x interval: itself when x is the step, else the steps of the points around it. */
function stepsCovering(p: LinePoints, [x0, x1]: [number, number], byStep: boolean): [number, number] | null {
  if (byStep) return [Math.floor(x0), Math.ceil(x1)];
  const n = p.xs.length;
  if (n === 0) return null;
  const i = Math.max(0, lowerBound(p.xs, x0) - 1);
  const j = Math.min(n - 1, lowerBound(p.xs, x1));
  if (Number.isNaN(p.xs[i]!) || Number.isNaN(p.xs[j]!)) return null;
  return [p.steps[i]!, p.steps[j]!];
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}
