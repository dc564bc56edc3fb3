/** A titled card holding one canvas chart, recreated on new data (a study is a few hundred points). */
import type { ChartConfiguration, ChartType } from 'chart.js';
import { h } from '../common/dom';
import { Chart } from './sweepCharts';

export class ChartCard {
  readonly element: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private chart: Chart | undefined;

  constructor(private readonly name: string, className = '') {
    this.canvas = h('canvas', { attrs: { role: 'img', tabindex: '0' } });
    this.element = h('div', { class: `chart-body ${className}`.trim(), attrs: { 'data-chart': name } }, this.canvas);
  }

  /** Draws `config`; `label` describes it for screen readers, `points` is what tests read. */
  draw<T extends ChartType>(config: ChartConfiguration<T>, label: string, points: number): void {
    this.chart?.destroy();
    this.chart = new Chart(this.canvas, config as unknown as ChartConfiguration) as unknown as Chart;
    this.canvas.setAttribute('aria-label', label);
    this.element.dataset.points = String(points);
  }

  clear(): void {
    this.chart?.destroy();
    this.chart = undefined;
    this.element.dataset.points = '0';
  }
}
