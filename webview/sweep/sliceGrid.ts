/**
 * One slice plot per parameter: the objective against the parameter's value, each trial a point
 * shaded by its number (later trials darker); log-scaled parameters on a log10 axis.
 */
import type { SweepView } from '../../src/shared/protocol/sweep';
import { h } from '../common/dom';
import { ScatterPlot, type ScatterPoint } from '../compare/scatterPlot';
import { trialNumberColors } from './objectiveColors';

const MAX_SLICES = 12;

export class SliceGrid {
  readonly element = h('div', { class: 'slice-grid', attrs: { 'data-chart': 'slices' } });
  private plots: ScatterPlot[] = [];

  constructor(private readonly onHover: (uid: string | null) => void) {}

  /** `order`: parameter names, the most important first. */
  setData(view: SweepView, objective: number, order: readonly string[]): void {
    this.element.replaceChildren();
    this.plots = [];
    const values = view.values[objective];
    const o = view.objectives[objective];
    if (!values || !o) {
      this.element.append(h('p', { class: 'muted empty', text: 'No objective to plot the parameters against.' }));
      return;
    }
    const shade = trialNumberColors(view.trials.length);
    const params = order.map((name) => view.params.find((p) => p.name === name)!).filter(Boolean).slice(0, MAX_SLICES);
    for (const p of params) {
      const points: ScatterPoint[] = [];
      view.trials.forEach((t, i) => {
        const x = p.values[i];
        const y = values[i]!;
        if (x === null || x === undefined || !Number.isFinite(y) || t.state !== 'complete') return;
        points.push({ uid: t.uid, name: `#${t.number} ${t.name}`, color: shade(i), x: p.log && typeof x === 'number' && x > 0 ? Math.log10(x) : x, y });
      });
      const plot = new ScatterPlot(this.onHover);
      const card = h('figure', { class: 'slice-card', attrs: { 'data-param': p.name } }, h('figcaption', { class: 'chart-title', text: p.name }), plot.element);
      this.element.append(card);
      plot.setData(points, p.log ? `${p.name} (log10)` : p.name, o.name);
      card.dataset.points = String(points.length);
      this.plots.push(plot);
    }
    this.element.dataset.points = String(params.length);
  }

  setHighlight(uid: string | null): void {
    for (const p of this.plots) p.setHighlight(uid);
  }

  applyTheme(): void {
    for (const p of this.plots) p.applyTheme();
  }
}
