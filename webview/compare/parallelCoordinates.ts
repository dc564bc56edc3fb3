/**
 * Parallel coordinates: one vertical axis per parameter that varies plus the chosen metric, one
 * line per run through its values. Numbers get a linear axis; anything else a categorical one.
 * SVG, so a hundred lines stay crisp and hovering a line is a plain DOM event.
 */
import { formatMetricValue } from '../../src/shared/format';
import { clear, h, svg } from '../common/dom';

export interface ParallelRun {
  uid: string;
  name: string;
  color: string;
}

export interface ParallelAxis {
  label: string;
  /** One value per run (same order as the runs); null when the run has none. */
  values: (number | string | null)[];
}

const HEIGHT = 380;
const MARGIN = { top: 36, bottom: 28, left: 80, right: 80 };
const MAX_CATEGORY_LABELS = 24;

interface Scale {
  y(v: number | string): number | null;
  ticks: { y: number; label: string }[];
}

export class ParallelCoordinates {
  readonly element: HTMLElement;
  private lines = new Map<string, SVGPathElement>();
  private highlighted: string | null = null;
  private input: { runs: ParallelRun[]; axes: ParallelAxis[] } = { runs: [], axes: [] };
  private readonly resize = new ResizeObserver(() => this.render());

  constructor(private readonly onHover: (uid: string | null) => void) {
    this.element = h('div', { class: 'parallel' });
    this.resize.observe(this.element);
  }

  setData(runs: ParallelRun[], axes: ParallelAxis[]): void {
    this.input = { runs, axes };
    this.render();
  }

  setHighlight(uid: string | null): void {
    this.highlighted = uid;
    for (const [u, path] of this.lines) {
      path.classList.toggle('hl', u === uid);
      path.classList.toggle('dim', uid !== null && u !== uid);
    }
    const path = uid ? this.lines.get(uid) : undefined;
    path?.parentNode?.appendChild(path); // on top
  }

  private render(): void {
    clear(this.element);
    this.lines.clear();
    const { runs, axes } = this.input;
    if (axes.length < 2 || runs.length === 0) {
      this.element.append(h('p', { class: 'muted empty', text: runs.length === 0 ? 'No runs shown.' : 'Parallel coordinates need at least one parameter that varies between the runs, besides the metric.' }));
      return;
    }
    const width = Math.max(this.element.clientWidth, 320);
    const root = svg('svg', { width, height: HEIGHT, class: 'pc', role: 'img' });
    root.setAttribute('aria-label', `Parallel coordinates of ${runs.length} runs over ${axes.map((a) => a.label).join(', ')}`);
    const step = (width - MARGIN.left - MARGIN.right) / (axes.length - 1);
    const xs = axes.map((_, i) => MARGIN.left + i * step);
    const scales = axes.map(scaleFor);

    const lineLayer = svg('g', { class: 'pc-lines' });
    runs.forEach((run, r) => {
      let d = '';
      let pen = false;
      axes.forEach((axis, a) => {
        const v = axis.values[r];
        const y = v === null || v === undefined ? null : scales[a]!.y(v);
        if (y === null) {
          pen = false;
          return;
        }
        d += `${pen ? 'L' : 'M'}${xs[a]!.toFixed(1)} ${y.toFixed(1)} `;
        pen = true;
      });
      if (!d) return;
      const path = svg('path', { d, stroke: run.color, class: 'pc-line' });
      const title = svg('title');
      title.textContent = run.name;
      path.append(title);
      path.addEventListener('mouseenter', () => this.onHover(run.uid));
      path.addEventListener('mouseleave', () => this.onHover(null));
      this.lines.set(run.uid, path);
      lineLayer.append(path);
    });
    root.append(lineLayer);

    axes.forEach((axis, a) => {
      const g = svg('g', { class: 'pc-axis' });
      g.append(svg('line', { x1: xs[a]!, x2: xs[a]!, y1: MARGIN.top, y2: HEIGHT - MARGIN.bottom }));
      const label = svg('text', { x: xs[a]!, y: MARGIN.top - 14, 'text-anchor': 'middle', class: 'pc-label' });
      // Centred over its axis, cut to the room between axes (and the margin at the ends).
      label.textContent = shorten(axis.label, Math.max(6, Math.floor(Math.min(step, 2 * MARGIN.left) / 8)));
      const full = svg('title');
      full.textContent = axis.label;
      label.append(full);
      g.append(label);
      for (const tick of scales[a]!.ticks) {
        g.append(svg('line', { x1: xs[a]! - 3, x2: xs[a]! + 3, y1: tick.y, y2: tick.y }));
        const t = svg('text', { x: xs[a]! + (a === axes.length - 1 ? -6 : 6), y: tick.y + 4, 'text-anchor': a === axes.length - 1 ? 'end' : 'start', class: 'pc-tick' });
        t.textContent = shorten(tick.label, 18);
        g.append(t);
      }
      root.append(g);
    });
    this.element.append(root);
    this.setHighlight(this.highlighted);
  }
}

function scaleFor(axis: ParallelAxis): Scale {
  const top = MARGIN.top;
  const bottom = HEIGHT - MARGIN.bottom;
  const present = axis.values.filter((v): v is number | string => v !== null && v !== undefined);
  if (present.length > 0 && present.every((v) => typeof v === 'number' && Number.isFinite(v))) {
    const nums = present as number[];
    let min = Math.min(...nums);
    let max = Math.max(...nums);
    if (min === max) {
      min -= 1;
      max += 1;
    }
    const y = (v: number | string) => (typeof v === 'number' && Number.isFinite(v) ? bottom - ((v - min) / (max - min)) * (bottom - top) : null);
    const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => ({ y: bottom - f * (bottom - top), label: formatMetricValue(min + f * (max - min)) }));
    return { y, ticks };
  }
  const categories = [...new Set(present.map(String))].sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
  const index = new Map(categories.map((c, i) => [c, i]));
  const pos = (i: number) => (categories.length === 1 ? (top + bottom) / 2 : bottom - (i / (categories.length - 1)) * (bottom - top));
  const every = Math.ceil(categories.length / MAX_CATEGORY_LABELS);
  return {
    y: (v) => {
      const i = index.get(String(v));
      return i === undefined ? null : pos(i);
    },
    ticks: categories.map((c, i) => ({ y: pos(i), label: c })).filter((_, i) => i % every === 0),
  };
}

function shorten(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
