/**
 * Every trial's curve overlaid (Optuna's intermediate values, else the objective's series): pruned
 * trials dashed in red where they stopped, the best trial drawn over the others.
 */
import type { SweepView, TrialCurve } from '../../src/shared/protocol/sweep';
import { chartTheme, cssVar } from '../common/theme';
import { ChartCard } from './chartCard';
import { objectiveColors } from './objectiveColors';
import { baseOptions, type XY } from './sweepCharts';

export class CurvesChart {
  private readonly card = new ChartCard('curves', 'tall');
  readonly element = this.card.element;

  setData(view: SweepView, key: string, curves: readonly TrialCurve[]): void {
    const byUid = new Map(view.trials.map((t, i) => [t.uid, { t, i }]));
    const values = view.values[0];
    const color = values && view.objectives[0] ? objectiveColors(values, view.objectives[0].direction) : () => chartTheme().muted;
    const pruned = cssVar('--vscode-charts-red', '#f14c4c');
    const best = new Set(view.best);
    let points = 0;
    const datasets = curves.flatMap((c) => {
      const trial = byUid.get(c.uid);
      if (!trial) return [];
      const data: XY[] = [];
      for (let k = 0; k < c.steps.length; k++) if (Number.isFinite(c.values[k]!)) data.push({ x: c.steps[k]!, y: c.values[k]! });
      points += data.length;
      const isBest = best.has(c.uid);
      const isPruned = trial.t.state === 'pruned';
      return [{
        label: `#${trial.t.number}`,
        showLine: true,
        data,
        borderColor: isBest ? chartTheme().foreground : isPruned ? pruned : color(values?.[trial.i] ?? NaN),
        borderWidth: isBest ? 2.5 : 1,
        borderDash: isPruned ? [4, 3] : [],
        pointRadius: isPruned ? data.map((_, k) => (k === data.length - 1 ? 3 : 0)) : 0,
        pointStyle: 'crossRot' as const,
        order: isBest ? 0 : 1,
      }];
    });
    const options = baseOptions('step', key);
    this.card.draw({ type: 'scatter', data: { datasets }, options: { ...options, events: [], plugins: { tooltip: { enabled: false } } } },
      `${key} of ${datasets.length} trials over their steps`, points);
  }

  clear(): void {
    this.card.clear();
  }
}
