/**
 * The runs of the Compare panel: a searchable list with a checkbox per run (shown / hidden in
 * every chart), "show / hide all matching", and hover that highlights the run everywhere.
 * Built for hundreds of runs: one plain row per run (native checkboxes, text only), and one
 * listener for all of them.
 */
import type { CompareRun } from '../../src/shared/compare/compareTypes';
import { clear, h } from '../common/dom';
import { statusIcon, swatch } from './runLabels';

export interface LegendCallbacks {
  onToggle(hidden: Set<string>): void;
  onHover(uid: string | null): void;
  onFilter(text: string): void;
}

export class Legend {
  readonly element: HTMLElement;
  private readonly list: HTMLElement;
  private readonly count: HTMLElement;
  private readonly search: HTMLElementTagNameMap['vscode-textfield'];
  private runs: CompareRun[] = [];
  private hidden: Set<string>;
  private filter: string;
  private rows = new Map<string, { row: HTMLElement; box: HTMLInputElement }>();
  private highlighted: HTMLElement | undefined;

  constructor(hidden: Iterable<string>, filter: string, private readonly callbacks: LegendCallbacks) {
    this.hidden = new Set(hidden);
    this.filter = filter;
    this.search = document.createElement('vscode-textfield');
    this.search.id = 'legend-search';
    this.search.placeholder = 'Filter runs';
    this.search.value = filter;
    this.search.setAttribute('aria-label', 'Filter runs by name');
    this.search.addEventListener('input', () => {
      this.filter = this.search.value;
      this.callbacks.onFilter(this.filter);
      this.applyFilter();
    });
    const showAll = textButton('Show all', 'legend-show', () => this.setMatching(true));
    const hideAll = textButton('Hide all', 'legend-hide', () => this.setMatching(false));
    this.count = h('span', { class: 'muted legend-count' });
    this.list = h('div', { class: 'legend-list', attrs: { role: 'list', 'aria-label': 'Runs' } });
    this.element = h('aside', { class: 'legend', attrs: { 'aria-label': 'Runs shown in the charts' } },
      this.search,
      h('div', { class: 'legend-actions' }, showAll, hideAll, this.count),
      this.list);
    this.list.addEventListener('mouseleave', () => this.callbacks.onHover(null));
    this.list.addEventListener('mouseover', (e) => {
      const uid = rowOf(e.target)?.dataset.uid;
      if (uid) this.callbacks.onHover(uid);
    });
    this.list.addEventListener('focusin', (e) => this.callbacks.onHover(rowOf(e.target)?.dataset.uid ?? null));
    this.list.addEventListener('focusout', () => this.callbacks.onHover(null));
    this.list.addEventListener('change', (e) => {
      const box = e.target as HTMLInputElement;
      const uid = rowOf(box)?.dataset.uid;
      if (!uid) return;
      if (box.checked) this.hidden.delete(uid);
      else this.hidden.add(uid);
      this.changed();
    });
  }

  get hiddenRuns(): ReadonlySet<string> {
    return this.hidden;
  }

  setRuns(runs: CompareRun[], colors: string[]): void {
    this.runs = runs;
    // Forget runs that are no longer compared.
    const uids = new Set(runs.map((r) => r.uid));
    for (const u of [...this.hidden]) if (!uids.has(u)) this.hidden.delete(u);
    clear(this.list);
    this.rows.clear();
    this.highlighted = undefined;
    const rows = runs.map((run, i) => {
      const box = h('input', { attrs: { type: 'checkbox', 'aria-label': `Show ${run.name}` } });
      box.checked = !this.hidden.has(run.uid);
      const row = h('div', { class: 'legend-row', attrs: { role: 'listitem', 'data-uid': run.uid }, title: `${run.name}\n${run.uid}` },
        h('label', { class: 'legend-label' }, box, swatch(colors[i]!), h('span', { class: 'legend-name', text: run.name })),
        statusIcon(run));
      this.rows.set(run.uid, { row, box });
      return row;
    });
    this.list.append(...rows);
    this.applyFilter();
  }

  setHighlight(uid: string | null): void {
    this.highlighted?.classList.remove('highlight');
    this.highlighted = uid ? this.rows.get(uid)?.row : undefined;
    this.highlighted?.classList.add('highlight');
  }

  private matches(run: CompareRun): boolean {
    const f = this.filter.trim().toLowerCase();
    return !f || run.name.toLowerCase().includes(f) || run.uid.toLowerCase().includes(f);
  }

  private applyFilter(): void {
    let shown = 0;
    for (const run of this.runs) {
      const visible = this.matches(run);
      this.rows.get(run.uid)!.row.hidden = !visible;
      if (visible) shown++;
    }
    const drawn = this.runs.length - this.hidden.size;
    this.count.textContent = `${drawn} of ${this.runs.length} shown${shown < this.runs.length ? ` · ${shown} match` : ''}`;
  }

  /** Shows or hides every run that matches the filter. */
  private setMatching(show: boolean): void {
    for (const run of this.runs) {
      if (!this.matches(run)) continue;
      if (show) this.hidden.delete(run.uid);
      else this.hidden.add(run.uid);
      this.rows.get(run.uid)!.box.checked = show;
    }
    this.changed();
  }

  private changed(): void {
    this.applyFilter();
    this.callbacks.onToggle(new Set(this.hidden));
  }
}

function rowOf(target: EventTarget | null): HTMLElement | null {
  return target instanceof Element ? target.closest<HTMLElement>('.legend-row') : null;
}

function textButton(label: string, id: string, onClick: () => void): HTMLElement {
  const b = document.createElement('vscode-button');
  b.id = id;
  b.secondary = true;
  b.textContent = label;
  b.addEventListener('click', onClick);
  return b;
}
