/**
 * The objective over trial number: complete trials coloured by their value, pruned ones as crosses,
 * the best trial a star, and the best value so far as a step line.
 */
import { formatMetricValue } from '../../src/shared/format';
import type { SweepView } from '../../src/shared/protocol/sweep';
import { chartTheme } from '../common/theme';
import { ChartCard } from './chartCard';
import { objectiveColors } from './objectiveColors';
import { baseOptions, type XY } from './sweepCharts';

export class HistoryChart {
  private readonly card = new ChartCard('history');
  readonly element = this.card.element;

  setData(view: SweepView, objective: number): void {
    const o = view.objectives[objective];
    const values = view.values[objective];
    if (!o || !values) return this.card.clear();
    const color = objectiveColors(values, o.direction);
    const best = new Set(view.best);
    const complete: (XY & { c: string; best: boolean; name: string })[] = [];
    const pruned: XY[] = [];
    const bestSoFar: XY[] = [];
    let running: number | undefined;
    view.trials.forEach((t, i) => {
      const y = values[i]!;
      if (!Number.isFinite(y)) return;
      if (t.state === 'pruned') pruned.push({ x: t.number, y });
      if (t.state !== 'complete') return;
      complete.push({ x: t.number, y, c: color(y), best: best.has(t.uid), name: t.name });
      running = running === undefined ? y : o.direction === 'maximize' ? Math.max(running, y) : Math.min(running, y);
      bestSoFar.push({ x: t.number, y: running });
    });
    const theme = chartTheme();
    this.card.draw({
      type: 'scatter',
      data: {
        datasets: [
          {
            label: `best ${o.name} so far`, showLine: true, data: bestSoFar, borderColor: theme.foreground, borderWidth: 1.5, pointRadius: 0, stepped: 'before', order: 0,
          },
          {
            label: 'complete', data: complete, pointBackgroundColor: complete.map((p) => p.c), pointBorderColor: complete.map((p) => (p.best ? theme.foreground : p.c)),
            pointStyle: complete.map((p) => (p.best ? 'star' : 'circle')), pointRadius: complete.map((p) => (p.best ? 9 : 4)), pointBorderWidth: complete.map((p) => (p.best ? 2 : 1)), order: 1,
          },
          { label: 'pruned', data: pruned, pointStyle: 'crossRot', pointRadius: 5, borderColor: theme.muted, pointBorderColor: theme.muted, order: 2 },
        ],
      },
      options: {
        ...baseOptions('trial', o.name),
        plugins: {
          tooltip: {
            callbacks: {
              label: (ctx) => `#${(ctx.raw as XY).x} ${ctx.dataset.label}: ${o.name} ${formatMetricValue((ctx.raw as XY).y)}`,
            },
          },
        },
      },
    }, `${o.name} of ${complete.length} complete trials by trial number, with the best so far`, complete.length + pruned.length);
  }
}
