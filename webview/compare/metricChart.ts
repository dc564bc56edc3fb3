/**
 * One metric's curves for every compared run, overlaid: the smoothed line over a faint raw line,
 * x by step, wall time or time since start, linear or log y, box zoom (drag), pan (shift + drag),
 * ctrl + wheel zoom, double-click or 0 to reset. Hovering finds the nearest run's line and
 * highlights it by dimming the others — drawn by a small plugin, so hovering never re-parses data.
 */
import type { ChartDataset, ChartOptions, Plugin } from 'chart.js';
import type { ChartSeries, XAxisMode } from '../../src/shared/compare/compareTypes';
import { debiasedEma } from '../../src/shared/compare/smoothing';
import { formatX, formatY, X_AXIS_LABELS } from './axisFormat';
import { Chart } from './chartSetup';
import { h } from '../common/dom';
import { chartTheme, cssVar, withAlpha, type Rgb } from '../common/theme';

export interface ChartRun {
  uid: string;
  name: string;
  color: Rgb;
  series: ChartSeries;
  /** Seconds since the epoch the run started (for "time since start"); else its first point's time. */
  started: number | null;
}

export interface ChartView {
  xMode: XAxisMode;
  /** TensorBoard's smoothing weight in [0, 1). */
  smoothing: number;
  logY: boolean;
  hidden: ReadonlySet<string>;
}

type Point = { x: number; y: number };
type LineChart = Chart<'line', Point[]>;

/** How close (in pixels) the pointer must be to a line to pick its run. */
const HOVER_RADIUS = 24;

export class MetricChart {
  readonly element: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly tooltip: HTMLElement;
  private readonly status: HTMLElement;
  private chart: LineChart | undefined;
  private runs: ChartRun[] = [];
  private view: ChartView;
  private highlighted: string | null = null;
  /** The line each visible run shows (smoothed when smoothing is on), for hover and highlight. */
  private lines = new Map<string, { run: ChartRun; points: Point[] }>();
  private pointer: { x: number; y: number } | undefined;
  private hoverFrame = 0;

  constructor(readonly key: string, view: ChartView, private readonly onHover: (uid: string | null) => void) {
    this.view = view;
    this.canvas = h('canvas', { attrs: { tabindex: '0', role: 'img' } });
    this.tooltip = h('div', { class: 'chart-tooltip', attrs: { role: 'status' } });
    this.tooltip.hidden = true;
    this.status = h('span', { class: 'chart-status muted' });
    const reset = h('button', {
      class: 'icon-button', title: 'Reset zoom', attrs: { 'aria-label': `Reset zoom of ${key}` },
      on: { click: () => this.resetZoom() },
    }, h('span', { class: 'codicon codicon-screen-normal', attrs: { 'aria-hidden': 'true' } }));
    this.element = h('figure', { class: 'chart-card', attrs: { 'data-key': key } },
      h('figcaption', { class: 'chart-head' }, h('span', { class: 'chart-title ellipsis', text: key, title: key }), this.status, reset),
      h('div', { class: 'chart-body' }, this.canvas, this.tooltip));
    this.canvas.addEventListener('mousemove', (e) => this.onPointer(e));
    this.canvas.addEventListener('mouseleave', () => this.onPointer(undefined));
    this.canvas.addEventListener('dblclick', () => this.resetZoom());
    this.canvas.addEventListener('keydown', (e) => this.onKey(e));
  }

  /** New data and/or view; one redraw. */
  set(view: ChartView, runs: ChartRun[]): void {
    this.runs = runs;
    this.setView(view);
  }

  setView(view: ChartView): void {
    const axisChanged = view.xMode !== this.view.xMode || view.logY !== this.view.logY;
    this.view = view;
    if (axisChanged && this.chart) this.chart.resetZoom('none');
    this.render();
  }

  /** Emphasises one run (null: none). Only redraws. */
  setHighlight(uid: string | null): void {
    if (uid === this.highlighted) return;
    this.highlighted = uid;
    this.chart?.draw();
  }

  resetZoom(): void {
    this.chart?.resetZoom('none');
  }

  /** Re-reads the theme's colours. */
  applyTheme(): void {
    if (!this.chart) return;
    this.chart.destroy();
    this.chart = undefined;
    this.render();
  }

  destroy(): void {
    cancelAnimationFrame(this.hoverFrame);
    this.chart?.destroy();
    this.chart = undefined;
  }

  private render(): void {
    const { datasets, lines, pointCount } = this.buildDatasets();
    this.lines = lines;
    const visible = lines.size;
    this.status.textContent = `${visible} run${visible === 1 ? '' : 's'}`;
    this.canvas.setAttribute('aria-label',
      `${this.key} over ${X_AXIS_LABELS[this.view.xMode].toLowerCase()}: ${visible} runs, ${pointCount} points. ` +
      'Plus and minus zoom, arrow keys pan, 0 resets the zoom.');
    if (!this.chart) {
      this.chart = new Chart<'line', Point[]>(this.canvas, { type: 'line', data: { datasets }, options: this.options(), plugins: [this.highlightPlugin()] });
    } else {
      const zoomed = this.chart.isZoomedOrPanned();
      const previous = this.chart.options.scales as Record<string, { min?: unknown; max?: unknown } | undefined> | undefined;
      this.chart.data.datasets = datasets;
      const scales = this.scales();
      // A live update keeps the user's zoom.
      if (zoomed && previous) {
        Object.assign(scales.x!, { min: previous.x?.min, max: previous.x?.max });
        Object.assign(scales.y!, { min: previous.y?.min, max: previous.y?.max });
      }
      this.chart.options.scales = scales;
      this.chart.update('none');
    }
    this.element.dataset.rendered = String(visible);
  }

  private buildDatasets(): { datasets: ChartDataset<'line', Point[]>[]; lines: Map<string, { run: ChartRun; points: Point[] }>; pointCount: number } {
    const { xMode, smoothing, logY, hidden } = this.view;
    const smoothed = smoothing > 0;
    const datasets: ChartDataset<'line', Point[]>[] = [];
    const lines = new Map<string, { run: ChartRun; points: Point[] }>();
    let pointCount = 0;
    for (const run of this.runs) {
      if (hidden.has(run.uid)) continue;
      const xs = xValues(run, xMode);
      const raw = toPoints(xs, run.series.values, logY);
      pointCount += raw.length;
      datasets.push(line(raw, smoothed ? withAlpha(run.color, 0.22) : withAlpha(run.color, 1), smoothed ? 1 : 1.5));
      if (smoothed) {
        const points = toPoints(xs, debiasedEma(run.series.values, smoothing), logY);
        datasets.push(line(points, withAlpha(run.color, 1), 1.5));
        lines.set(run.uid, { run, points });
      } else {
        lines.set(run.uid, { run, points: raw });
      }
    }
    return { datasets, lines, pointCount };
  }

  private options(): ChartOptions<'line'> {
    return {
      animation: false as const,
      parsing: false as const,
      normalized: true,
      spanGaps: true,
      responsive: true,
      maintainAspectRatio: false,
      // Hover is handled here (nearest run), so chart.js need not process pointer events.
      events: [],
      elements: { point: { radius: 0, hoverRadius: 0, hitRadius: 0 }, line: { tension: 0 } },
      scales: this.scales(),
      plugins: {
        decimation: { enabled: true, algorithm: 'min-max' as const },
        zoom: {
          zoom: {
            wheel: { enabled: true, modifierKey: 'ctrl' as const },
            drag: { enabled: true, threshold: 5, backgroundColor: chartTheme().selection },
            pinch: { enabled: true },
            mode: 'xy' as const,
          },
          pan: { enabled: true, mode: 'xy' as const, modifierKey: 'shift' as const },
        },
      },
    };
  }

  private scales(): { x: NonNullable<ChartOptions<'line'>['scales']>[string]; y: NonNullable<ChartOptions<'line'>['scales']>[string] } {
    const theme = chartTheme();
    const mode = this.view.xMode;
    let min = Infinity;
    let max = -Infinity;
    for (const { points } of this.lines.values()) {
      if (!points.length) continue;
      min = Math.min(min, points[0]!.x);
      max = Math.max(max, points[points.length - 1]!.x);
    }
    const range = max > min ? max - min : 0;
    return {
      x: {
        type: 'linear',
        title: { display: true, text: X_AXIS_LABELS[mode], color: theme.muted },
        grid: { color: theme.grid },
        ticks: { color: theme.muted, maxRotation: 0, autoSkip: true, maxTicksLimit: 8, callback: (v) => formatX(mode, Number(v), range) },
      },
      y: {
        type: this.view.logY ? 'logarithmic' : 'linear',
        grid: { color: theme.grid },
        ticks: { color: theme.muted, maxTicksLimit: 7, callback: (v) => formatY(Number(v)) },
      },
    };
  }

  /** Dims every line and draws the highlighted run's line on top, thicker. */
  private highlightPlugin(): Plugin<'line'> {
    return {
      id: 'runHighlight',
      afterDatasetsDraw: (chart) => {
        const line = this.highlighted ? this.lines.get(this.highlighted) : undefined;
        if (!line || line.points.length === 0) return;
        const { ctx, chartArea: area, scales } = chart;
        const x = scales.x!;
        const y = scales.y!;
        ctx.save();
        ctx.beginPath();
        ctx.rect(area.left, area.top, area.right - area.left, area.bottom - area.top);
        ctx.clip();
        ctx.fillStyle = withAlpha(cssVar('--vscode-editor-background', '#808080'), 0.7);
        ctx.fillRect(area.left, area.top, area.right - area.left, area.bottom - area.top);
        ctx.strokeStyle = withAlpha(line.run.color, 1);
        ctx.lineWidth = 2.5;
        ctx.lineJoin = 'round';
        ctx.beginPath();
        line.points.forEach((p, i) => {
          const px = x.getPixelForValue(p.x);
          const py = y.getPixelForValue(p.y);
          if (i === 0) ctx.moveTo(px, py);
          else ctx.lineTo(px, py);
        });
        ctx.stroke();
        ctx.restore();
      },
    };
  }

  private onPointer(e: MouseEvent | undefined): void {
    this.pointer = e ? { x: e.offsetX, y: e.offsetY } : undefined;
    if (!this.hoverFrame) {
      this.hoverFrame = requestAnimationFrame(() => {
        this.hoverFrame = 0;
        this.hover();
      });
    }
  }

  private hover(): void {
    const chart = this.chart;
    const p = this.pointer;
    const area = chart?.chartArea;
    if (!chart || !p || !area || p.x < area.left || p.x > area.right || p.y < area.top || p.y > area.bottom) {
      this.tooltip.hidden = true;
      this.onHover(null);
      return;
    }
    const x = chart.scales.x!;
    const y = chart.scales.y!;
    const at = x.getValueForPixel(p.x) ?? 0;
    let best: { dist: number; run: ChartRun; point: Point; index: number } | undefined;
    for (const { run, points } of this.lines.values()) {
      const i = nearestIndex(points, at);
      for (const j of [i - 1, i, i + 1]) {
        const q = points[j];
        if (!q) continue;
        const dist = Math.hypot(x.getPixelForValue(q.x) - p.x, y.getPixelForValue(q.y) - p.y);
        if (!best || dist < best.dist) best = { dist, run, point: q, index: j };
      }
    }
    if (!best || best.dist > HOVER_RADIUS) {
      this.tooltip.hidden = true;
      this.onHover(null);
      return;
    }
    const stepText = this.view.xMode === 'step' ? `step ${formatX('step', best.point.x)}` : formatX(this.view.xMode, best.point.x, 0);
    this.tooltip.replaceChildren(
      h('div', { class: 'tt-name', text: best.run.name }),
      h('div', { class: 'tt-value', text: `${formatY(best.point.y)} · ${stepText}` }));
    this.tooltip.hidden = false;
    const left = Math.min(p.x + 12, this.canvas.clientWidth - this.tooltip.offsetWidth - 4);
    this.tooltip.style.left = `${Math.max(0, left)}px`;
    this.tooltip.style.top = `${Math.max(0, p.y - this.tooltip.offsetHeight - 8)}px`;
    this.onHover(best.run.uid);
  }

  private onKey(e: KeyboardEvent): void {
    const chart = this.chart;
    if (!chart) return;
    const actions: Record<string, () => void> = {
      '+': () => chart.zoom(1.25),
      '=': () => chart.zoom(1.25),
      '-': () => chart.zoom(0.8),
      '0': () => chart.resetZoom('none'),
      Escape: () => chart.resetZoom('none'),
      ArrowLeft: () => chart.pan({ x: 40 }, undefined, 'none'),
      ArrowRight: () => chart.pan({ x: -40 }, undefined, 'none'),
      ArrowUp: () => chart.pan({ y: 40 }, undefined, 'none'),
      ArrowDown: () => chart.pan({ y: -40 }, undefined, 'none'),
    };
    const action = actions[e.key];
    if (action) {
      e.preventDefault();
      action();
    }
  }
}

function line(data: Point[], color: string, width: number): ChartDataset<'line', Point[]> {
  return { data, borderColor: color, backgroundColor: color, borderWidth: width, pointRadius: 0, fill: false };
}

/** The x of every point; NaN (not drawn) where it is unknown, e.g. wall times not received yet. */
function xValues(run: ChartRun, mode: XAxisMode): ArrayLike<number> {
  const s = run.series;
  if (mode === 'step') return s.steps;
  const n = s.values.length;
  if (!s.times || s.timeBase === null) return new Float64Array(n).fill(NaN);
  // Times are float32 offsets from timeBase; add in float64, or epoch seconds lose their precision.
  const base = s.timeBase;
  const offset = mode === 'wallTime' ? base : base - (run.started !== null && Number.isFinite(run.started) ? run.started : base);
  const times = s.times;
  return Float64Array.from(times, (t) => t + offset);
}

function toPoints(xs: ArrayLike<number>, ys: ArrayLike<number>, logY: boolean): Point[] {
  const out: Point[] = [];
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!;
    const y = ys[i]!;
    if (!Number.isFinite(x) || !Number.isFinite(y) || (logY && y <= 0)) continue;
    out.push({ x, y });
  }
  return out;
}

/** The index of the point whose x is closest to `x` (points roughly in x order). */
function nearestIndex(points: readonly Point[], x: number): number {
  let lo = 0;
  let hi = points.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (points[mid]!.x < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
