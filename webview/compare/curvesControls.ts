/**
 * The controls above the curves: which metrics (a regular expression over the keys), the x axis,
 * the smoothing (kind and amount, computed by the store worker over every point), the raw line,
 * the min/max band, log scale, and derived metrics. Plain form elements: they are on screen with
 * the first chart, before the component library has loaded.
 */
import type { XAxisMode } from '../../src/shared/compare/compareTypes';
import { SMOOTHING_KINDS, SMOOTHING_LABELS, SMOOTHING_RANGES, type Smoothing, type SmoothingKind } from '../../src/shared/compare/smoothing';
import { h } from '../common/dom';
import { X_AXIS_LABELS } from './axisFormat';
import { amountFor, type PanelState } from './panelState';

export interface CurvesControlsCallbacks {
  onKeyFilter(text: string): void;
  onXMode(mode: XAxisMode): void;
  onSmoothing(smoothing: Smoothing): void;
  onLook(change: Partial<Pick<PanelState, 'showRaw' | 'band' | 'logY'>>): void;
  onAddDerived(expression: string): void;
  onResetZoom(): void;
}

export class CurvesControls {
  readonly element: HTMLElement;
  private readonly filter = h('input', { attrs: { type: 'search', id: 'metric-filter', placeholder: 'Filter metrics (regular expression)', 'aria-label': 'Filter metrics by a regular expression', spellcheck: 'false' } });
  private readonly filterProblem = h('span', { class: 'control-problem', attrs: { id: 'metric-filter-problem', role: 'status' } });
  private readonly shown = h('span', { class: 'muted', attrs: { id: 'metric-count' } });
  private readonly xMode = h('select', { attrs: { id: 'x-axis', 'aria-label': 'X axis' } });
  private readonly kind = h('select', { attrs: { id: 'smoothing-kind', 'aria-label': 'Smoothing' } });
  private readonly amount = h('input', { attrs: { type: 'range', id: 'smoothing', 'aria-label': 'Smoothing amount' } });
  private readonly amountText = h('output', { attrs: { for: 'smoothing', id: 'smoothing-value' } });
  private readonly raw = checkbox('show-raw', 'Raw line');
  private readonly band = checkbox('show-band', 'Min/max band');
  private readonly logY = checkbox('log-y', 'Log scale');
  private readonly derived = h('input', { attrs: { type: 'text', id: 'derived-input', placeholder: 'Derived metric, e.g. val/loss - train/loss', 'aria-label': 'A derived metric: an expression over metric keys', spellcheck: 'false' } });
  private readonly derivedProblem = h('span', { class: 'control-problem', attrs: { id: 'derived-problem', role: 'status' } });
  private smoothingTimer = 0;

  constructor(private readonly state: PanelState, private readonly callbacks: CurvesControlsCallbacks, private readonly checkDerived: (text: string) => string | null) {
    this.filter.value = state.keyFilter;
    this.filter.addEventListener('input', () => callbacks.onKeyFilter(this.filter.value));

    for (const mode of Object.keys(X_AXIS_LABELS) as XAxisMode[]) this.xMode.append(new Option(X_AXIS_LABELS[mode], mode, false, mode === state.xMode));
    this.xMode.addEventListener('change', () => callbacks.onXMode(this.xMode.value as XAxisMode));

    for (const k of SMOOTHING_KINDS) this.kind.append(new Option(SMOOTHING_LABELS[k], k, false, k === state.smoothing.kind));
    this.kind.addEventListener('change', () => {
      const kind = this.kind.value as SmoothingKind;
      this.showAmount(kind, amountFor(state, kind));
      this.changed({ kind, amount: amountFor(state, kind) }, true);
    });
    this.amount.addEventListener('input', () => {
      const kind = this.kind.value as SmoothingKind;
      const amount = Number(this.amount.value);
      this.amountText.textContent = formatAmount(kind, amount);
      this.changed({ kind, amount }, false);
    });
    this.showAmount(state.smoothing.kind, state.smoothing.amount);

    this.raw.box.checked = state.showRaw;
    this.raw.box.addEventListener('change', () => callbacks.onLook({ showRaw: this.raw.box.checked }));
    this.band.box.checked = state.band;
    this.band.box.addEventListener('change', () => callbacks.onLook({ band: this.band.box.checked }));
    this.logY.box.checked = state.logY;
    this.logY.box.addEventListener('change', () => callbacks.onLook({ logY: this.logY.box.checked }));

    const add = h('button', { class: 'text-button', text: 'Add', attrs: { id: 'add-derived', type: 'button' }, on: { click: () => this.addDerived() } });
    this.derived.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') this.addDerived();
    });
    this.derived.addEventListener('input', () => (this.derivedProblem.textContent = ''));
    const reset = h('button', { class: 'text-button', attrs: { id: 'reset-zoom', type: 'button', title: 'Reset the zoom of every chart' }, on: { click: () => callbacks.onResetZoom() } },
      h('span', { class: 'codicon codicon-screen-normal', attrs: { 'aria-hidden': 'true' } }), ' Reset Zoom');

    this.element = h('div', { class: 'curves-controls' },
      h('div', { class: 'controls' },
        h('div', { class: 'control grow' }, this.filter, this.shown, this.filterProblem),
        labelled('X axis', this.xMode),
        h('div', { class: 'control smoothing-control' }, h('label', { text: 'Smoothing', attrs: { for: 'smoothing-kind' } }), this.kind, this.amount, this.amountText),
        this.raw.element, this.band.element, this.logY.element, reset),
      h('div', { class: 'controls' },
        h('div', { class: 'control grow' }, this.derived, add, this.derivedProblem),
        h('span', { class: 'muted hint', text: 'Drag to zoom · Shift+drag to pan · Ctrl+wheel to zoom · double-click to reset' })));
  }

  /** How many charts the filter shows, and why it is not a regular expression when it is not. */
  showFilterResult(shown: number, total: number, error: string | null): void {
    this.shown.textContent = `${shown} of ${total} charts`;
    this.filterProblem.textContent = error ? `Not a regular expression: ${error}` : '';
    this.filter.classList.toggle('invalid', error !== null);
  }

  private showAmount(kind: SmoothingKind, amount: number): void {
    const off = kind === 'none';
    this.amount.disabled = off;
    this.amount.hidden = off;
    this.amountText.hidden = off;
    if (off) return;
    const range = SMOOTHING_RANGES[kind];
    // The EMA sliders stop at 0.99 (the same as TensorBoard's); the CLI takes up to 0.999.
    this.amount.min = String(range.min);
    this.amount.max = String(kind === 'ema' || kind === 'twema' ? 0.99 : kind === 'gauss' ? 100 : 500);
    this.amount.step = String(kind === 'ema' || kind === 'twema' ? 0.01 : kind === 'gauss' ? 0.5 : 1);
    this.amount.value = String(amount);
    this.amount.title = range.unit;
    this.amountText.textContent = formatAmount(kind, amount);
  }

  /** Asks for the new smoothing at most every 100 ms while the slider moves; a new kind at once. */
  private changed(smoothing: Smoothing, now: boolean): void {
    if (smoothing.kind !== 'none') this.state.amounts[smoothing.kind] = smoothing.amount;
    clearTimeout(this.smoothingTimer);
    if (now) this.callbacks.onSmoothing(smoothing);
    else this.smoothingTimer = window.setTimeout(() => this.callbacks.onSmoothing(smoothing), 100);
  }

  private addDerived(): void {
    const text = this.derived.value.trim();
    if (!text) return;
    const problem = this.checkDerived(text);
    if (problem) {
      this.derivedProblem.textContent = problem;
      return;
    }
    this.derived.value = '';
    this.callbacks.onAddDerived(text);
  }
}

function formatAmount(kind: SmoothingKind, amount: number): string {
  if (kind === 'ema' || kind === 'twema') return amount.toFixed(2);
  if (kind === 'gauss') return `σ ${amount}`;
  return `${amount} steps`;
}

function checkbox(id: string, label: string): { element: HTMLElement; box: HTMLInputElement } {
  const box = h('input', { attrs: { type: 'checkbox', id } });
  return { element: h('label', { class: 'control check', attrs: { for: id } }, box, label), box };
}

function labelled(label: string, control: HTMLElement): HTMLElement {
  return h('div', { class: 'control' }, h('label', { class: 'control-label', text: label, attrs: { for: control.id } }), control);
}
