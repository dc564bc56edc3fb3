/**
 * The runs of the Compare panel: a searchable list with a checkbox per run (shown / hidden in
 * every chart), "show / hide all matching", and hover that highlights the run everywhere.
 * Built for a hundred runs and more: one row per run, text only.
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
  private colors: string[] = [];
  private hidden: Set<string>;
  private filter: string;
  private rows = new Map<string, { row: HTMLElement; box: HTMLElementTagNameMap['vscode-checkbox'] }>();

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
  }

  get hiddenRuns(): ReadonlySet<string> {
    return this.hidden;
  }

  setRuns(runs: CompareRun[], colors: string[]): void {
    this.runs = runs;
    this.colors = colors;
    // Forget runs that are no longer compared.
    const uids = new Set(runs.map((r) => r.uid));
    for (const u of [...this.hidden]) if (!uids.has(u)) this.hidden.delete(u);
    clear(this.list);
    this.rows.clear();
    runs.forEach((run, i) => {
      const box = document.createElement('vscode-checkbox');
      box.checked = !this.hidden.has(run.uid);
      box.setAttribute('aria-label', `Show ${run.name}`);
      box.append(swatch(this.colors[i]!), h('span', { class: 'legend-name', text: run.name }));
      box.addEventListener('change', () => {
        if (box.checked) this.hidden.delete(run.uid);
        else this.hidden.add(run.uid);
        this.changed();
      });
      const row = h('div', { class: 'legend-row', attrs: { role: 'listitem', 'data-uid': run.uid }, title: `${run.name}\n${run.uid}` }, box, statusIcon(run));
      row.addEventListener('mouseenter', () => this.callbacks.onHover(run.uid));
      box.addEventListener('focus', () => this.callbacks.onHover(run.uid));
      box.addEventListener('blur', () => this.callbacks.onHover(null));
      this.rows.set(run.uid, { row, box });
      this.list.append(row);
    });
    this.applyFilter();
  }

  setHighlight(uid: string | null): void {
    for (const [u, { row }] of this.rows) row.classList.toggle('highlight', u === uid);
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

function textButton(label: string, id: string, onClick: () => void): HTMLElement {
  const b = document.createElement('vscode-button');
  b.id = id;
  b.secondary = true;
  b.textContent = label;
  b.addEventListener('click', onClick);
  return b;
}
