/** Two objectives against each other: every complete trial, the Pareto front highlighted and joined. */
import { formatMetricValue } from '../../src/shared/format';
import type { SweepView } from '../../src/shared/protocol/sweep';
import { chartTheme, cssVar, withAlpha } from '../common/theme';
import { ChartCard } from './chartCard';
import { baseOptions, type XY } from './sweepCharts';

export class ParetoChart {
  private readonly card = new ChartCard('pareto', 'tall');
  readonly element = this.card.element;

  setData(view: SweepView, xi: number, yi: number): void {
    const xs = view.values[xi];
    const ys = view.values[yi];
    if (!xs || !ys) return this.card.clear();
    const front = new Set(view.best);
    const others: (XY & { n: number })[] = [];
    const best: (XY & { n: number })[] = [];
    view.trials.forEach((t, i) => {
      if (t.state !== 'complete' || !Number.isFinite(xs[i]!) || !Number.isFinite(ys[i]!)) return;
      (front.has(t.uid) ? best : others).push({ x: xs[i]!, y: ys[i]!, n: t.number });
    });
    best.sort((a, b) => a.x - b.x);
    const theme = chartTheme();
    const accent = cssVar('--vscode-charts-orange', '#d18616');
    const [xName, yName] = [view.objectives[xi]!.name, view.objectives[yi]!.name];
    this.card.draw({
      type: 'scatter',
      data: {
        datasets: [
          // Joined only for two objectives: with more, the front seen from two of them is no line.
          { label: 'Pareto front', data: best, showLine: view.objectives.length === 2, borderColor: accent, backgroundColor: accent, pointRadius: 6, pointStyle: 'star', borderWidth: 1.5, order: 0 },
          { label: 'trial', data: others, pointRadius: 3, backgroundColor: withAlpha(theme.muted, 0.6), borderColor: withAlpha(theme.muted, 0.6), order: 1 },
        ],
      },
      options: {
        ...baseOptions(`${xName} (${view.objectives[xi]!.direction})`, `${yName} (${view.objectives[yi]!.direction})`),
        plugins: { tooltip: { callbacks: { label: (ctx) => { const p = ctx.raw as XY & { n: number }; return `#${p.n} ${ctx.dataset.label}: ${xName} ${formatMetricValue(p.x)}, ${yName} ${formatMetricValue(p.y)}`; } } } },
      },
    }, `${yName} against ${xName}: ${best.length} trials on the Pareto front of ${best.length + others.length}`, best.length + others.length);
    this.element.dataset.front = String(best.length);
  }
}
