/**
 * The colour of a compared run from its slot (the host hands out slots so a run has the same
 * colour in the side bar and the panel). The first slots use the theme's own chart colours; then
 * a fixed categorical palette; then hues spread by the golden angle.
 */
import { cssVar, parseColor, type Rgb } from '../common/theme';

const THEME_CHART_COLORS: [string, string][] = [
  ['--vscode-charts-blue', '#3794ff'],
  ['--vscode-charts-orange', '#d18616'],
  ['--vscode-charts-green', '#89d185'],
  ['--vscode-charts-red', '#f14c4c'],
  ['--vscode-charts-purple', '#b180d7'],
  ['--vscode-charts-yellow', '#cca700'],
];
/** Distinct on light and dark backgrounds alike. */
const PALETTE = ['#6cc5b0', '#ff8ab7', '#97bbf5', '#9c6b4e', '#3ca951', '#a463f2', '#efb118', '#ff725c', '#4269d0', '#9498a0'];

export class RunColors {
  private resolved: Rgb[] = [];

  constructor() {
    this.refresh();
  }

  /** Re-reads the theme's chart colours (after a theme change). */
  refresh(): void {
    this.resolved = [...THEME_CHART_COLORS.map(([v, fallback]) => parseColor(cssVar(v, fallback))), ...PALETTE.map(parseColor)];
  }

  rgb(slot: number): Rgb {
    if (slot < this.resolved.length) return this.resolved[slot]!;
    const hue = ((slot - this.resolved.length) * 137.508) % 360;
    return hslToRgb(hue, 0.65, 0.55);
  }

  css(slot: number, alpha = 1): string {
    const [r, g, b] = this.rgb(slot);
    return alpha === 1 ? `rgb(${r}, ${g}, ${b})` : `rgba(${r}, ${g}, ${b}, ${alpha})`;
  }
}

function hslToRgb(h: number, s: number, l: number): Rgb {
  const k = (n: number) => (n + h / 30) % 12;
  const a = s * Math.min(l, 1 - l);
  const f = (n: number) => l - a * Math.max(-1, Math.min(k(n) - 3, Math.min(9 - k(n), 1)));
  return [Math.round(f(0) * 255), Math.round(f(8) * 255), Math.round(f(4) * 255)];
}
