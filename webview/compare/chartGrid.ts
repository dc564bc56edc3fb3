/**
 * The charts of the Curves tab: one per metric (and per derived metric), in sections by key prefix
 * that open and close, filtered by a regular expression over the keys. Only charts in view (or
 * near it) are drawn, a few per frame, the first one at once; a chart scrolled into view asks for
 * its series. So 300 metrics cost what the first screen of them costs.
 */
import { chartSections, keyFilter, type ChartSection } from '../../src/shared/compare/defaultKeys';
import { codicon, h } from '../common/dom';
import { CurveChart, type CurveCallbacks, type CurveView } from './curves/curveChart';

export interface ChartGridCallbacks extends Omit<CurveCallbacks, 'onDirty'> {
  /** The charts in view changed: their keys, in order. */
  onVisibleKeys(keys: string[]): void;
  onToggleSection(id: string, collapsed: boolean): void;
  /** The remove button of a derived metric's chart. */
  onRemoveDerived(key: string): void;
}

/** Charts this close to the view (in pixels) count as in view: they are fetched and drawn before they show. */
const NEAR_PX = 300;
/** A frame draws charts for about this long before it lets the page paint. */
const FRAME_BUDGET_MS = 12;

interface SectionParts {
  element: HTMLElement;
  toggle: HTMLButtonElement;
  count: HTMLElement;
  grid: HTMLElement;
}

export class ChartGrid {
  readonly element: HTMLElement;
  private readonly charts = new Map<string, CurveChart>();
  private readonly sections = new Map<string, SectionParts>();
  private readonly observer: IntersectionObserver;
  private readonly inView = new Set<string>();
  private readonly queue = new Set<CurveChart>();
  private frame = 0;
  private visibleTimer = 0;
  private lastVisible = '';
  private order: string[] = [];
  private detailIds = 0;

  constructor(private readonly scroller: HTMLElement, private view: CurveView, private readonly callbacks: ChartGridCallbacks) {
    this.element = h('div', { class: 'chart-sections' });
    this.observer = new IntersectionObserver((entries) => this.onIntersect(entries), { root: scroller, rootMargin: `${NEAR_PX}px 0px` });
  }

  /** Lays out the sections and charts of these keys: those matching `filter`, open unless collapsed. */
  layout(keys: readonly string[], derived: readonly string[], filter: string, collapsed: ReadonlySet<string>): { shown: number; error: string | null } {
    const f = keyFilter(filter);
    const sections = chartSections(keys, derived);
    const present = new Set(keys);
    for (const [key, chart] of this.charts) {
      if (present.has(key)) continue;
      this.observer.unobserve(chart.element);
      chart.destroy();
      this.charts.delete(key);
      this.inView.delete(key);
      this.queue.delete(chart);
    }
    const elements: HTMLElement[] = [];
    let shown = 0;
    this.order = [];
    for (const section of sections) {
      const parts = this.section(section);
      const matching = section.keys.filter((k) => f.test(k));
      if (matching.length === 0) continue;
      const closed = collapsed.has(section.id);
      parts.element.classList.toggle('collapsed', closed);
      parts.toggle.setAttribute('aria-expanded', String(!closed));
      parts.count.textContent = `${matching.length}${matching.length < section.keys.length ? ` of ${section.keys.length}` : ''}`;
      const cards = closed ? [] : matching.map((key) => this.chart(key, derived.includes(key)).element);
      if (!closed) this.order.push(...matching);
      shown += closed ? 0 : matching.length;
      replaceIfChanged(parts.grid, cards);
      elements.push(parts.element);
    }
    for (const [key, chart] of this.charts) {
      if (!this.order.includes(key) && this.inView.delete(key)) chart.visible = false;
    }
    replaceIfChanged(this.element, elements);
    this.reportVisible();
    return { shown, error: f.error };
  }

  chart(key: string, derived = false): CurveChart {
    let chart = this.charts.get(key);
    if (!chart) {
      chart = new CurveChart(key, this.view, { ...this.callbacks, onDirty: (c) => this.drawSoon(c) }, () => ++this.detailIds);
      if (derived) {
        const remove = h('button', { class: 'icon-button', title: 'Remove this derived metric', attrs: { 'aria-label': `Remove the derived metric ${key}` }, on: { click: () => this.callbacks.onRemoveDerived(key) } },
          codicon('close'));
        chart.element.querySelector('.chart-head')!.append(remove);
        chart.element.classList.add('derived');
      }
      this.charts.set(key, chart);
      this.observer.observe(chart.element);
    }
    return chart;
  }

  get all(): IterableIterator<CurveChart> {
    return this.charts.values();
  }

  /** The chart of a key, if it has one. */
  find(key: string): CurveChart | undefined {
    return this.charts.get(key);
  }

  /** The keys of the charts laid out (matching the filter, in open sections), in order. */
  get shownKeys(): string[] {
    return [...this.order];
  }

  /** The keys of the charts in view, in layout order. */
  get visibleKeys(): string[] {
    return this.order.filter((k) => this.inView.has(k));
  }

  setView(view: CurveView): void {
    this.view = view;
    for (const c of this.charts.values()) c.setView(view);
  }

  /**
   * Draws the first chart in view now and the others in the next frames: what the user looks at
   * first is on screen first. Measures the layout itself, so it works before the observer has
   * reported (the first series usually arrive before it does).
   */
  drawFirstNow(): void {
    const top = this.scroller.getBoundingClientRect();
    for (const key of this.order) {
      const chart = this.charts.get(key)!;
      const box = chart.element.getBoundingClientRect();
      const near = box.bottom >= top.top - NEAR_PX && box.top <= top.bottom + NEAR_PX && box.height > 0;
      if (near && !this.inView.has(key)) {
        this.inView.add(key);
        chart.visible = true;
      }
    }
    const first = this.order.map((k) => this.charts.get(k)!).find((c) => c.needsDrawing);
    if (first) {
      this.queue.delete(first);
      first.draw();
    }
    for (const key of this.order) {
      const c = this.charts.get(key)!;
      if (c.needsDrawing) this.drawSoon(c);
    }
  }

  /** True when no chart in view waits to be drawn. */
  get settled(): boolean {
    return this.queue.size === 0;
  }

  private drawSoon(chart: CurveChart): void {
    this.queue.add(chart);
    this.frame ||= requestAnimationFrame(() => this.drawQueued());
  }

  private drawQueued(): void {
    this.frame = 0;
    const started = performance.now();
    for (const key of this.order) {
      const chart = this.charts.get(key)!;
      if (!this.queue.has(chart)) continue;
      this.queue.delete(chart);
      if (chart.needsDrawing) chart.draw();
      if (performance.now() - started > FRAME_BUDGET_MS) break;
    }
    for (const c of [...this.queue]) if (!this.order.includes(c.key)) this.queue.delete(c);
    if (this.queue.size) this.frame = requestAnimationFrame(() => this.drawQueued());
    else this.element.dispatchEvent(new CustomEvent('charts-drawn'));
  }

  private onIntersect(entries: IntersectionObserverEntry[]): void {
    for (const e of entries) {
      const key = (e.target as HTMLElement).dataset.key!;
      const chart = this.charts.get(key);
      if (!chart) continue;
      chart.visible = e.isIntersecting;
      if (e.isIntersecting) {
        this.inView.add(key);
        if (chart.needsDrawing) this.drawSoon(chart);
      } else {
        this.inView.delete(key);
      }
    }
    this.reportVisible();
  }

  /** Tells the owner which charts are in view, once scrolling rests for a moment. */
  private reportVisible(): void {
    clearTimeout(this.visibleTimer);
    this.visibleTimer = window.setTimeout(() => {
      const keys = this.visibleKeys;
      const id = keys.join('\u0000');
      if (id === this.lastVisible) return;
      this.lastVisible = id;
      this.callbacks.onVisibleKeys(keys);
    }, 60);
  }

  private section(s: ChartSection): SectionParts {
    let parts = this.sections.get(s.id);
    if (parts) return parts;
    const toggle = h('button', { class: 'section-toggle', attrs: { 'aria-expanded': 'true', 'data-section': s.id } },
      codicon('chevron-down'), h('span', { class: 'section-title', text: s.title }));
    const count = h('span', { class: 'section-count muted' });
    const grid = h('div', { class: 'chart-grid' });
    const element = h('section', { class: 'chart-section', attrs: { 'data-section': s.id } }, h('h2', { class: 'section-head' }, toggle, count), grid);
    toggle.addEventListener('click', () => this.callbacks.onToggleSection(s.id, !element.classList.contains('collapsed')));
    parts = { element, toggle, count, grid };
    this.sections.set(s.id, parts);
    return parts;
  }
}

/** Moving a canvas resizes it: children are only replaced when they differ. */
function replaceIfChanged(parent: HTMLElement, children: HTMLElement[]): void {
  const current = [...parent.children];
  if (current.length !== children.length || current.some((el, i) => el !== children[i])) parent.replaceChildren(...children);
}
