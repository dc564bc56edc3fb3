/**
 * A metric against a parameter, one point per run: does a larger learning rate give a lower loss?
 * A numeric parameter gets a linear (or log) x axis; other values are spread as categories.
 */
import type { ChartDataset } from 'chart.js';
import { formatMetricValue } from '../../src/shared/format';
import { Chart } from './chartSetup';
import { h } from '../common/dom';
import { chartTheme } from '../common/theme';

export interface ScatterPoint {
  uid: string;
  name: string;
  color: string;
  x: number | string;
  y: number;
}

type XY = { x: number; y: number };

export class ScatterPlot {
  readonly element: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly tooltip: HTMLElement;
  private chart: Chart<'scatter', XY[]> | undefined;
  private points: ScatterPoint[] = [];
  private xy: XY[] = [];
  private categories: string[] = [];
  private highlighted: string | null = null;
  private labels = { x: '', y: '' };

  constructor(private readonly onHover: (uid: string | null) => void) {
    this.canvas = h('canvas', { attrs: { role: 'img', tabindex: '0' } });
    this.tooltip = h('div', { class: 'chart-tooltip', attrs: { role: 'status' } });
    this.tooltip.hidden = true;
    this.element = h('div', { class: 'scatter chart-body' }, this.canvas, this.tooltip);
    this.canvas.addEventListener('mousemove', (e) => this.hover(e));
    this.canvas.addEventListener('mouseleave', () => {
      this.tooltip.hidden = true;
      this.onHover(null);
    });
  }

  setData(points: ScatterPoint[], xLabel: string, yLabel: string): void {
    this.labels = { x: xLabel, y: yLabel };
    const numeric = points.every((p) => typeof p.x === 'number');
    this.categories = numeric ? [] : [...new Set(points.map((p) => String(p.x)))].sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
    const index = new Map(this.categories.map((c, i) => [c, i]));
    const xOf = (p: ScatterPoint) => (numeric ? (p.x as number) : index.get(String(p.x))!);
    // With parsing off, chart.js takes the data as sorted along x (it reads the bounds from the ends).
    this.points = [...points].sort((a, b) => xOf(a) - xOf(b));
    this.xy = this.points.map((p) => ({ x: xOf(p), y: p.y }));
    this.canvas.setAttribute('aria-label', `${yLabel} against ${xLabel} for ${points.length} runs`);
    this.draw();
  }

  setHighlight(uid: string | null): void {
    if (uid === this.highlighted) return;
    this.highlighted = uid;
    if (this.chart) {
      this.chart.data.datasets[0] = this.dataset();
      this.chart.update('none');
    }
  }

  applyTheme(): void {
    this.chart?.destroy();
    this.chart = undefined;
    this.draw();
  }

  private dataset(): ChartDataset<'scatter', XY[]> {
    return {
      data: this.xy,
      pointBackgroundColor: this.points.map((p) => p.color),
      pointBorderColor: this.points.map((p) => (p.uid === this.highlighted ? chartTheme().foreground : p.color)),
      pointRadius: this.points.map((p) => (p.uid === this.highlighted ? 7 : 4)),
      pointBorderWidth: this.points.map((p) => (p.uid === this.highlighted ? 2 : 1)),
    };
  }

  private draw(): void {
    const theme = chartTheme();
    const categories = this.categories;
    const options = {
      animation: false as const,
      parsing: false as const,
      responsive: true,
      maintainAspectRatio: false,
      events: [],
      scales: {
        x: {
          type: 'linear' as const,
          title: { display: true, text: this.labels.x, color: theme.muted },
          grid: { color: theme.grid },
          ...(categories.length ? { min: -0.5, max: categories.length - 0.5 } : { grace: '5%' }),
          ticks: {
            color: theme.muted,
            maxRotation: 0,
            ...(categories.length ? { stepSize: 1 } : {}),
            callback: (v: number | string) => (categories.length ? (categories[Number(v)] ?? '') : formatMetricValue(Number(v))),
          },
        },
        y: {
          type: 'linear' as const,
          title: { display: true, text: this.labels.y, color: theme.muted },
          grid: { color: theme.grid },
          grace: '5%',
          ticks: { color: theme.muted, callback: (v: number | string) => formatMetricValue(Number(v)) },
        },
      },
    };
    if (!this.chart) {
      this.chart = new Chart<'scatter', XY[]>(this.canvas, { type: 'scatter', data: { datasets: [this.dataset()] }, options });
    } else {
      this.chart.data.datasets[0] = this.dataset();
      this.chart.options.scales = options.scales;
      this.chart.update('none');
    }
  }

  private hover(e: MouseEvent): void {
    const chart = this.chart;
    if (!chart) return;
    const x = chart.scales.x!;
    const y = chart.scales.y!;
    let best = -1;
    let bestDist = 12;
    this.xy.forEach((p, i) => {
      const d = Math.hypot(x.getPixelForValue(p.x) - e.offsetX, y.getPixelForValue(p.y) - e.offsetY);
      if (d < bestDist) {
        best = i;
        bestDist = d;
      }
    });
    if (best < 0) {
      this.tooltip.hidden = true;
      this.onHover(null);
      return;
    }
    const p = this.points[best]!;
    this.tooltip.replaceChildren(
      h('div', { class: 'tt-name', text: p.name }),
      h('div', { class: 'tt-value', text: `${this.labels.y} ${formatMetricValue(p.y)} · ${this.labels.x} ${typeof p.x === 'number' ? formatMetricValue(p.x) : p.x}` }));
    this.tooltip.hidden = false;
    this.tooltip.style.left = `${Math.max(0, Math.min(e.offsetX + 12, this.canvas.clientWidth - this.tooltip.offsetWidth - 4))}px`;
    this.tooltip.style.top = `${Math.max(0, e.offsetY - this.tooltip.offsetHeight - 8)}px`;
    this.onHover(p.uid);
  }
}
