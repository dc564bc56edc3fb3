/**
 * Colours for canvases, read from VS Code's theme variables (a canvas cannot use CSS variables
 * directly), and a way to hear when the user switches themes.
 */

export type Rgb = [number, number, number];

export function cssVar(name: string, fallback: string): string {
  const v = getComputedStyle(document.body).getPropertyValue(name).trim();
  return v || fallback;
}

export interface ChartTheme {
  foreground: string;
  muted: string;
  grid: string;
  fontFamily: string;
  fontSize: number;
  selection: string;
}

export function chartTheme(): ChartTheme {
  return {
    foreground: cssVar('--vscode-foreground', '#888'),
    muted: cssVar('--vscode-descriptionForeground', '#888'),
    grid: withAlpha(cssVar('--vscode-foreground', '#888'), 0.12),
    fontFamily: cssVar('--vscode-font-family', 'sans-serif'),
    fontSize: parseFloat(cssVar('--vscode-font-size', '13')) || 13,
    selection: withAlpha(cssVar('--vscode-focusBorder', '#0078d4'), 0.2),
  };
}

/** Calls `onChange` after VS Code changes the theme (it swaps the body's theme class). */
export function onThemeChange(onChange: () => void): void {
  new MutationObserver(() => onChange()).observe(document.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-id'] });
}

/** Parses #rgb, #rrggbb(aa) and rgb()/rgba() colours; black when unreadable. */
export function parseColor(color: string): Rgb {
  const c = color.trim();
  const hex = /^#([0-9a-f]{3,8})$/i.exec(c);
  if (hex) {
    const d = hex[1]!;
    if (d.length === 3 || d.length === 4) return [0, 1, 2].map((i) => parseInt(d[i]! + d[i]!, 16)) as Rgb;
    return [0, 2, 4].map((i) => parseInt(d.slice(i, i + 2), 16)) as Rgb;
  }
  const rgb = /^rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)/i.exec(c);
  if (rgb) return [Number(rgb[1]), Number(rgb[2]), Number(rgb[3])];
  return [0, 0, 0];
}

export function withAlpha(color: string | Rgb, alpha: number): string {
  const [r, g, b] = typeof color === 'string' ? parseColor(color) : color;
  return `rgba(${r}, ${g}, ${b}, ${alpha})`;
}
