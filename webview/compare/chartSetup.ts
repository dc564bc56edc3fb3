/** chart.js with only what the Compare panel draws (tree-shaken), plus pan and zoom. */
import {
  BarController, BarElement, CategoryScale, Chart, Decimation, LinearScale, LineController, LineElement, LogarithmicScale, PointElement,
  ScatterController,
} from 'chart.js';
import zoomPlugin from 'chartjs-plugin-zoom';
import type { ChartTheme } from '../common/theme';

Chart.register(LineController, LineElement, PointElement, LinearScale, LogarithmicScale, ScatterController, Decimation, zoomPlugin);
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
