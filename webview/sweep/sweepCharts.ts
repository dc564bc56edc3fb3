/**
 * chart.js with what the Sweep panel draws (tree-shaken): points, lines through them, linear scales
 * and chart.js's own canvas tooltips; fonts and colours from the VS Code theme.
 */
import { Chart, LinearScale, LineElement, PointElement, ScatterController, Tooltip, type ChartConfiguration } from 'chart.js';
import { formatMetricValue } from '../../src/shared/format';
import { chartTheme } from '../common/theme';

Chart.register(ScatterController, LineElement, PointElement, LinearScale, Tooltip);

export { Chart };

export type XY = { x: number; y: number };

/** Options every Sweep chart shares: no animation, pre-parsed data, themed axes with titles. */
export function baseOptions(xTitle: string, yTitle: string): NonNullable<ChartConfiguration<'scatter', XY[]>['options']> {
  const theme = chartTheme();
  Chart.defaults.color = theme.muted;
  Chart.defaults.borderColor = theme.grid;
  Chart.defaults.font.family = theme.fontFamily;
  Chart.defaults.font.size = Math.max(10, theme.fontSize - 2);
  const axis = (title: string) => ({
    type: 'linear' as const,
    title: { display: true, text: title, color: theme.muted },
    grid: { color: theme.grid },
    ticks: { color: theme.muted, maxRotation: 0, callback: (v: number | string) => formatMetricValue(Number(v)) },
  });
  return {
    animation: false,
    parsing: false,
    responsive: true,
    maintainAspectRatio: false,
    scales: { x: axis(xTitle), y: axis(yTitle) },
    plugins: { tooltip: { enabled: true } },
  };
}
