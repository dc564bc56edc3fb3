/** chart.js with only what the metric-vs-parameter scatter and the Slices tab's bars draw (tree-shaken). */
import { BarController, BarElement, CategoryScale, Chart, LinearScale, PointElement, ScatterController } from 'chart.js';
import type { ChartTheme } from '../common/theme';

Chart.register(ScatterController, PointElement, LinearScale);
// The Slices tab's bars: a category per slice, a bar per run (in the runs' colours, as the legend shows them).
Chart.register(BarController, BarElement, CategoryScale);

export { Chart };

/** Fonts and colours of every chart from the VS Code theme. */
export function applyChartDefaults(theme: ChartTheme): void {
  Chart.defaults.color = theme.muted;
  Chart.defaults.borderColor = theme.grid;
  Chart.defaults.font.family = theme.fontFamily;
  Chart.defaults.font.size = Math.max(10, theme.fontSize - 2);
}
