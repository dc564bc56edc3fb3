/**
 * Draws the laid-out lineage graph as SVG built with DOM calls (text only ever through
 * textContent) and makes it navigable: drag to pan, wheel to zoom around the pointer, keyboard
 * (Tab between nodes, Enter to open, arrows / + / - / 0 on the canvas), fit, find.
 */
import type { LineageEdge, LineageGraph, LineageNode } from '../../src/shared/modelTypes';
import { layoutLineage, type LineageLayout, type PlacedNode, type Point, type Size } from './layout';
import { centreOn, fitView, initialView, panBy, READABLE_SCALE, zoomAt, type ViewState } from './viewport';

const SVG = 'http://www.w3.org/2000/svg';
const PAD_X = 10;
const BAR = 4;
const MIN_NODE_WIDTH = 120;
const MAX_NODE_WIDTH = 260;
const CAPTION_FONT_PX = 11;
const LABEL_FONT_PX = 13;
const BADGE_FONT_PX = 10;
const NODE_HEIGHT = 42;
const NODE_HEIGHT_WITH_BADGES = 60;
const EDGE_LABEL_FONT_PX = 10;

export interface GraphViewEvents {
  open(id: string): void;
  focus(id: string): void;
  selected(id: string | null): void;
  viewChanged(view: ViewState): void;
}

interface NodeText {
  caption: string;
  label: string;
  badges: string[];
  description: string;
}

function el<K extends keyof SVGElementTagNameMap>(name: K, attrs: Record<string, string | number> = {}, parent?: Element): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  parent?.appendChild(e);
  return e;
}

function textOf(n: LineageNode): NodeText {
  switch (n.kind) {
    case 'dataset': {
      const base = n.path.split('/').pop() || n.path;
      const facts = [n.rows !== null ? `${n.rows.toLocaleString('en-US')} rows` : null, n.sha256 ? n.sha256.slice(0, 8) : null].filter(Boolean);
      return { caption: ['dataset', ...facts].join(' · '), label: base, badges: [], description: `dataset ${n.path}${facts.length ? ` (${facts.join(', ')})` : ''}` };
    }
    case 'run':
      return {
        caption: ['run', n.status, n.experiment].filter(Boolean).join(' · '), label: n.label, badges: [],
        description: `run ${n.label}, ${n.status}${n.experiment ? `, experiment ${n.experiment}` : ''}, id ${n.uid}`,
      };
    case 'model': {
      const caption = n.missing ? 'model · not in the registry' : ['model', n.framework, n.derivation].filter(Boolean).join(' · ');
      const badges = n.aliases.map((a) => `@${a}`);
      return { caption, label: n.label, badges, description: `model ${n.label}${n.aliases.length ? `, aliases ${n.aliases.join(', ')}` : ''}${n.derivation ? `, ${n.derivation}` : ''}` };
    }
  }
}

export class LineageView {
  private readonly svg: SVGSVGElement;
  private readonly viewport: SVGGElement;
  private readonly measureCtx: CanvasRenderingContext2D | null;
  private fontFamily = 'sans-serif';
  private layout: LineageLayout | null = null;
  private nodeEls = new Map<string, SVGGElement>();
  private edgeEls: { edge: LineageEdge; path: SVGPathElement; label: SVGGElement | null }[] = [];
  private view: ViewState = { scale: 1, x: 0, y: 0 };
  private selectedId: string | null = null;
  private matches: string[] = [];
  private matchIndex = -1;

  constructor(private readonly host: HTMLElement, private readonly events: GraphViewEvents) {
    this.svg = el('svg', { class: 'graph', tabindex: 0, role: 'group', 'aria-label': 'Lineage graph: drag to pan, wheel to zoom, Tab to move between nodes, Enter to open one' });
    const defs = el('defs', {}, this.svg);
    const marker = el('marker', { id: 'arrow', viewBox: '0 0 8 8', refX: 8, refY: 4, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' }, defs);
    el('path', { d: 'M0,0 L8,4 L0,8 z', class: 'arrow-head' }, marker);
    this.viewport = el('g', { class: 'viewport' }, this.svg);
    host.appendChild(this.svg);
    this.measureCtx = document.createElement('canvas').getContext('2d');
    this.bindInput();
    new ResizeObserver(() => this.apply()).observe(host);
  }

  /** Lays out and draws a new graph; keeps `view` if given (a restored page), else picks a first view. */
  render(graph: LineageGraph, view: ViewState | null, selected: string | null): void {
    this.fontFamily = getComputedStyle(document.body).fontFamily || 'sans-serif';
    this.layout = layoutLineage(graph, { node: (n) => this.nodeSize(n), edgeLabel: (e) => this.edgeLabelSize(e) });
    this.viewport.replaceChildren();
    this.nodeEls.clear();
    this.edgeEls = [];
    const edgesGroup = el('g', { class: 'edges' }, this.viewport);
    const nodesGroup = el('g', { class: 'nodes' }, this.viewport);
    for (const e of this.layout.edges) this.drawEdge(edgesGroup, e.edge, e.points, e.label);
    for (const n of this.layout.nodes) this.drawNode(nodesGroup, n);
    this.selectedId = selected !== null && this.nodeEls.has(selected) ? selected : null;
    this.highlight();
    const anchor = this.anchorOf(this.selectedId ?? graph.focus[0] ?? null);
    this.view = view ?? initialView(this.layout, this.viewSize(), anchor);
    this.apply();
  }

  get nodeCount(): number {
    return this.nodeEls.size;
  }

  select(id: string | null, centre = false): void {
    if (id !== null && !this.nodeEls.has(id)) return;
    this.selectedId = id;
    this.highlight();
    this.events.selected(id);
    if (id !== null && centre) {
      // Brought into view at a size its text can be read at (a fitted 200-node graph is too small).
      const a = this.anchorOf(id);
      if (a && (!this.isVisible(id) || this.view.scale < READABLE_SCALE)) this.setView(centreOn(a.x, a.y, this.viewSize(), Math.max(this.view.scale, READABLE_SCALE)));
    }
  }

  get selected(): string | null {
    return this.selectedId;
  }

  fit(): void {
    if (this.layout) this.setView(fitView(this.layout, this.viewSize()));
  }

  zoom(factor: number): void {
    const s = this.viewSize();
    this.setView(zoomAt(this.view, factor, s.width / 2, s.height / 2));
  }

  /** Marks nodes whose text contains `query`; `next` moves to the following match and centres it. */
  find(query: string, next: boolean): number {
    const q = query.trim().toLowerCase();
    const previous = this.matches[this.matchIndex];
    this.matches = q === '' || !this.layout ? [] : this.layout.nodes.filter((p) => {
      const t = textOf(p.node);
      return `${t.label} ${t.caption} ${t.badges.join(' ')} ${p.node.kind === 'dataset' ? p.node.path : ''}`.toLowerCase().includes(q);
    }).map((p) => p.node.id);
    for (const [id, g] of this.nodeEls) g.classList.toggle('match', this.matches.includes(id));
    if (this.matches.length === 0) {
      this.matchIndex = -1;
      return 0;
    }
    const at = previous === undefined ? -1 : this.matches.indexOf(previous);
    this.matchIndex = next ? (at + 1) % this.matches.length : Math.max(0, at);
    this.select(this.matches[this.matchIndex]!, true);
    return this.matches.length;
  }

  private setView(v: ViewState): void {
    this.view = v;
    this.apply();
    this.events.viewChanged(v);
  }

  private apply(): void {
    this.viewport.setAttribute('transform', `translate(${this.view.x} ${this.view.y}) scale(${this.view.scale})`);
  }

  private viewSize(): Size {
    const r = this.svg.getBoundingClientRect();
    return { width: r.width || this.host.clientWidth || 800, height: r.height || this.host.clientHeight || 600 };
  }

  private anchorOf(id: string | null): Point | null {
    const p = id === null ? undefined : this.layout?.nodes.find((n) => n.node.id === id);
    return p ? { x: p.x + p.width / 2, y: p.y + p.height / 2 } : null;
  }

  private isVisible(id: string): boolean {
    const p = this.layout?.nodes.find((n) => n.node.id === id);
    if (!p) return false;
    const s = this.viewSize();
    const x = p.x * this.view.scale + this.view.x;
    const y = p.y * this.view.scale + this.view.y;
    return x >= 0 && y >= 0 && x + p.width * this.view.scale <= s.width && y + p.height * this.view.scale <= s.height;
  }

  // -- measuring ------------------------------------------------------------------------------

  private textWidth(text: string, px: number, weight = 'normal'): number {
    if (!this.measureCtx) return text.length * px * 0.6;
    this.measureCtx.font = `${weight} ${px}px ${this.fontFamily}`;
    return this.measureCtx.measureText(text).width;
  }

  /** `text` cut with an ellipsis to fit `max` pixels. */
  private fitText(text: string, px: number, max: number, weight = 'normal'): string {
    if (this.textWidth(text, px, weight) <= max) return text;
    let lo = 0;
    let hi = text.length;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (this.textWidth(`${text.slice(0, mid)}…`, px, weight) <= max) lo = mid;
      else hi = mid - 1;
    }
    return `${text.slice(0, lo)}…`;
  }

  private badgeWidth(text: string): number {
    return this.textWidth(text, BADGE_FONT_PX, '600') + 10;
  }

  private nodeSize(n: LineageNode): Size {
    const t = textOf(n);
    const badges = t.badges.reduce((w, b) => w + this.badgeWidth(b) + 4, 0);
    const content = Math.max(this.textWidth(t.label, LABEL_FONT_PX, '600'), this.textWidth(t.caption, CAPTION_FONT_PX), badges);
    const width = Math.min(MAX_NODE_WIDTH, Math.max(MIN_NODE_WIDTH, Math.ceil(content + 2 * PAD_X + BAR)));
    return { width, height: t.badges.length ? NODE_HEIGHT_WITH_BADGES : NODE_HEIGHT };
  }

  private edgeLabelSize(e: LineageEdge): Size | null {
    return e.label ? { width: Math.ceil(this.textWidth(e.label, EDGE_LABEL_FONT_PX)) + 8, height: EDGE_LABEL_FONT_PX + 6 } : null;
  }

  // -- drawing --------------------------------------------------------------------------------

  private drawNode(parent: SVGGElement, p: PlacedNode): void {
    const n = p.node;
    const t = textOf(n);
    const classes = ['node', `kind-${n.kind}`];
    if (n.kind === 'model' && n.missing) classes.push('missing');
    if (n.kind === 'run') classes.push(`status-${n.status}`);
    const g = el('g', {
      class: classes.join(' '), transform: `translate(${p.x} ${p.y})`, tabindex: 0, role: 'button', 'data-id': n.id, 'data-kind': n.kind,
    }, parent);
    g.setAttribute('aria-label', t.description);
    el('title', {}, g).textContent = t.description;
    el('rect', { class: 'box', width: p.width, height: p.height, rx: 4, ry: 4 }, g);
    el('rect', { class: 'bar', width: BAR, height: p.height, rx: 1 }, g);
    const inner = p.width - 2 * PAD_X - BAR;
    const caption = el('text', { class: 'caption', x: BAR + PAD_X, y: 15 }, g);
    caption.textContent = this.fitText(t.caption, CAPTION_FONT_PX, inner);
    const label = el('text', { class: 'label', x: BAR + PAD_X, y: 32 }, g);
    label.textContent = this.fitText(t.label, LABEL_FONT_PX, inner, '600');
    let x = BAR + PAD_X;
    for (const b of t.badges) {
      const w = this.badgeWidth(b);
      if (x + w > p.width - PAD_X) break;
      const badge = el('g', { class: 'badge', transform: `translate(${x} 40)` }, g);
      el('rect', { width: w, height: 14, rx: 7, ry: 7 }, badge);
      el('text', { x: w / 2, y: 10.5, 'text-anchor': 'middle' }, badge).textContent = b;
      x += w + 4;
    }
    g.addEventListener('click', (ev) => {
      ev.stopPropagation();
      this.select(n.id);
      this.events.open(n.id);
    });
    g.addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter' || ev.key === ' ') {
        ev.preventDefault();
        this.select(n.id);
        this.events.open(n.id);
      } else if (ev.key === 'f' || ev.key === 'F') {
        ev.preventDefault();
        this.events.focus(n.id);
      }
    });
    g.addEventListener('focus', () => this.select(n.id, true));
    this.nodeEls.set(n.id, g);
  }

  private drawEdge(parent: SVGGElement, e: LineageEdge, points: Point[], labelAt: Point | null): void {
    if (points.length < 2) return;
    const path = el('path', { class: `edge kind-${e.kind}`, d: smoothPath(points), 'marker-end': 'url(#arrow)', 'data-from': e.from, 'data-to': e.to }, parent);
    let label: SVGGElement | null = null;
    if (e.label && labelAt) {
      const size = this.edgeLabelSize(e)!;
      label = el('g', { class: `edge-label kind-${e.kind}`, transform: `translate(${labelAt.x - size.width / 2} ${labelAt.y - size.height / 2})` }, parent);
      el('rect', { width: size.width, height: size.height, rx: 3, ry: 3 }, label);
      el('text', { x: size.width / 2, y: size.height - 4, 'text-anchor': 'middle' }, label).textContent = e.label;
    }
    this.edgeEls.push({ edge: e, path, label });
  }

  private highlight(): void {
    for (const [id, g] of this.nodeEls) g.classList.toggle('selected', id === this.selectedId);
    for (const { edge, path, label } of this.edgeEls) {
      const on = this.selectedId !== null && (edge.from === this.selectedId || edge.to === this.selectedId);
      path.classList.toggle('active', on);
      label?.classList.toggle('active', on);
    }
  }

  // -- input ----------------------------------------------------------------------------------

  private bindInput(): void {
    let drag: { id: number; x: number; y: number } | null = null;
    this.svg.addEventListener('pointerdown', (ev) => {
      if ((ev.target as Element).closest('.node') || ev.button !== 0) return;
      drag = { id: ev.pointerId, x: ev.clientX, y: ev.clientY };
      this.svg.setPointerCapture(ev.pointerId);
      this.svg.classList.add('panning');
    });
    this.svg.addEventListener('pointermove', (ev) => {
      if (!drag || drag.id !== ev.pointerId) return;
      const dx = ev.clientX - drag.x;
      const dy = ev.clientY - drag.y;
      drag = { id: drag.id, x: ev.clientX, y: ev.clientY };
      this.setView(panBy(this.view, dx, dy));
    });
    const end = (ev: PointerEvent) => {
      if (!drag || drag.id !== ev.pointerId) return;
      drag = null;
      this.svg.classList.remove('panning');
    };
    this.svg.addEventListener('pointerup', end);
    this.svg.addEventListener('pointercancel', end);
    this.svg.addEventListener('wheel', (ev) => {
      ev.preventDefault();
      const r = this.svg.getBoundingClientRect();
      const delta = ev.deltaMode === 1 ? ev.deltaY * 16 : ev.deltaY;
      this.setView(zoomAt(this.view, Math.exp(-delta * 0.0015), ev.clientX - r.left, ev.clientY - r.top));
    }, { passive: false });
    this.svg.addEventListener('click', (ev) => {
      if (!(ev.target as Element).closest('.node')) this.select(null);
    });
    this.svg.addEventListener('keydown', (ev) => {
      const step = 60;
      const moves: Record<string, [number, number]> = { ArrowLeft: [step, 0], ArrowRight: [-step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] };
      const move = moves[ev.key];
      // Arrows pan only when the canvas itself has the focus; on a node they are left to the page.
      if (move && ev.target === this.svg) this.setView(panBy(this.view, ...move));
      else if (ev.key === '+' || ev.key === '=') this.zoom(1.25);
      else if (ev.key === '-') this.zoom(0.8);
      else if (ev.key === '0') this.fit();
      else return;
      ev.preventDefault();
    });
  }
}

/** A smooth curve through dagre's bend points (quadratic segments between their midpoints). */
export function smoothPath(points: readonly Point[]): string {
  const f = (n: number) => Math.round(n * 10) / 10;
  const [first, ...rest] = points;
  if (!first) return '';
  if (rest.length === 1) return `M${f(first.x)},${f(first.y)} L${f(rest[0]!.x)},${f(rest[0]!.y)}`;
  let d = `M${f(first.x)},${f(first.y)}`;
  for (let i = 1; i < points.length - 1; i++) {
    const p = points[i]!;
    const next = points[i + 1]!;
    const mid = i === points.length - 2 ? next : { x: (p.x + next.x) / 2, y: (p.y + next.y) / 2 };
    d += ` Q${f(p.x)},${f(p.y)} ${f(mid.x)},${f(mid.y)}`;
  }
  return d;
}
