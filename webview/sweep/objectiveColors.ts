/**
 * Colours for objective values, from the theme's chart colours: the best values green, the middle
 * yellow, the worst red — whichever way the objective is optimised.
 */
import type { Direction } from '../../src/shared/sweepTypes';
import { cssVar, parseColor, type Rgb } from '../common/theme';

export type ColorOf = (value: number) => string;

export function objectiveColors(values: ArrayLike<number>, direction: Direction): ColorOf {
  const stops: Rgb[] = [
    parseColor(cssVar('--vscode-charts-red', '#f14c4c')),
    parseColor(cssVar('--vscode-charts-yellow', '#cca700')),
    parseColor(cssVar('--vscode-charts-green', '#89d185')),
  ];
  const finite = Array.from(values).filter(Number.isFinite);
  const min = finite.length ? Math.min(...finite) : 0;
  const max = finite.length ? Math.max(...finite) : 1;
  const muted = cssVar('--vscode-descriptionForeground', '#888');
  return (value) => {
    if (!Number.isFinite(value)) return muted;
    const t = max === min ? 1 : (value - min) / (max - min);
    const good = direction === 'maximize' ? t : 1 - t;
    const [a, b, f] = good < 0.5 ? [stops[0]!, stops[1]!, good * 2] : [stops[1]!, stops[2]!, (good - 0.5) * 2];
    const mix = a.map((c, i) => Math.round(c + (b[i]! - c) * f));
    return `rgb(${mix[0]}, ${mix[1]}, ${mix[2]})`;
  };
}

/** A colour per trial number, lighter for earlier trials (as Optuna's slice plots shade them). */
export function trialNumberColors(count: number): (index: number) => string {
  const [r, g, b] = parseColor(cssVar('--vscode-charts-blue', '#3794ff'));
  return (i) => `rgba(${r}, ${g}, ${b}, ${(0.25 + (0.75 * (i + 1)) / Math.max(1, count)).toFixed(3)})`;
}
